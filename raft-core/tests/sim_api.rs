//! The simulator's public API as the playground uses it: options, errors, proposals,
//! membership changes, leadership transfer, compaction and timers.

use raft_core::sim::{
    Denial, Mismatch, NetworkConfig, Overwrite, Refusal, RoleCause, Sim, SimConfig, SimError,
    TraceKind, Violation, WorkloadConfig,
};
use raft_core::Role;

mod sim_support;
use sim_support::elect;

fn sim(nodes: u64, seed: u64) -> Sim {
    Sim::new(SimConfig {
        nodes,
        seed,
        trace_capacity: 20_000,
        ..SimConfig::default()
    })
    .unwrap()
}

fn no_violations(v: &[Violation]) {
    assert!(
        v.is_empty(),
        "{}",
        v.iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn invalid_options_name_the_option() {
    let bad = |f: &dyn Fn(&mut SimConfig)| {
        let mut c = SimConfig::default();
        f(&mut c);
        Sim::new(c).unwrap_err().to_string()
    };
    assert!(bad(&|c| c.nodes = 0).starts_with("nodes "));
    assert!(bad(&|c| c.nodes = 1000).starts_with("nodes "));
    assert!(bad(&|c| c.election_timeout_ms = (300, 150)).starts_with("electionTimeoutMs "));
    assert!(bad(&|c| c.heartbeat_ms = 500).starts_with("heartbeatMs "));
    assert!(bad(&|c| c.tick_ms = 0).starts_with("tickMs "));
    assert_eq!(
        bad(&|c| c.network.loss_ratio = -0.1),
        "lossRatio must be between 0 and 1 (got -0.1)"
    );
    assert!(bad(&|c| c.network.latency_ms = (f64::INFINITY, 1.0)).starts_with("latencyMs "));
    assert!(bad(&|c| c.workload = Some(WorkloadConfig {
        clients: 0,
        ..WorkloadConfig::default()
    }))
    .starts_with("workload "));
    assert!(SimConfig::default().validate().is_ok());
}

#[test]
fn unknown_nodes_are_errors_not_panics() {
    let mut s = sim(5, 1);
    let e = s.crash(7).unwrap_err();
    assert_eq!(e.to_string(), "node 7 does not exist (ids are 1..5)");
    assert!(s.restart(0).is_err());
    assert!(s.timeout(6).is_err());
    assert!(s.cut_link(1, 9).is_err());
    assert!(s.propose(b"x".to_vec(), Some(99)).is_err());
    assert!(s.remove_node(42).is_err());
    assert!(s.transfer_leader(42).is_err());
    assert!(s.compact(42).is_err());
    assert!(s.node(7).is_none());
    assert!(!s.is_up(7));
    assert_eq!(s.election_timeout_us(7), None);
}

#[test]
fn proposals_need_a_leader() {
    let mut s = sim(5, 2);
    assert_eq!(s.propose(b"x".to_vec(), None), Err(SimError::NoLeader));
    let l = elect(&mut s);
    let f = s.node_ids().into_iter().find(|&n| n != l).unwrap();
    s.advance_us(200_000);
    match s.propose(b"x".to_vec(), Some(f)) {
        Err(SimError::NotLeader { node, leader }) => {
            assert_eq!(node, f);
            assert_eq!(leader, Some(l));
        }
        other => panic!("{other:?}"),
    }
    let err = s.propose(b"x".to_vec(), Some(f)).unwrap_err().to_string();
    assert_eq!(err, format!("node {f} is not the leader (node {l} is)"));
    let (leader, index) = s.propose(b"put a 1".to_vec(), None).unwrap();
    assert_eq!(leader, l);
    s.advance_us(500_000);
    for id in s.node_ids() {
        assert!(s.node(id).unwrap().commit_index() >= index);
        assert_eq!(s.kv(id).unwrap().get("a"), Some("1"));
    }
    assert!(s
        .trace()
        .any(|e| matches!(&e.kind, TraceKind::Propose { command, .. } if command == "put a 1")));
    no_violations(s.violations());
}

#[test]
fn timers_are_visible_in_microseconds() {
    let mut s = sim(3, 3);
    s.advance_us(55_500);
    for id in s.node_ids() {
        let elapsed = s.election_elapsed_us(id).unwrap();
        let timeout = s.election_timeout_us(id).unwrap();
        assert!((150_000..300_000).contains(&timeout), "{timeout}");
        assert!(elapsed <= 55_500, "{elapsed}");
        assert!(elapsed >= 40_000, "{elapsed}");
    }
}

#[test]
fn an_election_timer_set_from_outside_decides_who_campaigns_first() {
    let mut s = sim(5, 8);
    s.advance_us(33_300); // between two ticks: the timer counts from the node's last one
    let fires_in = s.set_election_timer(4, 20).unwrap();
    assert!((20..30).contains(&fires_in), "{fires_in}");
    let left = s.election_timeout_us(4).unwrap() - s.election_elapsed_us(4).unwrap();
    assert!(left.abs_diff(fires_in * 1000) < 1000, "{left} µs left");
    let set_at = s.now_us();
    while s.node(4).unwrap().role() == Role::Follower {
        s.advance_us(1_000);
    }
    let fired = (s.now_us() - set_at) / 1000;
    assert!(fired.abs_diff(fires_in) <= 1, "fired after {fired} ms");
    for id in [1, 2, 3, 5] {
        assert_eq!(s.node(id).unwrap().role(), Role::Follower, "node {id}");
    }
    s.advance_us(150_000);
    assert_eq!(s.leader(), Some(4));
    assert!(s
        .trace()
        .any(|e| e.kind == TraceKind::TimerSet { ms: fires_in }
            && e.describe() == format!("node 4's election timer was set to {fires_in} ms")));

    let e = s.set_election_timer(4, 10).unwrap_err();
    assert_eq!(e, SimError::IsLeader(4));
    assert_eq!(
        e.to_string(),
        "node 4 is the leader: a leader has no election timer"
    );
    s.crash(2).unwrap();
    assert_eq!(s.set_election_timer(2, 10), Err(SimError::NodeDown(2)));
    assert!(s.set_election_timer(9, 10).is_err());
    // Zero: the follower's next tick. It campaigns against a live leader; PreVote (on by
    // default) keeps that from disrupting the cluster.
    assert!(s.set_election_timer(1, 0).unwrap() < 10);
    s.advance_us(100_000);
    assert_eq!(s.leader(), Some(4));
    no_violations(s.violations());
}

#[test]
fn nodes_join_and_leave_through_membership_changes() {
    let mut s = sim(3, 4);
    let l = elect(&mut s);
    s.advance_us(300_000);
    let new = s.add_node().unwrap();
    assert_eq!(new, 4);
    s.advance_us(1_000_000);
    assert_eq!(s.node_ids(), vec![1, 2, 3, 4]);
    let leader = s.leader().unwrap();
    assert_eq!(s.node(leader).unwrap().voters(), &[1, 2, 3, 4]);
    s.propose(b"put joined yes".to_vec(), None).unwrap();
    s.advance_us(500_000);
    assert_eq!(s.kv(new).unwrap().get("joined"), Some("yes"));

    let gone = s
        .node_ids()
        .into_iter()
        .find(|&n| n != l && n != new)
        .unwrap();
    s.remove_node(gone).unwrap();
    s.advance_us(1_000_000);
    assert!(!s.node_ids().contains(&gone));
    assert!(s.is_removed(gone));
    let leader = s.leader().unwrap();
    assert!(!s.node(leader).unwrap().voters().contains(&gone));
    s.propose(b"put after removal 1".to_vec(), None).ok();
    s.advance_us(500_000);
    no_violations(s.violations());
}

#[test]
fn leadership_moves_on_request() {
    let mut s = sim(5, 5);
    let l = elect(&mut s);
    s.advance_us(300_000);
    let to = s.node_ids().into_iter().find(|&n| n != l).unwrap();
    s.transfer_leader(to).unwrap();
    s.advance_us(1_000_000);
    assert_eq!(s.leader(), Some(to));
    assert_eq!(s.node(l).unwrap().role(), Role::Follower);
    no_violations(s.violations());
}

#[test]
fn compaction_on_request() {
    let mut s = sim(3, 6);
    let l = elect(&mut s);
    for i in 0..10 {
        s.propose(format!("put k {i}").into_bytes(), Some(l))
            .unwrap();
    }
    s.advance_us(500_000);
    let index = s.compact(l).unwrap();
    assert!(index >= 10);
    assert_eq!(s.node(l).unwrap().first_index(), index + 1);
    assert_eq!(s.node(l).unwrap().snapshot().last_index, index);
    no_violations(s.violations());
}

#[test]
fn the_trace_is_bounded_and_in_plain_words() {
    let mut s = Sim::new(SimConfig {
        nodes: 5,
        seed: 7,
        trace_capacity: 100,
        ..SimConfig::default()
    })
    .unwrap();
    s.advance_us(3_000_000);
    assert_eq!(s.trace().count(), 100);
    let seqs: Vec<u64> = s.trace().map(|e| e.seq).collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1));
    assert_eq!(*seqs.last().unwrap() + 1, s.trace_next_seq());
    for e in s.trace() {
        assert!(!e.describe().is_empty());
        assert!(!e.describe().contains("Some("), "{}", e.describe());
    }
}

#[test]
fn network_changes_apply_to_new_messages() {
    let mut s = sim(3, 8);
    elect(&mut s);
    s.set_network(NetworkConfig {
        latency_ms: (100.0, 100.0),
        ..NetworkConfig::default()
    })
    .unwrap();
    let now = s.now_us();
    s.advance_us(200_000);
    for m in s.in_flight().filter(|m| m.sent_us > now) {
        assert_eq!(m.deliver_us - m.sent_us, 100_000);
    }
    assert_eq!(s.config().network.latency_ms, (100.0, 100.0));
}

#[test]
fn removing_the_leader_stops_it_and_the_rest_elect_another() {
    let mut s = sim(5, 9);
    let l = elect(&mut s);
    s.advance_us(300_000);
    s.remove_node(l).unwrap();
    s.advance_us(3_000_000);
    assert!(s.is_removed(l));
    assert!(!s.is_up(l));
    assert!(!s.node_ids().contains(&l));
    let new = s.leader().expect("the remaining four elect a leader");
    assert_ne!(new, l);
    assert_eq!(s.node(new).unwrap().voters().len(), 4);
    assert!(
        s.in_flight().all(|m| m.msg.from != l),
        "a removed node sends nothing"
    );
    s.propose(b"put after 1".to_vec(), None).unwrap();
    s.advance_us(500_000);
    for id in s.node_ids() {
        assert_eq!(s.kv(id).unwrap().get("after"), Some("1"), "node {id}");
    }
    no_violations(s.violations());
}

/// The refused votes in the trace from event `since` on: (voter, candidate, the voter's
/// term, why).
fn denials(s: &Sim, since: u64) -> Vec<(u64, u64, u64, Denial)> {
    s.trace_since(since)
        .filter_map(|e| match &e.kind {
            TraceKind::Send(m) if m.kind == "RequestVoteResponse" && m.ok == Some(false) => {
                match m.refused {
                    Some(Refusal::Vote(d)) => Some((m.from, m.to, m.term, d)),
                    other => panic!("a refused vote says why: {other:?}"),
                }
            }
            _ => None,
        })
        .collect()
}

/// Five nodes, no PreVote, `loss_ratio` of messages lost; nodes 1 and 2 stand for term 1
/// at once.
fn split_vote(seed: u64, loss_ratio: f64) -> Sim {
    let mut s = Sim::new(SimConfig {
        nodes: 5,
        seed,
        pre_vote: false,
        network: NetworkConfig {
            loss_ratio,
            ..NetworkConfig::default()
        },
        trace_capacity: 20_000,
        ..SimConfig::default()
    })
    .unwrap();
    s.timeout(1).unwrap();
    s.timeout(2).unwrap();
    s
}

#[test]
fn a_refused_vote_says_it_had_voted_for_another() {
    // Two candidates at once: each voter grants the first request of the term and refuses
    // the second, and each candidate refuses the other, having voted for itself.
    let mut found = 0;
    for seed in 1..=10 {
        let mut s = split_vote(seed, 0.0);
        s.advance_us(400_000);
        let granted: Vec<(u64, u64, u64)> = s
            .trace()
            .filter_map(|e| match &e.kind {
                TraceKind::Send(m) if m.kind == "RequestVoteResponse" && m.ok == Some(true) => {
                    Some((m.from, m.to, m.term))
                }
                _ => None,
            })
            .collect();
        for (voter, candidate, term, why) in denials(&s, 0) {
            let Some(v) = why.voted_for else { continue };
            found += 1;
            assert_ne!(v, candidate);
            assert!(!why.stale_term && !why.log_behind, "{why:?}");
            // Its vote of that term went to `v`: granted in the trace, or its own.
            assert!(
                v == voter || granted.contains(&(voter, v, term)),
                "seed {seed}: node {voter} refused {candidate} in term {term} for {v}"
            );
            let words = if v == voter {
                "it voted for itself in this term".to_string()
            } else {
                format!("it voted for node {v} in this term")
            };
            assert_eq!(why.words(voter, candidate), words);
        }
    }
    assert!(found >= 10, "{found} refusals for a vote already cast");
}

/// One node of three is cut off while the others commit entries; alone, it campaigns again
/// and again (no PreVote, no CheckQuorum), so when the network heals it comes back in a
/// higher term with a shorter log. Returns the run after the heal, the leader before it, the
/// lone node, the others and the trace sequence number of the heal.
fn lone_node_comes_back() -> (Sim, u64, u64, Vec<u64>, u64) {
    let mut s = Sim::new(SimConfig {
        nodes: 3,
        seed: 4,
        pre_vote: false,
        check_quorum: false,
        trace_capacity: 50_000,
        ..SimConfig::default()
    })
    .unwrap();
    let leader = elect(&mut s);
    let lone = if leader == 3 { 1 } else { 3 };
    let rest: Vec<u64> = (1..=3).filter(|&n| n != lone).collect();
    s.partition(&[rest.clone(), vec![lone]]).unwrap();
    for i in 0..3 {
        s.propose(format!("x={i}").into_bytes(), None).unwrap();
        s.advance_us(100_000);
    }
    s.advance_us(1_000_000);
    let seq = s.trace_next_seq();
    s.heal();
    s.advance_us(1_000_000);
    (s, leader, lone, rest, seq)
}

#[test]
fn a_refused_vote_says_the_candidate_log_is_behind() {
    // The lone node's requests make the others take its term, and they refuse it for its
    // log (§5.4.1).
    let (s, _, lone, rest, seq) = lone_node_comes_back();
    let behind: Vec<_> = denials(&s, seq)
        .into_iter()
        .filter(|&(_, candidate, _, _)| candidate == lone)
        .collect();
    assert!(!behind.is_empty(), "node {lone}'s requests were refused");
    for &(voter, _, _, why) in &behind {
        assert!(rest.contains(&voter));
        assert!(
            why.log_behind && why.voted_for.is_none() && !why.stale_term,
            "{why:?}"
        );
        assert_eq!(
            why.words(voter, lone),
            format!("node {lone}'s log is less up to date than its own")
        );
    }
    // And the words reach the trace's text.
    assert!(s.trace_since(seq).any(|e| e.describe().ends_with(&format!(
        "node {lone}'s log is less up to date than its own"
    ))));
}

#[test]
fn a_refused_append_says_where_the_logs_part() {
    // The "repairing logs" tour: one follower crashes and misses entries; the leader, cut
    // off, takes four requests it cannot commit; the rest elect a new leader, commit seven
    // entries, and hand over to a third leader, which starts with nextIndex just past its
    // own log. When the crashed follower is back and the network heals, the consistency
    // check (5.3) fails at both: one has no entry there, the other an entry from the old
    // leader's term. Without the fast backtracking hint, nextIndex backs off one entry per
    // refusal.
    let mut s = Sim::new(SimConfig {
        nodes: 5,
        seed: 505,
        pre_vote: false,
        check_quorum: false,
        fast_backtrack: false,
        trace_capacity: 50_000,
        ..SimConfig::default()
    })
    .unwrap();
    let old = elect(&mut s);
    let old_term = s.node(old).unwrap().term();
    let rest: Vec<u64> = (1..=5).filter(|&n| n != old).collect();
    let missed = rest[0];
    s.crash(missed).unwrap();
    s.partition(&[vec![old], rest.clone()]).unwrap();
    for c in ["p", "q", "r", "s"] {
        s.propose(c.as_bytes().to_vec(), Some(old)).unwrap();
    }
    let fresh = (0..50)
        .find_map(|_| {
            s.advance_us(100_000);
            s.leader().filter(|&l| l != old)
        })
        .expect("the others elect a leader");
    for c in ["t", "u", "v", "w", "x", "y", "z"] {
        s.propose(c.as_bytes().to_vec(), Some(fresh)).unwrap();
    }
    s.advance_us(500_000);
    let third = *rest.iter().find(|&&n| n != missed && n != fresh).unwrap();
    s.timeout(third).unwrap();
    s.advance_us(500_000);
    assert_eq!(s.leader(), Some(third));
    let seq = s.trace_next_seq();
    s.restart(missed).unwrap();
    s.heal();
    s.advance_us(2_000_000);
    let mut by: std::collections::BTreeMap<u64, Vec<Mismatch>> = Default::default();
    for e in s.trace_since(seq) {
        if let TraceKind::Send(m) = &e.kind {
            if m.kind == "AppendEntriesResponse" && m.ok == Some(false) && m.to == third {
                match m.refused {
                    Some(Refusal::Append(x)) => by.entry(m.from).or_default().push(x),
                    other => panic!("a refused append says why: {other:?}"),
                }
            }
        }
    }
    // The follower that missed entries: its log ends before each entry asked about, and
    // the leader backs off until it asks about the follower's last entry.
    let gaps = &by[&missed];
    assert!(gaps.len() >= 2, "{by:?}");
    let mut lowest = u64::MAX;
    for why in gaps {
        let &Mismatch::Missing {
            index,
            last,
            overtaken,
        } = why
        else {
            panic!("{why:?}")
        };
        assert!(index > last);
        lowest = lowest.min(index);
        // A probe may overtake a later one that carries the missing entries.
        let more = if overtaken {
            "; the entries between are still on their way"
        } else {
            ""
        };
        assert_eq!(
            why.words(third),
            format!("it has no entry at index {index} (its log ends at {last}{more})")
        );
    }
    assert!(
        gaps.iter().any(|w| matches!(
            w,
            Mismatch::Missing {
                overtaken: false,
                ..
            }
        )),
        "{gaps:?}"
    );
    let Mismatch::Missing { last, .. } = gaps[0] else {
        unreachable!()
    };
    assert_eq!(lowest, last + 1, "{gaps:?}");
    // The old leader: past its log first, then at its own entries from the old term.
    let old_refusals = &by[&old];
    let conflicts: Vec<_> = old_refusals
        .iter()
        .filter_map(|why| match *why {
            Mismatch::Conflict { index, has, wanted } => Some((index, has, wanted)),
            _ => None,
        })
        .collect();
    assert!(!conflicts.is_empty(), "{old_refusals:?}");
    for &(index, has, wanted) in &conflicts {
        assert_eq!(has, Some(old_term));
        assert!(wanted > old_term);
        assert_eq!(
            Mismatch::Conflict { index, has, wanted }.words(third),
            format!("its entry at index {index} is from term {old_term}, not {wanted}")
        );
    }
    // The repair went through: every log ends where the leader's does.
    let end = s.node(third).unwrap().last_index();
    for id in 1..=5 {
        assert_eq!(s.node(id).unwrap().last_index(), end, "node {id}");
    }
}

/// The step-downs in the trace from event `since` on: (node, was, term, cause).
fn step_downs(s: &Sim, since: u64) -> Vec<(u64, Role, u64, Option<RoleCause>)> {
    s.trace_since(since)
        .filter_map(|e| match e.kind {
            TraceKind::RoleChange {
                from,
                to: Role::Follower,
                term,
                cause,
            } => Some((e.nodes[0], from, term, cause)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_leader_cut_off_steps_down_for_check_quorum_and_says_so() {
    let mut s = sim(3, 4);
    let old = elect(&mut s);
    let rest: Vec<u64> = (1..=3).filter(|&n| n != old).collect();
    let seq = s.trace_next_seq();
    s.partition(&[vec![old], rest]).unwrap();
    s.advance_us(1_000_000);
    let downs = step_downs(&s, seq);
    let term = s.node(old).unwrap().term();
    assert!(
        downs.contains(&(old, Role::Leader, term, Some(RoleCause::LostQuorum))),
        "{downs:?}"
    );
    assert!(s.trace_since(seq).any(|e| e.describe()
        == format!(
            "node {old} stepped down as leader (term {term}): it heard from no majority for an election timeout (CheckQuorum)"
        )));
}

#[test]
fn a_step_down_names_the_server_with_the_later_term_or_the_refusals() {
    // The leader steps down for the lone node's later term; the lone node, refused by all,
    // gives up its candidacy.
    let (s, leader, lone, _, seq) = lone_node_comes_back();
    let downs = step_downs(&s, seq);
    assert!(
        downs.iter().any(|d| d.0 == leader
            && d.1 == Role::Leader
            && d.3 == Some(RoleCause::HigherTerm(lone))),
        "{downs:?}"
    );
    assert!(
        downs
            .iter()
            .any(|d| d.0 == lone && d.1 == Role::Candidate && d.3 == Some(RoleCause::VotesRefused)),
        "{downs:?}"
    );
}

#[test]
fn a_leader_removed_from_the_configuration_says_so_as_it_steps_down() {
    let mut s = sim(5, 6);
    let old = elect(&mut s);
    let seq = s.trace_next_seq();
    s.remove_node(old).unwrap();
    s.advance_us(500_000);
    let downs = step_downs(&s, seq);
    let term = s.node(old).unwrap().term();
    assert_eq!(
        downs[0],
        (old, Role::Leader, term, Some(RoleCause::Removed)),
        "{downs:?}"
    );
    assert!(s.trace_since(seq).any(|e| e.describe()
        == format!(
            "node {old} stepped down as leader (term {term}): the configuration that removes it is committed"
        )));
    // The rest elect a leader; no one else's step-down is put down to a removal.
    assert!(
        downs[1..].iter().all(|d| d.3 != Some(RoleCause::Removed)),
        "{downs:?}"
    );
}

#[test]
fn a_transfer_target_says_whose_timeout_now_made_it_stand() {
    let mut s = sim(5, 7);
    let old = elect(&mut s);
    let target = (1..=5).find(|&n| n != old).unwrap();
    let seq = s.trace_next_seq();
    s.transfer_leader(target).unwrap();
    s.advance_us(500_000);
    assert_eq!(s.leader(), Some(target));
    let term = s.node(target).unwrap().term();
    let stood: Vec<_> = s
        .trace_since(seq)
        .filter(|e| {
            matches!(
                e.kind,
                TraceKind::RoleChange {
                    to: Role::Candidate,
                    ..
                }
            )
        })
        .map(|e| (e.nodes[0], e.describe()))
        .collect();
    assert_eq!(
        stood,
        vec![(
            target,
            format!(
                "node {target} starts election for term {term} without waiting to time out: leader {old} hands its leadership over (TimeoutNow)"
            )
        )]
    );
    // A timeout is still told as one.
    let seq = s.trace_next_seq();
    let other = (1..=5).find(|&n| n != target).unwrap();
    s.timeout(other).unwrap();
    s.advance_us(1_000);
    assert!(
        s.trace_since(seq)
            .any(|e| e.describe().starts_with(&format!("node {other} timed out"))),
        "{:?}",
        s.trace_since(seq).map(|e| e.describe()).collect::<Vec<_>>()
    );
}

#[test]
fn a_follower_that_deletes_conflicting_entries_says_which() {
    // A leader cut off alone takes two requests it cannot commit; the others elect a new
    // leader, whose first entry of its term goes where the old leader's first request is.
    let mut s = sim(3, 5);
    let old = elect(&mut s);
    let rest: Vec<u64> = (1..=3).filter(|&n| n != old).collect();
    s.partition(&[vec![old], rest.clone()]).unwrap();
    for c in ["p", "q"] {
        s.propose(c.as_bytes().to_vec(), Some(old)).unwrap();
    }
    let (had, last) = {
        let n = s.node(old).unwrap();
        (n.term(), n.last_index())
    };
    s.advance_us(2_000_000);
    let new = s.leader().unwrap();
    assert!(rest.contains(&new));
    let wanted = s.node(new).unwrap().term();
    let seq = s.trace_next_seq();
    s.heal();
    s.advance_us(1_000_000);
    let deleted: Vec<(u64, Overwrite)> = s
        .trace_since(seq)
        .filter_map(|e| match e.kind {
            TraceKind::Overwrite(o) => Some((e.nodes[0], o)),
            _ => None,
        })
        .collect();
    assert_eq!(
        deleted,
        vec![(
            old,
            Overwrite {
                leader: new,
                from: last - 1,
                to: last,
                had,
                wanted
            }
        )]
    );
    assert!(s.trace_since(seq).any(|e| e.describe()
        == format!(
            "node {old} deleted its entries {} to {last} and took leader {new}'s instead: its entry at index {} is from term {had}, the leader's from term {wanted}",
            last - 1,
            last - 1
        )));
    // Its log is the leader's now.
    let terms = |id| {
        let n = s.node(id).unwrap();
        (1..=n.last_index())
            .map(|i| n.term_at(i))
            .collect::<Vec<_>>()
    };
    assert_eq!(terms(old), terms(new));
    // Appends that agree with a follower's log delete nothing: none did before the heal.
    assert!(!s
        .trace_since(0)
        .any(|e| e.seq < seq && matches!(e.kind, TraceKind::Overwrite(_))));
}

#[test]
fn a_losing_candidate_names_the_winner() {
    let mut found = 0;
    for seed in 1..=10 {
        // With messages lost, a candidate may hear from the winner before it has heard
        // a majority refuse it.
        let mut s = split_vote(seed, 0.3);
        s.advance_us(2_000_000);
        for (node, was, term, cause) in step_downs(&s, 0) {
            if let Some(RoleCause::LeaderFound(l)) = cause {
                found += 1;
                assert_eq!(was, Role::Candidate);
                assert_ne!(l, node);
                // `l` won that term: it became its leader.
                assert!(s.trace().any(|e| matches!(e.kind,
                    TraceKind::RoleChange { to: Role::Leader, term: t, .. } if t == term)
                    && e.nodes == [l]));
            }
        }
    }
    assert!(found >= 3, "{found} candidates conceded to a leader");
}

#[test]
fn a_refused_append_overtaken_on_the_way_says_so() {
    // Requests every 5 ms, with 10-30 ms of latency: pipelined appends arrive out of order,
    // and a follower refuses the one that overtook the entries it follows.
    let mut s = sim(5, 3);
    let leader = elect(&mut s);
    let seq = s.trace_next_seq();
    for i in 0..400 {
        s.propose(format!("x{i}").into_bytes(), Some(leader))
            .unwrap();
        s.advance_us(5_000);
    }
    // No log diverges here: every refusal is for entries the follower has not yet got,
    // some of them still on their way (others arrived too early and were refused too).
    let mut overtaken = 0;
    for e in s.trace_since(seq) {
        if let TraceKind::Send(m) = &e.kind {
            if let Some(Refusal::Append(why)) = m.refused {
                let Mismatch::Missing { overtaken: o, .. } = why else {
                    panic!("no divergence here, only reordering: {why:?}")
                };
                overtaken += usize::from(o);
            }
        }
    }
    assert!(overtaken > 0);
    no_violations(s.violations());
}
