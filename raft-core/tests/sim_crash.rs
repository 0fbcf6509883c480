//! Crash and restart: volatile state and in-flight messages are lost, persistent state
//! (term, vote, log, snapshot) survives, and the state machine is rebuilt.

use raft_core::sim::{NetworkConfig, Sim, SimConfig, SimError, TraceKind, WorkloadConfig};
use raft_core::Role;

mod sim_support;
use sim_support::elect;

fn sim(seed: u64) -> Sim {
    Sim::new(SimConfig {
        nodes: 5,
        seed,
        trace_capacity: 50_000,
        ..SimConfig::default()
    })
    .unwrap()
}

fn commit_all(sim: &mut Sim, n: usize) {
    for i in 0..n {
        let l = elect(sim);
        sim.propose(format!("put k{} v{i}", i % 3).into_bytes(), Some(l))
            .unwrap();
        sim.advance_us(30_000);
    }
    sim.advance_us(1_000_000);
}

#[test]
fn a_crashed_node_keeps_its_persistent_state() {
    let mut s = sim(1);
    commit_all(&mut s, 10);
    let f = s
        .node_ids()
        .into_iter()
        .find(|&n| s.node(n).unwrap().role() == Role::Follower)
        .unwrap();
    let before = s.node(f).unwrap().persistent_state();
    let commit_before = s.node(f).unwrap().commit_index();
    s.crash(f).unwrap();
    assert!(!s.is_up(f));
    assert!(s.node(f).is_some(), "a crashed node is still shown");
    assert!(
        s.in_flight().all(|m| m.msg.from != f && m.msg.to != f),
        "its messages are gone"
    );
    assert_eq!(s.election_elapsed_us(f), None);
    assert_eq!(s.crash(f), Err(SimError::NodeDown(f)));
    assert!(matches!(
        s.propose(b"x".to_vec(), Some(f)),
        Err(SimError::NodeDown(_))
    ));
    s.advance_us(2_000_000);
    assert!(s
        .trace()
        .any(|e| matches!(&e.kind, TraceKind::Drop(m, _) if m.to == f)));
    s.restart(f).unwrap();
    assert_eq!(s.restart(f), Err(SimError::NodeUp(f)));
    let after = s.node(f).unwrap();
    assert_eq!(
        after.persistent_state(),
        before,
        "term, vote and log survive"
    );
    assert!(
        after.commit_index() <= commit_before,
        "the commit index is volatile"
    );
    // It catches up and rebuilds its state machine by re-applying the log.
    s.advance_us(2_000_000);
    let l = s.leader().unwrap();
    assert_eq!(s.kv(f), s.kv(l));
    assert_eq!(
        s.node(f).unwrap().commit_index(),
        s.node(l).unwrap().commit_index()
    );
    assert!(s.violations().is_empty(), "{:?}", s.violations());
}

#[test]
fn the_whole_cluster_crashes_and_restarts_without_losing_committed_entries() {
    let mut s = sim(2);
    commit_all(&mut s, 12);
    let l = s.leader().unwrap();
    let committed = s.node(l).unwrap().commit_index();
    let kv = s.kv(l).unwrap().clone();
    for id in s.node_ids() {
        s.crash(id).unwrap();
    }
    assert_eq!(s.leader(), None);
    assert_eq!(s.in_flight().count(), 0);
    s.advance_us(1_000_000);
    for id in s.node_ids() {
        s.restart(id).unwrap();
    }
    let l = elect(&mut s);
    s.advance_us(1_000_000);
    assert!(
        s.node(l).unwrap().commit_index() > committed,
        "the new leader's no-op commits"
    );
    for id in s.node_ids() {
        let kv_now = s.kv(id).unwrap();
        for (k, v) in kv.iter() {
            assert_eq!(kv_now.get(k), Some(v), "node {id} key {k}");
        }
    }
    assert!(s.violations().is_empty(), "{:?}", s.violations());
}

#[test]
fn restart_rebuilds_the_state_machine_from_a_snapshot() {
    let mut s = Sim::new(SimConfig {
        nodes: 3,
        seed: 3,
        snapshot_threshold: Some(5),
        ..SimConfig::default()
    })
    .unwrap();
    commit_all(&mut s, 20);
    let l = s.leader().unwrap();
    let f = s.node_ids().into_iter().find(|&n| n != l).unwrap();
    assert!(
        s.node(f).unwrap().first_index() > 1,
        "the log was compacted"
    );
    assert!(s.stats().compactions > 0);
    s.crash(f).unwrap();
    s.restart(f).unwrap();
    let snap = s.node(f).unwrap().snapshot().last_index;
    assert!(snap > 0);
    assert!(
        s.kv(f).unwrap().applied_index() >= snap,
        "restored from the snapshot at once"
    );
    s.advance_us(2_000_000);
    assert_eq!(s.kv(f), s.kv(l));
    assert!(s.violations().is_empty(), "{:?}", s.violations());
}

#[test]
fn a_lagging_node_catches_up_through_a_snapshot() {
    let mut s = Sim::new(SimConfig {
        nodes: 3,
        seed: 4,
        snapshot_threshold: Some(4),
        trace_capacity: 100_000,
        ..SimConfig::default()
    })
    .unwrap();
    let l = elect(&mut s);
    let f = s.node_ids().into_iter().find(|&n| n != l).unwrap();
    s.crash(f).unwrap();
    commit_all(&mut s, 20);
    s.restart(f).unwrap();
    s.advance_us(2_000_000);
    assert!(s
        .trace()
        .any(|e| matches!(e.kind, TraceKind::SnapshotInstalled { .. }) && e.nodes == vec![f]));
    let l = s.leader().unwrap();
    assert_eq!(s.kv(f), s.kv(l));
    assert!(s.violations().is_empty(), "{:?}", s.violations());
}

#[test]
fn a_forced_timeout_starts_an_election() {
    let mut s = Sim::new(SimConfig {
        nodes: 3,
        seed: 5,
        pre_vote: false,
        trace_capacity: 10_000,
        ..SimConfig::default()
    })
    .unwrap();
    let l = elect(&mut s);
    let term = s.node(l).unwrap().term();
    let f = s.node_ids().into_iter().find(|&n| n != l).unwrap();
    s.timeout(f).unwrap();
    assert_eq!(s.node(f).unwrap().role(), Role::Candidate);
    assert_eq!(s.node(f).unwrap().term(), term + 1);
    let e = s
        .trace()
        .filter(|e| {
            matches!(
                e.kind,
                TraceKind::RoleChange {
                    to: Role::Candidate,
                    ..
                }
            )
        })
        .last()
        .unwrap();
    assert_eq!(
        e.describe(),
        format!("node {f} timed out, starts election for term {}", term + 1)
    );
    s.advance_us(2_000_000);
    assert!(s.leader().is_some());
    assert!(s.violations().is_empty());
}

#[test]
fn clients_survive_leader_crashes_and_stay_linearizable() {
    let mut s = Sim::new(SimConfig {
        nodes: 5,
        seed: 6,
        workload: Some(WorkloadConfig::default()),
        network: NetworkConfig {
            loss_ratio: 0.02,
            ..NetworkConfig::default()
        },
        ..SimConfig::default()
    })
    .unwrap();
    for _ in 0..5 {
        let l = elect(&mut s);
        s.advance_us(1_000_000);
        s.crash(l).unwrap();
        s.advance_us(1_000_000);
        s.restart(l).unwrap();
    }
    s.advance_us(3_000_000);
    let st = s.stats();
    assert!(st.client_ops_completed > 100, "{st:?}");
    assert!(s.history().iter().any(|h| h.completion.is_some()));
    assert!(s.violations().is_empty(), "{:?}", s.violations());
    assert_eq!(
        s.check_linearizability(),
        raft_core::sim::Linearizability::Linearizable
    );
}
