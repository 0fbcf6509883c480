//! Leader election (§5.1, §5.2, §5.4.1): timeouts, votes, terms, split votes.

// Scenario tables are tuples spelled out inline, as in the suites they come from.
#![allow(clippy::type_complexity)]

mod harness;

use harness::*;
use raft_core::{MessageKind, NodeId, RaftNode, Role};

// Scenario from etcd raft_paper_test.go TestStartAsFollower, §5.2: servers start as
// followers, in term 0, having voted for no one.
#[test]
fn starts_as_follower_in_term_zero() {
    let n = fresh(1, &[1, 2, 3]);
    assert_eq!(n.role(), Role::Follower);
    assert_eq!(n.term(), 0);
    assert_eq!(n.voted_for(), None);
    assert_eq!(n.leader_id(), None);
    assert_eq!(n.commit_index(), 0);
    assert_eq!(n.last_index(), 0);
}

// Scenario from etcd raft_paper_test.go TestFollowerStartElection and
// TestCandidateStartNewElection, §5.2: a follower (or a candidate that did not win) that
// hears nothing for an election timeout starts a new election: it increments its term,
// votes for itself and asks every other server for its vote.
#[test]
fn follower_and_candidate_start_election_on_timeout() {
    for start_as_candidate in [false, true] {
        let mut n = node_with_log(1, &[1, 2, 3], 0, &[]);
        if start_as_candidate {
            make_candidate(&mut n);
        } else {
            follow(&mut n, 2, 1);
        }
        assert_eq!(n.term(), 1);
        let mut sent = Vec::new();
        for _ in 0..2 * ELECTION_MAX {
            n.tick();
            sent.extend(n.take_messages());
            if !sent.is_empty() {
                break;
            }
        }
        assert_eq!(n.role(), Role::Candidate);
        assert_eq!(n.term(), 2);
        assert_eq!(n.voted_for(), Some(1));
        assert_eq!(recipients(&sent), vec![2, 3]);
        for m in &sent {
            assert_eq!(m.term, 2);
            assert_eq!(
                m.kind,
                MessageKind::RequestVote {
                    last_log_index: 0,
                    last_log_term: 0,
                    transfer: false
                }
            );
        }
    }
}

// Scenario from etcd raft_paper_test.go TestLeaderElectionInOneRoundRPC, §5.2: in one round
// of RequestVote a candidate wins with a majority, returns to follower on a majority of
// denials, and otherwise stays a candidate.
#[test]
fn election_outcome_of_one_round_of_votes() {
    let cases: &[(u64, &[(NodeId, bool)], Role)] = &[
        (1, &[], Role::Leader),
        (3, &[(2, true), (3, true)], Role::Leader),
        (3, &[(2, true)], Role::Leader),
        (
            5,
            &[(2, true), (3, true), (4, true), (5, true)],
            Role::Leader,
        ),
        (5, &[(2, true), (3, true), (4, true)], Role::Leader),
        (5, &[(2, true), (3, true)], Role::Leader),
        (3, &[(2, false), (3, false)], Role::Follower),
        (
            5,
            &[(2, false), (3, false), (4, false), (5, false)],
            Role::Follower,
        ),
        (
            5,
            &[(2, true), (3, false), (4, false), (5, false)],
            Role::Follower,
        ),
        (3, &[], Role::Candidate),
        (5, &[(2, true)], Role::Candidate),
        (5, &[(2, false), (3, false)], Role::Candidate),
        (5, &[], Role::Candidate),
    ];
    for (i, (size, votes, want)) in cases.iter().enumerate() {
        let mut n = fresh(1, &ids(*size));
        n.campaign();
        n.take_messages();
        for &(from, granted) in votes.iter() {
            n.step(vote_resp(from, 1, 1, granted)).unwrap();
        }
        assert_eq!(n.role(), *want, "case {i}");
        assert_eq!(n.term(), 1, "case {i}");
    }
}

// Scenario from etcd raft_paper_test.go TestFollowerVote and TinyKV 2AA
// TestFollowerVote2AA, §5.2: a server votes for at most one candidate per term, first come
// first served; repeating the vote for the same candidate is fine.
#[test]
fn one_vote_per_term_first_come_first_served() {
    let cases: &[(Option<NodeId>, NodeId, bool)] = &[
        (None, 2, true),
        (None, 3, true),
        (Some(2), 2, true),
        (Some(3), 3, true),
        (Some(2), 3, false),
        (Some(3), 2, false),
    ];
    for (i, &(voted, candidate, granted)) in cases.iter().enumerate() {
        let mut n = node(1, config(&[1, 2, 3]), state(1, voted, &[]));
        n.step(vote_req(candidate, 1, 1, 0, 0)).unwrap();
        let out = n.take_messages();
        assert_eq!(out.len(), 1, "case {i}");
        assert_eq!(out[0].to, candidate, "case {i}");
        assert_eq!(out[0].term, 1, "case {i}");
        assert_eq!(
            out[0].kind,
            MessageKind::RequestVoteResponse { granted },
            "case {i}"
        );
        let expect_vote = if granted { Some(candidate) } else { voted };
        assert_eq!(n.voted_for(), expect_vote, "case {i}");
    }
}

// Scenario from etcd raft_paper_test.go TestCandidateFallback and raft-rs
// test_candidate_fallback, §5.2: a candidate that hears AppendEntries from a leader whose
// term is at least its own concedes and becomes a follower of that leader.
#[test]
fn candidate_concedes_to_append_of_same_or_higher_term() {
    for term in [1, 2] {
        let mut n = fresh(1, &[1, 2, 3]);
        make_candidate(&mut n);
        assert_eq!(n.term(), 1);
        n.step(heartbeat(2, 1, term, 0, 0, 0)).unwrap();
        assert_eq!(n.role(), Role::Follower, "term {term}");
        assert_eq!(n.term(), term);
        assert_eq!(n.leader_id(), Some(2));
    }
}

// Scenario from etcd raft_paper_test.go TestFollowerElectionTimeoutRandomized and
// TestCandidateElectionTimeoutRandomized, §5.2: election timeouts are random in
// [min, max), and over many rounds every value in the range occurs.
// A set election timer fires after exactly its ticks; a leader's heartbeat restarts it at
// that same length; the next election draws a random one again; a leader ignores it.
#[test]
fn a_set_election_timer_fires_on_time_and_lasts_until_the_next_election() {
    let mut n = fresh(1, &[1, 2, 3]);
    follow(&mut n, 2, 1);
    n.set_election_timer(3);
    assert_eq!((n.election_elapsed(), n.election_timeout()), (0, 3));
    n.tick();
    n.tick();
    n.step(heartbeat(2, 1, 1, 0, 0, 0)).unwrap();
    n.take_messages();
    assert_eq!(n.election_elapsed(), 0, "a heartbeat restarts the timer");
    assert_eq!(ticks_until_message(&mut n, 2 * ELECTION_MAX), 3);
    assert_eq!((n.role(), n.term()), (Role::Candidate, 2));
    assert!((ELECTION_MIN..ELECTION_MAX).contains(&n.election_timeout()));

    // Zero ticks means the next one.
    n.set_election_timer(0);
    assert_eq!(ticks_until_message(&mut n, 2), 1);
    assert_eq!(n.term(), 3);

    let mut l = fresh(1, &[1, 2, 3]);
    make_leader(&mut l);
    let before = (l.election_elapsed(), l.election_timeout());
    l.set_election_timer(1);
    assert_eq!((l.election_elapsed(), l.election_timeout()), before);
}

#[test]
fn election_timeout_is_randomized_over_the_whole_range() {
    for as_candidate in [false, true] {
        let mut n = fresh(1, &[1, 2, 3]);
        let mut seen = std::collections::BTreeSet::new();
        for round in 0..300u64 {
            if as_candidate {
                make_candidate(&mut n);
            } else {
                let t = n.term() + 1;
                follow(&mut n, 2, t);
            }
            let t = n.election_timeout();
            assert!(
                (ELECTION_MIN..ELECTION_MAX).contains(&t),
                "timeout {t} out of range in round {round}"
            );
            let fired = ticks_until_message(&mut n, 2 * ELECTION_MAX);
            assert!(
                (ELECTION_MIN..ELECTION_MAX).contains(&fired),
                "fired after {fired} ticks"
            );
            seen.insert(fired);
        }
        let all: std::collections::BTreeSet<u32> = (ELECTION_MIN..ELECTION_MAX).collect();
        assert_eq!(seen, all, "candidate={as_candidate}");
    }
}

// Scenario from etcd raft_paper_test.go TestFollowersElectionTimeoutNonconflict, §5.2:
// randomized timeouts mean that in most rounds only one of five servers times out first.
#[test]
fn randomized_timeouts_rarely_collide() {
    let voters = ids(5);
    let mut nodes: Vec<RaftNode> = voters.iter().map(|&id| fresh(id, &voters)).collect();
    let mut conflicts = 0;
    let rounds = 500;
    for _ in 0..rounds {
        for n in nodes.iter_mut() {
            let t = n.term() + 1;
            let leader = if n.id() == 1 { 2 } else { 1 };
            follow(n, leader, t);
        }
        let mut fired = 0;
        while fired == 0 {
            for n in nodes.iter_mut() {
                n.tick();
                if !n.take_messages().is_empty() {
                    fired += 1;
                }
            }
        }
        if fired > 1 {
            conflicts += 1;
        }
    }
    assert!(
        conflicts * 10 <= rounds * 3,
        "{conflicts} of {rounds} rounds had simultaneous timeouts"
    );
}

// Scenario from etcd raft_paper_test.go testUpdateTermFromMessage and TestAllServerStepdown
// (also TinyKV 2AA TestLeaderUpdateTermFromMessage2AA), §5.1: a server that sees a higher
// term adopts it, and a candidate or leader reverts to follower.
#[test]
fn every_role_steps_down_on_higher_term() {
    for role in [Role::Follower, Role::Candidate, Role::Leader] {
        for via_vote in [false, true] {
            let mut n = fresh(1, &[1, 2, 3]);
            match role {
                Role::Follower => follow(&mut n, 2, 1),
                Role::Candidate => make_candidate(&mut n),
                _ => make_leader(&mut n),
            }
            assert_eq!(n.role(), role);
            let m = if via_vote {
                vote_req(3, 1, 3, 5, 2)
            } else {
                heartbeat(2, 1, 3, 0, 0, 0)
            };
            n.step(m).unwrap();
            assert_eq!(n.role(), Role::Follower, "{role:?} via_vote={via_vote}");
            assert_eq!(n.term(), 3, "{role:?} via_vote={via_vote}");
            if via_vote {
                assert_eq!(n.voted_for(), Some(3));
                assert_eq!(n.leader_id(), None);
            } else {
                assert_eq!(n.leader_id(), Some(2));
            }
        }
    }
}

// Scenario from etcd raft_paper_test.go TestRejectStaleTermMessage and TinyKV 2AA
// TestRejectStaleTermMessage, §5.1: a request with a stale term is rejected and changes
// nothing: not the log, not the leader, not the term.
#[test]
fn stale_term_messages_change_nothing() {
    let mut n = fresh(1, &[1, 2, 3]);
    follow(&mut n, 2, 2);
    n.step(append(3, 1, 1, 0, 0, log(&[1]), 1)).unwrap();
    assert_eq!(n.term(), 2);
    assert_eq!(n.leader_id(), Some(2));
    assert_eq!(n.last_index(), 0);
    assert_eq!(n.commit_index(), 0);
    // A stale vote request is not granted either.
    n.step(vote_req(3, 1, 1, 10, 1)).unwrap();
    assert_eq!(n.voted_for(), None);
    for m in n.take_messages() {
        assert!(
            m.kind != MessageKind::RequestVoteResponse { granted: true },
            "granted a stale vote: {m:?}"
        );
        assert_eq!(m.term, 2, "any answer carries the current term");
    }
    // A leader does not step down for a stale message.
    let mut l = fresh(1, &[1, 2, 3]);
    make_leader(&mut l);
    let t = l.term();
    l.step(vote_req(3, 1, t - 1, 10, 10)).unwrap();
    assert_eq!(l.role(), Role::Leader);
}

// Scenario from etcd raft_paper_test.go TestVoteRequest, §5.4.1: a vote request carries the
// candidate's last log index and term.
#[test]
fn vote_request_carries_last_log_position() {
    for (terms, want_term) in [(vec![1], 2), (vec![1, 2], 3)] {
        let mut n = fresh(1, &[1, 2, 3]);
        let entries = log(&terms);
        n.step(append(2, 1, want_term - 1, 0, 0, entries, 0))
            .unwrap();
        n.take_messages();
        let mut sent = Vec::new();
        for _ in 0..2 * ELECTION_MAX {
            n.tick();
            sent.extend(n.take_messages());
            if !sent.is_empty() {
                break;
            }
        }
        let votes = of_kind(&sent, "RequestVote");
        assert_eq!(votes.len(), 2);
        for m in votes {
            assert_eq!(m.term, want_term);
            match m.kind {
                MessageKind::RequestVote {
                    last_log_index,
                    last_log_term,
                    ..
                } => {
                    assert_eq!(last_log_index, terms.len() as u64);
                    assert_eq!(last_log_term, *terms.last().unwrap());
                }
                _ => unreachable!(),
            }
        }
    }
}

// Scenario from etcd raft_paper_test.go TestVoter and TinyKV 2AB TestVoter2AB, §5.4.1: a
// voter denies its vote when its own log is more up to date (higher last term, or same
// last term and longer).
#[test]
fn voter_denies_candidates_with_stale_logs() {
    let cases: &[(&[u64], u64, u64, bool)] = &[
        // same last term
        (&[1], 1, 1, true),
        (&[1], 1, 2, true),
        (&[1, 1], 1, 1, false),
        // candidate has a higher last term
        (&[1], 2, 1, true),
        (&[1], 2, 2, true),
        (&[1, 1], 2, 1, true),
        // voter has a higher last term
        (&[2], 1, 1, false),
        (&[2], 1, 2, false),
        (&[2, 2], 1, 1, false),
        (&[1, 1], 1, 1, false),
    ];
    for (i, &(voter_log, last_term, last_index, granted)) in cases.iter().enumerate() {
        let mut n = node(1, config(&[1, 2]), state(0, None, voter_log));
        n.step(vote_req(2, 1, 3, last_index, last_term)).unwrap();
        let out = n.take_messages();
        assert_eq!(out.len(), 1, "case {i}");
        assert_eq!(
            out[0].kind,
            MessageKind::RequestVoteResponse { granted },
            "case {i}"
        );
        assert_eq!(
            n.term(),
            3,
            "case {i}: the higher term is adopted either way"
        );
    }
}

// Scenario from etcd raft_test.go TestLeaderElection (also TinyKV 2AA TestLeaderElection2AA
// and raft-rs test_leader_election), §5.2: an election succeeds only with a majority of
// live voters, and a candidate with a stale log loses (§5.4.1).
#[test]
fn network_election_needs_a_live_majority() {
    // (cluster size, ids that are running, expected role of node 1)
    let cases: &[(u64, &[NodeId], Role)] = &[
        (3, &[1, 2, 3], Role::Leader),
        (3, &[1, 2], Role::Leader),
        (3, &[1], Role::Candidate),
        (4, &[1, 2], Role::Candidate),
        (5, &[1, 2, 3], Role::Leader),
    ];
    for (i, &(size, running, want)) in cases.iter().enumerate() {
        let voters = ids(size);
        let nodes = running.iter().map(|&id| fresh(id, &voters)).collect();
        let mut net = Network::from_nodes(nodes, 7);
        net.campaign(1);
        assert_eq!(net.role(1), want, "case {i}");
        assert_eq!(net.term(1), 1, "case {i}");
    }
    // Three peers further along in the same term deny a candidate whose log is empty;
    // a majority of denials sends it back to follower.
    let voters = ids(5);
    let mut nodes = vec![fresh(1, &voters), fresh(5, &voters)];
    for (id, terms) in [(2, vec![1]), (3, vec![1]), (4, vec![1, 1])] {
        nodes.push(node_with_log(id, &voters, 1, &terms));
    }
    let mut net = Network::from_nodes(nodes, 7);
    net.campaign(1);
    assert_eq!(net.role(1), Role::Follower);
    assert_eq!(net.term(1), 1);
}

// Scenario from etcd raft_test.go TestSingleNodeCandidate and TestCampaignWhileLeader, §5.2:
// a single voter elects itself at once; campaigning again while leader changes nothing.
#[test]
fn single_node_elects_itself_and_campaign_while_leader_is_a_no_op() {
    let mut n = fresh(1, &[1]);
    n.campaign();
    assert_eq!(n.role(), Role::Leader);
    assert_eq!(n.term(), 1);
    n.campaign();
    assert_eq!(n.role(), Role::Leader);
    assert_eq!(n.term(), 1);
}

// Scenario from etcd raft_test.go TestDuelingCandidates (also TinyKV 2AB
// TestDuelingCandidates2AB, raft-rs test_dueling_candidates), §5.2 and §5.4.1: two
// candidates split by a cut; the one that loses keeps a higher term and, once the network
// heals, disrupts the leader but cannot win with its shorter log.
#[test]
fn dueling_candidates() {
    let mut net = Network::cluster(3, false, false);
    net.cut(1, 3);
    net.campaign(1);
    net.campaign(3);
    assert_eq!(net.role(1), Role::Leader);
    assert_eq!(net.role(3), Role::Candidate, "3 got only its own vote");
    net.recover();
    // 3 times out again, in term 2; its log lacks the leader's no-op, so it loses.
    net.campaign(3);
    for id in [1, 2, 3] {
        assert_eq!(net.role(id), Role::Follower, "node {id}");
        assert_eq!(net.term(id), 2, "node {id}");
    }
    assert_eq!(net.node(1).last_index(), 1);
    assert_eq!(net.node(2).last_index(), 1);
    assert_eq!(net.node(3).last_index(), 0);
    assert_eq!(net.node(1).commit_index(), 1);
}

// Scenario from etcd raft_test.go TestCandidateConcede (also TinyKV 2AB
// TestCandidateConcede2AB), §5.2: an isolated candidate concedes when it hears from the
// leader elected meanwhile, and its log is brought in line.
#[test]
fn isolated_candidate_concedes_to_the_leader() {
    let mut net = Network::cluster(3, false, false);
    net.isolate(1);
    net.campaign(1);
    net.campaign(3);
    assert_eq!(net.role(1), Role::Candidate);
    assert_eq!(net.role(3), Role::Leader);
    assert_eq!(net.term(1), net.term(3));
    net.recover();
    net.heartbeats(3, 1);
    net.propose(3, b"force follower").unwrap();
    net.heartbeats(3, 1);
    assert_eq!(net.role(1), Role::Follower);
    assert_eq!(net.term(1), 1);
    assert_eq!(net.node(1).leader_id(), Some(3));
    for id in [1, 2] {
        assert_eq!(net.node(id).entries(), net.node(3).entries(), "node {id}");
        assert_eq!(net.node(id).commit_index(), 2, "node {id}");
    }
}

// Scenario after etcd raft_test.go TestPreVoteWithSplitVote, without PreVote, §5.2: two
// candidates each collect half of a four-node cluster; nobody wins the term, and the
// randomized timeouts settle it in a later term.
#[test]
fn split_vote_is_resolved_in_a_later_term() {
    let mut net = Network::cluster(4, false, false);
    net.cut(1, 4);
    net.cut(1, 3);
    net.cut(3, 2);
    net.node_mut(1).campaign();
    net.node_mut(3).campaign();
    net.deliver();
    assert_eq!(net.role(1), Role::Candidate);
    assert_eq!(net.role(3), Role::Candidate);
    assert_eq!(net.node(2).voted_for(), Some(1));
    assert_eq!(net.node(4).voted_for(), Some(3));
    assert!(net.leaders().is_empty());
    net.recover();
    for _ in 0..20 * ELECTION_MAX {
        if !net.leaders().is_empty() {
            break;
        }
        net.tick_all(1);
    }
    let leaders = net.leaders();
    assert_eq!(leaders.len(), 1, "exactly one leader");
    assert!(net.term(leaders[0]) >= 2);
}

// Scenario from etcd raft_test.go TestOldMessages (also TinyKV 2AB TestOldMessages2AB),
// §5.1: an AppendEntries from a deposed leader's old term is ignored and leaves the log
// alone.
#[test]
fn old_term_appends_are_ignored() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.elect(2);
    net.elect(1);
    assert_eq!(net.term(1), 3);
    // The term-2 leader's belated append of an entry at index 3.
    net.send(vec![append(2, 1, 2, 2, 2, vec![entry(2, 3)], 0)]);
    net.propose(1, b"somedata").unwrap();
    net.heartbeats(1, 1);
    for id in [1, 2, 3] {
        let n = net.node(id);
        assert_eq!(terms_of(n), vec![1, 2, 3, 3], "node {id}");
        assert_eq!(n.commit_index(), 4, "node {id}");
    }
    assert_eq!(net.applied_commands(1), vec![b"somedata".to_vec()]);
}

/// Builds the five nodes of etcd's TestLeaderElectionOverwriteNewerLogs: node 1 won term 1
/// and gave its entry to node 2 only; node 3 won term 2 and wrote an entry nobody else
/// has; nodes 4 and 5 voted for 3 in term 2 but got no entries.
fn overwrite_newer_logs_cluster(pre_vote: bool) -> Network {
    let voters = ids(5);
    let cfg = config_with(&voters, pre_vote, false);
    let nodes = vec![
        node(1, cfg.clone(), state(1, None, &[1])),
        node(2, cfg.clone(), state(1, None, &[1])),
        node(3, cfg.clone(), state(2, None, &[2])),
        node(4, cfg.clone(), state(2, Some(3), &[])),
        node(5, cfg, state(2, Some(3), &[])),
    ];
    Network::from_nodes(nodes, 11)
}

// Scenario from etcd raft_test.go TestLeaderElectionOverwriteNewerLogs and
// TestLeaderElectionOverwriteNewerLogsPreVote (TinyKV TestLeaderElectionOverwriteNewerLogs2AB,
// raft-rs test_leader_election_overwrite_newer_logs), §5.4.1: the first campaign fails
// because a quorum already knows term 2; the second wins, and the winner's entry overwrites
// the newer but uncommitted entry of term 2.
#[test]
fn leader_election_overwrites_newer_uncommitted_logs() {
    for pre_vote in [false, true] {
        let mut net = overwrite_newer_logs_cluster(pre_vote);
        net.campaign(1);
        assert_eq!(net.role(1), Role::Follower, "pre_vote={pre_vote}");
        assert_eq!(net.term(1), 2, "pre_vote={pre_vote}");
        net.campaign(1);
        assert_eq!(net.role(1), Role::Leader, "pre_vote={pre_vote}");
        assert_eq!(net.term(1), 3, "pre_vote={pre_vote}");
        for id in 1..=5 {
            assert_eq!(
                terms_of(net.node(id)),
                vec![1, 3],
                "node {id} pre_vote={pre_vote}"
            );
        }
    }
}

// Scenario from etcd raft_test.go TestVoteFromAnyState and TestPreVoteFromAnyState
// (TinyKV TestVoteFromAnyState2AA, raft-rs test_vote_from_any_state), §5.1, §5.2 and thesis
// §9.6: in every role, a vote request for a higher term from an up-to-date candidate is
// granted and resets the receiver to follower in that term; a pre-vote request is granted
// and changes nothing.
#[test]
fn vote_from_any_state() {
    for pre in [false, true] {
        for role in [
            Role::Follower,
            Role::PreCandidate,
            Role::Candidate,
            Role::Leader,
        ] {
            let mut n = node(
                1,
                config_with(&[1, 2, 3], role == Role::PreCandidate, false),
                state(1, None, &[]),
            );
            match role {
                Role::Follower => follow(&mut n, 3, 1),
                Role::PreCandidate => {
                    n.campaign();
                    n.take_messages();
                }
                Role::Candidate => make_candidate(&mut n),
                Role::Leader => {
                    make_leader(&mut n);
                    n.take_messages();
                }
            }
            assert_eq!(n.role(), role);
            let orig_term = n.term();
            let orig_vote = n.voted_for();
            let new_term = orig_term + 1;
            let m = if pre {
                pre_vote_req(2, 1, new_term, 42, new_term)
            } else {
                vote_req(2, 1, new_term, 42, new_term)
            };
            n.step(m).unwrap();
            let out = n.take_messages();
            assert_eq!(out.len(), 1, "pre={pre} {role:?}");
            let granted = if pre {
                MessageKind::PreVoteResponse { granted: true }
            } else {
                MessageKind::RequestVoteResponse { granted: true }
            };
            assert_eq!(out[0].kind, granted, "pre={pre} {role:?}");
            if pre {
                assert_eq!(n.role(), role, "pre-vote changes nothing");
                assert_eq!(n.term(), orig_term);
                assert_eq!(n.voted_for(), orig_vote);
            } else {
                assert_eq!(n.role(), Role::Follower, "{role:?}");
                assert_eq!(n.term(), new_term, "{role:?}");
                assert_eq!(n.voted_for(), Some(2), "{role:?}");
            }
        }
    }
}

// Scenario from TinyKV raft_test.go TestRecvMessageType_MsgRequestVote2AB (etcd
// TestRecvMsgVote, raft-rs test_recv_msg_request_vote), §5.2 and §5.4.1: a voter whose log
// is [2, 2] answers same-term vote requests by the up-to-date rule and its earlier vote;
// a candidate or leader has voted for itself and refuses.
#[test]
fn receive_vote_request_table() {
    // (role, candidate last index, candidate last term, voted for, granted)
    let cases: &[(Role, u64, u64, Option<NodeId>, bool)] = &[
        (Role::Follower, 0, 0, None, false),
        (Role::Follower, 0, 1, None, false),
        (Role::Follower, 0, 2, None, false),
        (Role::Follower, 0, 3, None, true),
        (Role::Follower, 1, 0, None, false),
        (Role::Follower, 1, 1, None, false),
        (Role::Follower, 1, 2, None, false),
        (Role::Follower, 1, 3, None, true),
        (Role::Follower, 2, 0, None, false),
        (Role::Follower, 2, 1, None, false),
        (Role::Follower, 2, 2, None, true),
        (Role::Follower, 2, 3, None, true),
        (Role::Follower, 3, 0, None, false),
        (Role::Follower, 3, 1, None, false),
        (Role::Follower, 3, 2, None, true),
        (Role::Follower, 3, 3, None, true),
        (Role::Follower, 3, 2, Some(2), true),
        (Role::Follower, 3, 2, Some(1), false),
        (Role::Leader, 3, 3, Some(1), false),
        (Role::Candidate, 3, 3, Some(1), false),
    ];
    for (i, &(role, index, log_term, voted, granted)) in cases.iter().enumerate() {
        let term = log_term.max(2);
        let mut n = match role {
            Role::Follower => node(1, config(&[1, 2]), state(term, voted, &[2, 2])),
            _ => {
                // Campaigning from term 2 lands in term 3, voting for itself.
                let mut n = node(1, config(&[1, 2, 3]), state(2, None, &[2, 2]));
                if role == Role::Leader {
                    make_leader(&mut n);
                } else {
                    make_candidate(&mut n);
                }
                n.take_messages();
                n
            }
        };
        assert_eq!(n.term(), term, "case {i}");
        n.step(vote_req(2, 1, term, index, log_term)).unwrap();
        let out = n.take_messages();
        assert_eq!(out.len(), 1, "case {i}");
        assert_eq!(
            out[0].kind,
            MessageKind::RequestVoteResponse { granted },
            "case {i}"
        );
    }
}

// Scenario from TinyKV raft_test.go TestSplitVote2AA (etcd TestPreVoteWithSplitVote without
// PreVote), §5.2: after the leader dies, both followers time out together and vote for
// themselves; nobody wins that term, and whoever times out next wins the following one.
#[test]
fn split_vote_after_leader_dies() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.isolate(1);
    net.node_mut(2).campaign();
    net.node_mut(3).campaign();
    net.deliver();
    for id in [2, 3] {
        assert_eq!(net.role(id), Role::Candidate, "node {id}");
        assert_eq!(net.term(id), 2, "node {id}");
    }
    net.campaign(2);
    assert_eq!(net.role(2), Role::Leader);
    assert_eq!(net.role(3), Role::Follower);
    assert_eq!(net.term(2), 3);
    assert_eq!(net.term(3), 3);
}

// Scenario from etcd raft_test.go TestCandidateResetTermMsgHeartbeat and
// TestCandidateResetTermMsgApp (TinyKV TestCandidateResetTermMessageType_MsgHeartbeat2AA /
// _MsgAppend2AA), §5.2: a candidate that was cut off while the others moved two terms ahead
// reverts to follower, in the leader's term, on the leader's heartbeat or append.
#[test]
fn isolated_candidate_resets_term_on_leader_contact() {
    for with_entries in [false, true] {
        let mut net = Network::cluster(3, false, false);
        net.elect(1);
        net.isolate(3);
        net.elect(2);
        net.elect(1);
        assert_eq!(net.term(1), 3);
        // Node 3 times out once, alone: a candidate in term 2, behind the leader's 3.
        for _ in 0..ELECTION_MAX {
            if net.role(3) == Role::Candidate {
                break;
            }
            net.tick(3, 1);
        }
        assert_eq!(net.role(3), Role::Candidate);
        assert_eq!(net.term(3), 2);
        net.recover();
        if with_entries {
            // An append of the leader's first entry, sent straight to 3.
            let first = net.node(1).entries()[0].clone();
            let t = net.term(1);
            net.send(vec![append(1, 3, t, 0, 0, vec![first], 0)]);
        } else {
            net.heartbeats(1, 1);
        }
        assert_eq!(net.role(3), Role::Follower, "entries={with_entries}");
        assert_eq!(net.term(3), net.term(1), "entries={with_entries}");
        assert_eq!(net.node(3).leader_id(), Some(1));
    }
}

// Scenario from etcd raft_test.go TestLeaderCycle (TinyKV TestLeaderCycle2AA, raft-rs
// test_leader_cycle), §5.2: each node in turn can be elected, and the others follow it in
// its term.
#[test]
fn leader_cycle() {
    let mut net = Network::cluster(3, false, false);
    for (round, id) in [1, 2, 3, 1].into_iter().enumerate() {
        net.elect(id);
        let term = round as u64 + 1;
        for other in [1, 2, 3] {
            assert_eq!(net.term(other), term, "node {other} after {id} won");
            if other != id {
                assert_eq!(net.role(other), Role::Follower);
                assert_eq!(net.node(other).leader_id(), Some(id));
            }
        }
    }
}
