//! Leadership transfer (thesis §3.10) and ReadIndex reads (§6.4, thesis §6.4).

mod harness;

use harness::*;
use raft_core::{Error, MessageKind, ReadState, Role};

/// Asserts who leads and in which term after a transfer.
fn assert_leader(net: &Network, leader: u64, term: u64) {
    assert_eq!(net.leaders(), vec![leader]);
    for (&id, n) in &net.nodes {
        assert_eq!(n.term(), term, "node {id}");
        assert_eq!(n.lead_transferee(), None, "node {id}");
        if id != leader {
            assert_eq!(n.role(), Role::Follower, "node {id}");
        }
    }
}

// Scenario from etcd raft_test.go TestLeaderTransferToUpToDateNode and
// TestLeaderTransferBack (raft-rs test_leader_transfer_to_uptodate_node), thesis §3.10:
// the leader sends TimeoutNow to an up-to-date target, which wins at once in the next term;
// and leadership can be handed back the same way.
#[test]
fn transfer_to_up_to_date_node_and_back() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.node_mut(1).transfer_leadership(2).unwrap();
    net.deliver();
    assert_eq!(net.delivered("TimeoutNow").len(), 1);
    assert_leader(&net, 2, 2);
    // After the transfer, the new leader still commits proposals.
    net.propose(2, b"after transfer").unwrap();
    assert_eq!(net.node(2).commit_index(), net.node(2).last_index());
    net.node_mut(2).transfer_leadership(1).unwrap();
    net.deliver();
    assert_leader(&net, 1, 3);
}

// Scenario from etcd raft_test.go TestLeaderTransferWithCheckQuorum and
// TestLeaderTransferToUpToDateNode with PreVote, thesis §3.10 and §9.6: a transfer's
// election skips PreVote and is not refused under the CheckQuorum lease, because the
// target says it is a transfer.
#[test]
fn transfer_overrides_pre_vote_and_lease() {
    let mut net = Network::cluster(3, true, true);
    net.elect(1);
    net.node_mut(1).transfer_leadership(2).unwrap();
    net.deliver();
    assert_leader(&net, 2, 2);
    let marked = net
        .delivered("RequestVote")
        .iter()
        .any(|m| matches!(m.kind, MessageKind::RequestVote { transfer: true, .. }) && m.from == 2);
    assert!(marked, "the target's vote requests say it is a transfer");
}

// Scenario from etcd raft_test.go TestLeaderTransferToSlowFollower (raft-rs
// test_leader_transfer_to_slow_follower), thesis §3.10: the leader first brings a lagging
// target up to date, then tells it to time out.
#[test]
fn transfer_to_lagging_follower_catches_it_up_first() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.isolate(3);
    net.propose(1, b"x").unwrap();
    net.recover();
    assert_eq!(net.node(1).progress(3).unwrap().match_index, 1);
    net.node_mut(1).transfer_leadership(3).unwrap();
    net.deliver();
    assert_leader(&net, 3, 2);
    assert_eq!(
        terms_of(net.node(3))[..2],
        [1, 1],
        "3 got the entry it lacked"
    );
}

// Scenario from etcd raft_test.go TestLeaderTransferTimeout and
// TestLeaderTransferSecondTransferToSameNode (raft-rs test_leader_transfer_timeout),
// thesis §3.10: a transfer that does not complete within an election timeout is aborted,
// and the old leader carries on.
#[test]
fn transfer_to_unreachable_node_aborts_after_election_timeout() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.isolate(3);
    net.node_mut(1).transfer_leadership(3).unwrap();
    net.deliver();
    assert_eq!(net.node(1).lead_transferee(), Some(3));
    net.tick(1, HEARTBEAT);
    assert_eq!(net.node(1).lead_transferee(), Some(3));
    net.tick(1, 2 * ELECTION_MAX);
    assert_eq!(net.node(1).lead_transferee(), None, "transfer aborted");
    assert_eq!(net.role(1), Role::Leader);
    assert_eq!(net.term(1), 1);
    // Once aborted, the leader accepts proposals again.
    assert!(net.propose(1, b"x").is_ok());
}

// Scenario from etcd raft_test.go TestLeaderTransferIgnoreProposal (raft-rs
// test_leader_transfer_ignore_proposal), thesis §3.10: while a transfer is under way the
// leader refuses proposals, since its term is about to end.
#[test]
fn proposals_refused_during_transfer() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.isolate(3);
    net.node_mut(1).transfer_leadership(3).unwrap();
    net.deliver();
    let last = net.node(1).last_index();
    assert!(net.propose(1, b"x").is_err());
    assert_eq!(net.node(1).last_index(), last, "nothing appended");
    assert_eq!(net.node(1).progress(2).unwrap().match_index, last);
}

// Scenario from etcd raft_test.go TestLeaderTransferSecondTransferToAnotherNode,
// TestLeaderTransferToSelf, TestLeaderTransferToNonExistingNode and TestTransferNonMember,
// thesis §3.10: one transfer at a time; a transfer to a non-member is an error; a transfer
// to itself changes nothing.
#[test]
fn transfer_requests_that_cannot_proceed() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    assert_eq!(
        net.node_mut(1).transfer_leadership(4),
        Err(Error::UnknownPeer(4))
    );
    assert_eq!(net.node(1).lead_transferee(), None);
    let _ = net.node_mut(1).transfer_leadership(1);
    net.deliver();
    assert_leader(&net, 1, 1);
    net.isolate(3);
    net.node_mut(1).transfer_leadership(3).unwrap();
    assert_eq!(
        net.node_mut(1).transfer_leadership(2),
        Err(Error::TransferInProgress(3))
    );
    // Only a leader can transfer.
    assert!(matches!(
        net.node_mut(2).transfer_leadership(3),
        Err(Error::NotLeader { .. })
    ));
}

// Scenario from etcd raft_test.go TestReadOnlyOptionSafe (raft-rs test_read_only_option_safe
// and TinyKV's ReadIndex), §6.4: a read returns the commit index once a heartbeat round
// confirms the leader still leads; the context comes back with it.
#[test]
fn read_index_confirms_leadership_then_returns_commit() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.propose(1, b"a").unwrap();
    let commit = net.node(1).commit_index();
    net.clear_trace();
    net.node_mut(1).read_index(7).unwrap();
    net.deliver();
    let got = net.node_mut(1).take_read_states();
    assert_eq!(
        got,
        vec![ReadState {
            ctx: 7,
            index: commit
        }]
    );
    assert!(
        !net.delivered("AppendEntriesResponse").is_empty(),
        "leadership was confirmed by a round of acknowledgements"
    );
    // Several reads keep their contexts apart.
    net.node_mut(1).read_index(8).unwrap();
    net.node_mut(1).read_index(9).unwrap();
    net.deliver();
    let ctxs: Vec<u64> = net
        .node_mut(1)
        .take_read_states()
        .iter()
        .map(|r| r.ctx)
        .collect();
    assert_eq!(ctxs, vec![8, 9]);
}

// Scenario from etcd raft_test.go TestReadOnlyOptionSafe (followers) and TinyKV's read
// path, §6.4 and §8: a read on a follower is refused with the leader's name.
#[test]
fn read_index_on_follower_names_the_leader() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    assert_eq!(
        net.node_mut(2).read_index(1),
        Err(Error::NotLeader {
            node: 2,
            leader: Some(1)
        })
    );
}

// Scenario from etcd raft_test.go TestReadOnlyOptionSafe with a partitioned leader, §6.4:
// a leader cut off from its quorum cannot confirm leadership, so it answers no read.
#[test]
fn read_index_needs_a_quorum() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.isolate(1);
    let _ = net.node_mut(1).read_index(5);
    net.deliver();
    net.tick(1, 3 * HEARTBEAT);
    assert!(net.node_mut(1).take_read_states().is_empty());
}

// Scenario from etcd raft_test.go TestReadOnlyForNewLeader (raft-rs
// test_read_only_for_new_leader), §6.4 and §8: a new leader does not know what is committed
// until its own no-op commits, so it serves no read with an older index before that.
#[test]
fn new_leader_serves_reads_only_after_its_noop_commits() {
    let voters = ids(3);
    let nodes = voters
        .iter()
        .map(|&id| node(id, config(&voters), state(1, None, &[1, 1])))
        .collect();
    let mut net = Network::from_nodes(nodes, 6);
    net.ignore("AppendEntries");
    net.elect(1);
    let noop = net.node(1).last_index();
    assert_eq!(noop, 3);
    let asked = net.node_mut(1).read_index(11);
    net.deliver();
    assert!(net.node_mut(1).take_read_states().is_empty());
    net.recover();
    net.heartbeats(1, 2);
    assert_eq!(net.node(1).commit_index(), noop);
    let mut got = net.node_mut(1).take_read_states();
    if asked.is_ok() {
        assert_eq!(
            got,
            vec![ReadState {
                ctx: 11,
                index: noop
            }],
            "deferred read answered"
        );
    }
    net.node_mut(1).read_index(12).unwrap();
    net.deliver();
    got = net.node_mut(1).take_read_states();
    assert_eq!(
        got,
        vec![ReadState {
            ctx: 12,
            index: noop
        }]
    );
}

// Scenario from etcd rawnode_test.go TestRawNodeReadIndex and raft-rs
// test_raw_node_read_index (single voter), §6.4: a lone voter is its own quorum and answers a read at once.
#[test]
fn single_node_read_index_is_immediate() {
    let mut n = fresh(1, &[1]);
    n.campaign();
    n.take_committed();
    n.read_index(3).unwrap();
    assert_eq!(
        n.take_read_states(),
        vec![ReadState {
            ctx: 3,
            index: n.commit_index()
        }]
    );
}

// Scenario from etcd raft_test.go TestLeaderTransferReceiveHigherTermVote (TinyKV
// TestLeaderTransferReceiveHigherTermVote3A), thesis §3.10 and §5.1: while a transfer to an
// unreachable node is pending, another node's election in a higher term deposes the leader
// and the pending transfer is forgotten.
#[test]
fn pending_transfer_yields_to_a_higher_term_election() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.isolate(3);
    net.node_mut(1).transfer_leadership(3).unwrap();
    net.deliver();
    assert_eq!(net.node(1).lead_transferee(), Some(3));
    net.campaign(2);
    assert_eq!(net.role(2), Role::Leader);
    assert_eq!(net.role(1), Role::Follower);
    assert_eq!(net.term(1), 2);
    assert_eq!(net.node(1).lead_transferee(), None);
}
