//! The safety checker: it watches the cluster from outside after every event and reports
//! broken Raft guarantees as typed values (TigerBeetle's state checker does the same for
//! its replicas). It never panics on what it finds.
//!
//! Checked properties (Raft paper Figure 3, plus two the simulator can see):
//! - election safety: at most one leader per term;
//! - log matching: two logs with an entry of the same index and term hold the same entry
//!   and the same term just before it, hence (by induction) identical prefixes;
//! - leader completeness: an entry committed in term `t` is in the log of every leader of a
//!   term after `t`;
//! - state machine safety: no two nodes commit or apply different entries at one index;
//! - a node's term and commit index never go backwards (the commit index may fall back to
//!   the snapshot after a restart, since it is volatile);
//! - committed entries a node had persisted survive its crash and restart.

use crate::vecmap::VecMap;
use std::fmt;

use crate::message::{EntryData, Index, NodeId, Term};
use crate::node::{RaftNode, Role};

/// Which guarantee broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ViolationKind {
    /// Two leaders in one term (§5.2).
    ElectionSafety,
    /// Two logs agree on an entry's index and term but not on the entry or its predecessor
    /// (§5.3).
    LogMatching,
    /// A leader lacks an entry committed in an earlier term (§5.4).
    LeaderCompleteness,
    /// Two nodes committed or applied different entries at one index (§5.4.3).
    StateMachineSafety,
    /// A node's commit index went backwards.
    CommitRegressed,
    /// A node's term went backwards.
    TermRegressed,
    /// A node lost a committed entry across a crash.
    CommittedEntryLost,
    /// The clients' history is not linearizable.
    NotLinearizable,
}

impl ViolationKind {
    /// A short name, e.g. "election safety".
    pub fn name(self) -> &'static str {
        match self {
            ViolationKind::ElectionSafety => "election safety",
            ViolationKind::LogMatching => "log matching",
            ViolationKind::LeaderCompleteness => "leader completeness",
            ViolationKind::StateMachineSafety => "state machine safety",
            ViolationKind::CommitRegressed => "commit index went backwards",
            ViolationKind::TermRegressed => "term went backwards",
            ViolationKind::CommittedEntryLost => "committed entry lost",
            ViolationKind::NotLinearizable => "linearizability",
        }
    }
}

/// A broken guarantee, with the event after which it was seen and the nodes involved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Which guarantee.
    pub kind: ViolationKind,
    /// Virtual time, µs.
    pub time_us: u64,
    /// Trace sequence number of the event after which it was seen.
    pub event_seq: u64,
    /// The nodes involved.
    pub nodes: Vec<NodeId>,
    /// What exactly, in words.
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} violated at {} µs (event {}): {}",
            self.kind.name(),
            self.time_us,
            self.event_seq,
            self.detail
        )
    }
}

/// A 64-bit FNV-1a digest of an entry's payload: the checker compares digests, not copies.
pub(crate) fn digest(data: &EntryData) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    match data {
        EntryData::Noop => eat(&[0]),
        EntryData::Command(c) => {
            eat(&[1]);
            eat(c);
        }
        EntryData::ConfChange(crate::message::ConfChange::AddNode(n)) => {
            eat(&[2]);
            eat(&n.to_le_bytes());
        }
        EntryData::ConfChange(crate::message::ConfChange::RemoveNode(n)) => {
            eat(&[3]);
            eat(&n.to_le_bytes());
        }
    }
    h
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Committed {
    /// `None` when only known to be inside some snapshot.
    term: Option<Term>,
    /// `None` when first seen inside a snapshot (content unknown).
    digest: Option<u64>,
    /// Lowest term of a node that knew the entry committed.
    commit_term: Term,
}

#[derive(Clone, Debug, Default)]
struct Track {
    term: Term,
    commit: Index,
    role: Option<Role>,
    last_index: Index,
    last_term: Term,
    first_index: Index,
    applied: Index,
}

/// Most violations kept; the first ones are what matter.
pub const VIOLATIONS_MAX: usize = 64;

/// The checker's memory of the run.
#[derive(Clone, Debug, Default)]
pub(crate) struct Checker {
    leaders: VecMap<Term, NodeId>,
    /// Log matching registry: `(index, term) -> (term at index - 1, digest)`.
    registry: VecMap<(Index, Term), (Term, u64)>,
    /// `committed[i - 1]`: the entry committed at index `i`.
    committed: Vec<Committed>,
    /// `applied[i - 1]`: digest of the entry applied at index `i`.
    applied: Vec<u64>,
    /// What the checker last saw of each node, indexed by id.
    tracks: Vec<Track>,
    pub(crate) violations: Vec<Violation>,
    /// Where the current event is, for the violations it finds.
    now_us: u64,
    seq: u64,
}

impl Checker {
    /// Sets the event that checks are about to run after.
    pub(crate) fn at(&mut self, now_us: u64, seq: u64) {
        self.now_us = now_us;
        self.seq = seq;
    }

    pub(crate) fn report(&mut self, kind: ViolationKind, nodes: Vec<NodeId>, detail: String) {
        if self.violations.len() < VIOLATIONS_MAX {
            self.violations.push(Violation {
                kind,
                time_us: self.now_us,
                event_seq: self.seq,
                nodes,
                detail,
            });
        }
    }

    /// Checks node `id` after an event that may have changed its log from index `from` on.
    /// `others` gives every node, so that new commits can be checked against leaders.
    pub(crate) fn check_node<'a>(
        &mut self,
        node: &RaftNode,
        from: Index,
        others: impl Iterator<Item = &'a RaftNode> + Clone,
    ) {
        let id = node.id();
        if self.tracks.len() <= id as usize {
            self.tracks.resize(id as usize + 1, Track::default());
        }
        let mut t = std::mem::take(&mut self.tracks[id as usize]);
        let term = node.term();
        if term < t.term {
            self.report(
                ViolationKind::TermRegressed,
                vec![id],
                format!("node {id}'s term went from {} to {term}", t.term),
            );
        }
        let commit = node.commit_index();
        if commit < t.commit {
            self.report(
                ViolationKind::CommitRegressed,
                vec![id],
                format!(
                    "node {id}'s commit index went from {} to {commit}",
                    t.commit
                ),
            );
        }
        if commit > node.last_index() {
            self.report(
                ViolationKind::CommittedEntryLost,
                vec![id],
                format!(
                    "node {id} has commit index {commit} beyond its last entry {}",
                    node.last_index()
                ),
            );
        }
        let role = node.role();
        let became_leader =
            role == Role::Leader && (t.role != Some(Role::Leader) || t.term != term);
        if became_leader {
            match self.leaders.get(&term) {
                Some(&other) if other != id => self.report(
                    ViolationKind::ElectionSafety,
                    vec![other, id],
                    format!("nodes {other} and {id} are both leaders of term {term}"),
                ),
                Some(_) => {}
                None => {
                    self.leaders.insert(term, id);
                }
            }
        }

        // Log matching and committed prefix, over the part of the log that may have changed.
        let first = node.first_index();
        let last = node.last_index();
        if first != t.first_index && first > 1 {
            let snap = node.snapshot();
            self.check_committed_term(node, snap.last_index, snap.last_term, None, "its snapshot");
        }
        let last_term_now = node.term_at(last).unwrap_or(0);
        // Appends, truncations and snapshots show in the log's ends; a rewrite in the middle
        // only comes from an AppendEntries, whose range the caller passes as `from`.
        let mut changed_from = from;
        if (last, last_term_now) != (t.last_index, t.last_term) {
            changed_from = changed_from.min(t.last_index.min(last) + 1);
        }
        if first != t.first_index {
            changed_from = changed_from.min(first);
        }
        if changed_from <= last {
            self.check_log(node, changed_from.max(first));
        }

        // New commits. Indices inside the snapshot are known only at its boundary.
        if commit > t.commit {
            let grew_from = self.committed.len() as Index + 1;
            for i in (t.commit + 1).max(first - 1).max(1)..=commit.min(last) {
                let Some(term_i) = node.term_at(i) else {
                    continue;
                };
                let d = entry_digest(node, i);
                self.record_commit(node, i, term_i, d);
            }
            if (self.committed.len() as Index) >= grew_from {
                self.check_leaders_have(grew_from, others.clone());
            }
        }
        if became_leader {
            self.check_leader_complete(node);
        }

        t.term = term;
        t.commit = commit;
        t.role = Some(role);
        t.last_index = last;
        t.last_term = last_term_now;
        t.first_index = first;
        self.tracks[id as usize] = t;
    }

    fn record_commit(&mut self, node: &RaftNode, i: Index, term_i: Term, d: Option<u64>) {
        let id = node.id();
        let len = self.committed.len() as Index;
        if i <= len {
            let c = &mut self.committed[(i - 1) as usize];
            let same = c.term.map_or(true, |t| t == term_i)
                && (c.digest.is_none() || d.is_none() || c.digest == d);
            if !same {
                let (ct, cd) = (c.term.unwrap_or(0), c.digest);
                self.report(
                    ViolationKind::StateMachineSafety,
                    vec![id],
                    format!(
                        "node {id} committed index {i} with term {term_i}, but an entry of term {ct} was committed there before{}",
                        if cd.is_some() && d.is_some() && ct == term_i { " (same term, different command)" } else { "" }
                    ),
                );
                return;
            }
            c.term = Some(term_i);
            if c.digest.is_none() {
                c.digest = d;
            }
            c.commit_term = c.commit_term.min(node.term());
        } else if i == len + 1 {
            self.committed.push(Committed {
                term: Some(term_i),
                digest: d,
                commit_term: node.term(),
            });
        } else {
            // A gap: the node learned of commits no one was seen making (its snapshot covers
            // them). Only the snapshot's boundary entry is known; fill the rest as unknown.
            for _ in len + 1..i {
                self.committed.push(Committed {
                    term: None,
                    digest: None,
                    commit_term: node.term(),
                });
            }
            self.committed.push(Committed {
                term: Some(term_i),
                digest: d,
                commit_term: node.term(),
            });
        }
    }

    fn check_committed_term(
        &mut self,
        node: &RaftNode,
        i: Index,
        term_i: Term,
        d: Option<u64>,
        what: &str,
    ) {
        if i == 0 || i > self.committed.len() as Index {
            return;
        }
        let c = self.committed[(i - 1) as usize];
        let Some(ct) = c.term else { return };
        if ct != term_i || (d.is_some() && c.digest.is_some() && c.digest != d) {
            let id = node.id();
            self.report(
                ViolationKind::StateMachineSafety,
                vec![id],
                format!(
                    "node {id} has term {term_i} at index {i} in {what}, but an entry of term {ct} is committed there"
                ),
            );
        }
    }

    fn check_log(&mut self, node: &RaftNode, from: Index) {
        let id = node.id();
        let first = node.first_index();
        let entries = node.entries();
        let commit = node.commit_index();
        let skip = (from - first) as usize;
        let mut prev_term = node.term_at(from - 1).unwrap_or(0);
        for e in entries.iter().skip(skip) {
            let d = digest(&e.data);
            match self.registry.get(&(e.index, e.term)) {
                None => {
                    self.registry.insert((e.index, e.term), (prev_term, d));
                }
                Some(&(p, rd)) => {
                    if p != prev_term || rd != d {
                        self.report(
                            ViolationKind::LogMatching,
                            vec![id],
                            format!(
                                "node {id}'s entry at index {} term {} differs from another log's entry with the same index and term ({})",
                                e.index,
                                e.term,
                                if rd != d { "different command" } else { "different preceding term" }
                            ),
                        );
                    }
                }
            }
            if e.index <= commit {
                self.check_committed_term(node, e.index, e.term, Some(d), "its committed log");
            }
            prev_term = e.term;
        }
    }

    fn check_leader_complete(&mut self, node: &RaftNode) {
        let id = node.id();
        let term = node.term();
        let first = node.first_index();
        for i in first..=self.committed.len() as Index {
            let c = self.committed[(i - 1) as usize];
            if c.commit_term >= term || c.term.is_none() {
                continue;
            }
            if node.term_at(i) != c.term {
                self.report(
                    ViolationKind::LeaderCompleteness,
                    vec![id],
                    format!(
                        "node {id}, leader of term {term}, lacks the entry committed at index {i} (term {}) in term {}",
                        c.term.unwrap_or(0), c.commit_term
                    ),
                );
                return;
            }
        }
    }

    fn check_leaders_have<'a>(&mut self, from: Index, nodes: impl Iterator<Item = &'a RaftNode>) {
        for n in nodes {
            if n.role() != Role::Leader {
                continue;
            }
            for i in from.max(n.first_index())..=self.committed.len() as Index {
                let c = self.committed[(i - 1) as usize];
                if c.term.is_some() && c.commit_term < n.term() && n.term_at(i) != c.term {
                    let id = n.id();
                    let t = n.term();
                    self.report(
                        ViolationKind::LeaderCompleteness,
                        vec![id],
                        format!(
                            "node {id}, leader of term {t}, lacks the entry committed at index {i} (term {}) in term {}",
                            c.term.unwrap_or(0), c.commit_term
                        ),
                    );
                    return;
                }
            }
        }
    }

    /// Forgets log-matching records below `first_index`: no log holds entries there any
    /// more (the caller passes the lowest first index over every node, crashed ones too).
    pub(crate) fn prune(&mut self, first_index: Index) {
        self.registry.remove_below(&(first_index, 0));
    }

    /// Checks an entry node `id` applied to its state machine.
    pub(crate) fn on_apply(&mut self, id: NodeId, index: Index, term: Term, data: &EntryData) {
        let d = digest(data);
        let len = self.applied.len() as Index;
        if index <= len {
            if self.applied[(index - 1) as usize] != d {
                self.report(
                    ViolationKind::StateMachineSafety,
                    vec![id],
                    format!("node {id} applied a different command at index {index} (term {term}) than another node"),
                );
            }
        } else {
            // Indices covered by snapshots are never applied one by one: fill with the
            // committed digests, where known.
            while (self.applied.len() as Index) + 1 < index {
                let j = self.applied.len();
                let fill = self.committed.get(j).and_then(|c| c.digest).unwrap_or(0);
                self.applied.push(fill);
            }
            self.applied.push(d);
        }
        if let Some(t) = self.tracks.get_mut(id as usize) {
            t.applied = index;
        }
    }

    /// Notes a crash: nothing to check, but the node's volatile commit index may restart
    /// lower.
    pub(crate) fn on_restart(&mut self, before: &crate::node::PersistentState, node: &RaftNode) {
        let id = node.id();
        // Committed entries the node had persisted must still be there.
        let had_last = before
            .entries
            .last()
            .map_or(before.snapshot.last_index, |e| e.index);
        let upto = had_last.min(self.committed.len() as Index);
        for i in before.snapshot.last_index.max(1)..=upto {
            let c = self.committed[(i - 1) as usize];
            let had = before
                .entries
                .iter()
                .find(|e| e.index == i)
                .map(|e| e.term)
                .or((before.snapshot.last_index == i).then_some(before.snapshot.last_term));
            if c.term.is_some()
                && had == c.term
                && node.term_at(i) != c.term
                && i >= node.first_index() - 1
            {
                self.report(
                    ViolationKind::CommittedEntryLost,
                    vec![id],
                    format!("node {id} lost the committed entry at index {i} across a restart"),
                );
                break;
            }
        }
        if let Some(t) = self.tracks.get_mut(id as usize) {
            t.commit = node.commit_index();
            t.role = Some(node.role());
            t.applied = node.applied_index();
        }
    }
}

fn entry_digest(node: &RaftNode, i: Index) -> Option<u64> {
    let first = node.first_index();
    if i < first {
        return None;
    }
    node.entries()
        .get((i - first) as usize)
        .map(|e| digest(&e.data))
}
