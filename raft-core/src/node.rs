//! One Raft peer: role, term, vote, `step()`, `tick()`.
//!
//! SKELETON: the signatures below are the public contract the simulator, the tests and the
//! wasm bindings are written against. Bodies are being implemented.

use crate::config::Config;
use crate::error::Error;
use crate::message::{ConfChange, Entry, Index, Message, NodeId, Snapshot, Term};
use crate::progress::Progress;

/// A peer's role (§5.1, plus the pre-candidate of thesis §9.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Passive: answers leaders and candidates.
    Follower,
    /// Running a PreVote round; its term has not been raised yet.
    PreCandidate,
    /// Asking for votes in a new term.
    Candidate,
    /// Handles client requests and replicates the log.
    Leader,
}

impl Role {
    /// Lower-case name: "follower", "precandidate", "candidate", "leader".
    pub fn name(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::PreCandidate => "precandidate",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

/// The state §5 requires to survive a crash: term, vote and log (with its snapshot).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersistentState {
    /// The latest term the node has seen.
    pub current_term: Term,
    /// Whom the node voted for in `current_term`.
    pub voted_for: Option<NodeId>,
    /// The compacted prefix of the log (`last_index == 0` if none).
    pub snapshot: Snapshot,
    /// Log entries after the snapshot, in index order.
    pub entries: Vec<Entry>,
}

/// A ReadIndex read that is safe to serve once `applied >= index` (§6.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadState {
    /// The caller's context, as passed to [`RaftNode::read_index`].
    pub ctx: u64,
    /// The commit index the read must wait for.
    pub index: Index,
}

/// One Raft peer: a pure state machine. It never reads a clock or a random source of its
/// own: time is [`RaftNode::tick`], and the randomized election timeout comes from a PRNG
/// seeded by the caller.
#[derive(Clone, Debug)]
pub struct RaftNode {
    _todo: (),
}

impl RaftNode {
    /// Creates a node from its configuration and persisted state (use
    /// `PersistentState::default()` for a fresh node). `seed` seeds the node's election
    /// timeout generator.
    pub fn new(
        _id: NodeId,
        _config: Config,
        _state: PersistentState,
        _seed: u64,
    ) -> Result<RaftNode, Error> {
        todo!()
    }

    /// Advances the node's logical clock by one tick.
    pub fn tick(&mut self) {
        todo!()
    }

    /// Handles one message from a peer.
    pub fn step(&mut self, _msg: Message) -> Result<(), Error> {
        todo!()
    }

    /// Proposes a client command; only a leader accepts. Returns the entry's index.
    pub fn propose(&mut self, _command: Vec<u8>) -> Result<Index, Error> {
        todo!()
    }

    /// Proposes a one-server membership change (thesis §4.1).
    pub fn propose_conf_change(&mut self, _change: ConfChange) -> Result<Index, Error> {
        todo!()
    }

    /// Starts a leadership transfer to `to` (thesis §3.10).
    pub fn transfer_leadership(&mut self, _to: NodeId) -> Result<(), Error> {
        todo!()
    }

    /// Requests a linearizable read (§6.4); the answer comes from
    /// [`RaftNode::take_read_states`] once a quorum confirmed leadership.
    pub fn read_index(&mut self, _ctx: u64) -> Result<(), Error> {
        todo!()
    }

    /// Acts as if the election timeout fired now (starts PreVote or an election).
    pub fn campaign(&mut self) {
        todo!()
    }

    /// Compacts the log up to `index` (which must be applied) into a snapshot with the
    /// given state-machine image.
    pub fn compact(&mut self, _index: Index, _data: Vec<u8>) -> Result<(), Error> {
        todo!()
    }

    /// Drains the messages the node wants sent.
    pub fn take_messages(&mut self) -> Vec<Message> {
        todo!()
    }

    /// Drains newly committed entries, in order, and marks them applied.
    pub fn take_committed(&mut self) -> Vec<Entry> {
        todo!()
    }

    /// Drains a snapshot received from the leader that the application must restore
    /// before it applies any entry from [`RaftNode::take_committed`].
    pub fn take_snapshot(&mut self) -> Option<Snapshot> {
        todo!()
    }

    /// Drains ReadIndex results.
    pub fn take_read_states(&mut self) -> Vec<ReadState> {
        todo!()
    }

    /// The state to keep across a crash.
    pub fn persistent_state(&self) -> PersistentState {
        todo!()
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        todo!()
    }
    /// The configuration.
    pub fn config(&self) -> &Config {
        todo!()
    }
    /// Current role.
    pub fn role(&self) -> Role {
        todo!()
    }
    /// Current term.
    pub fn term(&self) -> Term {
        todo!()
    }
    /// Vote cast in the current term.
    pub fn voted_for(&self) -> Option<NodeId> {
        todo!()
    }
    /// The leader this node believes in for the current term.
    pub fn leader_id(&self) -> Option<NodeId> {
        todo!()
    }
    /// Highest index known committed.
    pub fn commit_index(&self) -> Index {
        todo!()
    }
    /// Highest index handed out by `take_committed` (or covered by a restored snapshot).
    pub fn applied_index(&self) -> Index {
        todo!()
    }
    /// First index still in the log (snapshot's last index + 1).
    pub fn first_index(&self) -> Index {
        todo!()
    }
    /// Index of the last entry (or of the snapshot if the log is empty).
    pub fn last_index(&self) -> Index {
        todo!()
    }
    /// Term of the entry at `index`, if known (in the log or the snapshot's last entry).
    pub fn term_at(&self, _index: Index) -> Option<Term> {
        todo!()
    }
    /// The entries after the snapshot.
    pub fn entries(&self) -> &[Entry] {
        todo!()
    }
    /// The current snapshot (`last_index == 0` if none).
    pub fn snapshot(&self) -> &Snapshot {
        todo!()
    }
    /// The current voters (as of the latest appended configuration), sorted.
    pub fn voters(&self) -> &[NodeId] {
        todo!()
    }
    /// The leader's view of `peer`; `None` unless leader, or for unknown peers.
    pub fn progress(&self, _peer: NodeId) -> Option<&Progress> {
        todo!()
    }
    /// Ticks since the election timer was last reset.
    pub fn election_elapsed(&self) -> u32 {
        todo!()
    }
    /// The current randomized election timeout, in ticks.
    pub fn election_timeout(&self) -> u32 {
        todo!()
    }
    /// The node a leadership transfer is under way to, if any.
    pub fn lead_transferee(&self) -> Option<NodeId> {
        todo!()
    }
}
