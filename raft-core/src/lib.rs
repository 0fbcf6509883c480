//! A complete, deterministic Raft library.
//!
//! Each [`RaftNode`] is one Raft peer written as a pure state machine: it performs no I/O,
//! reads no clock and owns no global randomness. The caller drives it with three inputs:
//!
//! - [`RaftNode::tick`] advances logical time by one tick (election timeouts and heartbeats
//!   are counted in ticks);
//! - [`RaftNode::step`] hands it a [`Message`] from a peer;
//! - [`RaftNode::propose`] (and `propose_conf_change`, `transfer_leadership`, `read_index`)
//!   carry client requests.
//!
//! and drains its outputs: [`RaftNode::take_messages`] (to deliver to peers),
//! [`RaftNode::take_committed`] (entries to apply, in order), [`RaftNode::take_snapshot`]
//! (a state-machine image to restore first) and [`RaftNode::take_read_states`].
//! [`RaftNode::persistent_state`] is what must survive a crash (§5 of the Raft paper).
//!
//! The randomized election timeout is drawn from a PRNG seeded by the caller, so two runs
//! with the same seeds and the same inputs are identical, bit for bit.
//!
//! Implemented: leader election with the §5.4.1 up-to-date check, PreVote and CheckQuorum
//! (thesis §9.6, both switchable in [`Config`]), log replication with fast or one-by-one
//! backtracking, the Figure 8 commit rule, heartbeats, leadership transfer (thesis §3.10),
//! ReadIndex reads (§6.4), log compaction with InstallSnapshot (§7), and one-server
//! membership changes (thesis §4.1). [`Faults`] switches on deliberately unsafe variants
//! so a safety checker can be shown catching them.
//!
//! Replication follows etcd's flow control: while a leader does not know where a
//! follower's log matches its own it probes with one append at a time (backing off by the
//! rejection hint, or by one entry when `fast_backtrack` is off); once it knows, it
//! pipelines up to eight appends of at most `max_entries_per_append` entries each.
//! Heartbeats are empty appends anchored at the follower's match index.
//!
//! [`RaftNode::step`] returns an error for a message that cannot be meant for the node: a
//! wrong recipient, a sender outside the configuration (say, a removed server still
//! campaigning), or contradictory fields. The node's state is unchanged then, and the
//! caller can log the error and drop the message.
//!
//! # Example
//!
//! Three nodes wired together by hand: node 1 campaigns, the messages are shuttled until
//! none are left, and a command is committed on every node.
//!
//! ```
//! use raft_core::{Config, EntryData, PersistentState, RaftNode, Role};
//!
//! let voters = vec![1, 2, 3];
//! let mut nodes: Vec<RaftNode> = voters
//!     .iter()
//!     .map(|&id| {
//!         let config = Config::new(voters.clone());
//!         RaftNode::new(id, config, PersistentState::default(), /* seed */ id).unwrap()
//!     })
//!     .collect();
//!
//! // Deliver every outgoing message until the cluster is quiet.
//! fn settle(nodes: &mut [RaftNode]) {
//!     loop {
//!         let msgs: Vec<_> = nodes.iter_mut().flat_map(|n| n.take_messages()).collect();
//!         if msgs.is_empty() {
//!             return;
//!         }
//!         for msg in msgs {
//!             let to = (msg.to - 1) as usize;
//!             nodes[to].step(msg).unwrap();
//!         }
//!     }
//! }
//!
//! // Node 1's election timer "fires": PreVote, then a real election in term 1.
//! nodes[0].campaign();
//! settle(&mut nodes);
//! assert_eq!(nodes[0].role(), Role::Leader);
//! assert_eq!(nodes[0].term(), 1);
//!
//! // Followers refuse proposals and name the leader.
//! assert!(nodes[1].propose(b"x".to_vec()).is_err());
//!
//! let index = nodes[0].propose(b"set x = 1".to_vec()).unwrap();
//! settle(&mut nodes);
//! for node in &mut nodes {
//!     assert_eq!(node.commit_index(), index);
//!     let applied = node.take_committed();
//!     // The leader's no-op of term 1, then the command.
//!     assert_eq!(applied.len(), 2);
//!     assert_eq!(applied[1].data, EntryData::Command(b"set x = 1".to_vec()));
//! }
//! ```
#![deny(missing_docs)]

mod config;
mod error;
mod log;
mod message;
mod node;
mod progress;
pub mod sim;
mod vecmap;

pub use config::{Config, Faults};
pub use error::{ConfigError, Error};
pub use message::{
    ConfChange, Entry, EntryData, Index, Message, MessageKind, NodeId, Snapshot, Term,
};
pub use node::{PersistentState, RaftNode, ReadState, Role};
pub use progress::Progress;
