//! Membership changes, one server at a time (thesis §4.1 and §4.2.2).

mod harness;

use harness::*;
use raft_core::{ConfChange, Error, MessageKind, Role};

/// The config a brand-new server is started with: the membership it is joining.
fn joiner(id: u64, voters: &[u64]) -> raft_core::RaftNode {
    node(id, config(voters), Default::default())
}

// Scenario from etcd raft_test.go TestAddNode and TestStepConfig (raft-rs test_add_node),
// thesis §4.1: a configuration entry takes effect on each server as soon as it is in its
// log, without waiting for commitment.
#[test]
fn added_voter_counts_from_the_moment_it_is_appended() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.isolate(1);
    let idx = net
        .node_mut(1)
        .propose_conf_change(ConfChange::AddNode(4))
        .unwrap();
    assert_eq!(idx, 2);
    assert_eq!(
        net.node(1).voters(),
        &[1, 2, 3, 4],
        "in effect once appended"
    );
    assert_eq!(net.node(1).commit_index(), 1, "but not committed");
    assert!(
        net.node(1).progress(4).is_some(),
        "the leader tracks the new voter"
    );
    net.recover();
    net.heartbeats(1, 2);
    for id in [1, 2, 3] {
        assert_eq!(net.node(id).voters(), &[1, 2, 3, 4], "node {id}");
    }
    // Node 4 is not running; with four voters, three still make a quorum.
    net.propose(1, b"x").unwrap();
    assert_eq!(net.node(1).commit_index(), 3);
}

// Scenario from etcd raft_test.go TestStepIgnoreConfig / TestNewLeaderPendingConfig
// (raft-rs test_step_ignore_config), thesis §4.1: a leader accepts a new configuration
// change only once the previous one is committed.
#[test]
fn one_membership_change_at_a_time() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.isolate(1);
    let idx = net
        .node_mut(1)
        .propose_conf_change(ConfChange::AddNode(4))
        .unwrap();
    let last = net.node(1).last_index();
    assert_eq!(
        net.node_mut(1).propose_conf_change(ConfChange::AddNode(5)),
        Err(Error::ChangePending(idx))
    );
    assert_eq!(net.node(1).last_index(), last, "nothing appended");
    // Ordinary proposals are still welcome.
    assert!(net.node_mut(1).propose(b"x".to_vec()).is_ok());
    net.recover();
    net.heartbeats(1, 2);
    assert!(net.node(1).commit_index() >= idx);
    net.node_mut(1)
        .propose_conf_change(ConfChange::AddNode(5))
        .unwrap();
    assert_eq!(net.node(1).voters(), &[1, 2, 3, 4, 5]);
}

// Scenario from etcd raft_test.go TestNewLeaderPendingConfig and raft-rs
// test_new_leader_pending_config, thesis §4.1: a new leader that finds an uncommitted
// configuration entry in its log waits for it to commit before accepting another.
#[test]
fn new_leader_waits_for_inherited_uncommitted_change() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    // Only node 2 gets the change; then node 2 takes over.
    net.cut(1, 3);
    net.node_mut(1)
        .propose_conf_change(ConfChange::AddNode(4))
        .unwrap();
    net.ignore("AppendEntriesResponse");
    net.deliver();
    net.recover();
    assert_eq!(net.node(2).voters(), &[1, 2, 3, 4]);
    net.ignore("AppendEntries");
    net.elect(2);
    assert!(net.node(2).commit_index() < 2);
    assert!(matches!(
        net.node_mut(2).propose_conf_change(ConfChange::AddNode(5)),
        Err(Error::ChangePending(2))
    ));
    net.recover();
    net.heartbeats(2, 2);
    assert!(net.node(2).commit_index() >= 2);
    assert!(net
        .node_mut(2)
        .propose_conf_change(ConfChange::AddNode(5))
        .is_ok());
}

// Scenario from etcd raft_test.go TestAddNode + TestSlowNodeRestore (raft-rs
// test_add_node / TinyKV TestAddNode3A), thesis §4.2.1 and §7: a new server
// joins far behind a compacted log and is caught up by a snapshot, then votes.
#[test]
fn add_voter_far_behind_is_caught_up_by_snapshot() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    for i in 0..30 {
        net.propose(1, format!("cmd{i}").as_bytes()).unwrap();
    }
    let applied = net.node(1).applied_index();
    net.node_mut(1).compact(applied, b"image".to_vec()).unwrap();
    net.node_mut(1)
        .propose_conf_change(ConfChange::AddNode(4))
        .unwrap();
    net.add(joiner(4, &[1, 2, 3, 4]));
    net.heartbeats(1, 3);
    assert_eq!(net.restored[&4].len(), 1, "caught up by a snapshot");
    let four = net.node(4);
    assert_eq!(four.voters(), &[1, 2, 3, 4]);
    assert_eq!(four.commit_index(), net.node(1).commit_index());
    assert_eq!(four.entries(), net.node(1).entries());
    // The new voter is part of the quorum: with node 2 cut off, a commit needs node 4,
    // since 1, 3 and 4 are three of four.
    net.isolate(2);
    net.propose(1, b"with four").unwrap();
    assert_eq!(net.node(4).last_index(), net.node(1).last_index());
    assert_eq!(net.node(1).commit_index(), net.node(1).last_index());
}

// Scenario from etcd raft_test.go TestRemoveNode and TestCommitAfterRemoveNode (raft-rs
// test_remove_node, TinyKV TestRemoveNode3A), thesis §4.1: removing a dead voter
// shrinks the quorum from the moment the change is appended, so a two-node cluster whose
// follower died can remove it and go on committing alone.
#[test]
fn remove_dead_voter_from_two_node_cluster() {
    let mut net = Network::cluster(2, false, false);
    net.elect(1);
    net.crash(2);
    net.propose(1, b"stuck").unwrap();
    assert_eq!(net.node(1).commit_index(), 1, "needs both of two");
    net.node_mut(1)
        .propose_conf_change(ConfChange::RemoveNode(2))
        .unwrap();
    net.deliver();
    assert_eq!(net.node(1).voters(), &[1]);
    assert_eq!(
        net.node(1).commit_index(),
        3,
        "the lone voter is its own quorum"
    );
    net.propose(1, b"hello").unwrap();
    assert_eq!(net.node(1).commit_index(), 4);
    assert_eq!(
        net.applied_commands(1),
        vec![b"stuck".to_vec(), b"hello".to_vec()]
    );
}

// Scenario from raft-rs test_remove_node / etcd TestRaftNodes, thesis §4.1: after a
// follower is removed, the rest of the cluster carries on and no longer sends it anything.
#[test]
fn remove_follower() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.node_mut(1)
        .propose_conf_change(ConfChange::RemoveNode(3))
        .unwrap();
    net.heartbeats(1, 2);
    for id in [1, 2] {
        assert_eq!(net.node(id).voters(), &[1, 2], "node {id}");
    }
    assert!(net.node(1).progress(3).is_none());
    net.clear_trace();
    net.propose(1, b"x").unwrap();
    net.heartbeats(1, 2);
    assert!(
        net.trace.iter().all(|m| m.to != 3),
        "nothing for the removed node"
    );
    assert_eq!(net.node(2).commit_index(), net.node(1).last_index());
}

// Scenario from thesis §4.2.2 (no single source test; etcd raft_test.go
// TestLeaderTransferRemoveNode removes a transfer target instead): a leader that removes
// itself steps down once the change commits, and the remaining voters elect a leader
// among themselves.
#[test]
fn remove_the_leader() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.node_mut(1)
        .propose_conf_change(ConfChange::RemoveNode(1))
        .unwrap();
    net.heartbeats(1, 2);
    assert!(net.node(1).commit_index() >= 2);
    assert_ne!(net.role(1), Role::Leader, "the removed leader stepped down");
    for id in [2, 3] {
        assert_eq!(net.node(id).voters(), &[2, 3], "node {id}");
    }
    for _ in 0..10 * ELECTION_MAX {
        if net.leaders().iter().any(|&l| l != 1) {
            break;
        }
        net.tick_all(1);
    }
    let leaders = net.leaders();
    assert_eq!(leaders.len(), 1);
    assert!(leaders[0] == 2 || leaders[0] == 3);
    let l = leaders[0];
    net.propose(l, b"after").unwrap();
    net.heartbeats(l, 1);
    let other = if l == 2 { 3 } else { 2 };
    assert_eq!(net.node(other).commit_index(), net.node(l).last_index());
}

// Scenario from etcd raft_test.go TestStepIgnoreConfig (and this library's errors),
// thesis §4.1: changes that change nothing, or that a follower is asked for, are errors.
#[test]
fn pointless_or_misdirected_changes_are_errors() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    assert!(matches!(
        net.node_mut(1).propose_conf_change(ConfChange::AddNode(2)),
        Err(Error::NoOpChange(_))
    ));
    assert!(matches!(
        net.node_mut(1)
            .propose_conf_change(ConfChange::RemoveNode(9)),
        Err(Error::NoOpChange(_))
    ));
    assert_eq!(
        net.node_mut(2).propose_conf_change(ConfChange::AddNode(4)),
        Err(Error::NotLeader {
            node: 2,
            leader: Some(1)
        })
    );
    assert_eq!(net.node(1).last_index(), 1);
}

// Scenario after etcd rawnode_test.go TestRawNodeRestart and raft-rs
// test_raw_node_restart, with a configuration entry in the log, thesis §4.1: a restarted server recomputes its configuration from its log.
#[test]
fn restart_recovers_membership_from_the_log() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.node_mut(1)
        .propose_conf_change(ConfChange::AddNode(4))
        .unwrap();
    net.heartbeats(1, 2);
    net.restart(2);
    assert_eq!(net.node(2).voters(), &[1, 2, 3, 4]);
}

// Scenario from etcd raft_test.go TestAddNodeCheckQuorum (raft-rs
// test_add_node_check_quorum), thesis §4.1 and §6.2: a voter just added counts as recently
// heard from at the next quorum check, but a leader that then hears nothing from it for an
// election timeout steps down, since without it there is no quorum.
#[test]
fn added_voter_gets_grace_then_counts_for_check_quorum() {
    let mut n = node(1, config_with(&[1], false, true), Default::default());
    n.campaign();
    assert_eq!(n.role(), Role::Leader);
    for _ in 0..ELECTION_MIN - 1 {
        n.tick();
    }
    n.propose_conf_change(ConfChange::AddNode(2)).unwrap();
    n.tick();
    assert_eq!(
        n.role(),
        Role::Leader,
        "the new voter gets the benefit of the doubt"
    );
    let mut stepped_down_after = None;
    for t in 1..=2 * ELECTION_MAX {
        n.tick();
        if n.role() != Role::Leader {
            stepped_down_after = Some(t);
            break;
        }
    }
    assert!(
        stepped_down_after.is_some(),
        "no word from node 2 for two election timeouts, yet still leading"
    );
    assert_eq!(n.role(), Role::Follower);
}

// Scenario from thesis §4.2.3 (disruptive removed servers; no single source test), with
// etcd raft_test.go TestStepIgnoreConfig's cluster: a removed server that keeps running
// never gets a leader elected, and the cluster's leader keeps its term.
#[test]
fn removed_server_cannot_disrupt_the_cluster() {
    let mut net = Network::cluster(3, false, true);
    net.elect(1);
    net.node_mut(1)
        .propose_conf_change(ConfChange::RemoveNode(3))
        .unwrap();
    net.heartbeats(1, 2);
    assert_eq!(net.node(1).voters(), &[1, 2]);
    net.tick_all(10 * ELECTION_MAX);
    assert_eq!(net.role(1), Role::Leader);
    assert_eq!(net.term(1), 1);
    assert_eq!(net.term(2), 1);
    assert_ne!(net.role(3), Role::Leader);
    // Its vote requests reached the others, which ignored them under the leader lease (and
    // nothing it sent was refused: the network's check on drop).
    assert!(
        net.delivered("RequestVote").iter().any(|m| m.from == 3),
        "the removed server never asked for votes"
    );
}

// Scenario from thesis §4.1 ("a server also grants its vote to a candidate that is not
// part of the server's latest configuration ... This vote may occasionally be needed to
// keep the cluster available") and from raft-sim seeds 110658 and 111630 (3 nodes, all
// faults), which once ended with no leader: the added server held the newest log, and the
// one server that could complete its majority had not yet learned of the addition.
#[test]
fn a_server_outside_the_voters_configuration_can_win_its_vote() {
    let mut net = Network::cluster(3, false, false);
    net.elect(1);
    net.add(joiner(4, &[1, 2, 3]));
    // Node 2 misses the addition: it still knows only {1, 2, 3}.
    net.isolate(2);
    net.node_mut(1)
        .propose_conf_change(ConfChange::AddNode(4))
        .unwrap();
    net.heartbeats(1, 3);
    assert_eq!(
        net.node(1).commit_index(),
        2,
        "1, 3 and 4 commit the addition"
    );
    assert_eq!(net.node(4).voters(), &[1, 2, 3, 4]);
    // An entry only node 4 gets, then the leader is gone.
    net.cut(1, 3);
    net.propose(1, b"x").unwrap();
    assert_eq!(net.node(4).last_index(), 3);
    assert_eq!(net.node(3).last_index(), 2);
    net.crash(1);
    net.recover();
    assert_eq!(net.node(2).voters(), &[1, 2, 3]);
    // Node 3 cannot win (node 4's log is newer), nor can node 2 (both logs are newer than
    // its own): only node 4 can, with the votes of node 3 and of node 2, for which node 4
    // is not a member yet.
    net.campaign(4);
    assert_eq!(net.role(4), Role::Leader);
    assert!(net.delivered("RequestVoteResponse").iter().any(
        |m| m.from == 2 && matches!(m.kind, MessageKind::RequestVoteResponse { granted: true })
    ));
    net.heartbeats(4, 3);
    assert_eq!(
        net.node(2).voters(),
        &[1, 2, 3, 4],
        "node 2 learns it from node 4"
    );
    net.propose(4, b"y").unwrap();
    for id in [2, 3, 4] {
        assert_eq!(
            net.node(id).commit_index(),
            net.node(4).last_index(),
            "node {id}"
        );
    }
}

// Scenario from thesis §3.10 and §4.2.2 (no single source test; etcd raft and raft-rs do
// not check the sender of MsgTimeoutNow against the configuration): a leader that has
// appended its own removal still leads until the removal commits, and may hand its
// leadership over meanwhile. The target already has the removal in its log, so for it the
// leader is no longer a member; it still takes the leader's TimeoutNow and campaigns at
// once, without waiting for an election timeout.
#[test]
fn a_leader_removing_itself_can_transfer_leadership() {
    let mut net = Network::cluster(3, true, true);
    net.elect(1);
    // Node 3 does not hear of the removal, so it cannot commit: the new configuration
    // {2, 3} needs both.
    net.cut(1, 3);
    net.node_mut(1)
        .propose_conf_change(ConfChange::RemoveNode(1))
        .unwrap();
    net.deliver();
    assert_eq!(net.node(2).voters(), &[2, 3]);
    assert_eq!(
        net.node(1).commit_index(),
        1,
        "the removal is not committed"
    );
    assert_eq!(net.role(1), Role::Leader);
    net.recover();
    net.node_mut(1).transfer_leadership(2).unwrap();
    net.deliver();
    assert!(
        net.delivered("TimeoutNow").iter().any(|m| m.to == 2),
        "the leader sent TimeoutNow"
    );
    assert_eq!(net.role(2), Role::Leader, "node 2 took over at once");
    assert_eq!(net.term(2), 2);
    // Node 2 no longer sends to node 1; node 1 learns of term 2 from the answers to its
    // own heartbeats.
    net.tick_all(2 * HEARTBEAT);
    assert_eq!(net.role(1), Role::Follower);
    assert_eq!(net.term(1), 2);
    assert_eq!(net.node(3).voters(), &[2, 3]);
    assert_eq!(net.node(3).commit_index(), net.node(2).last_index());
    assert!(net.node(2).commit_index() >= 2, "the removal is committed");
}
