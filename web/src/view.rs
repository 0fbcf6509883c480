//! What `state()`, `events()` and the other readers hand to JS, written as JSON text
//! ([`crate::json`]) straight from the simulator; the caller parses it into plain objects
//! (numbers are numbers, maps are plain objects, an absent value is `null` or a missing key,
//! as each field's comment says). The README's "state() schema" documents the shapes.

use raft_core::sim::{InFlight, Mismatch, Refusal, Sim, TraceEvent, TraceKind, Violation};
use raft_core::{ConfChange, Entry, EntryData, MessageKind, Role};

use crate::json::Json;

/// Microseconds of virtual time to the milliseconds JS sees.
pub fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// One log entry: `{ index, term, command, kind }`. `command` is the client command as
/// text, `""` for a leader's no-op entry, and for a membership change a description such as
/// `"add node 6"`; `kind` is `"command"`, `"noop"` or `"config"`.
pub fn entry(j: &mut Json, entry: &Entry) {
    j.open();
    j.field_u64("index", entry.index);
    j.field_u64("term", entry.term);
    j.key("command");
    let kind = match &entry.data {
        EntryData::Noop => {
            j.str("");
            "noop"
        }
        EntryData::Command(bytes) => {
            j.str(&String::from_utf8_lossy(bytes));
            "command"
        }
        EntryData::ConfChange(change) => {
            let (verb, id) = match change {
                ConfChange::AddNode(id) => ("add node ", *id),
                ConfChange::RemoveNode(id) => ("remove node ", *id),
            };
            let mut text = String::from(verb);
            text.push_str(&id.to_string());
            j.str(&text);
            "config"
        }
    };
    j.field_str("kind", kind);
    j.close();
}

fn entries(j: &mut Json, key: &str, list: &[Entry]) {
    j.key(key);
    j.open_array();
    for e in list {
        entry(j, e);
    }
    j.close_array();
}

/// One message in flight: `{ id, from, to, type, term, sentAtMs, deliverAtMs }` plus, by
/// type, `entries` (AppendEntries; empty for a heartbeat; its first `entry_limit` entries
/// only, if given) and `entryCount` (how many it carries), `granted` (vote answers),
/// `success` (append answers), `prevLogIndex`/`prevLogTerm` (AppendEntries: the entry
/// before `entries`; InstallSnapshot: the snapshot's last entry), `leaderCommit`,
/// `lastLogIndex`/`lastLogTerm` ((pre)votes) and `matchIndex` (successful append answers,
/// snapshot answers).
pub fn message(j: &mut Json, m: &InFlight, entry_limit: Option<usize>) {
    let msg = &m.msg;
    j.open();
    j.field_u64("id", m.id);
    j.field_u64("from", msg.from);
    j.field_u64("to", msg.to);
    j.field_str("type", msg.kind.name());
    j.field_u64("term", msg.term);
    j.field_ms("sentAtMs", m.sent_us);
    j.field_ms("deliverAtMs", m.deliver_us);
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
            j.field_u64("lastLogIndex", *last_log_index);
            j.field_u64("lastLogTerm", *last_log_term);
        }
        MessageKind::PreVoteResponse { granted } | MessageKind::RequestVoteResponse { granted } => {
            j.field_bool("granted", *granted)
        }
        MessageKind::AppendEntries {
            prev_log_index,
            prev_log_term,
            entries: list,
            leader_commit,
            ..
        } => {
            let shown = entry_limit.map_or(list.len(), |n| n.min(list.len()));
            entries(j, "entries", &list[..shown]);
            j.field_u64("entryCount", list.len() as u64);
            j.field_u64("prevLogIndex", *prev_log_index);
            j.field_u64("prevLogTerm", *prev_log_term);
            j.field_u64("leaderCommit", *leader_commit);
        }
        MessageKind::AppendEntriesResponse {
            success,
            match_index,
            ..
        } => {
            j.field_bool("success", *success);
            if *success {
                j.field_u64("matchIndex", *match_index);
            }
        }
        MessageKind::InstallSnapshot { snapshot } => {
            j.field_u64("prevLogIndex", snapshot.last_index);
            j.field_u64("prevLogTerm", snapshot.last_term);
        }
        MessageKind::InstallSnapshotResponse { last_index } => {
            j.field_u64("matchIndex", *last_index);
        }
        MessageKind::TimeoutNow => {}
    }
    j.close();
}

/// A safety violation found by the checker: `{ kind, timeMs, eventSeq, nodes, detail, text }`
/// with `kind` a short name such as `"election safety"` and `text` the whole violation in
/// one sentence.
pub fn violation(j: &mut Json, v: &Violation) {
    let kind = v.kind.name();
    j.open();
    j.field_str("kind", kind);
    j.field_ms("timeMs", v.time_us);
    j.field_u64("eventSeq", v.event_seq);
    j.field_u64s("nodes", &v.nodes);
    j.field_str("detail", &v.detail);
    let mut text = String::from(kind);
    text.push_str(": ");
    text.push_str(&v.detail);
    j.field_str("text", &text);
    j.close();
}

/// An array of violations.
pub fn violations(j: &mut Json, list: &[Violation]) {
    j.open_array();
    for v in list {
        violation(j, v);
    }
    j.close_array();
}

/// One trace event, for the event log (`events()`) and the trace export:
/// `{ seq, timeMs, kind, nodes, text }` (`kind` such as `"send"`, `"deliver"`, `"drop"`,
/// `"roleChange"`; `text` the event in plain words: "node 3 timed out, starts election for
/// term 4"), plus, for message events, `messageId`, `messageType`, the message's `term`,
/// `entries` (AppendEntries), `ok` (answers: granted or accepted), `why` (a refused vote,
/// pre-vote or append, on its send: "it voted for node 4 in this term", "its entry at index
/// 6 is from term 2, not 3"; `overtaken: true` when an append was refused only because an
/// earlier one from the same leader, with the entries between, is still on its way), and
/// `reason` for drops
/// ("lost", "partitioned", ...); `role` and `term` for role changes, `term` for term
/// changes, `index` for commits, proposals, compactions and installed snapshots, and for an
/// `"overwrite"` (a follower deleting entries that conflict with its leader's) the first
/// index deleted.
pub fn event(j: &mut Json, e: &TraceEvent) {
    j.open();
    j.field_u64("seq", e.seq);
    j.field_ms("timeMs", e.time_us);
    j.field_str("kind", kind_name(&e.kind));
    j.field_u64s("nodes", &e.nodes);
    j.field_str("text", &e.describe());
    match &e.kind {
        TraceKind::Send(m)
        | TraceKind::Duplicate(m)
        | TraceKind::Deliver(m)
        | TraceKind::Refused(m, _)
        | TraceKind::Drop(m, _) => {
            j.field_u64("messageId", m.id);
            j.field_str("messageType", m.kind);
            j.field_u64("term", m.term);
            if m.kind == "AppendEntries" {
                j.field_u64("entries", u64::from(m.entries));
            }
            if let Some(ok) = m.ok {
                j.field_bool("ok", ok);
            }
            if let Some(r) = m.refused {
                j.field_str("why", &r.words(m.from, m.to));
                if let Refusal::Append(Mismatch::Missing {
                    overtaken: true, ..
                }) = r
                {
                    j.field_bool("overtaken", true);
                }
            }
            if let TraceKind::Drop(_, reason) = &e.kind {
                j.field_str("reason", reason.name());
            }
        }
        TraceKind::RoleChange { to, term, .. } => {
            j.field_str("role", to.name());
            j.field_u64("term", *term);
        }
        TraceKind::TermChange { to, .. } => j.field_u64("term", *to),
        TraceKind::Commit { index }
        | TraceKind::Propose { index, .. }
        | TraceKind::Compact { index }
        | TraceKind::SnapshotInstalled { index } => j.field_u64("index", *index),
        TraceKind::Overwrite(o) => j.field_u64("index", o.from),
        _ => {}
    }
    j.close();
}

/// An array of trace events.
pub fn events<'a>(j: &mut Json, list: impl Iterator<Item = &'a TraceEvent>) {
    j.open_array();
    for e in list {
        event(j, e);
    }
    j.close_array();
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
        TraceKind::TimerSet { .. } => "timerSet",
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
        TraceKind::Overwrite(_) => "overwrite",
        TraceKind::Violation(_) => "violation",
        // Kinds added to the simulator later still reach the event log, by their words.
        #[allow(unreachable_patterns)]
        _ => "other",
    }
}

/// How much of the longer lists `state()` writes: `None` is all of it.
#[derive(Clone, Copy, Default)]
pub struct Limits {
    /// The newest entries of each node's log.
    pub log: Option<usize>,
    /// The first entries of each AppendEntries in flight.
    pub entries: Option<usize>,
    /// The first messages in flight.
    pub messages: Option<usize>,
}

/// Numbers per message in [`packed_messages`].
pub const PACKED_STRIDE: usize = 11;

/// Every message in flight as numbers, [`PACKED_STRIDE`] per message, for a caller that
/// reads them many times a second (the page, each frame that the cluster changed): the same
/// facts as `state({ entryLimit: 0 }).messages`, without writing and parsing text. Per
/// message: `id, from, to, type, term, sentAtMs, deliverAtMs`, then four numbers that
/// depend on `type` (its position in [`MessageKind::name`]'s order: 0 `PreVote`,
/// 1 `PreVoteResponse`, 2 `RequestVote`, 3 `RequestVoteResponse`, 4 `AppendEntries`,
/// 5 `AppendEntriesResponse`, 6 `InstallSnapshot`, 7 `InstallSnapshotResponse`,
/// 8 `TimeoutNow`), NaN where a field is absent:
///
/// - (pre)votes: `lastLogIndex, lastLogTerm`;
/// - their answers: `granted` (1 or 0);
/// - AppendEntries: `entryCount, prevLogIndex, prevLogTerm, leaderCommit`;
/// - its answers: `success` (1 or 0), `matchIndex` (NaN on a refusal);
/// - InstallSnapshot: `prevLogIndex, prevLogTerm`;
/// - its answers: `matchIndex`.
///
/// `www/inflight.js` turns them back into `state()`'s message objects.
pub fn packed_messages(sim: &Sim) -> Vec<f64> {
    let mut out = Vec::with_capacity(sim.in_flight_len() * PACKED_STRIDE);
    for m in sim.in_flight() {
        let msg = &m.msg;
        let n = |v: u64| v as f64;
        let flag = |b: bool| f64::from(u8::from(b));
        let (code, extra): (u8, &[f64]) = match &msg.kind {
            MessageKind::PreVote {
                last_log_index,
                last_log_term,
            } => (0, &[n(*last_log_index), n(*last_log_term)]),
            MessageKind::PreVoteResponse { granted } => (1, &[flag(*granted)]),
            MessageKind::RequestVote {
                last_log_index,
                last_log_term,
                ..
            } => (2, &[n(*last_log_index), n(*last_log_term)]),
            MessageKind::RequestVoteResponse { granted } => (3, &[flag(*granted)]),
            MessageKind::AppendEntries {
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                ..
            } => (
                4,
                &[
                    n(entries.len() as u64),
                    n(*prev_log_index),
                    n(*prev_log_term),
                    n(*leader_commit),
                ],
            ),
            MessageKind::AppendEntriesResponse {
                success: true,
                match_index,
                ..
            } => (5, &[1.0, n(*match_index)]),
            MessageKind::AppendEntriesResponse { .. } => (5, &[0.0]),
            MessageKind::InstallSnapshot { snapshot } => {
                (6, &[n(snapshot.last_index), n(snapshot.last_term)])
            }
            MessageKind::InstallSnapshotResponse { last_index } => (7, &[n(*last_index)]),
            MessageKind::TimeoutNow => (8, &[]),
        };
        let mut row = [f64::NAN; PACKED_STRIDE];
        row[..7].copy_from_slice(&[
            n(m.id),
            n(msg.from),
            n(msg.to),
            f64::from(code),
            n(msg.term),
            ms(m.sent_us),
            ms(m.deliver_us),
        ]);
        row[7..7 + extra.len()].copy_from_slice(extra);
        out.extend_from_slice(&row);
    }
    out
}

/// Writes the whole `state()` snapshot: `{ timeMs, leader, nodes, messages, violations,
/// eventSeq }` (`eventSeq`: the sequence number the next trace event will get, which changes
/// whenever something visible happens, so a caller can skip redrawing when it has not).
/// `log_limit` keeps only the newest entries of each log (the page's log panel shows a
/// window; shipping every entry each frame is waste), `entry_limit` only the first entries
/// of each AppendEntries in flight (the cluster view draws their number), `message_limit`
/// only the first messages in flight (the page reads them all, packed: [`packed_messages`]).
///
/// Each node is `{ id, role, term, votedFor, commitIndex, appliedIndex, up, group,
/// electionElapsedMs, electionTimeoutMs, snapshotIndex, snapshotTerm, log, voters }`, the
/// two timer fields `null` while the node is down, `snapshotIndex` 0 when there is no
/// snapshot (`log` starts after it); plus `nextIndex` and `matchIndex`, the current leader's
/// (`state.leader`) view of this node (Figure 2; absent on the leader itself and when there
/// is no leader); and on every node that believes it leads, `progress`:
/// `{ peerId: { nextIndex, matchIndex } }`.
pub fn state(j: &mut Json, sim: &Sim, limits: Limits) {
    let Limits {
        log: log_limit,
        entries: entry_limit,
        messages: message_limit,
    } = limits;
    let leader = sim.leader();
    let leader_node = leader.and_then(|id| sim.node(id));
    j.open();
    j.field_ms("timeMs", sim.now_us());
    j.field_u64_or_null("leader", leader);
    j.key("nodes");
    j.open_array();
    for id in sim.node_ids() {
        let Some(node) = sim.node(id) else {
            continue;
        };
        let up = sim.is_up(id);
        j.open();
        j.field_u64("id", id);
        j.field_str("role", node.role().name());
        j.field_u64("term", node.term());
        j.field_u64_or_null("votedFor", node.voted_for());
        j.field_u64("commitIndex", node.commit_index());
        j.field_u64("appliedIndex", node.applied_index());
        j.field_bool("up", up);
        j.field_u64("group", sim.group_of(id) as u64);
        j.key("electionElapsedMs");
        match sim.election_elapsed_us(id) {
            Some(us) => j.ms(us),
            None => j.null(),
        }
        j.key("electionTimeoutMs");
        match sim.election_timeout_us(id) {
            Some(us) => j.ms(us),
            None => j.null(),
        }
        j.field_u64("snapshotIndex", node.snapshot().last_index);
        j.field_u64("snapshotTerm", node.snapshot().last_term);
        let log = node.entries();
        let skip = log_limit.map_or(0, |n| log.len().saturating_sub(n));
        entries(j, "log", &log[skip..]);
        if let Some(p) = leader_node
            .filter(|_| leader != Some(id))
            .and_then(|l| l.progress(id))
        {
            j.field_u64("nextIndex", p.next_index);
            j.field_u64("matchIndex", p.match_index);
        }
        if node.role() == Role::Leader && up {
            j.key("progress");
            j.open();
            for &peer in node.voters() {
                if peer == id {
                    continue;
                }
                if let Some(p) = node.progress(peer) {
                    j.key(&peer.to_string());
                    j.open();
                    j.field_u64("nextIndex", p.next_index);
                    j.field_u64("matchIndex", p.match_index);
                    j.close();
                }
            }
            j.close();
        }
        j.field_u64s("voters", node.voters());
        j.close();
    }
    j.close_array();
    j.key("messages");
    j.open_array();
    for m in sim.in_flight().take(message_limit.unwrap_or(usize::MAX)) {
        message(j, m, entry_limit);
    }
    j.close_array();
    j.key("violations");
    violations(j, sim.violations());
    j.field_u64("eventSeq", sim.trace_next_seq());
    j.close();
}
