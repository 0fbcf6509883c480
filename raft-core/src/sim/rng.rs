//! Seed derivation: every subsystem gets its own PRNG stream from the one run seed.

/// One round of SplitMix64: a bijective mixer, so distinct inputs give distinct outputs.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Derives a subsystem seed from the run seed, a subsystem tag and an index
/// (node id, restart count, client id ...).
pub(crate) fn derive(seed: u64, tag: Stream, index: u64) -> u64 {
    mix(mix(seed ^ mix(tag as u64)).wrapping_add(index))
}

/// The independent random streams of a run.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Stream {
    /// Latency, loss and duplication.
    Network = 1,
    /// A node's election-timeout generator (index: node id and incarnation).
    Node = 2,
    /// Tick phase offsets.
    Phase = 3,
    /// The client workload.
    Workload = 4,
    /// The swarm's fault schedule.
    Faults = 5,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ() {
        assert_ne!(
            derive(1, Stream::Network, 0),
            derive(1, Stream::Workload, 0)
        );
        assert_ne!(derive(1, Stream::Node, 1), derive(1, Stream::Node, 2));
        assert_ne!(derive(1, Stream::Node, 1), derive(2, Stream::Node, 1));
        assert_eq!(derive(7, Stream::Faults, 3), derive(7, Stream::Faults, 3));
    }
}
