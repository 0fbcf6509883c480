//! The bounded event trace the page turns into its event log, and the run export.

use std::collections::VecDeque;
use std::fmt;

use crate::message::{Index, Message, MessageKind, NodeId, Term};
use crate::node::Role;

/// Why a message did not arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// Random loss (`loss_ratio`).
    Loss,
    /// The two nodes are in different partition groups.
    Partition,
    /// The link from sender to recipient is cut one way.
    LinkCut,
    /// The sender or the recipient is crashed (or removed).
    NodeDown,
    /// Dropped by the user ([`super::Sim::drop_message`]).
    User,
}

impl DropReason {
    /// Short lower-case words: "lost", "partitioned", ...
    pub fn name(self) -> &'static str {
        match self {
            DropReason::Loss => "lost",
            DropReason::Partition => "partitioned",
            DropReason::LinkCut => "link cut",
            DropReason::NodeDown => "node down",
            DropReason::User => "dropped by user",
        }
    }
}

/// A compact summary of a message, enough to describe and draw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MsgInfo {
    /// In-flight id (stable while the message flies).
    pub id: u64,
    /// Sender.
    pub from: NodeId,
    /// Recipient.
    pub to: NodeId,
    /// Message type name, as [`MessageKind::name`].
    pub kind: &'static str,
    /// The sender's term.
    pub term: Term,
    /// Number of entries carried (AppendEntries only).
    pub entries: u32,
    /// For answers: granted / success.
    pub ok: Option<bool>,
    /// For a vote, pre-vote or append refused: why (set on its send).
    pub refused: Option<Refusal>,
}

/// Entries a follower deleted because an append from its leader conflicted with them,
/// from the first conflicting one to the end of its log (§5.3), as the simulator reads
/// them off the follower's log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overwrite {
    /// The leader.
    pub leader: NodeId,
    /// The first index deleted.
    pub from: Index,
    /// The follower's last index before (the last deleted).
    pub to: Index,
    /// The term of the follower's entry at `from`.
    pub had: Term,
    /// The term of the leader's entry at `from`.
    pub wanted: Term,
}

/// Why a server changed role, as the simulator reads it off the event that changed it: a
/// leader, candidate or pre-candidate that became a follower, or a follower that stood for
/// election at a leader's request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleCause {
    /// A message from this server carried a later term (§5.1).
    HigherTerm(NodeId),
    /// It heard from this server, the leader of its term (§5.2).
    LeaderFound(NodeId),
    /// A majority refused its vote or pre-vote.
    VotesRefused,
    /// CheckQuorum: a leader that did not hear from a majority within an election timeout.
    LostQuorum,
    /// A leader whose removal from the configuration was committed (thesis §4.2.2).
    Removed,
    /// This leader handed its leadership over: its TimeoutNow makes the recipient stand for
    /// election at once, without a pre-vote (thesis §3.10).
    TransferAsked(NodeId),
}

impl RoleCause {
    /// In words, for a server that was `from` and is now in term `term`.
    fn words(self, from: Role, term: Term) -> String {
        match self {
            RoleCause::HigherTerm(n) => format!("node {n} is in term {term}"),
            RoleCause::LeaderFound(n) => format!("node {n} leads term {term}"),
            RoleCause::VotesRefused if from == Role::PreCandidate => {
                "a majority refused its pre-vote".to_string()
            }
            RoleCause::VotesRefused => "a majority refused its vote".to_string(),
            RoleCause::LostQuorum => {
                "it heard from no majority for an election timeout (CheckQuorum)".to_string()
            }
            RoleCause::Removed => "the configuration that removes it is committed".to_string(),
            RoleCause::TransferAsked(n) => {
                format!("leader {n} hands its leadership over (TimeoutNow)")
            }
        }
    }
}

/// Why a server answered no. The protocol's answers do not say; the simulator reads the
/// reasons off the request and the answering server's state as it handles the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A vote or pre-vote refused.
    Vote(Denial),
    /// An AppendEntries refused by the consistency check (§5.3), or for its stale term.
    Append(Mismatch),
}

impl Refusal {
    /// The reasons in words, `by` having refused `asker` (see [`Denial::words`] and
    /// [`Mismatch::words`]).
    pub fn words(&self, by: NodeId, asker: NodeId) -> String {
        match self {
            Refusal::Vote(d) => d.words(by, asker),
            Refusal::Append(m) => m.words(asker),
        }
    }
}

/// Why a follower refused an AppendEntries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// The leader's term was behind the follower's (§5.1): it is no longer the leader.
    StaleTerm,
    /// The follower's log ends before the entry the new ones follow.
    Missing {
        /// The index of the entry the new ones follow (prevLogIndex).
        index: Index,
        /// The follower's last index.
        last: Index,
        /// An earlier AppendEntries from the same leader, with the entries between, is still
        /// on its way: the two arrived out of order.
        overtaken: bool,
    },
    /// The follower's entry there has another term.
    Conflict {
        /// prevLogIndex.
        index: Index,
        /// The term of the follower's entry there (None: compacted away).
        has: Option<Term>,
        /// prevLogTerm.
        wanted: Term,
    },
}

impl Mismatch {
    /// The reason in words, `leader` being the sender refused: "it has no entry at index 6
    /// (its log ends at 4)", "its entry at index 6 is from term 2, not 3".
    pub fn words(&self, leader: NodeId) -> String {
        match *self {
            Mismatch::StaleTerm => format!("leader {leader}'s term is behind its own"),
            Mismatch::Missing {
                index,
                last,
                overtaken: false,
            } => format!("it has no entry at index {index} (its log ends at {last})"),
            Mismatch::Missing { index, last, .. } => format!(
                "it has no entry at index {index} (its log ends at {last}; the entries between are still on their way)"
            ),
            Mismatch::Conflict {
                index,
                has: Some(has),
                wanted,
            } => format!("its entry at index {index} is from term {has}, not {wanted}"),
            Mismatch::Conflict { index, wanted, .. } => {
                format!("its entry at index {index} is not from term {wanted}")
            }
        }
    }
}

/// Why a server refused a vote or pre-vote. The protocol answers only "no"; the simulator
/// reads the reasons off the request and the voter's state, for the event log. More than
/// one may hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Denial {
    /// The request's term was behind the voter's (§5.1).
    pub stale_term: bool,
    /// The voter had already voted for this other server in the request's term (§5.2).
    pub voted_for: Option<NodeId>,
    /// The voter already followed this leader in the request's term.
    pub leader: Option<NodeId>,
    /// The candidate's log was less up to date than the voter's (§5.4.1).
    pub log_behind: bool,
}

impl Denial {
    /// The reasons in words, `voter` having refused `candidate`: "it voted for node 4 in
    /// this term; node 2's log is less up to date than its own".
    pub fn words(&self, voter: NodeId, candidate: NodeId) -> String {
        let mut parts = Vec::new();
        if self.stale_term {
            parts.push(format!("node {candidate}'s term is behind its own"));
        }
        match self.voted_for {
            Some(v) if v == voter => parts.push("it voted for itself in this term".to_string()),
            Some(v) => parts.push(format!("it voted for node {v} in this term")),
            None => {}
        }
        if let Some(l) = self.leader {
            parts.push(format!("it follows node {l}, the leader of this term"));
        }
        if self.log_behind {
            parts.push(format!(
                "node {candidate}'s log is less up to date than its own"
            ));
        }
        parts.join("; ")
    }
}

impl MsgInfo {
    /// Summarises `msg`, which has in-flight id `id`.
    pub fn of(id: u64, msg: &Message) -> MsgInfo {
        let ok = match &msg.kind {
            MessageKind::PreVoteResponse { granted }
            | MessageKind::RequestVoteResponse { granted } => Some(*granted),
            MessageKind::AppendEntriesResponse { success, .. } => Some(*success),
            _ => None,
        };
        MsgInfo {
            id,
            from: msg.from,
            to: msg.to,
            kind: msg.kind.name(),
            term: msg.term,
            entries: msg.entries().len() as u32,
            ok,
            refused: None,
        }
    }
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceKind {
    /// A node's logical clock ticked (or a client's timer fired) and nothing visible
    /// happened. Returned by [`super::Sim::step_event`], never stored in the trace.
    Tick,
    /// A message was put on the wire.
    Send(MsgInfo),
    /// The network made a second copy of a message.
    Duplicate(MsgInfo),
    /// A message arrived and was handled.
    Deliver(MsgInfo),
    /// A message was lost.
    Drop(MsgInfo, DropReason),
    /// The recipient refused a message with an error (e.g. from a node it thinks is not a
    /// member); the message has no effect.
    Refused(MsgInfo, String),
    /// A node changed role.
    RoleChange {
        /// Old role.
        from: Role,
        /// New role.
        to: Role,
        /// Term after the change.
        term: Term,
        /// Why, where the simulator can tell: for a leader or candidate become follower, and
        /// for a candidate that a leader's TimeoutNow made one.
        cause: Option<RoleCause>,
    },
    /// A node's term changed without a role change.
    TermChange {
        /// Old term.
        from: Term,
        /// New term.
        to: Term,
    },
    /// A node's commit index advanced.
    Commit {
        /// New commit index.
        index: Index,
    },
    /// A leader accepted a client command.
    Propose {
        /// Index of the new entry.
        index: Index,
        /// The command, as text (lossy UTF-8).
        command: String,
    },
    /// A client operation completed (or timed out, or failed).
    ClientComplete {
        /// Client number.
        client: u32,
        /// The operation and its result, in words.
        summary: String,
    },
    /// A node crashed.
    Crash,
    /// A node restarted from its persistent state.
    Restart,
    /// A node's election timer was forced to fire.
    Timeout,
    /// A node's election timer was set to fire after `ms` milliseconds.
    TimerSet {
        /// Milliseconds until it fires, from when it was set (whole ticks).
        ms: u64,
    },
    /// The network was partitioned into these groups.
    Partition(Vec<Vec<NodeId>>),
    /// All partitions and link cuts were removed.
    Heal,
    /// The link `from -> to` was cut.
    CutLink {
        /// Sender side.
        from: NodeId,
        /// Recipient side.
        to: NodeId,
    },
    /// The link `from -> to` was restored.
    RestoreLink {
        /// Sender side.
        from: NodeId,
        /// Recipient side.
        to: NodeId,
    },
    /// Latency, loss or duplication changed.
    NetworkChanged,
    /// A node was added (its membership change proposed).
    NodeAdded,
    /// A node's removal was proposed.
    NodeRemoved,
    /// A leadership transfer was requested.
    TransferLeader {
        /// The target.
        to: NodeId,
    },
    /// A node compacted its log into a snapshot.
    Compact {
        /// Last index the snapshot covers.
        index: Index,
    },
    /// A node restored its state machine from a snapshot sent by the leader.
    SnapshotInstalled {
        /// Last index the snapshot covers.
        index: Index,
    },
    /// A follower deleted entries that conflict with an append from its leader and took
    /// the leader's in their place (§5.3).
    Overwrite(Overwrite),
    /// The checker found a violation.
    Violation(String),
}

/// One entry of the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEvent {
    /// Position in the whole run (the trace keeps only the newest ones).
    pub seq: u64,
    /// Virtual time, microseconds.
    pub time_us: u64,
    /// What happened.
    pub kind: TraceKind,
    /// The nodes involved (for messages: sender then recipient).
    pub nodes: Vec<NodeId>,
}

fn msg_words(m: &MsgInfo) -> String {
    let what = match (m.kind, m.ok) {
        ("RequestVoteResponse", Some(true)) => "vote granted".to_string(),
        ("RequestVoteResponse", Some(false)) => "vote denied".to_string(),
        ("PreVoteResponse", Some(true)) => "pre-vote granted".to_string(),
        ("PreVoteResponse", Some(false)) => "pre-vote denied".to_string(),
        ("AppendEntriesResponse", Some(true)) => "append accepted".to_string(),
        ("AppendEntriesResponse", Some(false)) => "append rejected".to_string(),
        ("AppendEntries", _) if m.entries == 0 => "heartbeat".to_string(),
        ("AppendEntries", _) => format!(
            "AppendEntries with {} {}",
            m.entries,
            if m.entries == 1 { "entry" } else { "entries" }
        ),
        (k, _) => k.to_string(),
    };
    format!(
        "{what} (term {}) from node {} to node {}",
        m.term, m.from, m.to
    )
}

impl TraceEvent {
    /// The event in plain words, e.g. "node 3 timed out, starts election for term 4".
    pub fn describe(&self) -> String {
        let n = self.nodes.first().copied().unwrap_or(0);
        match &self.kind {
            TraceKind::Tick if n == 0 => "a client timer fired".to_string(),
            TraceKind::Tick => format!("node {n} ticked"),
            TraceKind::Send(m) => match m.refused {
                Some(r) => format!("sent {}: {}", msg_words(m), r.words(m.from, m.to)),
                None => format!("sent {}", msg_words(m)),
            },
            TraceKind::Duplicate(m) => format!("network duplicated {}", msg_words(m)),
            TraceKind::Deliver(m) => format!("delivered {}", msg_words(m)),
            TraceKind::Drop(m, r) => format!("dropped {} ({})", msg_words(m), r.name()),
            TraceKind::Refused(m, e) => format!("node {} refused {}: {e}", m.to, msg_words(m)),
            TraceKind::RoleChange {
                from,
                to,
                term,
                cause,
            } => {
                let what = match to {
                    Role::Candidate if *from == Role::PreCandidate => {
                        format!("node {n} won the pre-vote, starts election for term {term}")
                    }
                    Role::Candidate if matches!(cause, Some(RoleCause::TransferAsked(_))) => {
                        format!(
                            "node {n} starts election for term {term} without waiting to time out"
                        )
                    }
                    Role::Candidate => {
                        format!("node {n} timed out, starts election for term {term}")
                    }
                    Role::PreCandidate => format!(
                        "node {n} timed out, asks for pre-votes for term {}",
                        term + 1
                    ),
                    Role::Leader => format!("node {n} became leader for term {term}"),
                    Role::Follower if *from == Role::Leader => {
                        format!("node {n} stepped down as leader (term {term})")
                    }
                    Role::Follower => format!("node {n} is a follower again (term {term})"),
                };
                match cause {
                    Some(c) => format!("{what}: {}", c.words(*from, *term)),
                    None => what,
                }
            }
            TraceKind::TermChange { from, to } => {
                format!("node {n} moved from term {from} to term {to}")
            }
            TraceKind::Commit { index } => format!("node {n} committed up to index {index}"),
            TraceKind::Propose { index, command } => {
                format!("leader {n} appended \"{command}\" at index {index}")
            }
            TraceKind::ClientComplete { client, summary } => format!("client {client}: {summary}"),
            TraceKind::Crash => format!("node {n} crashed"),
            TraceKind::Restart => format!("node {n} restarted"),
            TraceKind::Timeout => format!("node {n}'s election timer was forced to fire"),
            TraceKind::TimerSet { ms } => format!("node {n}'s election timer was set to {ms} ms"),
            TraceKind::Partition(groups) => {
                let lists: Vec<String> = groups.iter().map(|g| id_list(g)).collect();
                format!("network partitioned into [{}]", lists.join(", "))
            }
            TraceKind::Heal => "network healed".to_string(),
            TraceKind::CutLink { from, to } => format!("link {from} -> {to} cut"),
            TraceKind::RestoreLink { from, to } => format!("link {from} -> {to} restored"),
            TraceKind::NetworkChanged => "network settings changed".to_string(),
            TraceKind::NodeAdded => format!("node {n} added to the cluster"),
            TraceKind::NodeRemoved => format!("node {n} is being removed from the cluster"),
            TraceKind::TransferLeader { to } => {
                format!("leader {n} transfers leadership to node {to}")
            }
            TraceKind::Compact { index } => {
                format!("node {n} compacted its log up to index {index}")
            }
            TraceKind::SnapshotInstalled { index } => {
                format!("node {n} installed a snapshot up to index {index}")
            }
            TraceKind::Overwrite(Overwrite {
                leader,
                from,
                to,
                had,
                wanted,
            }) => {
                let what = if from == to {
                    format!("its entry at index {from}")
                } else {
                    format!("its entries {from} to {to}")
                };
                format!(
                    "node {n} deleted {what} and took leader {leader}'s instead: its entry at \
                     index {from} is from term {had}, the leader's from term {wanted}"
                )
            }
            TraceKind::Violation(detail) => format!("SAFETY VIOLATION: {detail}"),
        }
    }
}

impl fmt::Display for TraceEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{:>6}.{:03} ms] {}",
            self.time_us / 1000,
            self.time_us % 1000,
            self.describe()
        )
    }
}

/// A ring buffer holding the newest `capacity` events.
#[derive(Clone, Debug)]
pub(crate) struct Trace {
    events: VecDeque<TraceEvent>,
    capacity: usize,
    next_seq: u64,
}

impl Trace {
    pub(crate) fn new(capacity: usize) -> Trace {
        Trace {
            events: VecDeque::with_capacity(capacity.min(4096)),
            capacity,
            next_seq: 0,
        }
    }

    /// Records an event and returns its sequence number.
    pub(crate) fn push(&mut self, time_us: u64, kind: TraceKind, nodes: &[NodeId]) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.capacity > 0 {
            if self.events.len() == self.capacity {
                self.events.pop_front();
            }
            self.events.push_back(TraceEvent {
                seq,
                time_us,
                kind,
                nodes: nodes.to_vec(),
            });
        }
        seq
    }

    /// Counts an event without building or storing it (when nothing would keep it), so
    /// sequence numbers do not depend on the trace's capacity.
    pub(crate) fn skip(&mut self) {
        self.next_seq += 1;
    }

    /// The sequence number the next event will get.
    pub(crate) fn next_seq(&self) -> u64 {
        self.next_seq
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &TraceEvent> {
        self.events.iter()
    }

    /// The stored events with `seq >= from`.
    pub(crate) fn since(&self, from: u64) -> impl Iterator<Item = &TraceEvent> {
        let skip = match self.events.front() {
            Some(first) if from > first.seq => (from - first.seq) as usize,
            _ => 0,
        };
        self.events.iter().skip(skip)
    }
}

/// `[1, 2, 3]`: a list of ids as `{:?}` prints it, without pulling Debug formatting into
/// the wasm.
pub(crate) fn id_list(ids: &[NodeId]) -> String {
    let words: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
    format!("[{}]", words.join(", "))
}

#[cfg(test)]
mod tests {
    use super::id_list;

    #[test]
    fn id_list_prints_as_debug_does() {
        for ids in [vec![], vec![3], vec![1, 2, 5], vec![10, 200]] {
            assert_eq!(id_list(&ids), format!("{ids:?}"));
        }
    }
}
