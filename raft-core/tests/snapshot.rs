//! Log compaction and InstallSnapshot (§7).

mod harness;

use harness::*;
use raft_core::{Error, MessageKind, Role, Snapshot};

/// A three-node cluster led by 1 with `n` committed commands, applied everywhere.
fn busy_cluster(n: usize) -> Network {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    for i in 0..n {
        net.propose(1, format!("cmd{i}").as_bytes()).unwrap();
    }
    net.heartbeats(1, 1);
    net
}

// Scenario from etcd storage_test.go TestStorageCompact / raft-rs storage
// test_storage_compact, §7: compacting the applied prefix replaces it by a
// snapshot that remembers the last index and term it covers and the voters.
#[test]
fn compaction_replaces_the_applied_prefix() {
    let mut net = busy_cluster(10);
    let l = net.node_mut(1);
    assert_eq!(l.applied_index(), 11);
    l.compact(8, b"state@8".to_vec()).unwrap();
    assert_eq!(l.first_index(), 9);
    assert_eq!(l.last_index(), 11);
    assert_eq!(l.entries()[0].index, 9);
    assert_eq!(l.entries().len(), 3);
    let s = l.snapshot();
    assert_eq!(s.last_index, 8);
    assert_eq!(s.last_term, 1);
    assert_eq!(s.voters, vec![1, 2, 3]);
    assert_eq!(s.data, b"state@8".to_vec());
    assert_eq!(
        l.term_at(8),
        Some(1),
        "the snapshot's last term is still known"
    );
    assert_eq!(l.term_at(7), None, "compacted away");
    // The snapshot is part of the persistent state.
    let p = l.persistent_state();
    assert_eq!(p.snapshot.last_index, 8);
    assert_eq!(p.entries.first().map(|e| e.index), Some(9));
}

// Scenario from etcd storage_test.go TestStorageCompact (ErrCompacted, ErrUnavailable) and
// raft-rs test_storage_compact, §7: only applied, not yet compacted entries can be compacted.
#[test]
fn compaction_of_unapplied_or_compacted_entries_is_an_error() {
    let mut net = busy_cluster(5);
    let l = net.node_mut(1);
    let applied = l.applied_index();
    assert!(matches!(
        l.compact(applied + 1, Vec::new()),
        Err(Error::Compaction { .. })
    ));
    l.compact(4, Vec::new()).unwrap();
    assert!(matches!(
        l.compact(3, Vec::new()),
        Err(Error::Compaction { .. })
    ));
    assert_eq!(l.first_index(), 5, "a failed compaction changes nothing");
}

// Scenario from etcd raft_test.go TestSlowNodeRestore (raft-rs test_slow_node_restore,
// TinyKV 2C TestProvideSnap2C), §7: a follower so far behind that the leader compacted the
// entries it needs is caught up by InstallSnapshot, then by ordinary appends.
#[test]
fn slow_follower_caught_up_by_snapshot() {
    let mut net = busy_cluster(0);
    net.isolate(3);
    for i in 0..20 {
        net.propose(1, format!("while away {i}").as_bytes())
            .unwrap();
    }
    let applied = net.node(1).applied_index();
    net.node_mut(1).compact(applied, b"image".to_vec()).unwrap();
    assert!(net.node(1).first_index() > net.node(3).last_index() + 1);
    net.recover();
    net.heartbeats(1, 3);
    assert_eq!(net.delivered("InstallSnapshot").len(), 1);
    assert_eq!(net.restored[&3].len(), 1);
    assert_eq!(net.restored[&3][0].last_index, applied);
    assert_eq!(net.restored[&3][0].data, b"image".to_vec());
    let f = net.node(3);
    assert_eq!(f.first_index(), applied + 1);
    assert_eq!(f.commit_index(), net.node(1).commit_index());
    assert_eq!(f.applied_index(), applied);
    // Entries after the snapshot flow the ordinary way.
    net.propose(1, b"after").unwrap();
    net.heartbeats(1, 1);
    assert_eq!(net.node(3).commit_index(), net.node(1).commit_index());
    assert_eq!(
        net.applied_commands(3).last().cloned(),
        Some(b"after".to_vec())
    );
    assert_eq!(net.node(3).entries(), net.node(1).entries());
}

// Scenario from etcd raft_test.go TestRestore and TestRestoreFromSnapMsg (raft-rs
// test_restore, TinyKV 2C TestRestoreSnapshot2C), §7: a follower that receives a snapshot
// past its log discards its log, adopts the snapshot, and commits up to it.
#[test]
fn follower_installs_a_snapshot_from_the_leader() {
    let snap = Snapshot {
        last_index: 11,
        last_term: 11,
        voters: vec![1, 2, 3],
        data: b"image".to_vec(),
    };
    let mut f = node_with_log(1, &[1, 2, 3], 1, &[1, 1]);
    f.step(msg(
        2,
        1,
        11,
        MessageKind::InstallSnapshot {
            snapshot: snap.clone(),
        },
    ))
    .unwrap();
    assert_eq!(f.role(), Role::Follower);
    assert_eq!(f.term(), 11);
    assert_eq!(f.leader_id(), Some(2));
    assert_eq!(f.first_index(), 12);
    assert_eq!(f.last_index(), 11);
    assert_eq!(f.term_at(11), Some(11));
    assert!(f.entries().is_empty());
    assert_eq!(f.commit_index(), 11);
    assert_eq!(f.voters(), &[1, 2, 3]);
    assert_eq!(f.take_snapshot(), Some(snap));
    assert!(
        f.take_committed().is_empty(),
        "the snapshot covers all of it"
    );
    assert_eq!(f.applied_index(), 11);
    let out = f.take_messages();
    assert_eq!(out.len(), 1);
    assert_eq!(
        out[0].kind,
        MessageKind::InstallSnapshotResponse { last_index: 11 }
    );
}

// Scenario from etcd raft_test.go TestRestoreIgnoreSnapshot (raft-rs
// test_restore_ignore_snapshot), §7: a snapshot that is older than what the follower has
// committed is ignored.
#[test]
fn stale_snapshot_is_ignored() {
    let mut f = node_with_log(1, &[1, 2, 3], 1, &[1, 1, 1]);
    follow(&mut f, 2, 1);
    f.step(heartbeat(2, 1, 1, 3, 1, 2)).unwrap();
    assert_eq!(f.commit_index(), 2);
    let before = f.entries().to_vec();
    f.step(msg(
        2,
        1,
        1,
        MessageKind::InstallSnapshot {
            snapshot: Snapshot {
                last_index: 1,
                last_term: 1,
                voters: vec![1, 2, 3],
                data: Vec::new(),
            },
        },
    ))
    .unwrap();
    assert_eq!(f.first_index(), 1);
    assert_eq!(f.entries(), &before[..]);
    assert_eq!(f.commit_index(), 2);
    assert_eq!(f.take_snapshot(), None);
}

// Scenario from etcd raft_test.go TestLeaderTransferAfterSnapshot (raft-rs
// test_leader_transfer_after_snapshot), thesis §3.10 and §7: a transfer to a follower that
// needs a snapshot first sends the snapshot, then TimeoutNow.
#[test]
fn transfer_to_follower_that_needs_a_snapshot() {
    let mut net = busy_cluster(0);
    net.isolate(3);
    net.propose(1, b"x").unwrap();
    let applied = net.node(1).applied_index();
    net.node_mut(1).compact(applied, Vec::new()).unwrap();
    net.recover();
    assert_eq!(net.node(1).progress(3).unwrap().match_index, 1);
    net.node_mut(1).transfer_leadership(3).unwrap();
    net.deliver();
    assert_eq!(net.delivered("InstallSnapshot").len(), 1);
    assert_eq!(net.leaders(), vec![3]);
    assert_eq!(net.role(1), Role::Follower);
    assert_eq!(net.term(3), 2);
}

// Scenario from raft-rs test_raw_node_restart_from_snapshot (TinyKV
// TestRestoreSnapshot2C restores the same state at start-up), §5 and §7: a node restarted from persistent state keeps its
// snapshot, its log after it, its term and vote.
#[test]
fn restart_keeps_snapshot_log_term_and_vote() {
    let mut net = busy_cluster(6);
    net.node_mut(2).compact(5, b"s".to_vec()).unwrap();
    let before = net.node(2).persistent_state();
    net.restart(2);
    let n = net.node(2);
    assert_eq!(n.persistent_state(), before);
    assert_eq!(n.first_index(), 6);
    assert_eq!(n.term(), 1);
    assert_eq!(n.role(), Role::Follower);
    assert_eq!(n.snapshot().last_index, 5);
    assert!(n.commit_index() >= 5, "what a snapshot covers is committed");
    // It rejoins: the leader's next heartbeat tells it the commit index again.
    net.heartbeats(1, 2);
    assert_eq!(net.node(2).commit_index(), net.node(1).commit_index());
}

// Scenario from etcd raft_test.go TestRestoreIgnoreSnapshot (its "fast forward commit"
// half) and the paper's Figure 13, rule 6, §7: a snapshot whose last entry the follower
// already has (same index and term) keeps the log after it and only moves the commit
// index forward; the application gets index 3 either as entries or as the snapshot.
#[test]
fn snapshot_matching_the_log_fast_forwards_commit() {
    let mut f = node_with_log(1, &[1, 2, 3], 1, &[1, 1, 1, 1]);
    follow(&mut f, 2, 1);
    f.step(heartbeat(2, 1, 1, 4, 1, 2)).unwrap();
    assert_eq!(f.commit_index(), 2);
    let before = f.take_committed();
    assert_eq!(before.len(), 2);
    f.step(msg(
        2,
        1,
        1,
        MessageKind::InstallSnapshot {
            snapshot: Snapshot {
                last_index: 3,
                last_term: 1,
                voters: vec![1, 2, 3],
                data: Vec::new(),
            },
        },
    ))
    .unwrap();
    assert_eq!(f.commit_index(), 3);
    assert_eq!(f.last_index(), 4, "the entry after the snapshot is kept");
    assert_eq!(f.term_at(4), Some(1));
    let restored = f.take_snapshot();
    let applied = f.take_committed();
    let got_3 = restored.is_some_and(|s| s.last_index == 3) || applied.iter().any(|e| e.index == 3);
    assert!(got_3, "index 3 reached the application");
    assert_eq!(f.applied_index(), 3);
}
