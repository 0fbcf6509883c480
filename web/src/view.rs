//! What `state()`, `events()` and the other readers hand to JS: plain serde structs built from
//! the simulator, serialised with serde-wasm-bindgen's JSON-compatible serializer (numbers are
//! numbers, maps are plain objects, `None` is `null`).

use raft_core::sim::{InFlight, Sim, TraceEvent, TraceKind, Violation};
use raft_core::{ConfChange, Entry, EntryData, MessageKind, NodeId, Role};
use serde::Serialize;

/// Microseconds of virtual time to the milliseconds JS sees.
pub fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// `state()`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateView {
    pub time_ms: f64,
    pub leader: Option<NodeId>,
    pub nodes: Vec<NodeView>,
    pub messages: Vec<MessageView>,
    pub violations: Vec<ViolationView>,
    /// Sequence number the next trace event will get: changes whenever something visible
    /// happens, so a caller can skip redrawing when it has not.
    pub event_seq: u64,
}

/// One node in `state().nodes`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeView {
    pub id: NodeId,
    pub role: &'static str,
    pub term: u64,
    pub voted_for: Option<NodeId>,
    pub commit_index: u64,
    pub applied_index: u64,
    pub up: bool,
    pub group: u32,
    /// `null` while the node is down.
    pub election_elapsed_ms: Option<f64>,
    /// `null` while the node is down.
    pub election_timeout_ms: Option<f64>,
    /// Index of the last entry compacted into the snapshot (0: none); `log` starts after it.
    pub snapshot_index: u64,
    pub snapshot_term: u64,
    pub log: Vec<EntryView>,
    /// The current leader's (`state.leader`) `nextIndex` for this node (Figure 2); absent
    /// on the leader itself and when there is no leader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_index: Option<u64>,
    /// The current leader's `matchIndex` for this node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_index: Option<u64>,
    /// Leaders only (every node that believes it leads): `{ peerId: { nextIndex, matchIndex } }`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<PairMap<NodeId, ProgressView>>,
    pub voters: Vec<NodeId>,
}

/// A list of key-value pairs that serialises as a JS object (keys in the list's order).
/// Cheaper in code size than a `BTreeMap` per key and value type.
pub struct PairMap<K, V>(pub Vec<(K, V)>);

impl<K: std::fmt::Display, V: Serialize> Serialize for PairMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(&k.to_string(), v)?;
        }
        map.end()
    }
}

/// A leader's view of one follower.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressView {
    pub next_index: u64,
    pub match_index: u64,
}

/// One log entry.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryView {
    pub index: u64,
    pub term: u64,
    /// The client command as text; `""` for a leader's no-op entry; for a membership change,
    /// a description such as `"add node 6"`.
    pub command: String,
    /// `"command"`, `"noop"` or `"config"`.
    pub kind: &'static str,
}

impl EntryView {
    pub fn of(entry: &Entry) -> EntryView {
        let (command, kind) = match &entry.data {
            EntryData::Noop => (String::new(), "noop"),
            EntryData::Command(bytes) => (String::from_utf8_lossy(bytes).into_owned(), "command"),
            EntryData::ConfChange(ConfChange::AddNode(id)) => (format!("add node {id}"), "config"),
            EntryData::ConfChange(ConfChange::RemoveNode(id)) => {
                (format!("remove node {id}"), "config")
            }
        };
        EntryView {
            index: entry.index,
            term: entry.term,
            command,
            kind,
        }
    }
}

/// One message in flight.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    pub id: u64,
    pub from: NodeId,
    pub to: NodeId,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub term: u64,
    pub sent_at_ms: f64,
    pub deliver_at_ms: f64,
    /// AppendEntries only (empty for a heartbeat).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<Vec<EntryView>>,
    /// Vote and pre-vote answers: whether the vote was granted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted: Option<bool>,
    /// AppendEntries answers: whether the follower's log matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// AppendEntries: the entry before `entries`; answers: the follower's match index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev_log_index: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev_log_term: Option<u64>,
    /// AppendEntries: the leader's commit index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leader_commit: Option<u64>,
    /// (Pre)votes: the candidate's last log index and term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_log_index: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_log_term: Option<u64>,
    /// AppendEntries answers on success: the follower's last matching index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_index: Option<u64>,
}

impl MessageView {
    pub fn of(m: &InFlight) -> MessageView {
        let msg = &m.msg;
        let mut view = MessageView {
            id: m.id,
            from: msg.from,
            to: msg.to,
            kind: msg.kind.name(),
            term: msg.term,
            sent_at_ms: ms(m.sent_us),
            deliver_at_ms: ms(m.deliver_us),
            entries: None,
            granted: None,
            success: None,
            prev_log_index: None,
            prev_log_term: None,
            leader_commit: None,
            last_log_index: None,
            last_log_term: None,
            match_index: None,
        };
        match &msg.kind {
            MessageKind::PreVote {
                last_log_index,
                last_log_term,
            }
            | MessageKind::RequestVote {
                last_log_index,
                last_log_term,
                ..
            } => {
                view.last_log_index = Some(*last_log_index);
                view.last_log_term = Some(*last_log_term);
            }
            MessageKind::PreVoteResponse { granted }
            | MessageKind::RequestVoteResponse { granted } => view.granted = Some(*granted),
            MessageKind::AppendEntries {
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                ..
            } => {
                view.prev_log_index = Some(*prev_log_index);
                view.prev_log_term = Some(*prev_log_term);
                view.leader_commit = Some(*leader_commit);
                view.entries = Some(entries.iter().map(EntryView::of).collect());
            }
            MessageKind::AppendEntriesResponse {
                success,
                match_index,
                ..
            } => {
                view.success = Some(*success);
                if *success {
                    view.match_index = Some(*match_index);
                }
            }
            MessageKind::InstallSnapshot { snapshot } => {
                view.prev_log_index = Some(snapshot.last_index);
                view.prev_log_term = Some(snapshot.last_term);
            }
            MessageKind::InstallSnapshotResponse { last_index } => {
                view.match_index = Some(*last_index);
            }
            MessageKind::TimeoutNow => {}
        }
        view
    }
}

/// A safety violation found by the checker.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViolationView {
    /// A short name, e.g. `"election safety"`.
    pub kind: &'static str,
    pub time_ms: f64,
    pub event_seq: u64,
    pub nodes: Vec<NodeId>,
    pub detail: String,
    /// The whole violation in one sentence.
    pub text: String,
}

impl ViolationView {
    pub fn of(v: &Violation) -> ViolationView {
        ViolationView {
            kind: v.kind.name(),
            time_ms: ms(v.time_us),
            event_seq: v.event_seq,
            nodes: v.nodes.clone(),
            detail: v.detail.clone(),
            text: format!("{}: {}", v.kind.name(), v.detail),
        }
    }
}

/// One trace event, for the event log (`events()`) and the trace export.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventView {
    pub seq: u64,
    pub time_ms: f64,
    /// What kind of event: `"send"`, `"deliver"`, `"drop"`, `"roleChange"`, ...
    pub kind: &'static str,
    pub nodes: Vec<NodeId>,
    /// The event in plain words: "node 3 timed out, starts election for term 4".
    pub text: String,
    /// Message events: the message's id and type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_type: Option<&'static str>,
    /// Drops: why ("lost", "partitioned", ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// Role changes: the new role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    /// Role and term changes: the new term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<u64>,
    /// Commits, proposals, compactions: the index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
}

impl EventView {
    pub fn of(e: &TraceEvent) -> EventView {
        let mut view = EventView {
            seq: e.seq,
            time_ms: ms(e.time_us),
            kind: kind_name(&e.kind),
            nodes: e.nodes.clone(),
            text: e.describe(),
            message_id: None,
            message_type: None,
            reason: None,
            role: None,
            term: None,
            index: None,
        };
        match &e.kind {
            TraceKind::Send(m) | TraceKind::Duplicate(m) | TraceKind::Deliver(m) => {
                view.message_id = Some(m.id);
                view.message_type = Some(m.kind);
            }
            TraceKind::Refused(m, _) => {
                view.message_id = Some(m.id);
                view.message_type = Some(m.kind);
            }
            TraceKind::Drop(m, reason) => {
                view.message_id = Some(m.id);
                view.message_type = Some(m.kind);
                view.reason = Some(reason.name());
            }
            TraceKind::RoleChange { to, term, .. } => {
                view.role = Some(role_name(*to));
                view.term = Some(*term);
            }
            TraceKind::TermChange { to, .. } => view.term = Some(*to),
            TraceKind::Commit { index }
            | TraceKind::Propose { index, .. }
            | TraceKind::Compact { index }
            | TraceKind::SnapshotInstalled { index } => view.index = Some(*index),
            _ => {}
        }
        view
    }
}

fn role_name(role: Role) -> &'static str {
    role.name()
}

fn kind_name(kind: &TraceKind) -> &'static str {
    match kind {
        TraceKind::Tick => "tick",
        TraceKind::Send(_) => "send",
        TraceKind::Duplicate(_) => "duplicate",
        TraceKind::Deliver(_) => "deliver",
        TraceKind::Drop(..) => "drop",
        TraceKind::Refused(..) => "refused",
        TraceKind::RoleChange { .. } => "roleChange",
        TraceKind::TermChange { .. } => "termChange",
        TraceKind::Commit { .. } => "commit",
        TraceKind::Propose { .. } => "propose",
        TraceKind::ClientComplete { .. } => "clientComplete",
        TraceKind::Crash => "crash",
        TraceKind::Restart => "restart",
        TraceKind::Timeout => "timeout",
        TraceKind::Partition(_) => "partition",
        TraceKind::Heal => "heal",
        TraceKind::CutLink { .. } => "cutLink",
        TraceKind::RestoreLink { .. } => "restoreLink",
        TraceKind::NetworkChanged => "networkChanged",
        TraceKind::NodeAdded => "nodeAdded",
        TraceKind::NodeRemoved => "nodeRemoved",
        TraceKind::TransferLeader { .. } => "transferLeader",
        TraceKind::Compact { .. } => "compact",
        TraceKind::SnapshotInstalled { .. } => "snapshotInstalled",
        TraceKind::Violation(_) => "violation",
        // Kinds added to the simulator later still reach the event log, by their words.
        #[allow(unreachable_patterns)]
        _ => "other",
    }
}

/// Builds the whole `state()` snapshot. `log_limit` keeps only the newest entries of each
/// log (the page's log panel shows a window; shipping every entry each frame is waste).
pub fn state(sim: &Sim, log_limit: Option<usize>) -> StateView {
    let leader = sim.leader();
    let leader_node = leader.and_then(|id| sim.node(id));
    let nodes = sim
        .node_ids()
        .into_iter()
        .filter_map(|id| {
            let node = sim.node(id)?;
            let entries = node.entries();
            let skip = log_limit.map_or(0, |n| entries.len().saturating_sub(n));
            let progress = (node.role() == Role::Leader && sim.is_up(id)).then(|| {
                PairMap(
                    node.voters()
                        .iter()
                        .filter(|&&peer| peer != id)
                        .filter_map(|&peer| {
                            let p = node.progress(peer)?;
                            Some((
                                peer,
                                ProgressView {
                                    next_index: p.next_index,
                                    match_index: p.match_index,
                                },
                            ))
                        })
                        .collect(),
                )
            });
            let seen_by_leader = leader_node
                .filter(|_| leader != Some(id))
                .and_then(|l| l.progress(id));
            Some(NodeView {
                id,
                role: node.role().name(),
                term: node.term(),
                voted_for: node.voted_for(),
                commit_index: node.commit_index(),
                applied_index: node.applied_index(),
                up: sim.is_up(id),
                group: sim.group_of(id),
                election_elapsed_ms: sim.election_elapsed_us(id).map(ms),
                election_timeout_ms: sim.election_timeout_us(id).map(ms),
                snapshot_index: node.snapshot().last_index,
                snapshot_term: node.snapshot().last_term,
                log: entries[skip..].iter().map(EntryView::of).collect(),
                next_index: seen_by_leader.map(|p| p.next_index),
                match_index: seen_by_leader.map(|p| p.match_index),
                progress,
                voters: node.voters().to_vec(),
            })
        })
        .collect();
    StateView {
        time_ms: ms(sim.now_us()),
        leader,
        nodes,
        messages: sim.in_flight().map(MessageView::of).collect(),
        violations: sim.violations().iter().map(ViolationView::of).collect(),
        event_seq: sim.trace_next_seq(),
    }
}
