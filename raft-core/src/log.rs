//! The replicated log: append, conflict search, commit, compaction.
//!
//! [`RaftLog`] is the persistent half of the log: a compacted prefix (the [`Snapshot`])
//! followed by the entries after it. The commit and applied indices are volatile and live
//! in the node; the log only offers the searches the protocol needs.

use crate::message::{ConfChange, Entry, EntryData, Index, NodeId, Snapshot, Term};

/// A snapshot followed by the log entries after it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RaftLog {
    /// The compacted prefix; `last_index == 0` if nothing was compacted.
    snapshot: Snapshot,
    // Invariant: entries[i].index == snapshot.last_index + 1 + i.
    // Invariant: entry terms never decrease, and none is below snapshot.last_term.
    entries: Vec<Entry>,
}

impl RaftLog {
    /// Builds a log from persisted parts, checking that they fit together.
    pub(crate) fn from_parts(snapshot: Snapshot, entries: Vec<Entry>) -> Result<RaftLog, String> {
        let mut term = snapshot.last_term;
        for (expected, e) in (snapshot.last_index + 1..).zip(entries.iter()) {
            if e.index != expected {
                return Err(format!(
                    "entry index {} where {} was expected",
                    e.index, expected
                ));
            }
            if e.term < term {
                return Err(format!(
                    "entry {} has term {} below {}",
                    e.index, e.term, term
                ));
            }
            term = e.term;
        }
        Ok(RaftLog { snapshot, entries })
    }

    /// The compacted prefix.
    pub(crate) fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The entries after the snapshot.
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// First index still held as an entry.
    pub(crate) fn first_index(&self) -> Index {
        self.snapshot.last_index + 1
    }

    /// Index of the last entry, or of the snapshot if there are no entries.
    pub(crate) fn last_index(&self) -> Index {
        self.entries
            .last()
            .map_or(self.snapshot.last_index, |e| e.index)
    }

    /// Term of the last entry (or of the snapshot).
    pub(crate) fn last_term(&self) -> Term {
        self.entries
            .last()
            .map_or(self.snapshot.last_term, |e| e.term)
    }

    /// The term of the entry at `index`: known for the snapshot's last index and every
    /// entry after it. Index 0 has term 0 when nothing was compacted.
    pub(crate) fn term_at(&self, index: Index) -> Option<Term> {
        if index == self.snapshot.last_index {
            return Some(self.snapshot.last_term);
        }
        self.entry(index).map(|e| e.term)
    }

    /// The entry at `index`, if it is held (not compacted, not beyond the end).
    pub(crate) fn entry(&self, index: Index) -> Option<&Entry> {
        if index < self.first_index() {
            return None;
        }
        let offset = usize::try_from(index - self.first_index()).ok()?;
        self.entries.get(offset)
    }

    /// True if the entry at `index` has term `term` (§5.3's consistency check).
    pub(crate) fn matches(&self, index: Index, term: Term) -> bool {
        self.term_at(index) == Some(term)
    }

    /// §5.4.1: a candidate's log is at least as up to date as ours if its last term is
    /// higher, or equal with a last index at least as high.
    pub(crate) fn is_up_to_date(&self, last_index: Index, last_term: Term) -> bool {
        last_term > self.last_term()
            || (last_term == self.last_term() && last_index >= self.last_index())
    }

    /// The entries in `[lo, hi]`, clipped to what is held, at most `max` of them.
    pub(crate) fn slice(&self, lo: Index, hi: Index, max: u64) -> Vec<Entry> {
        let lo = lo.max(self.first_index());
        let hi = hi.min(self.last_index());
        if lo > hi {
            return Vec::new();
        }
        let count = (hi - lo + 1).min(max);
        let start = (lo - self.first_index()) as usize;
        self.entries[start..start + count as usize].to_vec()
    }

    /// The index of the first entry of `entries` that is not already in the log with the
    /// same term (a conflict or a new entry), or `None` if all are present.
    pub(crate) fn find_conflict(&self, entries: &[Entry]) -> Option<Index> {
        entries
            .iter()
            .find(|e| !self.matches(e.index, e.term))
            .map(|e| e.index)
    }

    /// The rejection hint for fast backtracking (§5.3, "optimization"): when the log is
    /// too short, `(last + 1, None)`; otherwise the first index of the conflicting entry's
    /// term (searching no lower than `floor`) and that term.
    pub(crate) fn conflict_hint(&self, prev_index: Index, floor: Index) -> (Index, Option<Term>) {
        if prev_index > self.last_index() {
            return (self.last_index() + 1, None);
        }
        let Some(term) = self.term_at(prev_index) else {
            // Below the snapshot: everything there is committed, so restart after it.
            return (self.first_index(), None);
        };
        let floor = floor.max(self.first_index());
        let mut index = prev_index;
        while index > floor && self.term_at(index - 1) == Some(term) {
            index -= 1;
        }
        (index, Some(term))
    }

    /// The last index at or below `at_most` whose entry has term `term`, if any.
    pub(crate) fn last_index_of_term(&self, term: Term, at_most: Index) -> Option<Index> {
        let mut index = at_most.min(self.last_index());
        loop {
            match self.term_at(index) {
                Some(t) if t == term => return Some(index),
                Some(t) if t < term => return None,
                Some(_) if index > self.snapshot.last_index => index -= 1,
                _ => return None,
            }
        }
    }

    /// Appends `entries`, which must follow on from the log or overwrite a suffix of it.
    /// Entries from the first one on are replaced (§5.3: "delete the existing entry and
    /// all that follow it").
    ///
    /// # Panics
    /// If the entries would leave a gap or reach into the snapshot.
    pub(crate) fn append(&mut self, entries: &[Entry]) {
        let Some(first) = entries.first() else {
            return;
        };
        assert!(
            first.index > self.snapshot.last_index,
            "append at {} reaches into the snapshot ending at {}",
            first.index,
            self.snapshot.last_index
        );
        assert!(
            first.index <= self.last_index() + 1,
            "append at {} leaves a gap after {}",
            first.index,
            self.last_index()
        );
        self.truncate_from(first.index);
        self.entries.extend_from_slice(entries);
    }

    /// Drops the entries at `index` and after.
    pub(crate) fn truncate_from(&mut self, index: Index) {
        assert!(
            index > self.snapshot.last_index,
            "truncation into the snapshot"
        );
        let keep = (index - self.first_index()) as usize;
        self.entries.truncate(keep);
    }

    /// Replaces the prefix up to `index` with a snapshot holding `data` (§7).
    ///
    /// # Panics
    /// If `index` is not a held entry.
    pub(crate) fn compact(&mut self, index: Index, data: Vec<u8>, initial_voters: &[NodeId]) {
        let term = self
            .term_at(index)
            .expect("compaction index must be in the log");
        assert!(
            index > self.snapshot.last_index,
            "compaction must move forward"
        );
        let voters = self.voters_at(index, initial_voters);
        let drop = (index - self.snapshot.last_index) as usize;
        self.entries.drain(..drop);
        self.snapshot = Snapshot {
            last_index: index,
            last_term: term,
            voters,
            data,
        };
    }

    /// Installs a snapshot from the leader. If the log holds the snapshot's last entry
    /// with the same term, the entries after it are kept (§7); otherwise the whole log is
    /// discarded.
    ///
    /// # Panics
    /// If the snapshot is not newer than the current one.
    pub(crate) fn restore(&mut self, snapshot: Snapshot) {
        assert!(
            snapshot.last_index > self.snapshot.last_index,
            "restoring snapshot {} over newer snapshot {}",
            snapshot.last_index,
            self.snapshot.last_index
        );
        if self.matches(snapshot.last_index, snapshot.last_term) {
            let drop = (snapshot.last_index - self.snapshot.last_index) as usize;
            self.entries.drain(..drop);
        } else {
            self.entries.clear();
        }
        self.snapshot = snapshot;
    }

    /// The voters as of `index`: the snapshot's (or `initial` when nothing was compacted)
    /// changed by each membership entry up to `index` (thesis §4.1: a configuration takes
    /// effect as soon as its entry is in the log). Sorted.
    pub(crate) fn voters_at(&self, index: Index, initial: &[NodeId]) -> Vec<NodeId> {
        let mut voters = if self.snapshot.last_index == 0 {
            initial.to_vec()
        } else {
            self.snapshot.voters.clone()
        };
        crate::vecmap::sort_small(&mut voters);
        voters.dedup();
        for e in self.entries.iter().take_while(|e| e.index <= index) {
            if let EntryData::ConfChange(change) = &e.data {
                match *change {
                    ConfChange::AddNode(id) => {
                        if let Err(pos) = voters.binary_search(&id) {
                            voters.insert(pos, id);
                        }
                    }
                    ConfChange::RemoveNode(id) => voters.retain(|&v| v != id),
                }
            }
        }
        voters
    }

    /// Index of the last membership entry after `after`, if any.
    pub(crate) fn last_conf_index_after(&self, after: Index) -> Option<Index> {
        self.entries
            .iter()
            .rev()
            .take_while(|e| e.index > after)
            .find(|e| matches!(e.data, EntryData::ConfChange(_)))
            .map(|e| e.index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(index: Index, term: Term) -> Entry {
        Entry {
            term,
            index,
            data: EntryData::Command(vec![index as u8]),
        }
    }

    fn log_of(terms: &[Term]) -> RaftLog {
        let entries = terms
            .iter()
            .enumerate()
            .map(|(i, &t)| entry(i as Index + 1, t))
            .collect();
        RaftLog::from_parts(Snapshot::default(), entries).unwrap()
    }

    #[test]
    fn empty_log_has_index_zero_term_zero() {
        let log = RaftLog::default();
        assert_eq!(log.first_index(), 1);
        assert_eq!(log.last_index(), 0);
        assert_eq!(log.last_term(), 0);
        assert_eq!(log.term_at(0), Some(0));
        assert_eq!(log.term_at(1), None);
    }

    #[test]
    fn from_parts_rejects_gaps_and_falling_terms() {
        assert!(RaftLog::from_parts(Snapshot::default(), vec![entry(2, 1)]).is_err());
        assert!(RaftLog::from_parts(Snapshot::default(), vec![entry(1, 2), entry(2, 1)]).is_err());
        assert!(RaftLog::from_parts(Snapshot::default(), vec![entry(1, 1), entry(2, 1)]).is_ok());
    }

    #[test]
    fn append_overwrites_conflicting_suffix() {
        let mut log = log_of(&[1, 1, 2, 2]);
        log.append(&[entry(3, 3), entry(4, 3), entry(5, 3)]);
        assert_eq!(log.last_index(), 5);
        assert_eq!(log.term_at(2), Some(1));
        assert_eq!(log.term_at(3), Some(3));
        assert_eq!(log.term_at(5), Some(3));
        log.append(&[entry(2, 4)]);
        assert_eq!(log.last_index(), 2);
        assert_eq!(log.last_term(), 4);
    }

    #[test]
    #[should_panic(expected = "gap")]
    fn append_with_gap_panics() {
        let mut log = log_of(&[1]);
        log.append(&[entry(3, 1)]);
    }

    #[test]
    fn find_conflict_skips_matching_entries() {
        let log = log_of(&[1, 2, 3]);
        assert_eq!(log.find_conflict(&[]), None);
        assert_eq!(log.find_conflict(&[entry(1, 1), entry(2, 2)]), None);
        assert_eq!(log.find_conflict(&[entry(2, 2), entry(3, 4)]), Some(3));
        assert_eq!(log.find_conflict(&[entry(3, 3), entry(4, 3)]), Some(4));
    }

    #[test]
    fn conflict_hint_names_first_index_of_the_term() {
        let log = log_of(&[1, 1, 2, 2, 2, 3]);
        // Too short: the hint is last + 1.
        assert_eq!(log.conflict_hint(9, 0), (7, None));
        // Entry 5 has term 2, which starts at index 3.
        assert_eq!(log.conflict_hint(5, 0), (3, Some(2)));
        // The search stops at the floor (the committed prefix).
        assert_eq!(log.conflict_hint(5, 4), (4, Some(2)));
        assert_eq!(log.last_index_of_term(2, 6), Some(5));
        assert_eq!(log.last_index_of_term(4, 6), None);
        assert_eq!(log.last_index_of_term(1, 6), Some(2));
    }

    #[test]
    fn truncate_drops_suffix() {
        let mut log = log_of(&[1, 1, 2]);
        log.truncate_from(2);
        assert_eq!(log.last_index(), 1);
        assert_eq!(log.term_at(2), None);
    }

    #[test]
    fn compaction_keeps_terms_at_the_boundary() {
        let mut log = log_of(&[1, 1, 2, 3]);
        log.compact(2, b"image".to_vec(), &[1, 2, 3]);
        assert_eq!(log.first_index(), 3);
        assert_eq!(log.last_index(), 4);
        assert_eq!(log.term_at(1), None);
        assert_eq!(log.term_at(2), Some(1));
        assert_eq!(log.term_at(3), Some(2));
        assert_eq!(log.snapshot().voters, vec![1, 2, 3]);
        assert_eq!(log.slice(1, 4, 10).len(), 2);
        assert_eq!(log.slice(3, 4, 1), vec![entry(3, 2)]);
    }

    #[test]
    fn restore_keeps_matching_suffix_and_drops_mismatch() {
        let mut log = log_of(&[1, 1, 2, 3]);
        let snap = Snapshot {
            last_index: 3,
            last_term: 2,
            voters: vec![1, 2],
            data: vec![],
        };
        log.restore(snap.clone());
        assert_eq!(log.first_index(), 4);
        assert_eq!(log.last_index(), 4);
        let mut other = log_of(&[1, 1, 1, 1]);
        other.restore(snap);
        assert_eq!(other.last_index(), 3);
        assert!(other.entries().is_empty());
    }

    #[test]
    fn voters_follow_membership_entries() {
        let mut log = log_of(&[1]);
        log.append(&[Entry {
            term: 1,
            index: 2,
            data: EntryData::ConfChange(ConfChange::AddNode(4)),
        }]);
        log.append(&[Entry {
            term: 1,
            index: 3,
            data: EntryData::ConfChange(ConfChange::RemoveNode(1)),
        }]);
        assert_eq!(log.voters_at(1, &[3, 1, 2]), vec![1, 2, 3]);
        assert_eq!(log.voters_at(2, &[1, 2, 3]), vec![1, 2, 3, 4]);
        assert_eq!(log.voters_at(3, &[1, 2, 3]), vec![2, 3, 4]);
        assert_eq!(log.last_conf_index_after(0), Some(3));
        assert_eq!(log.last_conf_index_after(3), None);
        log.compact(2, vec![], &[1, 2, 3]);
        assert_eq!(log.snapshot().voters, vec![1, 2, 3, 4]);
        assert_eq!(log.voters_at(3, &[9]), vec![2, 3, 4]);
    }

    #[test]
    fn up_to_date_compares_last_term_then_index() {
        let log = log_of(&[1, 2, 2]);
        assert!(log.is_up_to_date(1, 3));
        assert!(log.is_up_to_date(3, 2));
        assert!(!log.is_up_to_date(2, 2));
        assert!(!log.is_up_to_date(9, 1));
    }
}
