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

/// Most appends in flight to one follower while replicating (a bound on the pipeline).
pub(crate) const MAX_INFLIGHT_APPENDS: usize = 8;

/// How appends flow to one follower: etcd's probe and replicate states.
///
/// While probing, the leader does not know where the follower's log matches its own: it
/// sends one append at a time and moves `next_index` only on answers (backing off on
/// rejections). Once an answer confirms a match, it replicates: appends are pipelined, up
/// to [`MAX_INFLIGHT_APPENDS`], and `next_index` advances as they are sent. If the answer
/// to a heartbeat shows the follower still lacks appends sent before that heartbeat, they
/// were lost (or overtaken), and the leader goes back to probing.
#[derive(Clone, Debug, Default)]
pub(crate) struct Flow {
    /// Replicating (pipelined) rather than probing.
    pub(crate) replicating: bool,
    /// The last index of each unacknowledged append or snapshot, oldest first.
    // Invariant: at most MAX_INFLIGHT_APPENDS entries; at most one while probing.
    pub(crate) inflight: std::collections::VecDeque<Index>,
    /// The last index in flight when the latest heartbeat was sent (0 if none).
    pub(crate) sent_before_heartbeat: Index,
}

impl Flow {
    /// True when nothing more may be sent until an answer arrives.
    pub(crate) fn paused(&self) -> bool {
        if self.replicating {
            self.inflight.len() >= MAX_INFLIGHT_APPENDS
        } else {
            !self.inflight.is_empty()
        }
    }

    /// Records that a message carrying entries up to `last` was sent.
    pub(crate) fn sent(&mut self, last: Index) {
        assert!(!self.paused(), "sent while paused");
        self.inflight.push_back(last);
    }

    /// Records an acknowledgement of everything up to `index`.
    pub(crate) fn ack(&mut self, index: Index) {
        while self.inflight.front().is_some_and(|&i| i <= index) {
            self.inflight.pop_front();
        }
    }

    /// Notes that a heartbeat is being sent after whatever is in flight now.
    pub(crate) fn heartbeat_sent(&mut self) {
        self.sent_before_heartbeat = self.inflight.back().copied().unwrap_or(0);
    }

    /// True if a successful answer that matched only up to `match_index` (and moved
    /// nothing forward) reveals that appends sent before the latest heartbeat never
    /// arrived.
    pub(crate) fn lost_appends(&self, match_index: Index) -> bool {
        self.replicating && match_index < self.sent_before_heartbeat
    }

    /// Back to one append at a time.
    pub(crate) fn become_probe(&mut self) {
        self.replicating = false;
        self.inflight.clear();
        self.sent_before_heartbeat = 0;
    }

    /// The follower's log is known to match: pipeline.
    pub(crate) fn become_replicate(&mut self) {
        self.replicating = true;
        self.inflight.clear();
        self.sent_before_heartbeat = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_sends_one_at_a_time() {
        let mut f = Flow::default();
        assert!(!f.paused());
        f.sent(5);
        assert!(f.paused());
        f.ack(4);
        assert!(f.paused(), "an older ack does not free the probe");
        f.ack(5);
        assert!(!f.paused());
    }

    #[test]
    fn replicate_pipelines_up_to_the_bound() {
        let mut f = Flow::default();
        f.become_replicate();
        for i in 0..MAX_INFLIGHT_APPENDS as Index {
            assert!(!f.paused());
            f.sent(10 + i);
        }
        assert!(f.paused());
        f.ack(11);
        assert_eq!(f.inflight.len(), MAX_INFLIGHT_APPENDS - 2);
        assert!(!f.paused());
        f.become_probe();
        assert!(f.inflight.is_empty());
        assert!(!f.replicating);
    }

    #[test]
    fn progress_update_only_moves_forward() {
        let mut p = Progress::new(5);
        assert!(p.maybe_update(3));
        assert_eq!((p.match_index, p.next_index), (3, 5));
        assert!(!p.maybe_update(2));
        assert!(p.maybe_update(7));
        assert_eq!((p.match_index, p.next_index), (7, 8));
    }
}
