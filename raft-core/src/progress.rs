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
