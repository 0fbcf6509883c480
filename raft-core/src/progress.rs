//! The leader's view of each follower (§5.3: nextIndex, matchIndex).

use crate::message::Index;

/// Replication progress of one follower, as seen by the leader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Index of the next entry to send.
    pub next_index: Index,
    /// Highest index known to be replicated on the follower.
    // Invariant: match_index < next_index.
    pub match_index: Index,
    /// Whether the follower was heard from since the last CheckQuorum round.
    pub recent_active: bool,
}

impl Progress {
    /// Progress of a follower a new leader knows nothing about yet: it will probe from
    /// its own last index + 1 (§5.3: "initialized to leader last log index + 1").
    pub(crate) fn new(next_index: Index) -> Progress {
        Progress {
            next_index,
            match_index: 0,
            recent_active: false,
        }
    }

    /// Records that the follower holds the leader's log up to `index`. Returns true if
    /// that was news.
    pub(crate) fn maybe_update(&mut self, index: Index) -> bool {
        let updated = index > self.match_index;
        if updated {
            self.match_index = index;
        }
        self.next_index = self.next_index.max(index + 1);
        updated
    }
}
