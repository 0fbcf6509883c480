//! Commitment (§5.3, §5.4.2, Figure 8) and the new leader's no-op (§8).

// Scenario tables are tuples spelled out inline, as in the suites they come from.
#![allow(clippy::type_complexity)]

mod harness;

use harness::*;
use raft_core::{EntryData, Role};

// Scenario from etcd raft_paper_test.go TestLeaderOnlyCommitsLogFromCurrentTerm (also
// TinyKV 2AB), §5.4.2: a leader commits by counting replicas only entries of its own term;
// older entries commit with them, never on their own.
#[test]
fn leader_counts_replicas_only_for_its_own_term() {
    // Leader log [1, 2] from earlier terms, then its own no-op at index 3 in term 3.
    for (acked, want_commit) in [(1, 0), (2, 0), (3, 3)] {
        let mut l = node_with_log(1, &[1, 2], 2, &[1, 2]);
        make_leader(&mut l);
        assert_eq!(l.term(), 3);
        assert_eq!(l.last_index(), 3);
        l.step(append_ok(2, 1, 3, acked)).unwrap();
        assert_eq!(l.commit_index(), want_commit, "follower acked {acked}");
    }
}

// Scenario from the Raft paper's Figure 8 (c)-(d) and raft-rs
// test_leader_only_commits_log_from_current_term, §5.4.2: an entry of term 2 stored on a
// majority is still not committed, and a later leader may overwrite it. Here S1 is down,
// S2 and S3 hold [1, 2], S4 holds [1], and S5, with [1, 3], wins and replaces index 2.
#[test]
fn figure_8_majority_stored_old_term_entry_can_be_overwritten() {
    let voters = ids(5);
    // S2-S4 voted for S1 in term 4.
    let cfg = config(&voters);
    let nodes = vec![
        node(2, cfg.clone(), state(4, Some(1), &[1, 2])),
        node(3, cfg.clone(), state(4, Some(1), &[1, 2])),
        node(4, cfg.clone(), state(4, Some(1), &[1])),
        node(5, cfg, state(3, None, &[1, 3])),
    ];
    let mut net = Network::from_nodes(nodes, 8);
    // In term 4 everyone has voted already; in term 5 S5's term-3 entry beats the term-2
    // entries, so S2, S3 and S4 vote for it.
    net.campaign(5);
    assert_ne!(net.role(5), Role::Leader, "no second vote in term 4");
    assert_eq!(net.term(5), 4);
    net.campaign(5);
    assert_eq!(net.term(5), 5);
    assert_eq!(net.role(5), Role::Leader);
    net.propose(5, b"after").unwrap();
    net.heartbeats(5, 1);
    for id in [2, 3, 4, 5] {
        let n = net.node(id);
        assert_eq!(n.term_at(2), Some(3), "node {id}: index 2 overwritten");
        assert_eq!(terms_of(n)[..2], [1, 3], "node {id}");
        assert_eq!(n.commit_index(), n.last_index(), "node {id}");
    }
}

// Scenario from the Raft paper's Figure 8 (e), §5.4.2: once the leader of term 4 has
// replicated an entry of its own term to a majority, the entries before it are committed,
// and S5 can no longer win an election.
#[test]
fn figure_8_current_term_entry_on_majority_blocks_stale_candidate() {
    let voters = ids(5);
    let nodes = vec![
        node_with_log(1, &voters, 4, &[1, 2, 4]),
        node_with_log(2, &voters, 4, &[1, 2]),
        node_with_log(3, &voters, 4, &[1, 2]),
        node_with_log(4, &voters, 4, &[1]),
        node_with_log(5, &voters, 3, &[1, 3]),
    ];
    let mut net = Network::from_nodes(nodes, 8);
    net.isolate(5);
    net.elect(1);
    net.heartbeats(1, 1);
    let l = net.node(1);
    assert_eq!(l.commit_index(), l.last_index());
    assert_eq!(net.node(1).term_at(2), Some(2));
    net.recover();
    net.campaign(5);
    assert_ne!(net.role(5), Role::Leader);
    for id in [1, 2, 3, 4] {
        assert_eq!(
            net.node(id).term_at(2),
            Some(2),
            "node {id}: committed entry kept"
        );
    }
}

// Scenario from etcd raft_test.go TestCannotCommitWithoutNewTermEntry and
// TestCommitWithoutNewTermEntry (also TinyKV 2AB), §5.4.2: entries left uncommitted by a
// deposed leader commit only once the new leader's own no-op reaches a majority.
#[test]
fn old_entries_commit_only_with_the_new_leaders_noop() {
    let mut net = Network::cluster(5, false, false);
    net.elect(1);
    for id in [3, 4, 5] {
        net.cut(1, id);
    }
    net.propose(1, b"some data").unwrap();
    net.propose(1, b"some data").unwrap();
    assert_eq!(net.node(1).commit_index(), 1);
    assert_eq!(net.node(2).last_index(), 3);
    net.recover();
    // Node 2 wins, but its no-op (and the old entries) never arrive anywhere.
    net.ignore("AppendEntries");
    net.elect(2);
    assert_eq!(
        net.node(2).commit_index(),
        1,
        "old-term entries alone must not commit"
    );
    net.recover();
    net.heartbeats(2, 2);
    assert_eq!(net.node(2).last_index(), 4);
    assert_eq!(net.node(2).term_at(4), Some(2));
    for id in 1..=5 {
        assert_eq!(net.node(id).commit_index(), 4, "node {id}");
    }
}

// Scenario from etcd raft_paper_test.go TestLeaderCommitPrecedingEntries (the no-op its
// expected entries include) and TinyKV TestLeaderCommitPrecedingEntries2AB, §5.4.2 and §8: a new leader appends a no-op of its own term and commits it,
// which also tells it what is committed.
#[test]
fn new_leader_appends_and_commits_a_noop() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    let l = net.node(1);
    assert_eq!(l.last_index(), 1);
    assert_eq!(l.entries()[0].data, EntryData::Noop);
    assert_eq!(l.entries()[0].term, 1);
    assert_eq!(l.commit_index(), 1);
    net.heartbeats(1, 1);
    for id in [2, 3] {
        assert_eq!(net.node(id).commit_index(), 1, "node {id}");
        assert_eq!(net.applied[&id].len(), 1);
        assert_eq!(net.applied[&id][0].data, EntryData::Noop);
    }
}

// Scenario from etcd raft_test.go TestSingleNodeCommit (also TinyKV 2AB
// TestSingleNodeCommit2AB), §5.3: a lone voter is its own majority.
#[test]
fn single_node_commits_alone() {
    let mut net = Network::from_nodes(vec![fresh(1, &[1])], 1);
    net.elect(1);
    net.propose(1, b"some data").unwrap();
    net.propose(1, b"some data").unwrap();
    assert_eq!(net.node(1).commit_index(), 3);
    assert_eq!(net.applied_commands(1).len(), 2);
}

// Scenario from etcd raft_test.go TestCommit (also raft-rs test_commit), §5.3 and
// §5.4.2: the commit index is the highest index a majority matches, provided that entry is
// of the leader's term.
#[test]
fn commit_is_the_majority_match_of_current_term() {
    // (voters, follower acks (id, match), want commit) for a leader whose log is
    // [1, 1, 2(no-op)] at term 2.
    let cases: &[(u64, &[(u64, u64)], u64)] = &[
        (3, &[(2, 3)], 3),
        (3, &[(2, 2)], 0),
        (3, &[(2, 2), (3, 2)], 0),
        (5, &[(2, 3), (3, 3)], 3),
        (5, &[(2, 3), (3, 2)], 0),
        (4, &[(2, 3), (3, 3)], 3),
        (4, &[(2, 3)], 0),
        (4, &[(2, 3), (3, 1), (4, 1)], 0),
    ];
    for (i, &(size, acks, want)) in cases.iter().enumerate() {
        let mut l = node_with_log(1, &ids(size), 1, &[1, 1]);
        make_leader(&mut l);
        assert_eq!(l.term(), 2);
        for &(from, m) in acks {
            l.step(append_ok(from, 1, 2, m)).unwrap();
        }
        assert_eq!(l.commit_index(), want, "case {i}");
    }
}
