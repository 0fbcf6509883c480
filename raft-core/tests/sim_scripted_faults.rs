//! The two subtlest deliberate faults, scripted step by step through the simulator: each
//! script breaks Raft with its fault on (the checker reports it) and is safe with it off.
//!
//! - Figure 8 of the Raft paper (§5.4.2): with `commit_old_term_by_count`, a leader
//!   commits an entry of an earlier term by counting replicas, and a later leader that
//!   lacks it is elected.
//! - A forgotten vote (§5.2, Figure 2: `votedFor` is persistent): with
//!   `forget_vote_on_restart`, a node that voted, crashed and restarted votes again in the
//!   same term, and two leaders share it.

use raft_core::sim::{Sim, SimConfig, ViolationKind};
use raft_core::{Faults, Index, NodeId, Role};

fn figure8_config(fault: bool) -> SimConfig {
    SimConfig {
        nodes: 5,
        seed: 8,
        pre_vote: false,
        check_quorum: false,
        // Long timeouts: only the script starts elections.
        election_timeout_ms: (5_000, 10_000),
        heartbeat_ms: 50,
        // One entry per append, so an old-term entry can be acknowledged on its own.
        max_entries_per_append: 1,
        faults: Faults {
            commit_old_term_by_count: fault,
            ..Faults::default()
        },
        trace_capacity: 10_000,
        ..SimConfig::default()
    }
}

/// Steps events until `cond` holds, at most `max_us` of virtual time.
fn until(s: &mut Sim, max_us: u64, cond: impl Fn(&Sim) -> bool) -> bool {
    let deadline = s.now_us() + max_us;
    while s.now_us() < deadline {
        if cond(s) {
            return true;
        }
        if s.step_event().is_none() {
            break;
        }
    }
    cond(s)
}

fn is_leader(s: &Sim, id: NodeId) -> bool {
    s.is_up(id) && s.node(id).unwrap().role() == Role::Leader
}

/// Makes `id` leader, campaigning again if its first try meets a higher term.
fn elect(s: &mut Sim, id: NodeId) -> bool {
    for _ in 0..3 {
        s.timeout(id).unwrap();
        if until(s, 300_000, |s| is_leader(s, id)) {
            return true;
        }
    }
    false
}

/// Runs the script; returns the index of the entry "X" and the final simulation.
fn figure8(fault: bool) -> (Index, Sim) {
    let mut s = Sim::new(figure8_config(fault)).unwrap();
    // (a) Node 1 leads term T and replicates X to node 2 only.
    assert!(elect(&mut s, 1));
    s.advance_us(300_000);
    s.partition(&[vec![1, 2]]).unwrap();
    let (_, x) = s.propose(b"put x 1".to_vec(), Some(1)).unwrap();
    s.advance_us(300_000);
    assert_eq!(s.node(2).unwrap().last_index(), x);
    assert!(s.node(1).unwrap().commit_index() < x);
    // (b) Node 1 crashes; node 5 wins term T+1 with votes of 3 and 4, appends its no-op at
    // X's index, and is cut off before it can send it anywhere.
    s.crash(1).unwrap();
    s.partition(&[vec![2], vec![3, 4, 5]]).unwrap();
    s.timeout(5).unwrap();
    assert!(until(&mut s, 300_000, |s| is_leader(s, 5)));
    s.partition(&[vec![5]]).unwrap();
    s.advance_us(100_000);
    assert_eq!(s.node(5).unwrap().last_index(), x);
    s.crash(5).unwrap();
    // (c) Node 1 returns and wins term T+2 with 2, 3 and 4. It replicates X to 3; with
    // the fault, X now "commits" by counting replicas before the term-T+2 no-op does.
    s.restart(1).unwrap();
    s.partition(&[vec![1, 2, 3, 4]]).unwrap();
    assert!(elect(&mut s, 1));
    let committed_x = until(&mut s, 500_000, |s| s.node(1).unwrap().commit_index() >= x);
    assert!(committed_x, "node 1 commits X one way or the other");
    s.crash(1).unwrap();
    // (d) Node 5 returns and campaigns; whoever has only X (of term T) votes for it.
    s.restart(5).unwrap();
    s.partition(&[vec![2, 3, 4, 5]]).unwrap();
    elect(&mut s, 5);
    s.advance_us(500_000);
    (x, s)
}

#[test]
fn the_checker_catches_figure_8_when_old_terms_commit_by_counting() {
    let (x, s) = figure8(true);
    let v = s
        .violations()
        .iter()
        .find(|v| {
            matches!(
                v.kind,
                ViolationKind::LeaderCompleteness | ViolationKind::StateMachineSafety
            )
        })
        .unwrap_or_else(|| panic!("no violation; got {:?}", s.violations()));
    assert!(v.detail.contains(&format!("index {x}")), "{v}");
    assert!(v.nodes.contains(&5), "{v}");
}

#[test]
fn without_the_fault_the_same_script_is_safe() {
    let (_, s) = figure8(false);
    assert!(s.violations().is_empty(), "{:?}", s.violations());
}

/// Node 1 leads; node 2 wins the next term with node 1's vote while node 3 cannot hear
/// node 2; node 1 restarts at once and, if it forgot its vote, lets node 3 win that term too.
fn forgotten_vote(fault: bool) -> Sim {
    let mut s = Sim::new(SimConfig {
        nodes: 3,
        seed: 3,
        election_timeout_ms: (5_000, 10_000),
        faults: Faults {
            forget_vote_on_restart: fault,
            ..Faults::default()
        },
        trace_capacity: 10_000,
        ..SimConfig::default()
    })
    .unwrap();
    assert!(elect(&mut s, 1));
    s.advance_us(300_000);
    s.cut_link(2, 3).unwrap();
    s.cut_link(3, 2).unwrap();
    s.crash(1).unwrap();
    s.restart(1).unwrap();
    assert!(elect(&mut s, 2));
    let term = s.node(2).unwrap().term();
    assert_eq!(s.node(1).unwrap().voted_for(), Some(2));
    assert!(
        s.node(3).unwrap().term() < term,
        "node 3 missed the election"
    );
    // Node 1 restarts before node 2's first append reaches it, and node 2's messages to it
    // are lost from now on.
    s.crash(1).unwrap();
    s.restart(1).unwrap();
    s.cut_link(2, 1).unwrap();
    s.timeout(3).unwrap();
    until(&mut s, 300_000, |s| is_leader(s, 3));
    s.advance_us(100_000);
    s
}

#[test]
fn the_checker_catches_a_forgotten_vote() {
    let s = forgotten_vote(true);
    let v = s
        .violations()
        .iter()
        .find(|v| v.kind == ViolationKind::ElectionSafety)
        .unwrap_or_else(|| panic!("no violation; got {:?}", s.violations()));
    assert!(v.nodes.contains(&2) && v.nodes.contains(&3), "{v}");
}

#[test]
fn a_remembered_vote_keeps_one_leader_per_term() {
    let s = forgotten_vote(false);
    assert!(s.violations().is_empty(), "{:?}", s.violations());
    assert!(!is_leader(&s, 3), "node 3 cannot win node 2's term");
}
