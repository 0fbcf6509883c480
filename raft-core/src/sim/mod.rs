//! A deterministic cluster simulator, a live safety checker and a client workload.
//!
//! Everything random flows from [`SimConfig::seed`]: each subsystem (network, each node's
//! election timeouts, tick phases, clients, the swarm's fault schedule) draws from its own
//! PRNG derived from it, and events at the same instant run in the order they were
//! scheduled. The same seed and the same calls give the same run, event for event, on
//! native and in wasm. No wall clock is read.
//!
//! Time is virtual, in microseconds. Every node ticks every `tick_ms`, with a per-node phase
//! offset so that nodes do not tick in lockstep. Messages fly with a latency drawn uniformly
//! from the configured range.
//!
//! **Network semantics.** A message is delivered only if its link is up both when it is sent
//! and when it arrives (see [`network`]). A message sent over a cut link is dropped at once;
//! one in flight when its link is cut is dropped at its arrival time; healing does not bring
//! back what was dropped.
//!
//! **Crashes.** A crashed node loses its volatile state, its timers and every message in
//! flight to or from it. On restart it is rebuilt with [`RaftNode::new`] from the
//! [`PersistentState`] it had (the simulator persists synchronously: whatever a node holds
//! after handling an event is on its disk before its messages leave), with a fresh seed.
//! Its key-value store is rebuilt from its snapshot and re-applied entries.
//!
//! ```
//! use raft_core::sim::{Sim, SimConfig};
//! # fn main() -> Result<(), raft_core::sim::SimError> {
//! let mut sim = Sim::new(SimConfig { nodes: 3, seed: 7, ..SimConfig::default() })?;
//! sim.advance_us(2_000_000);
//! assert!(sim.leader().is_some());
//! assert!(sim.violations().is_empty());
//! # Ok(()) }
//! ```

mod checker;
mod history;
pub mod linearizability;
pub mod network;
mod queue;
mod rng;
pub mod swarm;
mod trace;
mod workload;

pub use checker::{Violation, ViolationKind, VIOLATIONS_MAX};
pub use history::{HistoryOp, KvOp, KvOutput};
pub use linearizability::Linearizability;
pub use network::{InFlight, NetworkConfig};
pub use trace::{
    Denial, DropReason, Mismatch, MsgInfo, Overwrite, Refusal, RoleCause, TraceEvent, TraceKind,
};
pub use workload::{Command, KvStore, WorkloadConfig};

use crate::config::{Config, Faults};
use crate::error::Error;
use crate::message::{ConfChange, EntryData, Index, Message, MessageKind, NodeId, Term};
use crate::node::{PersistentState, RaftNode, ReadState, Role};
use checker::Checker;
use network::{Network, SendOutcome};
use queue::{EventKind, EventQueue};
use rng::Stream;
use trace::Trace;
use workload::Workload;

/// Most virtual time one call to [`Sim::advance_us`] runs: an hour. A call cannot hang the
/// caller (a page) for long, however large the number it passes.
pub const ADVANCE_US_MAX: u64 = 3_600_000_000;

/// Most nodes a simulation may hold (ids `1..=NODES_MAX`).
pub const NODES_MAX: u64 = 64;

/// Errors a caller of the simulator can cause.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    /// An option is out of range; `option` is its name as the page spells it.
    #[error("{option} {reason}")]
    InvalidOption {
        /// The option, e.g. `lossRatio`.
        option: &'static str,
        /// What is wrong, e.g. "must be between 0 and 1 (got 1.5)".
        reason: String,
    },
    /// No node has this id.
    #[error("node {id} does not exist (ids are {})", ids_words(.ids))]
    NoSuchNode {
        /// The id asked for.
        id: NodeId,
        /// The ids that exist.
        ids: Vec<NodeId>,
    },
    /// The node is crashed.
    #[error("node {0} is crashed")]
    NodeDown(NodeId),
    /// The node leads (and so has no election timer to set).
    #[error("node {0} is the leader: a leader has no election timer")]
    IsLeader(NodeId),
    /// The node is up (restart of a running node).
    #[error("node {0} is already running")]
    NodeUp(NodeId),
    /// No node is leader.
    #[error("no leader: the cluster has not elected one (try again after an election)")]
    NoLeader,
    /// The node asked is not the leader.
    #[error("node {node} is not the leader{}", match .leader { Some(l) => format!(" (node {l} is)"), None => String::new() })]
    NotLeader {
        /// The node asked.
        node: NodeId,
        /// Whom it believes leads.
        leader: Option<NodeId>,
    },
    /// A partition names a node twice.
    #[error("node {0} appears in more than one partition group")]
    DuplicateInPartition(NodeId),
    /// No message in flight has this id.
    #[error("no message {0} is in flight")]
    NoSuchMessage(u64),
    /// The cluster already has [`NODES_MAX`] nodes, or would drop below one.
    #[error("cluster size limit: {0}")]
    SizeLimit(String),
    /// The protocol refused.
    #[error(transparent)]
    Raft(Error),
}

/// The slot of node `id`, which the caller knows exists. One shared copy of the lookup
/// (and of its panic path) instead of one per call site.
///
/// # Panics
/// If there is no node `id`: a bug in the simulator.
#[inline(never)]
fn slot_ref(slots: &[Option<Slot>], id: NodeId) -> &Slot {
    slots
        .get(id as usize)
        .and_then(Option::as_ref)
        .expect("the node exists")
}

/// [`slot_ref`], mutable.
#[inline(never)]
fn slot_mut(slots: &mut [Option<Slot>], id: NodeId) -> &mut Slot {
    slots
        .get_mut(id as usize)
        .and_then(Option::as_mut)
        .expect("the node exists")
}

fn ids_words(ids: &[NodeId]) -> String {
    match (ids.first(), ids.last()) {
        (Some(a), Some(b)) if (b - a + 1) as usize == ids.len() => format!("{a}..{b}"),
        (Some(_), Some(_)) => trace::id_list(ids),
        _ => "none".to_string(),
    }
}

impl SimError {
    pub(crate) fn invalid(option: &'static str, reason: impl Into<String>) -> SimError {
        SimError::InvalidOption {
            option,
            reason: reason.into(),
        }
    }
}

impl From<Error> for SimError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotLeader { node, leader } => SimError::NotLeader { node, leader },
            e => SimError::Raft(e),
        }
    }
}

/// Everything a simulation needs to start.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    /// Number of nodes; their ids are `1..=nodes`.
    pub nodes: u64,
    /// The one seed every random choice derives from.
    pub seed: u64,
    /// Length of a protocol tick in virtual milliseconds.
    pub tick_ms: u64,
    /// Election timeout range `[min, max)` in ms (rounded down to whole ticks).
    pub election_timeout_ms: (u64, u64),
    /// Heartbeat interval in ms (rounded down to whole ticks).
    pub heartbeat_ms: u64,
    /// Network behaviour.
    pub network: NetworkConfig,
    /// PreVote (thesis §9.6).
    pub pre_vote: bool,
    /// CheckQuorum.
    pub check_quorum: bool,
    /// Fast log backtracking with the conflict hint.
    pub fast_backtrack: bool,
    /// Most entries one AppendEntries carries.
    pub max_entries_per_append: u64,
    /// Deliberately unsafe protocol faults, passed to every node; all off by default.
    pub faults: Faults,
    /// The client workload; `None` (the playground) means clients only when asked.
    pub workload: Option<WorkloadConfig>,
    /// A node compacts its log when `applied - first_index` exceeds this.
    pub snapshot_threshold: Option<u64>,
    /// Run the safety checker after every event.
    pub check: bool,
    /// Events the trace keeps (0: no trace).
    pub trace_capacity: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            nodes: 5,
            seed: 1,
            tick_ms: 10,
            election_timeout_ms: (150, 300),
            heartbeat_ms: 50,
            network: NetworkConfig::default(),
            pre_vote: true,
            check_quorum: true,
            fast_backtrack: true,
            max_entries_per_append: 64,
            faults: Faults::default(),
            workload: None,
            snapshot_threshold: None,
            check: true,
            trace_capacity: 2_000,
        }
    }
}

impl SimConfig {
    /// Checks the configuration; the error names the offending option.
    pub fn validate(&self) -> Result<(), SimError> {
        if self.nodes == 0 || self.nodes > NODES_MAX {
            return Err(SimError::invalid(
                "nodes",
                format!("must be between 1 and {NODES_MAX} (got {})", self.nodes),
            ));
        }
        if self.tick_ms == 0 || self.tick_ms > 1_000 {
            return Err(SimError::invalid(
                "tickMs",
                format!("must be between 1 and 1000 (got {})", self.tick_ms),
            ));
        }
        let (lo, hi) = self.election_timeout_ms;
        if lo / self.tick_ms < 2 || hi <= lo || hi > 600_000 {
            return Err(SimError::invalid(
                "electionTimeoutMs",
                format!(
                    "must be [min, max] with 2 ticks ({} ms) <= min < max <= 600000 (got [{lo}, {hi}])",
                    2 * self.tick_ms
                ),
            ));
        }
        if self.heartbeat_ms < self.tick_ms || self.heartbeat_ms >= lo {
            return Err(SimError::invalid(
                "heartbeatMs",
                format!(
                    "must be at least one tick ({} ms) and below the election timeout ({lo} ms) (got {})",
                    self.tick_ms, self.heartbeat_ms
                ),
            ));
        }
        self.network.validate()?;
        if let Some(w) = &self.workload {
            if w.clients == 0 || w.clients > 1_000 || w.keys == 0 {
                return Err(SimError::invalid(
                    "workload",
                    "needs 1..=1000 clients and at least one key",
                ));
            }
            if w.think_ms.0 > w.think_ms.1 || w.retry_ms == 0 || w.give_up_ms < w.retry_ms {
                return Err(SimError::invalid(
                    "workload",
                    "needs think_ms min <= max and 0 < retry_ms <= give_up_ms",
                ));
            }
            if !(0.0..=1.0).contains(&(w.get_ratio + w.cas_ratio))
                || w.get_ratio < 0.0
                || w.cas_ratio < 0.0
            {
                return Err(SimError::invalid(
                    "workload",
                    "get_ratio and cas_ratio must be non-negative and sum to at most 1",
                ));
            }
        }
        if self.max_entries_per_append == 0 {
            return Err(SimError::invalid(
                "maxEntriesPerAppend",
                "must be at least 1",
            ));
        }
        if self.snapshot_threshold == Some(0) {
            return Err(SimError::invalid("snapshotThreshold", "must be at least 1"));
        }
        self.raft_config(vec![1])
            .validate()
            .map_err(|e| SimError::invalid("electionTimeoutMs", e.to_string()))?;
        Ok(())
    }

    /// The protocol configuration every node gets.
    fn raft_config(&self, voters: Vec<NodeId>) -> Config {
        let t = self.tick_ms;
        Config {
            voters,
            election_timeout_ticks_min: (self.election_timeout_ms.0 / t) as u32,
            election_timeout_ticks_max: (self.election_timeout_ms.1 / t)
                .max(self.election_timeout_ms.0 / t + 1)
                as u32,
            heartbeat_interval_ticks: (self.heartbeat_ms / t) as u32,
            pre_vote: self.pre_vote,
            check_quorum: self.check_quorum,
            fast_backtrack: self.fast_backtrack,
            max_entries_per_append: self.max_entries_per_append,
            faults: self.faults.clone(),
        }
    }
}

/// Counters over the whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimStats {
    /// Events processed (ticks, deliveries, client wake-ups).
    pub events: u64,
    /// Node ticks.
    pub ticks: u64,
    /// Messages put on the wire (duplicates counted once).
    pub messages_sent: u64,
    /// Messages delivered to a node.
    pub messages_delivered: u64,
    /// Messages dropped, for any reason.
    pub messages_dropped: u64,
    /// Extra copies made by the network.
    pub messages_duplicated: u64,
    /// Times some node became leader.
    pub leader_elections: u64,
    /// Highest commit index any node reached.
    pub max_commit_index: Index,
    /// Entries applied to state machines, over all nodes.
    pub entries_applied: u64,
    /// Client operations completed with an answer.
    pub client_ops_completed: u64,
    /// Client operations given up.
    pub client_ops_failed: u64,
    /// Crashes.
    pub crashes: u64,
    /// Snapshots taken by compaction.
    pub compactions: u64,
}

#[derive(Clone, Debug)]
struct Slot {
    node: RaftNode,
    up: bool,
    /// Removed from the cluster by a committed membership change (never restarts).
    removed: bool,
    /// Bumped on every restart; ticks of earlier incarnations are stale.
    epoch: u32,
    last_tick_us: u64,
    kv: KvStore,
    /// ReadIndex answers waiting for the state machine to catch up.
    pending_reads: Vec<ReadState>,
    /// Role, term and commit index as last traced.
    seen: (Role, Term, Index),
}

/// A simulated cluster. Cheap enough to clone for time-travel checkpoints.
#[derive(Clone, Debug)]
pub struct Sim {
    cfg: SimConfig,
    tick_us: u64,
    now_us: u64,
    queue: EventQueue,
    /// Indexed by node id; slot 0 is unused.
    slots: Vec<Option<Slot>>,
    net: Network,
    trace: Trace,
    checker: Checker,
    workload: Option<Workload>,
    stats: SimStats,
    /// The first trace event of the event being processed (for `step_event`).
    first_of_event: Option<TraceEvent>,
    /// Whether `step_event` wants `first_of_event` filled.
    capturing: bool,
    /// Trace sequence number of the first record of the event or action under way; the
    /// checker's violations point at it.
    event_seq: u64,
    phase_rng: fastrand::Rng,
    /// The request being delivered (a vote, pre-vote or append): a refusal sent in answer
    /// says why.
    ask: Option<Ask>,
    /// The message being delivered: its sender, and whether it answers a vote or pre-vote
    /// (what made a node step down, see `step_down`).
    delivering: Option<(NodeId, bool)>,
}

/// A request, as its recipient handles it: what a refusal's reasons are read from.
#[derive(Clone, Copy, Debug)]
struct Ask {
    /// The recipient, which answers.
    by: NodeId,
    /// The sender, which is answered.
    from: NodeId,
    term: Term,
    what: AskKind,
}

#[derive(Clone, Copy, Debug)]
enum AskKind {
    Vote {
        pre: bool,
        last_index: Index,
        last_term: Term,
    },
    Append {
        prev_index: Index,
        prev_term: Term,
    },
}

impl Sim {
    /// Builds a cluster of `cfg.nodes` fresh nodes, all followers in term 0.
    pub fn new(cfg: SimConfig) -> Result<Sim, SimError> {
        cfg.validate()?;
        let tick_us = cfg.tick_ms * 1000;
        let voters: Vec<NodeId> = (1..=cfg.nodes).collect();
        let mut sim = Sim {
            tick_us,
            now_us: 0,
            queue: EventQueue::default(),
            slots: vec![None],
            net: Network::new(
                cfg.network.clone(),
                rng::derive(cfg.seed, Stream::Network, 0),
            ),
            trace: Trace::new(cfg.trace_capacity),
            checker: Checker::default(),
            workload: cfg
                .workload
                .clone()
                .map(|w| Workload::new(w, rng::derive(cfg.seed, Stream::Workload, 0))),
            stats: SimStats::default(),
            first_of_event: None,
            capturing: false,
            event_seq: 0,
            phase_rng: fastrand::Rng::with_seed(rng::derive(cfg.seed, Stream::Phase, 0)),
            ask: None,
            delivering: None,
            cfg,
        };
        for &id in &voters {
            sim.create_node(id, voters.clone())?;
        }
        if let Some(w) = &sim.workload {
            let n = w.clients.len() as u32;
            for c in 0..n {
                sim.schedule_client(c, 0);
            }
        }
        Ok(sim)
    }

    fn create_node(&mut self, id: NodeId, voters: Vec<NodeId>) -> Result<(), SimError> {
        let config = self.cfg.raft_config(voters);
        let node = RaftNode::new(
            id,
            config,
            PersistentState::default(),
            rng::derive(self.cfg.seed, Stream::Node, id << 32),
        )?;
        while self.slots.len() <= id as usize {
            self.slots.push(None);
        }
        let phase = self.phase_rng.u64(0..self.tick_us);
        self.slots[id as usize] = Some(Slot {
            node,
            up: true,
            removed: false,
            epoch: 0,
            last_tick_us: self.now_us,
            kv: KvStore::default(),
            pending_reads: Vec::new(),
            seen: (Role::Follower, 0, 0),
        });
        // The first tick comes one full tick after start, plus the node's phase: a tick
        // stands for the interval before it, so timers never run ahead of virtual time.
        self.queue.push(
            self.now_us + self.tick_us + phase,
            EventKind::Tick { node: id, epoch: 0 },
        );
        Ok(())
    }

    /// The configuration the simulation was built with (network as last set).
    pub fn config(&self) -> &SimConfig {
        &self.cfg
    }

    /// The virtual clock, in microseconds.
    pub fn now_us(&self) -> u64 {
        self.now_us
    }

    /// Runs every event due in the next `us` microseconds (at most [`ADVANCE_US_MAX`]) and
    /// moves the clock forward by that much. Returns the number of events processed.
    pub fn advance_us(&mut self, us: u64) -> u64 {
        self.advance_inner(us, false)
    }

    /// Like [`Sim::advance_us`], but stops right after an event that adds a violation,
    /// with the clock at that event, so the state shows the counterexample. Returns the
    /// number of events processed.
    pub fn advance_until_violation_us(&mut self, us: u64) -> u64 {
        self.advance_inner(us, true)
    }

    /// The loop behind both: every event due within `us`, then the clock to the end of the
    /// span, unless `stop_at_violation` and an event added a violation.
    fn advance_inner(&mut self, us: u64, stop_at_violation: bool) -> u64 {
        let until = self.now_us.saturating_add(us.min(ADVANCE_US_MAX));
        let before = self.checker.violations.len();
        let mut n = 0;
        while let Some(t) = self.queue.peek_time() {
            if t > until {
                break;
            }
            if self.process_next() {
                n += 1;
                if stop_at_violation && self.checker.violations.len() > before {
                    return n;
                }
            }
        }
        self.now_us = until;
        n
    }

    /// Runs until the virtual clock reaches `time_us` (no-op if it already has).
    pub fn run_until_us(&mut self, time_us: u64) -> u64 {
        self.advance_us(time_us.saturating_sub(self.now_us))
    }

    /// Processes exactly one event (stale ones, such as the delivery of a message the user
    /// dropped, are skipped silently) and returns the first thing it did: a trace event,
    /// or a [`TraceKind::Tick`] for a tick that changed nothing visible. `None` only if no
    /// event is left (every node crashed and nothing in flight).
    pub fn step_event(&mut self) -> Option<TraceEvent> {
        loop {
            self.queue.peek_time()?;
            self.capturing = true;
            let processed = self.process_next();
            self.capturing = false;
            if processed {
                return self.first_of_event.take();
            }
        }
    }

    /// Processes events until one produces a trace event other than a quiet tick, at most
    /// `max_events` of them. Returns that event, if any.
    pub fn step_visible(&mut self, max_events: u64) -> Option<TraceEvent> {
        for _ in 0..max_events {
            let e = self.step_event()?;
            if e.kind != TraceKind::Tick {
                return Some(e);
            }
        }
        None
    }

    /// The time of the next event, if any.
    pub fn next_event_us(&self) -> Option<u64> {
        self.queue.peek_time()
    }

    /// Ids of the cluster's nodes (crashed ones included, removed ones not), ascending.
    pub fn node_ids(&self) -> Vec<NodeId> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().filter(|s| !s.removed).map(|_| i as NodeId))
            .collect()
    }

    fn slot(&self, id: NodeId) -> Option<&Slot> {
        self.slots.get(id as usize).and_then(Option::as_ref)
    }

    fn live_slot(&self, id: NodeId) -> Result<&Slot, SimError> {
        match self.slot(id) {
            Some(s) if !s.removed => Ok(s),
            _ => Err(SimError::NoSuchNode {
                id,
                ids: self.node_ids(),
            }),
        }
    }

    fn up_slot_mut(&mut self, id: NodeId) -> Result<&mut Slot, SimError> {
        let s = self.live_slot(id)?;
        if !s.up {
            return Err(SimError::NodeDown(id));
        }
        Ok(slot_mut(&mut self.slots, id))
    }

    /// A node's protocol state; for a crashed node, the state it had when it crashed.
    /// `None` if no node ever had this id.
    pub fn node(&self, id: NodeId) -> Option<&RaftNode> {
        self.slot(id).map(|s| &s.node)
    }

    /// Whether node `id` exists and is running.
    pub fn is_up(&self, id: NodeId) -> bool {
        self.slot(id).is_some_and(|s| s.up && !s.removed)
    }

    /// Whether node `id` was removed from the cluster.
    pub fn is_removed(&self, id: NodeId) -> bool {
        self.slot(id).is_some_and(|s| s.removed)
    }

    /// Partition group of node `id` (0 when the network is whole).
    pub fn group_of(&self, id: NodeId) -> u32 {
        self.net.group_of(id)
    }

    /// Time since the node's election timer was reset, µs (`None` if down or unknown).
    pub fn election_elapsed_us(&self, id: NodeId) -> Option<u64> {
        let s = self.slot(id).filter(|s| s.up && !s.removed)?;
        Some(
            s.node.election_elapsed() as u64 * self.tick_us
                + (self.now_us - s.last_tick_us).min(self.tick_us),
        )
    }

    /// The node's current randomized election timeout, µs.
    pub fn election_timeout_us(&self, id: NodeId) -> Option<u64> {
        let s = self.slot(id).filter(|s| s.up && !s.removed)?;
        Some(s.node.election_timeout() as u64 * self.tick_us)
    }

    /// Messages on the wire, by id.
    pub fn in_flight(&self) -> impl Iterator<Item = &InFlight> {
        self.net.in_flight.values()
    }

    /// Number of messages on the wire.
    pub fn in_flight_len(&self) -> usize {
        self.net.in_flight.len()
    }

    /// The running leader with the highest term, if any.
    pub fn leader(&self) -> Option<NodeId> {
        let mut best: Option<(Term, NodeId)> = None;
        for (i, s) in self.slots.iter().enumerate() {
            if let Some(s) = s {
                if s.up && !s.removed && s.node.role() == Role::Leader {
                    let t = s.node.term();
                    if best.map_or(true, |(bt, _)| t > bt) {
                        best = Some((t, i as NodeId));
                    }
                }
            }
        }
        best.map(|(_, id)| id)
    }

    /// Proposes a client command to `via`, or to [`Sim::leader`]. Returns the leader and
    /// the new entry's index.
    pub fn propose(
        &mut self,
        cmd: Vec<u8>,
        via: Option<NodeId>,
    ) -> Result<(NodeId, Index), SimError> {
        let id = match via {
            Some(id) => id,
            None => self.leader().ok_or(SimError::NoLeader)?,
        };
        let text = String::from_utf8_lossy(&cmd).into_owned();
        let s = self.up_slot_mut(id)?;
        let index = s.node.propose(cmd)?;
        self.begin_action();
        self.record(
            TraceKind::Propose {
                index,
                command: text,
            },
            &[id],
        );
        self.after_node_event(id, Index::MAX);
        Ok((id, index))
    }

    /// Crashes node `id`: it loses its volatile state, timers and in-flight messages.
    pub fn crash(&mut self, id: NodeId) -> Result<(), SimError> {
        self.up_slot_mut(id)?;
        self.begin_action();
        self.stop_node(id, false);
        self.stats.crashes += 1;
        self.record(TraceKind::Crash, &[id]);
        Ok(())
    }

    fn stop_node(&mut self, id: NodeId, removed: bool) {
        let s = slot_mut(&mut self.slots, id);
        s.up = false;
        s.removed |= removed;
        s.epoch += 1;
        s.pending_reads.clear();
        for m in self.net.drop_node_messages(id) {
            self.stats.messages_dropped += 1;
            self.record(
                TraceKind::Drop(MsgInfo::of(m.id, &m.msg), DropReason::NodeDown),
                &[m.msg.from, m.msg.to],
            );
        }
    }

    /// Restarts crashed node `id` from its persistent state.
    pub fn restart(&mut self, id: NodeId) -> Result<(), SimError> {
        let s = self.live_slot(id)?;
        if s.up {
            return Err(SimError::NodeUp(id));
        }
        let before = s.node.persistent_state();
        let config = s.node.config().clone();
        let epoch = s.epoch;
        let node = RaftNode::new(
            id,
            config,
            before.clone(),
            rng::derive(self.cfg.seed, Stream::Node, (id << 32) | epoch as u64),
        )?;
        let kv = KvStore::decode(&node.snapshot().data).unwrap_or_default();
        self.begin_action();
        let s = slot_mut(&mut self.slots, id);
        s.node = node;
        s.kv = kv;
        s.up = true;
        s.seen = (s.node.role(), s.node.term(), s.node.commit_index());
        s.last_tick_us = self.now_us;
        let phase = self.phase_rng.u64(0..self.tick_us);
        self.queue.push(
            self.now_us + self.tick_us + phase,
            EventKind::Tick { node: id, epoch },
        );
        self.record(TraceKind::Restart, &[id]);
        if self.cfg.check {
            self.checker.at(self.now_us, self.event_seq);
            let s = slot_ref(&self.slots, id);
            self.checker.on_restart(&before, &s.node);
        }
        self.after_node_event(id, Index::MAX);
        Ok(())
    }

    /// Makes node `id`'s election timer fire now.
    pub fn timeout(&mut self, id: NodeId) -> Result<(), SimError> {
        let s = self.up_slot_mut(id)?;
        s.node.campaign();
        self.begin_action();
        self.record(TraceKind::Timeout, &[id]);
        self.after_node_event(id, Index::MAX);
        Ok(())
    }

    /// Sets node `id`'s election timer to fire `ms` milliseconds from now (rounded up to
    /// the node's next tick at or after that; see [`RaftNode::set_election_timer`]). Returns
    /// the milliseconds until it fires. Refused for a crashed node and for a leader, which
    /// has no election timer.
    pub fn set_election_timer(&mut self, id: NodeId, ms: u64) -> Result<u64, SimError> {
        let (now, tick) = (self.now_us, self.tick_us);
        let s = self.up_slot_mut(id)?;
        if s.node.role() == Role::Leader {
            return Err(SimError::IsLeader(id));
        }
        // The timer counts whole ticks from the node's last one; the first of them is
        // already partly gone.
        let gone = (now - s.last_tick_us).min(tick);
        let ticks = ms
            .saturating_mul(1000)
            .saturating_add(gone)
            .div_ceil(tick)
            .clamp(1, u32::MAX as u64);
        s.node.set_election_timer(ticks as u32);
        let fires_in = (ticks * tick - gone) / 1000;
        self.begin_action();
        self.record(TraceKind::TimerSet { ms: fires_in }, &[id]);
        Ok(fires_in)
    }

    fn check_ids(&self, ids: &[NodeId]) -> Result<(), SimError> {
        for &id in ids {
            self.live_slot(id)?;
        }
        Ok(())
    }

    /// Splits the network into `groups`; a node not listed forms a group of its own.
    /// Messages between groups are lost, including those already in flight.
    pub fn partition(&mut self, groups: &[Vec<NodeId>]) -> Result<(), SimError> {
        let mut seen = crate::vecmap::VecSet::new();
        for g in groups {
            self.check_ids(g)?;
            for &n in g {
                if !seen.insert(n) {
                    return Err(SimError::DuplicateInPartition(n));
                }
            }
        }
        let all = self.node_ids();
        self.net.partition(groups, &all);
        self.begin_action();
        let groups: Vec<Vec<NodeId>> = groups.iter().filter(|g| !g.is_empty()).cloned().collect();
        self.record(TraceKind::Partition(groups), &[]);
        Ok(())
    }

    /// Removes every partition and link cut.
    pub fn heal(&mut self) {
        self.net.heal();
        self.begin_action();
        self.record(TraceKind::Heal, &[]);
    }

    /// Whether the network has no partition and no cut link.
    pub fn is_healed(&self) -> bool {
        self.net.is_whole()
    }

    /// Cuts the one-way link `from -> to`.
    pub fn cut_link(&mut self, from: NodeId, to: NodeId) -> Result<(), SimError> {
        self.check_ids(&[from, to])?;
        self.net.cut(from, to);
        self.begin_action();
        self.record(TraceKind::CutLink { from, to }, &[from, to]);
        Ok(())
    }

    /// Restores the one-way link `from -> to`.
    pub fn restore_link(&mut self, from: NodeId, to: NodeId) -> Result<(), SimError> {
        self.check_ids(&[from, to])?;
        self.net.restore(from, to);
        self.begin_action();
        self.record(TraceKind::RestoreLink { from, to }, &[from, to]);
        Ok(())
    }

    /// Whether the link `from -> to` is up now.
    pub fn link_up(&self, from: NodeId, to: NodeId) -> bool {
        self.net.link(from, to).is_ok()
    }

    /// Drops the in-flight message with this id.
    pub fn drop_message(&mut self, id: u64) -> Result<(), SimError> {
        let m = self
            .net
            .in_flight
            .remove(id)
            .ok_or(SimError::NoSuchMessage(id))?;
        self.begin_action();
        self.stats.messages_dropped += 1;
        self.record(
            TraceKind::Drop(MsgInfo::of(id, &m.msg), DropReason::User),
            &[m.msg.from, m.msg.to],
        );
        Ok(())
    }

    /// Changes latency, loss and duplication for messages sent from now on.
    pub fn set_network(&mut self, network: NetworkConfig) -> Result<(), SimError> {
        network.validate()?;
        self.net.config = network.clone();
        self.cfg.network = network;
        self.begin_action();
        self.record(TraceKind::NetworkChanged, &[]);
        Ok(())
    }

    /// Adds a node: proposes its addition on the leader, then starts it. Returns its id.
    pub fn add_node(&mut self) -> Result<NodeId, SimError> {
        let id = self.slots.len() as NodeId;
        if self.node_ids().len() as u64 >= NODES_MAX || id > NODES_MAX {
            return Err(SimError::SizeLimit(format!("at most {NODES_MAX} nodes")));
        }
        let leader = self.leader().ok_or(SimError::NoLeader)?;
        let s = self.up_slot_mut(leader)?;
        s.node.propose_conf_change(ConfChange::AddNode(id))?;
        // The new node starts outside the configuration it knows of and learns its
        // membership from the leader's log (thesis §4.1).
        let voters: Vec<NodeId> = s
            .node
            .voters()
            .iter()
            .copied()
            .filter(|&v| v != id)
            .collect();
        self.begin_action();
        self.create_node(id, voters)?;
        self.net.place_new_node(id);
        self.record(TraceKind::NodeAdded, &[id]);
        self.after_node_event(leader, Index::MAX);
        Ok(id)
    }

    /// Proposes again, on the leader, the addition of node `id`: a running node outside the
    /// leader's configuration because the leader that appended its addition was deposed
    /// before the entry committed, and a later leader's log replaced it. The node still
    /// holds that entry, so it takes itself for a member. What an operator does when a
    /// membership change did not take; [`crate::Error::NoOpChange`] if `id` is a voter.
    pub fn retry_add(&mut self, id: NodeId) -> Result<(), SimError> {
        self.up_slot_mut(id)?;
        self.propose_membership(ConfChange::AddNode(id), TraceKind::NodeAdded, id)
    }

    /// Proposes the removal of node `id` on the leader; the node stops once the change
    /// commits.
    pub fn remove_node(&mut self, id: NodeId) -> Result<(), SimError> {
        self.live_slot(id)?;
        let last = self
            .leader()
            .and_then(|l| self.node(l))
            .is_some_and(|l| l.voters().len() <= 1);
        if last {
            return Err(SimError::SizeLimit("cannot remove the last voter".into()));
        }
        self.propose_membership(ConfChange::RemoveNode(id), TraceKind::NodeRemoved, id)
    }

    /// Proposes `change` on the leader and records it as `kind` about node `id`.
    fn propose_membership(
        &mut self,
        change: ConfChange,
        kind: TraceKind,
        id: NodeId,
    ) -> Result<(), SimError> {
        let leader = self.leader().ok_or(SimError::NoLeader)?;
        self.up_slot_mut(leader)?.node.propose_conf_change(change)?;
        self.begin_action();
        self.record(kind, &[id]);
        self.after_node_event(leader, Index::MAX);
        Ok(())
    }

    /// Asks the leader to hand leadership to `to` (thesis §3.10).
    pub fn transfer_leader(&mut self, to: NodeId) -> Result<(), SimError> {
        self.live_slot(to)?;
        let leader = self.leader().ok_or(SimError::NoLeader)?;
        let s = self.up_slot_mut(leader)?;
        s.node.transfer_leadership(to)?;
        self.begin_action();
        self.record(TraceKind::TransferLeader { to }, &[leader, to]);
        self.after_node_event(leader, Index::MAX);
        Ok(())
    }

    /// Compacts node `id`'s log up to its applied index, with its key-value store as the
    /// snapshot. Returns the snapshot's last index.
    pub fn compact(&mut self, id: NodeId) -> Result<Index, SimError> {
        let s = self.up_slot_mut(id)?;
        let index = s.node.applied_index();
        let data = s.kv.encode();
        s.node.compact(index, data)?;
        self.stats.compactions += 1;
        // Keep the checker's memory bounded like the logs it watches.
        let lowest = self
            .slots
            .iter()
            .flatten()
            .filter(|s| !s.removed)
            .map(|s| s.node.first_index())
            .min();
        if let Some(lowest) = lowest {
            self.checker.prune(lowest);
        }
        self.begin_action();
        self.record(TraceKind::Compact { index }, &[id]);
        self.after_node_event(id, Index::MAX);
        Ok(index)
    }

    /// Violations found so far (at most [`VIOLATIONS_MAX`]).
    pub fn violations(&self) -> &[Violation] {
        &self.checker.violations
    }

    /// The newest trace events, oldest first.
    pub fn trace(&self) -> impl Iterator<Item = &TraceEvent> {
        self.trace.iter()
    }

    /// The stored trace events with `seq >= from` (for incremental readers).
    pub fn trace_since(&self, from: u64) -> impl Iterator<Item = &TraceEvent> {
        self.trace.since(from)
    }

    /// The sequence number the next trace event will get.
    pub fn trace_next_seq(&self) -> u64 {
        self.trace.next_seq()
    }

    /// Node `id`'s key-value state machine.
    pub fn kv(&self, id: NodeId) -> Option<&KvStore> {
        self.slot(id).map(|s| &s.kv)
    }

    /// The clients' history of invocations and completions (empty without a workload).
    pub fn history(&self) -> &[HistoryOp] {
        self.workload.as_ref().map_or(&[], |w| &w.history)
    }

    /// Runs the linearizability checker over the client history.
    pub fn check_linearizability(&self) -> Linearizability {
        linearizability::check(self.history())
    }

    /// Runs the linearizability checker and, if the history cannot be explained, records a
    /// [`ViolationKind::NotLinearizable`] violation (once) so the page shows it like the others.
    pub fn check_linearizability_now(&mut self) -> Linearizability {
        let verdict = self.check_linearizability();
        if let Linearizability::NotLinearizable { key, ops } = &verdict {
            let seen = self
                .checker
                .violations
                .iter()
                .any(|v| v.kind == ViolationKind::NotLinearizable);
            if !seen {
                self.begin_action();
                self.checker.at(self.now_us, self.event_seq);
                let nodes: Vec<NodeId> = {
                    let mut n = crate::vecmap::VecSet::new();
                    for &i in ops.iter() {
                        if let Some(id) = self.history()[i].served_by {
                            n.insert(id);
                        }
                    }
                    n.into_vec()
                };
                let detail = format!(
                    "no order of the {} operations on key {key} explains the answers the clients got",
                    ops.len()
                );
                self.checker
                    .report(ViolationKind::NotLinearizable, nodes, detail.clone());
                self.record(TraceKind::Violation(detail), &[]);
            }
        }
        verdict
    }

    /// Stops or resumes the client workload (requests in progress still finish).
    pub fn set_workload_paused(&mut self, paused: bool) {
        if let Some(w) = &mut self.workload {
            w.paused = paused;
        }
        if !paused {
            let n = self.workload.as_ref().map_or(0, |w| w.clients.len() as u32);
            for c in 0..n {
                let w = self.workload.as_mut().expect("some");
                if w.clients[c as usize].attempt == workload::Attempt::Idle {
                    w.clients[c as usize].generation += 1;
                    let g = w.clients[c as usize].generation;
                    self.queue.push(
                        self.now_us + 1,
                        EventKind::Client {
                            client: c,
                            generation: g,
                        },
                    );
                }
            }
        }
    }

    /// Counters over the run.
    pub fn stats(&self) -> SimStats {
        let mut s = self.stats.clone();
        if let Some(w) = &self.workload {
            s.client_ops_completed = w.completed;
            s.client_ops_failed = w.failed;
        }
        s
    }

    // ---- event processing ----

    /// Marks the start of a user action (between events).
    fn begin_action(&mut self) {
        self.first_of_event = None;
        self.capturing = false;
        self.event_seq = self.trace.next_seq();
    }

    fn record(&mut self, kind: TraceKind, nodes: &[NodeId]) {
        if self.capturing && self.first_of_event.is_none() {
            let seq = self.trace.next_seq();
            self.first_of_event = Some(TraceEvent {
                seq,
                time_us: self.now_us,
                kind: kind.clone(),
                nodes: nodes.to_vec(),
            });
        }
        self.trace.push(self.now_us, kind, nodes);
    }

    /// Pops and runs the next event; false if it was stale.
    fn process_next(&mut self) -> bool {
        let Some((t, ev)) = self.queue.pop() else {
            return false;
        };
        assert!(t >= self.now_us, "event queue went back in time");
        let live = match ev {
            EventKind::Tick { node, epoch } => {
                matches!(self.slot(node), Some(s) if s.up && s.epoch == epoch)
            }
            EventKind::Deliver { msg } => self.net.in_flight.contains_key(msg),
            EventKind::Client { client, generation } => self
                .workload
                .as_ref()
                .is_some_and(|w| w.clients[client as usize].generation == generation),
        };
        if !live {
            return false;
        }
        self.now_us = t;
        self.stats.events += 1;
        self.first_of_event = None;
        self.event_seq = self.trace.next_seq();
        match ev {
            EventKind::Tick { node, epoch } => {
                self.stats.ticks += 1;
                let s = slot_mut(&mut self.slots, node);
                s.node.tick();
                s.last_tick_us = t;
                self.queue
                    .push(t + self.tick_us, EventKind::Tick { node, epoch });
                self.after_node_event(node, Index::MAX);
            }
            EventKind::Deliver { msg } => self.deliver(msg),
            EventKind::Client { client, .. } => self.client_wake(client),
        }
        if self.capturing && self.first_of_event.is_none() {
            let nodes = match ev {
                EventKind::Tick { node, .. } => vec![node],
                _ => Vec::new(),
            };
            self.first_of_event = Some(TraceEvent {
                seq: self.trace.next_seq(),
                time_us: t,
                kind: TraceKind::Tick,
                nodes,
            });
        }
        true
    }

    fn deliver(&mut self, id: u64) {
        let m = self.net.in_flight.remove(id).expect("checked live");
        let info = MsgInfo::of(id, &m.msg);
        let (from, to) = (m.msg.from, m.msg.to);
        if let Err(reason) = self.net.link(from, to) {
            self.stats.messages_dropped += 1;
            self.record(TraceKind::Drop(info, reason), &[from, to]);
            return;
        }
        if !self.is_up(to) {
            self.stats.messages_dropped += 1;
            self.record(TraceKind::Drop(info, DropReason::NodeDown), &[from, to]);
            return;
        }
        let check_from = match &m.msg.kind {
            MessageKind::AppendEntries {
                prev_log_index,
                entries,
                ..
            } if !entries.is_empty() => prev_log_index + 1,
            MessageKind::InstallSnapshot { snapshot } => snapshot.last_index.max(1),
            _ => Index::MAX,
        };
        self.stats.messages_delivered += 1;
        self.record(TraceKind::Deliver(info), &[from, to]);
        // What a refusal or step-down in answer will be explained by, and the follower's
        // entries an append conflicts with (only kept in a trace).
        let mut conflict = None;
        if self.trace_wanted() {
            conflict = self.conflict(to, &m.msg);
            let what = match m.msg.kind {
                MessageKind::PreVote {
                    last_log_index,
                    last_log_term,
                }
                | MessageKind::RequestVote {
                    last_log_index,
                    last_log_term,
                    ..
                } => Some(AskKind::Vote {
                    pre: matches!(m.msg.kind, MessageKind::PreVote { .. }),
                    last_index: last_log_index,
                    last_term: last_log_term,
                }),
                MessageKind::AppendEntries {
                    prev_log_index,
                    prev_log_term,
                    ..
                } => Some(AskKind::Append {
                    prev_index: prev_log_index,
                    prev_term: prev_log_term,
                }),
                _ => None,
            };
            self.ask = what.map(|what| Ask {
                by: to,
                from,
                term: m.msg.term,
                what,
            });
            self.delivering = Some((
                from,
                matches!(
                    m.msg.kind,
                    MessageKind::PreVoteResponse { .. } | MessageKind::RequestVoteResponse { .. }
                ),
            ));
        }
        let s = slot_mut(&mut self.slots, to);
        if let Err(e) = s.node.step(m.msg) {
            // A message the node refuses is a drop, not a crash: the node is unchanged.
            self.stats.messages_dropped += 1;
            self.record(TraceKind::Refused(info, e.to_string()), &[from, to]);
        }
        // The append went in where the follower's entries conflicted with it: it deleted them.
        if let Some(c) = conflict {
            if slot_ref(&self.slots, to).node.term_at(c.from) == Some(c.wanted) {
                self.record(TraceKind::Overwrite(c), &[to]);
            }
        }
        self.after_node_event(to, check_from);
        self.ask = None;
        self.delivering = None;
    }

    /// The first of node `to`'s entries that `msg`, if an append, conflicts with (the same
    /// index, another term: §5.3), and the rest of its log after it.
    fn conflict(&self, to: NodeId, msg: &Message) -> Option<Overwrite> {
        let MessageKind::AppendEntries { entries, .. } = &msg.kind else {
            return None;
        };
        let node = &slot_ref(&self.slots, to).node;
        entries.iter().find_map(|e| match node.term_at(e.index) {
            Some(had) if had != e.term => Some(Overwrite {
                leader: msg.from,
                from: e.index,
                to: node.last_index(),
                had,
                wanted: e.term,
            }),
            _ => None,
        })
    }

    /// Why node `id`, a `was` in term `term0`, became a follower, read off the event at
    /// hand (the node's rules: §5.1 and §5.2, `RaftNode::poll`, CheckQuorum in `tick`).
    fn step_down(&self, id: NodeId, was: Role, term0: Term) -> Option<RoleCause> {
        let node = &slot_ref(&self.slots, id).node;
        match self.delivering {
            Some((from, _)) if node.term() > term0 => Some(RoleCause::HigherTerm(from)),
            Some((from, _)) if node.leader_id() == Some(from) => Some(RoleCause::LeaderFound(from)),
            Some((_, true)) if was != Role::Leader => Some(RoleCause::VotesRefused),
            // A leader steps down when the entry that removes it commits, which an answer
            // to its appends brings about; CheckQuorum acts on a tick instead.
            Some(_) if was == Role::Leader && !node.voters().contains(&id) => {
                Some(RoleCause::Removed)
            }
            None if was == Role::Leader && node.config().check_quorum => {
                Some(RoleCause::LostQuorum)
            }
            _ => None,
        }
    }

    /// Why the recipient refused `ask`, read off the request and its state as it decided
    /// (the node's rules in `RaftNode::handle_vote_request`, `handle_append` and
    /// `handle_stale`).
    fn refusal(&self, ask: &Ask) -> Refusal {
        let node = &slot_ref(&self.slots, ask.by).node;
        let stale = ask.term < node.term();
        match ask.what {
            AskKind::Append { .. } if stale => Refusal::Append(Mismatch::StaleTerm),
            AskKind::Append { prev_index, .. } if prev_index > node.last_index() => {
                let last = node.last_index();
                // Pipelined appends may arrive out of order: is one with the entries after
                // `last` still flying from the same leader?
                let overtaken = self.net.in_flight.values().any(|m| {
                    let fills = match &m.msg.kind {
                        MessageKind::AppendEntries {
                            prev_log_index,
                            entries,
                            ..
                        } => {
                            *prev_log_index <= last
                                && prev_log_index + entries.len() as Index > last
                        }
                        _ => false,
                    };
                    fills && m.msg.from == ask.from && m.msg.to == ask.by && m.msg.term == ask.term
                });
                Refusal::Append(Mismatch::Missing {
                    index: prev_index,
                    last,
                    overtaken,
                })
            }
            AskKind::Append {
                prev_index,
                prev_term,
            } => Refusal::Append(Mismatch::Conflict {
                index: prev_index,
                has: node.term_at(prev_index),
                wanted: prev_term,
            }),
            AskKind::Vote { .. } if stale => Refusal::Vote(Denial {
                stale_term: true,
                ..Denial::default()
            }),
            AskKind::Vote {
                pre,
                last_index,
                last_term,
            } => {
                // A pre-vote for a term after the voter's has no vote or leader of that term
                // to compete with.
                let ahead = pre && ask.term > node.term();
                let voted_for = node.voted_for().filter(|&v| !ahead && v != ask.from);
                let leader = node
                    .leader_id()
                    .filter(|_| !ahead && node.voted_for().is_none());
                let own_term = node.term_at(node.last_index()).unwrap_or(0);
                let up_to_date = last_term > own_term
                    || (last_term == own_term && last_index >= node.last_index());
                Refusal::Vote(Denial {
                    stale_term: false,
                    voted_for,
                    leader,
                    log_behind: !up_to_date && !node.config().faults.vote_without_log_check,
                })
            }
        }
    }

    /// Drains a node's outputs and runs the checker on it. `check_from` is the lowest log
    /// index the event may have rewritten (`Index::MAX`: only appends).
    fn after_node_event(&mut self, id: NodeId, check_from: Index) {
        let s = slot_mut(&mut self.slots, id);
        let msgs = s.node.take_messages();
        let snapshot = s.node.take_snapshot();
        let committed = s.node.take_committed();
        let reads = s.node.take_read_states();
        self.trace_changes(id);
        if let Some(snap) = snapshot {
            let s = slot_mut(&mut self.slots, id);
            s.kv = KvStore::decode(&snap.data).unwrap_or_default();
            let index = snap.last_index;
            self.record(TraceKind::SnapshotInstalled { index }, &[id]);
        }
        for e in committed {
            self.apply(id, e.index, e.term, e.data);
        }
        if !reads.is_empty() {
            let s = slot_mut(&mut self.slots, id);
            s.pending_reads.extend(reads);
        }
        self.serve_reads(id);
        for m in msgs {
            self.send(m);
        }
        if self.cfg.check {
            self.run_checker(id, check_from);
        }
        self.maybe_compact(id);
    }

    fn run_checker(&mut self, id: NodeId, check_from: Index) {
        self.checker.at(self.now_us, self.event_seq);
        let before = self.checker.violations.len();
        let node = &slot_ref(&self.slots, id).node;
        let others = self
            .slots
            .iter()
            .flatten()
            .filter(|s| s.up)
            .map(|s| &s.node);
        self.checker.check_node(node, check_from, others);
        if self.checker.violations.len() > before {
            let found: Vec<String> = self.checker.violations[before..]
                .iter()
                .map(|v| v.to_string())
                .collect();
            for f in found {
                self.record(TraceKind::Violation(f), &[id]);
            }
        }
    }

    /// Records role, term and commit changes of node `id` since it was last looked at.
    fn trace_changes(&mut self, id: NodeId) {
        let s = slot_mut(&mut self.slots, id);
        let (role, term, commit) = (s.node.role(), s.node.term(), s.node.commit_index());
        let (role0, term0, commit0) = s.seen;
        if (role, term, commit) == s.seen {
            return;
        }
        s.seen = (role, term, commit);
        if role != role0 {
            if role == Role::Leader {
                self.stats.leader_elections += 1;
            }
            let cause = match role {
                _ if !self.trace_wanted() => None,
                Role::Follower => self.step_down(id, role0, term0),
                // A follower becomes a candidate straight away only on TimeoutNow; a timeout,
                // forced or not, happens on a tick, with no message being delivered.
                Role::Candidate if role0 != Role::PreCandidate => self
                    .delivering
                    .map(|(from, _)| RoleCause::TransferAsked(from)),
                _ => None,
            };
            self.record(
                TraceKind::RoleChange {
                    from: role0,
                    to: role,
                    term,
                    cause,
                },
                &[id],
            );
        } else if term != term0 {
            self.record(
                TraceKind::TermChange {
                    from: term0,
                    to: term,
                },
                &[id],
            );
        }
        if commit > commit0 {
            self.stats.max_commit_index = self.stats.max_commit_index.max(commit);
            self.record(TraceKind::Commit { index: commit }, &[id]);
        }
    }

    fn apply(&mut self, id: NodeId, index: Index, term: Term, data: EntryData) {
        self.stats.entries_applied += 1;
        if self.cfg.check {
            self.checker.at(self.now_us, self.event_seq);
            self.checker.on_apply(id, index, term, &data);
        }
        let s = slot_mut(&mut self.slots, id);
        let output = match &data {
            EntryData::Command(c) => s.kv.apply(index, c),
            EntryData::Noop => {
                s.kv.skip(index);
                None
            }
            EntryData::ConfChange(cc) => {
                s.kv.skip(index);
                if let ConfChange::RemoveNode(gone) = cc {
                    // Stop a removed node once its removal is applied somewhere, so it does not
                    // disrupt the cluster with elections it can no longer win.
                    // The node applying its own removal is stopped when another node
                    // applies it (it is still handling this event).
                    let gone = *gone;
                    let running = self.slot(gone).is_some_and(|g| g.up);
                    if running && gone != id {
                        self.stop_node(gone, true);
                    } else if let Some(g) =
                        self.slots.get_mut(gone as usize).and_then(Option::as_mut)
                    {
                        g.removed = true;
                    }
                }
                None
            }
        };
        if let EntryData::Command(c) = &data {
            self.client_applied(id, index, c, output);
        }
    }

    fn serve_reads(&mut self, id: NodeId) {
        let s = slot_mut(&mut self.slots, id);
        if s.pending_reads.is_empty() {
            return;
        }
        let applied = s.node.applied_index();
        let ready: Vec<ReadState> = s
            .pending_reads
            .iter()
            .filter(|r| r.index <= applied)
            .copied()
            .collect();
        s.pending_reads.retain(|r| r.index > applied);
        for r in ready {
            self.client_read_ready(id, r.ctx);
        }
    }

    fn send(&mut self, msg: crate::message::Message) {
        self.stats.messages_sent += 1;
        let (from, to) = (msg.from, msg.to);
        let to_up = self.is_up(to);
        let info_msg = if self.trace_wanted() {
            // A refused vote or append says why.
            let refused = matches!(
                msg.kind,
                MessageKind::PreVoteResponse { granted: false }
                    | MessageKind::RequestVoteResponse { granted: false }
                    | MessageKind::AppendEntriesResponse { success: false, .. }
            );
            let why = self
                .ask
                .filter(|a| refused && a.by == from && a.from == to)
                .map(|a| self.refusal(&a));
            Some((msg.clone(), why))
        } else {
            None
        };
        let outcome = if to_up || self.slot(to).is_some() {
            self.net.send(msg, self.now_us)
        } else {
            SendOutcome::Dropped(DropReason::NodeDown, 0)
        };
        match outcome {
            SendOutcome::Dropped(reason, id) => {
                self.stats.messages_dropped += 1;
                match info_msg {
                    Some((m, refused)) => {
                        let info = MsgInfo {
                            refused,
                            ..MsgInfo::of(id, &m)
                        };
                        self.record(TraceKind::Drop(info, reason), &[from, to])
                    }
                    None => self.trace.skip(),
                }
            }
            SendOutcome::InFlight(id, dup) => {
                let deliver = self.net.in_flight[id].deliver_us;
                self.queue.push(deliver, EventKind::Deliver { msg: id });
                match &info_msg {
                    Some((m, refused)) => {
                        let info = MsgInfo {
                            refused: *refused,
                            ..MsgInfo::of(id, m)
                        };
                        self.record(TraceKind::Send(info), &[from, to])
                    }
                    None => self.trace.skip(),
                }
                if let Some(id2) = dup {
                    self.stats.messages_duplicated += 1;
                    let deliver = self.net.in_flight[id2].deliver_us;
                    self.queue.push(deliver, EventKind::Deliver { msg: id2 });
                    match &info_msg {
                        Some((m, _)) => {
                            self.record(TraceKind::Duplicate(MsgInfo::of(id2, m)), &[from, to])
                        }
                        None => self.trace.skip(),
                    }
                }
            }
        }
    }

    /// Whether trace events are kept or captured (skip the cloning work otherwise).
    fn trace_wanted(&self) -> bool {
        self.cfg.trace_capacity > 0 || (self.capturing && self.first_of_event.is_none())
    }

    fn maybe_compact(&mut self, id: NodeId) {
        let Some(threshold) = self.cfg.snapshot_threshold else {
            return;
        };
        let s = slot_ref(&self.slots, id);
        if s.node.applied_index() >= s.node.first_index() + threshold {
            let _ = self.compact(id);
        }
    }
}
