//! PreVote (thesis §9.6) and CheckQuorum (thesis §6.2 and §9.6): disruptive servers,
//! stuck candidates, leaders that lose their quorum.

mod harness;

use harness::*;
use raft_core::{MessageKind, Role};

// Scenario from etcd raft_test.go TestRecvMsgPreVote and TestSingleNodePreCandidate,
// thesis §9.6: a pre-candidate asks "would you vote for me in the
// next term?" without raising its own term or casting a vote.
#[test]
fn pre_candidate_keeps_its_term_and_asks_for_the_next() {
    let mut n = node(
        1,
        config_with(&[1, 2, 3], true, false),
        state(0, None, &[1]),
    );
    n.campaign();
    assert_eq!(n.role(), Role::PreCandidate);
    assert_eq!(n.term(), 0);
    assert_eq!(n.voted_for(), None);
    let out = n.take_messages();
    assert_eq!(recipients(&out), vec![2, 3]);
    for m in &out {
        assert_eq!(m.term, 1, "asks about the next term");
        assert_eq!(
            m.kind,
            MessageKind::PreVote {
                last_log_index: 1,
                last_log_term: 1
            }
        );
    }
    // A single voter needs nobody: it goes straight through to leader.
    let mut solo = node(1, config_with(&[1], true, false), Default::default());
    solo.campaign();
    assert_eq!(solo.role(), Role::Leader);
    assert_eq!(solo.term(), 1);
}

// Scenario from etcd raft_test.go TestRecvMsgPreVote, thesis §9.6: answering a PreVote
// changes nothing on the receiver, neither its term nor its vote; the answer applies the
// same up-to-date check as a real vote.
#[test]
fn answering_pre_vote_changes_no_state() {
    for (cand_last_term, granted) in [(2, true), (1, false)] {
        let mut n = node(
            2,
            config_with(&[1, 2, 3], true, false),
            state(1, None, &[1, 1]),
        );
        n.step(pre_vote_req(1, 2, 5, 1, cand_last_term)).unwrap();
        assert_eq!(n.term(), 1);
        assert_eq!(n.voted_for(), None);
        assert_eq!(n.role(), Role::Follower);
        let out = n.take_messages();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, MessageKind::PreVoteResponse { granted });
    }
}

// Scenario from etcd raft_test.go TestLeaderElectionPreVote and TestLeaderCyclePreVote
// (raft-rs test_leader_election_pre_vote), thesis §9.6: with PreVote on, elections still
// succeed with a live majority, and the term rises by one only.
#[test]
fn pre_vote_elections_succeed_with_a_majority() {
    let mut net = Network::cluster(3, true, false);
    for id in [1, 2, 3] {
        net.elect(id);
        for other in [1, 2, 3] {
            assert_eq!(net.term(other), id, "after node {id} won");
        }
    }
    // Without a majority the pre-candidate never gets as far as raising its term.
    let voters = ids(3);
    let nodes = vec![node(
        1,
        config_with(&voters, true, false),
        Default::default(),
    )];
    let mut net = Network::from_nodes(nodes, 2);
    net.campaign(1);
    assert_ne!(net.role(1), Role::Leader);
    assert_eq!(net.term(1), 0);
}

// Scenario from etcd raft_test.go TestDuelingPreCandidates (raft-rs
// test_dueling_pre_candidates), thesis §9.6: the PreVote round of a server with a stale log
// fails, so unlike the plain dueling candidates it does not disrupt the leader's term.
#[test]
fn dueling_pre_candidates_do_not_disrupt() {
    let mut net = Network::cluster(3, true, false);
    net.cut(1, 3);
    net.campaign(1);
    net.campaign(3);
    assert_eq!(net.role(1), Role::Leader);
    assert_ne!(net.role(3), Role::Leader);
    net.recover();
    net.campaign(3);
    // (role, term, last index) of nodes 1, 2, 3: nobody's term moved past 1.
    let want = [
        (Role::Leader, 1, 1),
        (Role::Follower, 1, 1),
        (Role::Follower, 1, 0),
    ];
    for (id, (role, term, last)) in [1, 2, 3].into_iter().zip(want) {
        assert_eq!(net.role(id), role, "node {id}");
        assert_eq!(net.term(id), term, "node {id}");
        assert_eq!(net.node(id).last_index(), last, "node {id}");
    }
}

// Scenario from etcd raft_test.go TestDisruptiveFollower (raft-rs
// test_disruptive_follower), §5.1 and thesis §9.6: without PreVote, a follower that timed
// out while cut off comes back with a higher term; the leader's next heartbeat is
// answered with that term, and the leader steps down.
#[test]
fn rejoining_node_disrupts_leader_without_pre_vote() {
    let mut net = Network::cluster(3, false, true);
    net.elect(1);
    net.isolate(3);
    net.campaign(3);
    assert_eq!(net.role(3), Role::Candidate);
    assert_eq!(net.term(3), 2);
    net.recover();
    net.heartbeats(1, 1);
    assert_eq!(net.role(1), Role::Follower, "the leader was disrupted");
    assert_eq!(net.term(1), 2);
    assert_eq!(net.term(2), 1, "2 has not heard the higher term yet");
    assert_eq!(net.role(3), Role::Candidate);
}

// Scenario from etcd raft_test.go TestDisruptiveFollowerPreVote (raft-rs
// test_disruptive_follower_pre_vote), thesis §9.6: with PreVote, the node that was cut off
// while the log grew cannot even start an election, and the leader keeps its term.
#[test]
fn rejoining_node_does_not_disrupt_with_pre_vote() {
    let mut net = Network::cluster(3, true, true);
    net.elect(1);
    net.isolate(3);
    for _ in 0..3 {
        net.propose(1, b"somedata").unwrap();
    }
    // While cut off, node 3 keeps timing out, but never gets past PreVote.
    net.tick(3, 3 * ELECTION_MAX);
    assert_eq!(net.term(3), 1);
    net.recover();
    net.campaign(3);
    assert_ne!(net.role(3), Role::Leader);
    assert_ne!(net.role(3), Role::Candidate);
    assert_eq!(net.role(1), Role::Leader);
    for id in [1, 2, 3] {
        assert_eq!(net.term(id), 1, "node {id}");
    }
    // The delayed heartbeat brings 3 back in line without any election.
    net.heartbeats(1, 2);
    assert_eq!(net.role(1), Role::Leader);
    assert_eq!(net.role(3), Role::Follower);
    assert_eq!(net.node(3).entries(), net.node(1).entries());
}

// Scenario from etcd raft_test.go TestNodeWithSmallerTermCanCompleteElection (raft-rs
// test_node_with_smaller_term_can_complete_election), thesis §9.6: a node whose term fell
// behind while cut off (PreVote kept it from raising it) still takes part in, and can
// complete, the next election once the leader dies.
#[test]
fn node_with_smaller_term_completes_election_under_pre_vote() {
    // Everyone starts in term 1, as in the original.
    let voters = ids(3);
    let nodes = voters
        .iter()
        .map(|&id| node(id, config_with(&voters, true, false), state(1, None, &[])))
        .collect();
    let mut net = Network::from_nodes(nodes, 4);
    net.cut(1, 3);
    net.cut(2, 3);
    net.elect(1);
    assert_eq!(net.role(2), Role::Follower);
    net.campaign(3);
    assert_eq!(net.role(3), Role::PreCandidate);
    net.elect(2);
    assert_eq!(net.term(1), 3);
    assert_eq!(net.term(2), 3);
    assert_eq!(net.term(3), 1);
    assert_eq!(net.role(1), Role::Follower);
    assert_eq!(net.role(3), Role::PreCandidate);
    // Bring 3 back and let 2 (the leader) crash.
    net.recover();
    net.cut(2, 1);
    net.cut(2, 3);
    net.campaign(3);
    net.campaign(1);
    assert!(
        net.role(1) == Role::Leader || net.role(3) == Role::Leader,
        "1: {:?}, 3: {:?}",
        net.role(1),
        net.role(3)
    );
}

// Scenario from etcd raft_test.go TestPreVoteWithSplitVote (raft-rs
// test_prevote_with_split_vote), thesis §9.6 and §5.2: both followers of a dead leader
// pass PreVote at once and split the real vote; the next one to time out wins.
#[test]
fn pre_vote_split_vote_then_next_timeout_wins() {
    let mut net = Network::cluster(3, true, false);
    net.elect(1);
    net.isolate(1);
    net.node_mut(2).campaign();
    net.node_mut(3).campaign();
    net.deliver();
    assert_eq!(net.role(2), Role::Candidate);
    assert_eq!(net.role(3), Role::Candidate);
    assert_eq!(net.term(2), 2);
    assert_eq!(net.term(3), 2);
    net.campaign(2);
    assert_eq!(net.role(2), Role::Leader);
    assert_eq!(net.role(3), Role::Follower);
    assert_eq!(net.term(2), 3);
    assert_eq!(net.term(3), 3);
}

// Scenario from etcd raft_test.go TestLeaderStepdownWhenQuorumLost (raft-rs
// test_leader_stepdown_when_quorum_lost), thesis §6.2: with CheckQuorum, a leader that has
// not heard from a quorum for an election timeout steps down.
#[test]
fn check_quorum_leader_steps_down_when_quorum_lost() {
    let mut net = Network::cluster(3, false, true);
    net.elect(1);
    net.isolate(1);
    net.tick(1, 2 * ELECTION_MAX + 1);
    assert_ne!(net.role(1), Role::Leader);
    // Without CheckQuorum the isolated leader would keep believing it leads.
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.isolate(1);
    net.tick(1, 5 * ELECTION_MAX);
    assert_eq!(net.role(1), Role::Leader);
}

// Scenario from etcd raft_test.go TestLeaderStepdownWhenQuorumActive (raft-rs
// test_leader_stepdown_when_quorum_active), thesis §6.2: a leader that keeps hearing from
// its quorum keeps leading, however long it runs.
#[test]
fn check_quorum_leader_stays_while_quorum_active() {
    let mut net = Network::cluster(3, true, true);
    net.elect(1);
    net.tick_all(10 * ELECTION_MAX);
    assert_eq!(net.role(1), Role::Leader);
    assert_eq!(net.term(1), 1);
    // Losing one follower still leaves a quorum.
    net.isolate(3);
    net.tick_all(5 * ELECTION_MAX);
    assert_eq!(net.role(1), Role::Leader);
    assert_eq!(net.term(1), 1);
}

// Scenario from etcd raft_test.go TestLeaderSupersedingWithCheckQuorum and
// TestLeaderElectionWithCheckQuorum (raft-rs test_leader_superseding_with_check_quorum),
// thesis §6.2 and §9.6: with CheckQuorum, a server that heard from a leader within the
// election timeout ignores vote requests, so a candidate cannot depose a live leader; once
// the leader is really gone, the others elect a new one.
#[test]
fn check_quorum_lease_protects_a_live_leader() {
    let mut net = Network::cluster(3, false, true);
    net.elect(1);
    net.campaign(3);
    assert_eq!(
        net.role(1),
        Role::Leader,
        "the leader ignored the vote request"
    );
    assert_eq!(net.term(1), 1);
    assert_eq!(net.role(2), Role::Follower);
    assert_eq!(net.term(2), 1);
    assert_eq!(net.node(2).leader_id(), Some(1));
    assert_ne!(net.role(3), Role::Leader);
    // Now the leader dies; after the timeout someone else takes over.
    net.isolate(1);
    net.crash(1);
    for _ in 0..10 * ELECTION_MAX {
        if !net.leaders().is_empty() {
            break;
        }
        net.tick_all(1);
    }
    assert_eq!(net.leaders().len(), 1);
    assert!(net.term(net.leaders()[0]) >= 2);
}

// Scenario from etcd raft_test.go TestFreeStuckCandidateWithCheckQuorum (raft-rs
// test_free_stuck_candidate_with_check_quorum), thesis §9.6: a candidate stuck at a higher
// term (its votes ignored under the lease) is freed when the leader learns its term from
// a heartbeat answer; its next election succeeds.
#[test]
fn check_quorum_stuck_candidate_is_freed() {
    let mut net = Network::cluster(3, false, true);
    net.elect(1);
    net.isolate(1);
    net.campaign(3);
    assert_eq!(net.role(2), Role::Follower);
    assert_eq!(net.role(3), Role::Candidate);
    assert_eq!(net.term(3), net.term(2) + 1);
    net.campaign(3);
    assert_eq!(net.role(2), Role::Follower);
    assert_eq!(net.role(3), Role::Candidate);
    assert_eq!(net.term(3), net.term(2) + 2);
    net.recover();
    net.heartbeats(1, 1);
    assert_eq!(
        net.role(1),
        Role::Follower,
        "the leader learned the higher term"
    );
    assert_eq!(net.term(1), net.term(3));
    net.campaign(3);
    assert_eq!(net.role(3), Role::Leader);
}
