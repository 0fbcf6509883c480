//! The virtual clock's event queue: events in time order, ties broken by insertion order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::message::NodeId;

/// What happens at a scheduled instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum EventKind {
    /// Node ticks; `epoch` invalidates ticks scheduled before a crash.
    Tick {
        /// The node.
        node: NodeId,
        /// The node's incarnation when the tick was scheduled.
        epoch: u32,
    },
    /// The in-flight message with this id arrives (unless it was dropped meanwhile).
    Deliver {
        /// In-flight message id.
        msg: u64,
    },
    /// A client acts: sends a request, retries, or gives up.
    Client {
        /// Client index.
        client: u32,
        /// Invalidates wake-ups scheduled for an earlier attempt.
        generation: u64,
    },
}

/// A min-queue of `(time_us, seq, event)`. `seq` is unique and increasing, so two events at
/// the same instant come out in the order they were scheduled: the run is deterministic.
#[derive(Clone, Debug, Default)]
pub(crate) struct EventQueue {
    heap: BinaryHeap<Reverse<(u64, u64, EventKind)>>,
    next_seq: u64,
}

impl EventQueue {
    /// Schedules `event` at `time_us`.
    pub(crate) fn push(&mut self, time_us: u64, event: EventKind) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse((time_us, seq, event)));
    }

    /// The time of the earliest event.
    pub(crate) fn peek_time(&self) -> Option<u64> {
        self.heap.peek().map(|Reverse((t, _, _))| *t)
    }

    /// Removes and returns the earliest event.
    pub(crate) fn pop(&mut self) -> Option<(u64, EventKind)> {
        self.heap.pop().map(|Reverse((t, _, e))| (t, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_order_then_insertion_order() {
        let mut q = EventQueue::default();
        q.push(20, EventKind::Deliver { msg: 1 });
        q.push(10, EventKind::Deliver { msg: 2 });
        q.push(20, EventKind::Tick { node: 9, epoch: 0 });
        q.push(10, EventKind::Tick { node: 1, epoch: 0 });
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![
                (10, EventKind::Deliver { msg: 2 }),
                (10, EventKind::Tick { node: 1, epoch: 0 }),
                (20, EventKind::Deliver { msg: 1 }),
                (20, EventKind::Tick { node: 9, epoch: 0 }),
            ]
        );
    }
}
