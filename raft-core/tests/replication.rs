//! Log replication (§5.3): AppendEntries, the consistency check, conflict overwrite
//! (Figure 7), backtracking, heartbeats and proposals.

// Scenario tables are tuples spelled out inline, as in the suites they come from.
#![allow(clippy::type_complexity)]

mod harness;

use harness::*;
use raft_core::{Error, MessageKind, Role, Term};

// Scenario from etcd raft_paper_test.go TestLeaderBcastBeat (also TinyKV 2AA
// TestLeaderBcastBeat2AA), §5.2: on its heartbeat tick a leader sends every follower an
// AppendEntries with no entries, carrying its commit index; it is told apart from an
// append that carries entries.
#[test]
fn leader_heartbeats_are_empty_appends_carrying_commit() {
    let mut l = fresh(1, &[1, 2, 3]);
    make_leader(&mut l);
    ack_all(&mut l);
    let commit = l.commit_index();
    assert_eq!(commit, 1, "the no-op is committed");
    for _ in 0..HEARTBEAT {
        l.tick();
    }
    let out = l.take_messages();
    let beats: Vec<_> = out.iter().filter(|m| m.is_heartbeat()).collect();
    assert_eq!(beats.len(), 2, "one heartbeat per follower: {out:?}");
    for m in beats {
        assert_eq!(m.term, 1);
        match m.kind {
            MessageKind::AppendEntries { leader_commit, .. } => assert_eq!(leader_commit, commit),
            _ => unreachable!(),
        }
    }
    l.propose(b"x".to_vec()).unwrap();
    let out = l.take_messages();
    assert!(!out.is_empty());
    for m in &out {
        assert!(
            !m.is_heartbeat(),
            "an append with entries is not a heartbeat"
        );
        assert_eq!(m.entries().len(), 1);
    }
}

// Scenario from etcd raft_paper_test.go TestLeaderStartReplication (also TinyKV 2AB
// TestLeaderStartReplication2AB), §5.3: a proposal is appended to the leader's log and sent
// to every follower with the index and term of the entry before it.
#[test]
fn leader_starts_replication_of_a_proposal() {
    let mut l = fresh(1, &[1, 2, 3]);
    make_leader(&mut l);
    ack_all(&mut l);
    let li = l.last_index();
    let idx = l.propose(b"some data".to_vec()).unwrap();
    assert_eq!(idx, li + 1);
    assert_eq!(l.last_index(), li + 1);
    assert_eq!(l.commit_index(), li, "not committed before a quorum has it");
    let out = l.take_messages();
    assert_eq!(recipients(&out), vec![2, 3]);
    for m in &out {
        match &m.kind {
            MessageKind::AppendEntries {
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                ..
            } => {
                assert_eq!(*prev_log_index, li);
                assert_eq!(*prev_log_term, 1);
                assert_eq!(*leader_commit, li);
                assert_eq!(entries.len(), 1);
                assert_eq!(entries[0].index, li + 1);
                assert_eq!(entries[0].term, 1);
                assert_eq!(
                    entries[0].data,
                    raft_core::EntryData::Command(b"some data".to_vec())
                );
            }
            other => panic!("unexpected {}", other.name()),
        }
    }
}

// Scenario from etcd raft_paper_test.go TestLeaderCommitEntry (also TinyKV 2AB
// TestLeaderCommitEntry2AB), §5.3: once a majority has the entry the leader commits it,
// hands it to the application, and tells followers the new commit index.
#[test]
fn leader_commits_a_replicated_entry_and_announces_it() {
    let mut l = fresh(1, &[1, 2, 3]);
    make_leader(&mut l);
    ack_all(&mut l);
    let li = l.last_index();
    l.propose(b"some data".to_vec()).unwrap();
    for m in l.take_messages() {
        l.step(accept(&m)).unwrap();
    }
    assert_eq!(l.commit_index(), li + 1);
    let applied = l.take_committed();
    assert_eq!(applied.len(), 1);
    assert_eq!(applied[0].index, li + 1);
    assert_eq!(l.applied_index(), li + 1);
    // Followers hear of the new commit index at the latest with the next heartbeat.
    for _ in 0..HEARTBEAT {
        l.tick();
    }
    let out = l.take_messages();
    for to in [2, 3] {
        let told = out.iter().any(|m| {
            m.to == to
                && matches!(m.kind, MessageKind::AppendEntries { leader_commit, .. } if leader_commit == li + 1)
        });
        assert!(told, "follower {to} not told of commit {}", li + 1);
    }
}

// Scenario from etcd raft_paper_test.go TestLeaderAcknowledgeCommit (also TinyKV 2AB),
// §5.3: an entry commits exactly when a majority (leader included) has it.
#[test]
fn entry_commits_exactly_at_a_majority() {
    let cases: &[(u64, &[u64], bool)] = &[
        (1, &[], true),
        (3, &[], false),
        (3, &[2], true),
        (3, &[2, 3], true),
        (5, &[], false),
        (5, &[2], false),
        (5, &[2, 3], true),
        (5, &[2, 3, 4], true),
        (5, &[2, 3, 4, 5], true),
    ];
    for (i, &(size, acceptors, committed)) in cases.iter().enumerate() {
        let mut l = fresh(1, &ids(size));
        make_leader(&mut l);
        ack_all(&mut l);
        let li = l.last_index();
        l.propose(b"some data".to_vec()).unwrap();
        for m in l.take_messages() {
            if acceptors.contains(&m.to) {
                l.step(accept(&m)).unwrap();
            }
        }
        assert_eq!(l.commit_index() > li, committed, "case {i}");
    }
}

// Scenario from etcd raft_paper_test.go TestLeaderCommitPrecedingEntries (also TinyKV
// 2AB), §5.3 and §5.4.2: committing an entry of the current term commits every entry before
// it, including those of earlier leaders, and they are applied in log order.
#[test]
fn committing_commits_preceding_entries() {
    let cases: [&[Term]; 4] = [&[], &[2], &[1, 2], &[1]];
    for (i, prior) in cases.iter().enumerate() {
        let mut l = node_with_log(1, &[1, 2, 3], 2, prior);
        make_leader(&mut l);
        assert_eq!(l.term(), 3);
        l.propose(b"some data".to_vec()).unwrap();
        for _ in 0..3 {
            for m in l.take_messages() {
                if matches!(m.kind, MessageKind::AppendEntries { .. }) {
                    l.step(accept(&m)).unwrap();
                }
            }
        }
        let applied = l.take_committed();
        let mut want: Vec<(u64, Term)> = prior
            .iter()
            .enumerate()
            .map(|(k, &t)| (k as u64 + 1, t))
            .collect();
        let n = prior.len() as u64;
        want.push((n + 1, 3));
        want.push((n + 2, 3));
        let got: Vec<(u64, Term)> = applied.iter().map(|e| (e.index, e.term)).collect();
        assert_eq!(got, want, "case {i}");
        assert_eq!(
            applied[n as usize].data,
            raft_core::EntryData::Noop,
            "case {i}"
        );
    }
}

// Scenario from etcd raft_paper_test.go TestFollowerCommitEntry (also TinyKV 2AB), §5.3: a
// follower applies, in order, the entries the leader says are committed, and no more.
#[test]
fn follower_applies_what_the_leader_committed() {
    let cases: &[(usize, u64)] = &[(1, 1), (2, 2), (2, 1)];
    for (i, &(count, commit)) in cases.iter().enumerate() {
        let mut f = fresh(1, &[1, 2, 3]);
        follow(&mut f, 2, 1);
        let ents = log(&vec![1; count]);
        f.step(append(2, 1, 1, 0, 0, ents.clone(), commit)).unwrap();
        assert_eq!(f.commit_index(), commit, "case {i}");
        assert_eq!(
            f.take_committed(),
            ents[..commit as usize].to_vec(),
            "case {i}"
        );
    }
}

// Scenario from etcd raft_paper_test.go TestFollowerCheckMsgApp (also TinyKV 2AB
// TestFollowerCheckMessageType_MsgAppend2AB), §5.3: a follower rejects an AppendEntries
// whose previous entry it lacks, with a hint: the first index of the conflicting term, or
// its last index + 1 when its log is too short.
#[test]
fn follower_consistency_check_and_rejection_hint() {
    // (prev index, prev term, success, match_index, conflict_index, conflict_term)
    let cases: &[(u64, u64, bool, u64, u64, Option<u64>)] = &[
        (1, 1, true, 1, 0, None),
        (2, 2, true, 2, 0, None),
        (2, 1, false, 0, 2, Some(2)),
        (3, 3, false, 0, 3, None),
    ];
    for (i, &(pi, pt, ok, mi, ci, ct)) in cases.iter().enumerate() {
        let mut f = node_with_log(1, &[1, 2, 3], 2, &[1, 2]);
        follow(&mut f, 2, 2);
        f.step(heartbeat(2, 1, 2, pi, pt, 0)).unwrap();
        let out = f.take_messages();
        assert_eq!(out.len(), 1, "case {i}");
        match out[0].kind {
            MessageKind::AppendEntriesResponse {
                success,
                match_index,
                conflict_index,
                conflict_term,
                ..
            } => {
                assert_eq!(success, ok, "case {i}");
                if ok {
                    assert_eq!(match_index, mi, "case {i}");
                } else {
                    assert_eq!(conflict_index, ci, "case {i}");
                    assert_eq!(conflict_term, ct, "case {i}");
                }
            }
            ref other => panic!("case {i}: unexpected {}", other.name()),
        }
        assert_eq!(
            terms_of(&f),
            vec![1, 2],
            "case {i}: a rejection changes nothing"
        );
    }
}

// Scenario from etcd raft_paper_test.go TestFollowerAppendEntries (also TinyKV 2AB), §5.3:
// on a valid append a follower deletes a conflicting entry and all that follow it, then
// appends the new entries; entries it already has are kept.
#[test]
fn follower_truncates_conflicts_and_appends() {
    // (prev index, prev term, new entries (first index, terms), resulting log terms)
    let cases: &[(u64, u64, u64, &[Term], &[Term])] = &[
        (2, 2, 3, &[3], &[1, 2, 3]),
        (1, 1, 2, &[3, 4], &[1, 3, 4]),
        (0, 0, 1, &[1], &[1, 2]),
        (0, 0, 1, &[3], &[3]),
    ];
    for (i, &(pi, pt, first, new, want)) in cases.iter().enumerate() {
        let mut f = node_with_log(1, &[1, 2, 3], 2, &[1, 2]);
        follow(&mut f, 2, 2);
        let t = *new.iter().max().unwrap();
        f.step(append(2, 1, t.max(2), pi, pt, log_from(first, new), 0))
            .unwrap();
        assert_eq!(terms_of(&f), want.to_vec(), "case {i}");
    }
}

// Scenario from etcd raft_test.go TestHandleMsgApp (also raft-rs test_handle_msg_append
// and TinyKV TestHandleMessageType_MsgAppend2AB), §5.3: a follower's commit index becomes
// min(leader commit, index of the last new entry), and never moves backwards.
#[test]
fn follower_commit_is_bounded_by_last_new_entry() {
    // (prev index, prev term, new entry terms, leader commit, want last index, want commit,
    // want success)
    let cases: &[(u64, u64, &[Term], u64, u64, u64, bool)] = &[
        (2, 3, &[], 3, 2, 0, false),
        (3, 3, &[], 3, 2, 0, false),
        (1, 1, &[], 1, 2, 1, true),
        (0, 0, &[2], 1, 1, 1, true),
        (2, 2, &[2], 3, 3, 3, true),
        (2, 2, &[2], 4, 3, 3, true),
        (2, 2, &[], 4, 2, 2, true),
        (1, 1, &[], 4, 2, 1, true),
        (1, 1, &[2], 4, 2, 2, true),
    ];
    for (i, &(pi, pt, new, lc, wl, wc, ok)) in cases.iter().enumerate() {
        let mut f = node_with_log(1, &[1, 2, 3], 2, &[1, 2]);
        follow(&mut f, 2, 2);
        f.step(append(2, 1, 2, pi, pt, log_from(pi + 1, new), lc))
            .unwrap();
        assert_eq!(f.last_index(), wl, "case {i}");
        assert_eq!(f.commit_index(), wc, "case {i}");
        let out = f.take_messages();
        let success = out.iter().any(|m| {
            matches!(
                m.kind,
                MessageKind::AppendEntriesResponse { success: true, .. }
            )
        });
        assert_eq!(success, ok, "case {i}");
    }
}

// Scenario from etcd raft_test.go TestHandleHeartbeat (also TinyKV 2AB
// TestHeartbeatUpdateCommit2AB), §5.3: followers learn the commit index from heartbeats, and a
// heartbeat with a lower commit index does not move it back.
#[test]
fn follower_learns_commit_from_heartbeat() {
    let mut f = node_with_log(1, &[1, 2, 3], 2, &[1, 2, 3]);
    follow(&mut f, 2, 2);
    f.step(heartbeat(2, 1, 2, 0, 0, 2)).unwrap();
    // A heartbeat anchored at index 0 vouches for no entry; a leader anchors heartbeats at
    // the follower's match, so send one at index 3.
    f.step(heartbeat(2, 1, 2, 3, 3, 3)).unwrap();
    assert_eq!(f.commit_index(), 3);
    f.step(heartbeat(2, 1, 2, 3, 3, 1)).unwrap();
    assert_eq!(f.commit_index(), 3, "commit never decreases");
    assert_eq!(f.take_committed().len(), 3);
}

// Scenario from etcd raft_paper_test.go TestLeaderSyncFollowerLog (also TinyKV 2AB and
// raft-rs test_leader_sync_follower_log), §5.3, Figure 7: a new leader brings each of the
// follower logs (a)-(f) in line with its own, whether they are missing entries, have extra
// uncommitted entries, or both.
#[test]
fn figure_7_follower_logs_are_brought_in_line() {
    let leader_log: &[Term] = &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    let followers: [(&str, &[Term]); 6] = [
        ("a", &[1, 1, 1, 4, 4, 5, 5, 6, 6]),
        ("b", &[1, 1, 1, 4]),
        ("c", &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6]),
        ("d", &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7]),
        ("e", &[1, 1, 1, 4, 4, 4, 4]),
        ("f", &[1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]),
    ];
    for fast in [true, false] {
        for (name, flog) in followers {
            let mut lc = config(&[1, 2, 3]);
            lc.fast_backtrack = fast;
            let lead = node(1, lc, state(8, None, leader_log));
            let follower = node(2, config(&[1, 2, 3]), state(7, None, flog));
            // Node 3 is a black hole; its vote is forged, since (c) and (d) would deny it.
            let mut net = Network::from_nodes(vec![lead, follower], 3);
            net.node_mut(1).campaign();
            net.send(vec![vote_resp(3, 1, 9, true)]);
            assert_eq!(net.role(1), Role::Leader, "({name})");
            net.propose(1, b"sync").unwrap();
            net.heartbeats(1, 2);
            let l = net.node(1);
            let f = net.node(2);
            assert_eq!(f.entries(), l.entries(), "({name}) fast={fast}");
            assert_eq!(f.commit_index(), l.last_index(), "({name}) fast={fast}");
            assert_eq!(l.commit_index(), l.last_index(), "({name}) fast={fast}");
        }
    }
}

/// Rejections a leader needs to find the match point of follower (f)-like divergence.
fn rejections_to_sync(fast: bool) -> usize {
    // Leader: index 1-2 in term 1, then 30 entries of term 5. Follower: the same first two,
    // then 15 entries of term 2 and 15 of term 3, none of which the leader has.
    let mut leader_log = vec![1, 1];
    leader_log.extend([5; 30]);
    let mut follower_log = vec![1, 1];
    follower_log.extend([2; 15]);
    follower_log.extend([3; 15]);
    let mut lc = config(&[1, 2, 3]);
    lc.fast_backtrack = fast;
    let mut fc = config(&[1, 2, 3]);
    fc.fast_backtrack = fast;
    let lead = node(1, lc, state(5, None, &leader_log));
    let follower = node(2, fc, state(5, None, &follower_log));
    let mut net = Network::from_nodes(vec![lead, follower], 5);
    net.node_mut(1).campaign();
    net.send(vec![vote_resp(3, 1, 6, true)]);
    assert_eq!(net.role(1), Role::Leader);
    net.heartbeats(1, 1);
    assert_eq!(net.node(2).entries(), net.node(1).entries(), "fast={fast}");
    net.trace
        .iter()
        .filter(|m| {
            m.from == 2
                && matches!(
                    m.kind,
                    MessageKind::AppendEntriesResponse { success: false, .. }
                )
        })
        .count()
}

// Scenario from etcd raft_test.go TestFastLogRejection and raft-rs
// test_fast_log_rejection, §5.3 (the optimization at the end of the section): with the
// conflict hint the leader skips a whole term per round trip; decrementing next_index by
// one needs a round trip per entry.
#[test]
fn fast_backtracking_needs_fewer_round_trips_than_decrement_by_one() {
    let fast = rejections_to_sync(true);
    let slow = rejections_to_sync(false);
    assert!(fast >= 1, "the follower must reject at least once");
    assert!(
        fast <= 3,
        "fast backtracking took {fast} rejections for 2 divergent terms"
    );
    assert!(
        slow >= 30,
        "decrement-by-one took only {slow} rejections for 30 entries"
    );
    assert!(fast < slow);
}

// Scenario from etcd raft_test.go TestLogReplication (also TinyKV 2AB
// TestLogReplication2AB and raft-rs test_log_replication), §5.3: proposals to successive
// leaders are committed and applied in the same order on every node.
#[test]
fn proposals_to_successive_leaders_are_applied_everywhere_in_order() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.propose(1, b"somedata").unwrap();
    net.elect(2);
    net.propose(2, b"somedata2").unwrap();
    net.heartbeats(2, 1);
    for id in [1, 2, 3] {
        let n = net.node(id);
        assert_eq!(n.commit_index(), 4, "node {id}");
        assert_eq!(
            net.applied_commands(id),
            vec![b"somedata".to_vec(), b"somedata2".to_vec()],
            "node {id}"
        );
        assert_eq!(n.applied_index(), 4, "node {id}");
    }
}

// Scenario from etcd raft_test.go TestProposalByProxy and TestProposal (also TinyKV 2AB
// TestProposal2AB); this library answers instead of forwarding (§8: a follower redirects
// the client to the leader it knows of).
#[test]
fn proposals_on_non_leaders_fail_naming_the_leader() {
    let mut net = Network::cluster(3, false, false);
    assert_eq!(
        net.propose(2, b"x"),
        Err(Error::NotLeader {
            node: 2,
            leader: None
        })
    );
    net.elect(1);
    let before: Vec<u64> = [1, 2, 3]
        .iter()
        .map(|&id| net.node(id).last_index())
        .collect();
    assert_eq!(
        net.propose(2, b"x"),
        Err(Error::NotLeader {
            node: 2,
            leader: Some(1)
        })
    );
    let after: Vec<u64> = [1, 2, 3]
        .iter()
        .map(|&id| net.node(id).last_index())
        .collect();
    assert_eq!(after, before, "nothing appended anywhere");
    // A candidate knows of no leader for its new term.
    net.isolate(3);
    net.campaign(3);
    assert_eq!(net.role(3), Role::Candidate);
    assert_eq!(
        net.propose(3, b"x"),
        Err(Error::NotLeader {
            node: 3,
            leader: None
        })
    );
    // The message renders readably.
    let e = Error::NotLeader {
        node: 2,
        leader: Some(1),
    };
    assert!(e.to_string().contains("node 1"));
}

// Scenario from etcd raft_test.go TestProposal with majority absent, §5.2: without a
// quorum there is no leader, and a proposal is refused rather than lost silently.
#[test]
fn no_quorum_no_leader_no_proposals() {
    let voters = ids(5);
    let mut net = Network::from_nodes(vec![fresh(1, &voters), fresh(2, &voters)], 9);
    net.campaign(1);
    assert_eq!(net.role(1), Role::Candidate);
    assert!(net.propose(1, b"x").is_err());
    assert_eq!(net.node(1).last_index(), 0);
}

// Scenario from etcd raft_test.go TestLeaderAppResp / TestLeaderIncreaseNext (and TinyKV
// TestLeaderAppResp), §5.3: once a follower acknowledges everything, the leader records
// match_index = last index and next_index = last index + 1.
#[test]
fn progress_tracks_acknowledged_entries() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.propose(1, b"a").unwrap();
    net.propose(1, b"b").unwrap();
    let last = net.node(1).last_index();
    for id in [2, 3] {
        let p = net.node(1).progress(id).expect("leader tracks followers");
        assert_eq!(p.match_index, last, "peer {id}");
        assert_eq!(p.next_index, last + 1, "peer {id}");
    }
    assert!(net.node(2).progress(1).is_none(), "followers track nobody");
    assert!(net.node(1).progress(9).is_none(), "unknown peer");
}

// Scenario from TinyKV raft_test.go TestCommitWithHeartbeat2AB, §5.3: a follower that was
// cut off while entries committed learns the commit index from the leader's heartbeats.
#[test]
fn cut_off_follower_learns_commit_from_heartbeats() {
    let mut net = Network::cluster(5, false, false);
    net.elect(1);
    net.isolate(5);
    net.propose(1, b"some data").unwrap();
    net.propose(1, b"some data").unwrap();
    assert_eq!(net.node(5).commit_index(), 1);
    net.recover();
    net.heartbeats(1, 2);
    assert_eq!(net.node(5).commit_index(), 3);
    assert_eq!(net.applied_commands(5).len(), 2);
}

// Scenario from TinyKV raft_test.go TestHeartbeatUpdateCommit2AB, §5.3 and §5.4: a deposed
// leader holding proposals that never committed must not be made to commit them by the new
// leader's heartbeats; its divergent entries are replaced instead.
#[test]
fn heartbeats_never_commit_a_deposed_leaders_divergent_entries() {
    for (fail_count, success_count) in [(1, 1), (5, 3), (5, 10)] {
        let mut net = Network::cluster(3, false, false);
        net.elect(1);
        net.isolate(1);
        for _ in 0..fail_count {
            net.propose(1, b"lost").unwrap();
        }
        assert!(net.node(1).commit_index() <= 1);
        net.elect(2);
        for _ in 0..success_count {
            net.propose(2, b"kept").unwrap();
        }
        net.heartbeats(2, 1);
        let want = 2 + success_count as u64;
        assert_eq!(net.node(2).commit_index(), want);
        assert_eq!(net.node(3).commit_index(), want);
        net.recover();
        net.heartbeats(2, 3);
        assert_eq!(net.node(1).entries(), net.node(2).entries());
        assert_eq!(net.node(1).commit_index(), want);
        assert!(
            !net.applied_commands(1).contains(&b"lost".to_vec()),
            "({fail_count}, {success_count}): applied an entry that never committed"
        );
        assert_eq!(
            net.applied_commands(1),
            vec![b"kept".to_vec(); success_count]
        );
    }
}

// Scenario from etcd raft_test.go TestHandleHeartbeatResp / TestLeaderIncreaseNext
// (TinyKV TestLeaderIncreaseNext2AB), §5.3: a follower that answers a heartbeat while
// missing entries gets them sent; limits on entries per message only add round trips.
#[test]
fn lagging_follower_is_fed_in_bounded_batches() {
    let voters = ids(3);
    let nodes = voters
        .iter()
        .map(|&id| {
            let mut c = config(&voters);
            c.max_entries_per_append = 4;
            node(id, c, Default::default())
        })
        .collect();
    let mut net = Network::from_nodes(nodes, 12);
    net.elect(1);
    net.isolate(3);
    for i in 0..25 {
        net.propose(1, format!("c{i}").as_bytes()).unwrap();
    }
    net.recover();
    net.clear_trace();
    net.heartbeats(1, 3);
    let to3: Vec<_> = net
        .delivered("AppendEntries")
        .into_iter()
        .filter(|m| m.to == 3)
        .collect();
    assert!(
        to3.iter().all(|m| m.entries().len() <= 4),
        "batches respect the limit"
    );
    let carried: usize = to3.iter().map(|m| m.entries().len()).sum();
    assert!(carried >= 25, "all 25 missing entries were sent");
    assert_eq!(net.node(3).entries(), net.node(1).entries());
    assert_eq!(net.node(3).commit_index(), 26);
}

// Scenario from etcd raft_paper_test.go TestLeaderBcastBeat with a heartbeat interval above
// one tick (TinyKV TestRecvMessageType_MsgBeat2AA, raft-rs test_bcast_beat), §5.2: an idle
// leader heartbeats exactly every heartbeat interval, and a follower's election timer
// starts over when a heartbeat arrives.
#[test]
fn heartbeats_follow_the_interval_and_reset_follower_timers() {
    let mut c = config(&[1, 2, 3]);
    c.heartbeat_interval_ticks = 3;
    let mut l = node(1, c, Default::default());
    make_leader(&mut l);
    ack_all(&mut l);
    for t in 1..=12 {
        l.tick();
        let out = l.take_messages();
        let beats = out.iter().filter(|m| m.is_heartbeat()).count();
        let want = if t % 3 == 0 { 2 } else { 0 };
        assert_eq!(beats, want, "tick {t}: {out:?}");
    }
    let mut f = fresh(2, &[1, 2, 3]);
    for _ in 0..5 {
        f.tick();
    }
    assert_eq!(f.election_elapsed(), 5);
    f.step(heartbeat(1, 2, 1, 0, 0, 0)).unwrap();
    assert_eq!(f.election_elapsed(), 0);
    assert_eq!(f.leader_id(), Some(1));
}
