//! The simulated network: latency, loss, duplication, partitions and one-way link cuts.
//!
//! A message is delivered only if its link is up both when it is sent and when it
//! arrives. A message sent over a cut link is dropped at once (and traced as dropped);
//! one already in flight when its link is cut is dropped when it would have arrived, so
//! healing a partition does not resurrect what the partition swallowed, and cutting a link
//! does swallow what is on it, as a real network would.

use crate::vecmap::{IdMap, VecSet};

use super::SimError;
use crate::message::{Message, NodeId};

/// Network behaviour, the same on every link.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkConfig {
    /// One-way latency range `[min, max]` in milliseconds; each message draws uniformly from
    /// it, so a wide range reorders messages.
    pub latency_ms: (f64, f64),
    /// Probability that a message is lost, `0.0..=1.0`.
    pub loss_ratio: f64,
    /// Probability that a message is delivered twice, `0.0..=1.0`.
    pub duplicate_ratio: f64,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            latency_ms: (20.0, 40.0),
            loss_ratio: 0.0,
            duplicate_ratio: 0.0,
        }
    }
}

/// Most latency a message may have, in milliseconds (one minute).
pub const LATENCY_MS_MAX: f64 = 60_000.0;

/// A number in an error message. Natively this is Rust's own `Display` for `f64`; on wasm32
/// that machinery (shortest round-trip digits, some 20 KB of code) would be the only float
/// formatting in the module, so there the number is printed from integers with at most six
/// decimals instead. The page checks these options itself, with exact wording, before they
/// get here.
struct Num(f64);

impl std::fmt::Display for Num {
    #[cfg(not(target_arch = "wasm32"))]
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }

    #[cfg(target_arch = "wasm32")]
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let x = self.0;
        if x.is_nan() {
            return f.write_str("NaN");
        }
        if x.is_sign_negative() && x != 0.0 {
            f.write_str("-")?;
        }
        let a = x.abs();
        if a >= 1e15 {
            return f.write_str(if a.is_infinite() {
                "inf"
            } else {
                "a huge number"
            });
        }
        let scaled = (a * 1e6).round() as u64;
        let (whole, mut frac) = (scaled / 1_000_000, scaled % 1_000_000);
        write!(f, "{whole}")?;
        if frac > 0 {
            let mut digits = 6;
            while frac % 10 == 0 {
                frac /= 10;
                digits -= 1;
            }
            write!(f, ".{frac:0digits$}")?;
        }
        Ok(())
    }
}

impl NetworkConfig {
    /// Checks the settings; the error names the offending option.
    pub fn validate(&self) -> Result<(), SimError> {
        let (lo, hi) = self.latency_ms;
        if !lo.is_finite() || !hi.is_finite() || lo < 0.0 || hi < lo || hi > LATENCY_MS_MAX {
            return Err(SimError::invalid(
                "latencyMs",
                format!(
                    "must be [min, max] with 0 <= min <= max <= {} (got [{}, {}])",
                    Num(LATENCY_MS_MAX),
                    Num(lo),
                    Num(hi)
                ),
            ));
        }
        if !(0.0..=1.0).contains(&self.loss_ratio) {
            return Err(SimError::invalid(
                "lossRatio",
                format!("must be between 0 and 1 (got {})", Num(self.loss_ratio)),
            ));
        }
        if !(0.0..=1.0).contains(&self.duplicate_ratio) {
            return Err(SimError::invalid(
                "duplicateRatio",
                format!(
                    "must be between 0 and 1 (got {})",
                    Num(self.duplicate_ratio)
                ),
            ));
        }
        Ok(())
    }

    pub(crate) fn latency_us(&self) -> (u64, u64) {
        let (lo, hi) = self.latency_ms;
        ((lo * 1000.0).round() as u64, (hi * 1000.0).round() as u64)
    }
}

/// A message on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    /// Stable id, unique in the run; the page uses it to draw and drop the message.
    pub id: u64,
    /// The message itself.
    pub msg: Message,
    /// When it was sent, microseconds of virtual time.
    pub sent_us: u64,
    /// When it will arrive, microseconds of virtual time.
    pub deliver_us: u64,
}

/// What the network decided for a message being sent.
pub(crate) enum SendOutcome {
    /// In flight with these ids (two if duplicated).
    InFlight(u64, Option<u64>),
    /// Lost at once for this reason.
    Dropped(super::trace::DropReason, u64),
}

/// Links, partitions and messages in flight.
#[derive(Clone, Debug)]
pub(crate) struct Network {
    pub(crate) config: NetworkConfig,
    rng: fastrand::Rng,
    /// Partition group of each node, indexed by id; 0 when the network is whole.
    groups: Vec<u32>,
    /// One-way cuts `(from, to)`.
    cuts: VecSet<(NodeId, NodeId)>,
    /// Messages on the wire by id (ids only grow, and most leave in about the order they
    /// came, so an [`IdMap`] stays as long as the window of live ids).
    pub(crate) in_flight: IdMap<InFlight>,
    next_id: u64,
}

impl Network {
    pub(crate) fn new(config: NetworkConfig, seed: u64) -> Network {
        Network {
            config,
            rng: fastrand::Rng::with_seed(seed),
            groups: Vec::new(),
            cuts: VecSet::new(),
            in_flight: IdMap::new(),
            next_id: 1,
        }
    }

    pub(crate) fn group_of(&self, id: NodeId) -> u32 {
        self.groups.get(id as usize).copied().unwrap_or(0)
    }

    /// Whether `from -> to` is up right now; if not, why.
    pub(crate) fn link(&self, from: NodeId, to: NodeId) -> Result<(), super::trace::DropReason> {
        if self.group_of(from) != self.group_of(to) {
            return Err(super::trace::DropReason::Partition);
        }
        if !self.cuts.is_empty() && self.cuts.contains(&(from, to)) {
            return Err(super::trace::DropReason::LinkCut);
        }
        Ok(())
    }

    fn draw_latency(&mut self) -> u64 {
        let (lo, hi) = self.config.latency_us();
        if hi > lo {
            self.rng.u64(lo..=hi)
        } else {
            lo
        }
    }

    fn chance(&mut self, ratio: f64) -> bool {
        // No draw for 0 or 1: a run with a feature off keeps the same latency stream.
        if ratio <= 0.0 {
            false
        } else if ratio >= 1.0 {
            true
        } else {
            self.rng.f64() < ratio
        }
    }

    fn alloc_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Puts `msg` on the wire at `now_us`.
    pub(crate) fn send(&mut self, msg: Message, now_us: u64) -> SendOutcome {
        let id = self.alloc_id();
        if let Err(reason) = self.link(msg.from, msg.to) {
            return SendOutcome::Dropped(reason, id);
        }
        if self.chance(self.config.loss_ratio) {
            return SendOutcome::Dropped(super::trace::DropReason::Loss, id);
        }
        let dup = self.chance(self.config.duplicate_ratio);
        let deliver_us = now_us + self.draw_latency();
        // Ids and latencies are drawn original first, then the duplicate (seeds replay as
        // they always did); the in-flight map takes the smaller id first.
        let second = dup.then(|| (self.alloc_id(), now_us + self.draw_latency()));
        let copy = second.map(|_| msg.clone());
        self.in_flight.insert(
            id,
            InFlight {
                id,
                msg,
                sent_us: now_us,
                deliver_us,
            },
        );
        if let (Some((id2, deliver2)), Some(msg)) = (second, copy) {
            self.in_flight.insert(
                id2,
                InFlight {
                    id: id2,
                    msg,
                    sent_us: now_us,
                    deliver_us: deliver2,
                },
            );
        }
        SendOutcome::InFlight(id, second.map(|(id2, _)| id2))
    }

    /// Sets the partition groups; nodes not listed each form a group of their own.
    pub(crate) fn partition(&mut self, groups: &[Vec<NodeId>], all: &[NodeId]) {
        let max = all.iter().copied().max().unwrap_or(0) as usize;
        self.groups = vec![0; max + 1];
        let mut next = 1u32;
        for g in groups {
            for &n in g {
                self.groups[n as usize] = next;
            }
            next += 1;
        }
        for &n in all {
            if self.groups[n as usize] == 0 {
                self.groups[n as usize] = next;
                next += 1;
            }
        }
    }

    /// One network again: no partitions, no cut links.
    pub(crate) fn heal(&mut self) {
        self.groups.clear();
        self.cuts.clear();
    }

    pub(crate) fn cut(&mut self, from: NodeId, to: NodeId) {
        self.cuts.insert((from, to));
    }

    pub(crate) fn restore(&mut self, from: NodeId, to: NodeId) {
        self.cuts.remove(&(from, to));
    }

    /// Whether any partition or cut is in place.
    pub(crate) fn is_whole(&self) -> bool {
        self.cuts.is_empty()
            && self
                .groups
                .iter()
                .all(|&g| g == self.groups.first().copied().unwrap_or(0))
    }

    /// Gives a newly added node the group of no one else if the network is partitioned.
    pub(crate) fn place_new_node(&mut self, id: NodeId) {
        if self.groups.is_empty() {
            return;
        }
        let idx = id as usize;
        if self.groups.len() <= idx {
            self.groups.resize(idx + 1, 0);
        }
        let next = self.groups.iter().copied().max().unwrap_or(0) + 1;
        self.groups[idx] = next;
    }

    /// Removes every in-flight message to or from `id`, returning them in id order.
    pub(crate) fn drop_node_messages(&mut self, id: NodeId) -> Vec<InFlight> {
        let ids: Vec<u64> = self
            .in_flight
            .values()
            .filter(|m| m.msg.from == id || m.msg.to == id)
            .map(|m| m.id)
            .collect();
        ids.iter()
            .filter_map(|&i| self.in_flight.remove(i))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::MessageKind;

    fn msg(from: NodeId, to: NodeId) -> Message {
        Message {
            from,
            to,
            term: 1,
            kind: MessageKind::TimeoutNow,
        }
    }

    #[test]
    fn latency_within_range_and_reorders() {
        let mut net = Network::new(
            NetworkConfig {
                latency_ms: (10.0, 50.0),
                ..NetworkConfig::default()
            },
            7,
        );
        let mut last = 0;
        let mut reordered = false;
        for _ in 0..200 {
            let SendOutcome::InFlight(id, None) = net.send(msg(1, 2), 1000) else {
                panic!("unexpected drop or duplicate");
            };
            let d = net.in_flight[id].deliver_us;
            assert!((11_000..=51_000).contains(&d), "{d}");
            reordered |= d < last;
            last = d;
        }
        assert!(reordered);
    }

    #[test]
    fn loss_and_duplication_ratios() {
        let mut net = Network::new(
            NetworkConfig {
                latency_ms: (1.0, 1.0),
                loss_ratio: 0.25,
                duplicate_ratio: 0.5,
            },
            3,
        );
        let (mut lost, mut dup) = (0, 0);
        for _ in 0..4000 {
            match net.send(msg(1, 2), 0) {
                SendOutcome::Dropped(super::super::trace::DropReason::Loss, _) => lost += 1,
                SendOutcome::InFlight(_, Some(_)) => dup += 1,
                SendOutcome::InFlight(_, None) => {}
                SendOutcome::Dropped(r, _) => panic!("{r:?}"),
            }
        }
        assert!((850..1150).contains(&lost), "{lost}");
        assert!((1300..1700).contains(&dup), "{dup}");
    }

    #[test]
    fn partitions_and_cuts() {
        let mut net = Network::new(NetworkConfig::default(), 1);
        net.partition(&[vec![1, 2]], &[1, 2, 3, 4]);
        assert!(net.link(1, 2).is_ok());
        assert!(net.link(1, 3).is_err());
        assert!(net.link(3, 4).is_err(), "unlisted nodes are alone");
        net.heal();
        net.cut(1, 2);
        assert!(net.link(1, 2).is_err());
        assert!(net.link(2, 1).is_ok(), "cuts are one way");
        net.restore(1, 2);
        assert!(net.link(1, 2).is_ok());
        assert!(net.is_whole());
    }

    #[test]
    fn validation_names_the_option() {
        let bad = NetworkConfig {
            loss_ratio: 1.5,
            ..NetworkConfig::default()
        };
        assert!(bad
            .validate()
            .unwrap_err()
            .to_string()
            .contains("lossRatio"));
        let bad = NetworkConfig {
            latency_ms: (f64::NAN, 1.0),
            ..NetworkConfig::default()
        };
        assert!(bad
            .validate()
            .unwrap_err()
            .to_string()
            .contains("latencyMs"));
    }
}
