//! Errors a caller can cause. Broken internal invariants are bugs and panic instead.

use crate::message::{Index, NodeId};
use thiserror::Error;

/// What [`crate::Config::validate`] rejects.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// The voter list is empty.
    #[error("the voter list is empty")]
    NoVoters,
    /// A voter has id 0.
    #[error("node ids start at 1; 0 is not a valid id")]
    ZeroId,
    /// A voter is listed twice.
    #[error("node {0} is listed twice among the voters")]
    DuplicateVoter(NodeId),
    /// The heartbeat interval is zero.
    #[error("the heartbeat interval must be at least one tick")]
    ZeroHeartbeat,
    /// The election timeout does not exceed the heartbeat interval.
    #[error("the election timeout ({election} ticks) must be longer than the heartbeat interval ({heartbeat} ticks)")]
    ElectionTimeoutTooShort {
        /// Minimum election timeout.
        election: u32,
        /// Heartbeat interval.
        heartbeat: u32,
    },
    /// The randomized timeout range is empty.
    #[error("the election timeout range [{min}, {max}) is empty")]
    EmptyTimeoutRange {
        /// Lower bound.
        min: u32,
        /// Upper bound.
        max: u32,
    },
    /// `max_entries_per_append` is zero.
    #[error("max_entries_per_append must be at least 1")]
    ZeroMaxEntries,
    /// A node that must be a voter is not one. [`crate::RaftNode::new`] does not return
    /// this: a node outside the voters is a server being added (thesis §4.1), which waits
    /// as a follower and learns the configuration from the leader.
    #[error("node {0} is not among the voters")]
    NotAVoter(NodeId),
}

/// Errors returned by a [`crate::RaftNode`]'s methods.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Error {
    /// The configuration is invalid.
    #[error("invalid configuration: {0}")]
    Config(#[from] ConfigError),
    /// A proposal or read reached a node that is not the leader.
    #[error("node {node} is not the leader{}", match .leader { Some(l) => format!(" (node {l} is)"), None => String::from(" and knows of no leader") })]
    NotLeader {
        /// The node asked.
        node: NodeId,
        /// The leader it knows of, if any.
        leader: Option<NodeId>,
    },
    /// A membership change is already pending (thesis §4.1: one at a time).
    #[error("a membership change is still pending at index {0}")]
    ChangePending(Index),
    /// A membership change that changes nothing (adding a voter twice, removing a non-voter).
    #[error("membership change has no effect: {0}")]
    NoOpChange(String),
    /// A leadership transfer is already in progress.
    #[error("a leadership transfer to node {0} is already in progress")]
    TransferInProgress(NodeId),
    /// A message came from, or names, a node that is not in the configuration.
    #[error("node {0} is not a member of the cluster")]
    UnknownPeer(NodeId),
    /// A message is addressed to another node.
    #[error("message addressed to node {to}, but this is node {node}")]
    WrongRecipient {
        /// This node.
        node: NodeId,
        /// The message's recipient.
        to: NodeId,
    },
    /// A message's fields are inconsistent (entries out of order, index 0, ...).
    #[error("malformed message: {0}")]
    Malformed(String),
    /// Compaction asked for an index that is not applied or already compacted.
    #[error("cannot compact to index {index}: {reason}")]
    Compaction {
        /// The requested index.
        index: Index,
        /// Why not.
        reason: String,
    },
}
