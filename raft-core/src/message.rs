//! Messages exchanged between peers, and the entries of the replicated log.

/// A node's identity: a small positive integer (1, 2, 3, ...). Zero is never a valid id.
pub type NodeId = u64;
/// A Raft term (§5.1). Terms start at 0 and only grow.
pub type Term = u64;
/// A position in the replicated log. The first entry has index 1; index 0 means "none".
pub type Index = u64;

/// A one-server-at-a-time membership change (thesis §4.1).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ConfChange {
    /// Add a voter.
    AddNode(NodeId),
    /// Remove a voter.
    RemoveNode(NodeId),
}

/// What a log entry carries.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EntryData {
    /// The empty entry a new leader appends in its own term (§5.4.2, §8).
    Noop,
    /// An opaque client command for the state machine.
    Command(Vec<u8>),
    /// A membership change; it takes effect when appended (thesis §4.1).
    ConfChange(ConfChange),
}

/// One entry of the replicated log.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The term of the leader that created the entry.
    pub term: Term,
    /// The entry's position in the log.
    pub index: Index,
    /// The payload.
    pub data: EntryData,
}

/// A compacted prefix of the log: the state machine's image at `last_index` (§7).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Snapshot {
    /// Index of the last entry the snapshot covers.
    pub last_index: Index,
    /// Term of that entry.
    pub last_term: Term,
    /// The voters as of `last_index`, sorted.
    pub voters: Vec<NodeId>,
    /// The application's serialized state machine.
    pub data: Vec<u8>,
}

/// A message between two peers. Every message carries the sender's term (§5.1).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Message {
    /// Sender.
    pub from: NodeId,
    /// Recipient.
    pub to: NodeId,
    /// The sender's current term; for PreVote, the term the sender would campaign in.
    pub term: Term,
    /// The message body.
    pub kind: MessageKind,
}

/// The body of a [`Message`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A pre-vote request (thesis §9.6): "would you vote for me in `term`?"
    /// It changes no state on the receiver.
    PreVote {
        /// Index of the candidate's last entry.
        last_log_index: Index,
        /// Term of the candidate's last entry.
        last_log_term: Term,
    },
    /// Answer to [`MessageKind::PreVote`].
    PreVoteResponse {
        /// Whether the vote would be granted.
        granted: bool,
    },
    /// A vote request (§5.2).
    RequestVote {
        /// Index of the candidate's last entry.
        last_log_index: Index,
        /// Term of the candidate's last entry.
        last_log_term: Term,
        /// Set when the election follows a leadership transfer (thesis §3.10): the
        /// receiver must not ignore it because it heard from a leader recently.
        transfer: bool,
    },
    /// Answer to [`MessageKind::RequestVote`].
    RequestVoteResponse {
        /// Whether the vote was granted.
        granted: bool,
    },
    /// Log replication and heartbeat (§5.3). A heartbeat has no entries.
    AppendEntries {
        /// Index of the entry just before `entries`.
        prev_log_index: Index,
        /// Term of that entry.
        prev_log_term: Term,
        /// Entries to append; empty for a heartbeat.
        entries: Vec<Entry>,
        /// The leader's commit index.
        leader_commit: Index,
        /// Read-index round this message confirms leadership for (§6.4); 0 if none.
        read_round: u64,
    },
    /// Answer to [`MessageKind::AppendEntries`].
    AppendEntriesResponse {
        /// Whether the consistency check passed and the entries were appended.
        success: bool,
        /// On success, the index of the last entry known to match the leader's log.
        match_index: Index,
        /// On rejection, the hint for fast backtracking: the first index of
        /// `conflict_term` in the follower's log, or the follower's last index + 1
        /// when its log is too short.
        conflict_index: Index,
        /// On rejection, the term of the follower's entry at `prev_log_index`, if any.
        conflict_term: Option<Term>,
        /// Echo of the request's `read_round`.
        read_round: u64,
    },
    /// Sent by a leader to a follower whose next entry was compacted away (§7).
    InstallSnapshot {
        /// The snapshot.
        snapshot: Snapshot,
    },
    /// Answer to [`MessageKind::InstallSnapshot`].
    InstallSnapshotResponse {
        /// The follower's last index after installing.
        last_index: Index,
    },
    /// Tells the transfer target to start an election at once (thesis §3.10).
    TimeoutNow,
}

impl MessageKind {
    /// The message type's name, as the playground shows it
    /// (`"RequestVote"`, `"AppendEntries"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            MessageKind::PreVote { .. } => "PreVote",
            MessageKind::PreVoteResponse { .. } => "PreVoteResponse",
            MessageKind::RequestVote { .. } => "RequestVote",
            MessageKind::RequestVoteResponse { .. } => "RequestVoteResponse",
            MessageKind::AppendEntries { .. } => "AppendEntries",
            MessageKind::AppendEntriesResponse { .. } => "AppendEntriesResponse",
            MessageKind::InstallSnapshot { .. } => "InstallSnapshot",
            MessageKind::InstallSnapshotResponse { .. } => "InstallSnapshotResponse",
            MessageKind::TimeoutNow => "TimeoutNow",
        }
    }
}

impl Message {
    /// The entries this message carries (empty for all but `AppendEntries`).
    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            MessageKind::AppendEntries { entries, .. } => entries,
            _ => &[],
        }
    }

    /// True for an `AppendEntries` that carries no entries.
    pub fn is_heartbeat(&self) -> bool {
        matches!(&self.kind, MessageKind::AppendEntries { entries, .. } if entries.is_empty())
    }
}
