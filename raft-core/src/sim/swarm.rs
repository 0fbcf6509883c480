//! Swarm testing: many seeds, each with its own randomized fault schedule, then a healing
//! phase that must end with a leader, progress and converged state machines.
//!
//! A run has two phases. In the fault phase (the first 70% of the run) a PRNG derived from
//! the seed picks, every few hundred milliseconds, one of the enabled faults: a random
//! partition (or the leader isolated), a crash or a restart, a loss or duplication ratio, a
//! latency range that reorders, or FoundationDB's "swizzle clogging" (cut every link of
//! nodes one by one, then restore them in reverse order). The healing phase heals the
//! network, restarts every crashed node and restores a clean network; by its end the
//! cluster must have a leader, must commit a new entry on every node, and every node's
//! log and key-value store must be the same. The checker runs after every event
//! throughout, and the client history must be linearizable.

use std::fmt;

use super::{
    linearizability, Linearizability, NetworkConfig, Sim, SimConfig, SimError, SimStats, Violation,
    WorkloadConfig,
};
use crate::config::Faults;
use crate::message::NodeId;

/// Which fault families a swarm run draws from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultSet {
    /// Random partitions and isolated leaders.
    pub partitions: bool,
    /// Crashes and restarts.
    pub crashes: bool,
    /// Message loss.
    pub loss: bool,
    /// Message duplication.
    pub dup: bool,
    /// Wide latency ranges that reorder messages.
    pub reorder: bool,
    /// Swizzle clogging.
    pub clog: bool,
    /// Membership changes (add and remove nodes).
    pub membership: bool,
    /// Leader churn: crash the leader, then isolate its successor as soon as it is
    /// elected, or crash it the moment it commits.
    pub churn: bool,
    /// Leadership transfers: to a live member, to one that is down or cut off, or by a
    /// leader that has just proposed its own removal.
    pub transfer: bool,
}

impl FaultSet {
    /// Every family.
    pub fn all() -> FaultSet {
        FaultSet {
            partitions: true,
            crashes: true,
            loss: true,
            dup: true,
            reorder: true,
            clog: true,
            membership: true,
            churn: true,
            transfer: true,
        }
    }

    /// Parses a comma-separated list of families (`partitions,crashes,loss,dup,reorder,clog,
    /// membership,churn,transfer`), or `all`, or `none`.
    pub fn parse(s: &str) -> Result<FaultSet, String> {
        let mut f = FaultSet::default();
        for word in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match word {
                "all" => f = FaultSet::all(),
                "none" => {}
                "partitions" | "partition" => f.partitions = true,
                "crashes" | "crash" => f.crashes = true,
                "loss" => f.loss = true,
                "dup" | "duplication" => f.dup = true,
                "reorder" => f.reorder = true,
                "clog" | "swizzle" => f.clog = true,
                "membership" => f.membership = true,
                "churn" => f.churn = true,
                "transfer" => f.transfer = true,
                other => {
                    return Err(format!(
                        "unknown fault '{other}' (known: partitions, crashes, loss, dup, reorder, clog, membership, churn, transfer, all, none)"
                    ))
                }
            }
        }
        Ok(f)
    }
}

impl fmt::Display for FaultSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = [
            (self.partitions, "partitions"),
            (self.crashes, "crashes"),
            (self.loss, "loss"),
            (self.dup, "dup"),
            (self.reorder, "reorder"),
            (self.clog, "clog"),
            (self.membership, "membership"),
            (self.churn, "churn"),
            (self.transfer, "transfer"),
        ];
        let on: Vec<&str> = names.iter().filter(|(b, _)| *b).map(|(_, n)| *n).collect();
        if on.is_empty() {
            write!(f, "none")
        } else {
            write!(f, "{}", on.join(","))
        }
    }
}

/// Parses a protocol fault name (the [`Faults`] field names, dashes allowed).
pub fn parse_protocol_fault(name: &str, faults: &mut Faults) -> Result<(), String> {
    match name.replace('-', "_").as_str() {
        "vote_without_log_check" => faults.vote_without_log_check = true,
        "commit_old_term_by_count" => faults.commit_old_term_by_count = true,
        "forget_vote_on_restart" => faults.forget_vote_on_restart = true,
        "skip_consistency_check" => faults.skip_consistency_check = true,
        "leader_ignores_higher_term" => faults.leader_ignores_higher_term = true,
        other => {
            return Err(format!(
                "unknown protocol fault '{other}' (known: {})",
                PROTOCOL_FAULTS.join(", ")
            ))
        }
    }
    Ok(())
}

/// The names of the protocol's deliberate faults.
pub const PROTOCOL_FAULTS: [&str; 5] = [
    "vote_without_log_check",
    "commit_old_term_by_count",
    "forget_vote_on_restart",
    "skip_consistency_check",
    "leader_ignores_higher_term",
];

/// What one swarm run does.
#[derive(Clone, Debug, PartialEq)]
pub struct RunOptions {
    /// Cluster size at the start.
    pub nodes: u64,
    /// Length of the run in simulated microseconds (fault phase plus healing phase).
    pub time_us: u64,
    /// Fault families to draw from.
    pub faults: FaultSet,
    /// Deliberately unsafe protocol faults (all off for a real test).
    pub protocol_faults: Faults,
    /// Run the client workload.
    pub workload: bool,
    /// Compact logs past this many applied entries.
    pub snapshot_threshold: Option<u64>,
    /// PreVote on.
    pub pre_vote: bool,
    /// CheckQuorum on.
    pub check_quorum: bool,
    /// Most entries per AppendEntries (small values make old-term entries commit alone).
    pub max_entries_per_append: u64,
    /// Trace events kept (for `--trace` replays); 0 for speed.
    pub trace_capacity: usize,
    /// Require a leader, progress and convergence after the healing phase. Off, a run is
    /// all fault phase and only safety is checked (for hunting protocol faults).
    pub check_liveness: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            nodes: 5,
            time_us: 60_000_000,
            faults: FaultSet {
                partitions: true,
                crashes: true,
                loss: true,
                dup: true,
                ..FaultSet::default()
            },
            protocol_faults: Faults::default(),
            workload: true,
            snapshot_threshold: Some(200),
            pre_vote: true,
            check_quorum: true,
            max_entries_per_append: 64,
            trace_capacity: 0,
            check_liveness: true,
        }
    }
}

/// Why a run failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The checker found a violation.
    Safety(Violation),
    /// The client history is not linearizable.
    NotLinearizable(String),
    /// No leader at the end of the healing phase.
    NoLeader,
    /// A new entry did not commit everywhere during the healing phase.
    NoProgress(String),
    /// Nodes disagree at the end.
    NotConverged(String),
    /// A leadership transfer in the healed cluster did not complete.
    TransferStalled(String),
    /// The simulator refused an action (a bug in the schedule or the simulator).
    Sim(SimError),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Safety(v) => write!(f, "{v}"),
            Failure::NotLinearizable(s) => write!(f, "history not linearizable: {s}"),
            Failure::NoLeader => write!(f, "liveness: no leader after the healing phase"),
            Failure::NoProgress(s) => write!(f, "liveness: {s}"),
            Failure::NotConverged(s) => write!(f, "convergence: {s}"),
            Failure::TransferStalled(s) => write!(f, "liveness: {s}"),
            Failure::Sim(e) => write!(f, "simulator error: {e}"),
        }
    }
}

/// The outcome of one run.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// The seed.
    pub seed: u64,
    /// Counters.
    pub stats: SimStats,
    /// Fault actions taken.
    pub fault_actions: u64,
    /// The linearizability verdict (`Linearizable` without a workload).
    pub linearizability: Linearizability,
    /// Client operations recorded.
    pub history_len: usize,
    /// The first failure, if any.
    pub failure: Option<Failure>,
    /// The simulation at the end (for traces and inspection).
    pub sim: Sim,
}

/// The simulator configuration a swarm run uses.
pub fn sim_config(seed: u64, opts: &RunOptions) -> SimConfig {
    SimConfig {
        nodes: opts.nodes,
        seed,
        pre_vote: opts.pre_vote,
        check_quorum: opts.check_quorum,
        max_entries_per_append: opts.max_entries_per_append,
        faults: opts.protocol_faults.clone(),
        workload: opts.workload.then(WorkloadConfig::default),
        snapshot_threshold: opts.snapshot_threshold,
        check: true,
        trace_capacity: opts.trace_capacity,
        ..SimConfig::default()
    }
}

struct Runner {
    sim: Sim,
    rng: fastrand::Rng,
    actions: u64,
    opts: RunOptions,
}

impl Runner {
    fn up_nodes(&self) -> Vec<NodeId> {
        self.sim
            .node_ids()
            .into_iter()
            .filter(|&n| self.sim.is_up(n))
            .collect()
    }

    fn pick(&mut self, from: &[NodeId]) -> Option<NodeId> {
        (!from.is_empty()).then(|| from[self.rng.usize(0..from.len())])
    }

    /// Runs for a random pause of `lo..=hi` ms.
    fn pause(&mut self, lo: u64, hi: u64) {
        let ms = self.rng.u64(lo..=hi);
        // Stop at a violation, so that the state and the trace end at the counterexample.
        self.sim.advance_until_violation_us(ms * 1000);
    }

    /// One fault action, chosen among the enabled families.
    fn fault_action(&mut self) -> Result<(), SimError> {
        let f = self.opts.faults.clone();
        let mut menu: Vec<u8> = Vec::new();
        let families = [
            (f.partitions, 0u8),
            (f.crashes, 1),
            (f.loss, 2),
            (f.dup, 3),
            (f.reorder, 4),
            (f.clog, 5),
            (f.membership, 6),
            (f.churn, 8),
            // Last, so that without it every seed draws the menu it drew before.
            (f.transfer, 9),
        ];
        for (on, k) in families {
            if on {
                menu.push(k);
            }
        }
        // Healing is always on the menu, so faults come and go.
        menu.push(7);
        let choice = menu[self.rng.usize(0..menu.len())];
        self.actions += 1;
        let ids = self.sim.node_ids();
        match choice {
            0 => {
                let r = self.rng.u32(0..3);
                if r == 0 {
                    if let Some(l) = self.sim.leader() {
                        let rest: Vec<NodeId> = ids.iter().copied().filter(|&n| n != l).collect();
                        self.sim.partition(&[vec![l], rest])?;
                        return Ok(());
                    }
                } else if r == 1 {
                    // A bridge: two nodes cannot reach each other, but both reach the rest
                    // (partial connectivity, which no grouping of nodes expresses).
                    let mut shuffled = ids.clone();
                    self.rng.shuffle(&mut shuffled);
                    if let [a, b, ..] = shuffled[..] {
                        self.sim.cut_link(a, b)?;
                        self.sim.cut_link(b, a)?;
                        return Ok(());
                    }
                }
                let mut shuffled = ids.clone();
                self.rng.shuffle(&mut shuffled);
                let k = self.rng.usize(1..=shuffled.len().max(2) - 1);
                let (a, b) = shuffled.split_at(k);
                self.sim.partition(&[a.to_vec(), b.to_vec()])?;
            }
            1 => {
                let up = self.up_nodes();
                let down: Vec<NodeId> = ids
                    .iter()
                    .copied()
                    .filter(|&n| !self.sim.is_up(n))
                    .collect();
                // Crash while fewer than half are down; otherwise restart one. Sometimes
                // bounce a node: crash it and restart it at once, inside an election.
                let r = self.rng.u32(0..8);
                if r == 0 {
                    self.election_bounce()?;
                } else if r <= 2 {
                    let target = if self.rng.bool() {
                        self.sim.leader()
                    } else {
                        None
                    };
                    if let Some(n) = target.or_else(|| self.pick(&up)) {
                        self.sim.crash(n)?;
                        self.pause(0, 60);
                        // (It may have been removed from the cluster meanwhile.)
                        if !self.sim.is_removed(n) {
                            self.sim.restart(n)?;
                        }
                    }
                } else if !down.is_empty() && (self.rng.bool() || down.len() * 2 >= ids.len()) {
                    let n = self.pick(&down).expect("non-empty");
                    self.sim.restart(n)?;
                } else if let Some(n) = self.pick(&up) {
                    self.sim.crash(n)?;
                }
            }
            2 => {
                let loss = [0.0, 0.01, 0.05, 0.2, 0.5][self.rng.usize(0..5)];
                let net = NetworkConfig {
                    loss_ratio: loss,
                    ..self.sim.config().network.clone()
                };
                self.sim.set_network(net)?;
            }
            3 => {
                let dup = [0.0, 0.05, 0.2][self.rng.usize(0..3)];
                let net = NetworkConfig {
                    duplicate_ratio: dup,
                    ..self.sim.config().network.clone()
                };
                self.sim.set_network(net)?;
            }
            4 => {
                let lo = self.rng.u64(1..=30) as f64;
                let hi = lo + self.rng.u64(0..=150) as f64;
                let net = NetworkConfig {
                    latency_ms: (lo, hi),
                    ..self.sim.config().network.clone()
                };
                self.sim.set_network(net)?;
            }
            5 => self.swizzle()?,
            8 => self.churn()?,
            9 => self.transfer(),
            6 => {
                // Keep the cluster between 3 and 7 nodes; ignore refusals (no leader, a
                // change already pending): those are the protocol saying no, correctly.
                let live = ids.len();
                if live <= 3 || (live < 7 && self.rng.bool()) {
                    let _ = self.sim.add_node();
                } else if let Some(n) = self.pick(&ids) {
                    let _ = self.sim.remove_node(n);
                }
            }
            _ => {
                self.sim.heal();
            }
        }
        Ok(())
    }

    /// Election bounce: sometimes cuts a random pair of nodes apart (a bridge), crashes the
    /// leader (and sometimes restarts it at once), waits for a successor, and bounces (crashes and at once restarts) a node that
    /// voted for it. A restart just after an election is where a forgotten vote would
    /// count twice.
    fn election_bounce(&mut self) -> Result<(), SimError> {
        let ids = self.sim.node_ids();
        if self.rng.bool() && ids.len() >= 2 {
            let mut shuffled = ids.clone();
            self.rng.shuffle(&mut shuffled);
            self.sim.cut_link(shuffled[0], shuffled[1])?;
            self.sim.cut_link(shuffled[1], shuffled[0])?;
        }
        if let Some(l) = self.sim.leader() {
            self.sim.crash(l)?;
            if self.rng.bool() {
                self.sim.restart(l)?;
            }
        }
        let deadline = self.sim.now_us() + 2_000_000;
        while self.sim.now_us() < deadline {
            if self.sim.step_event().is_none() || !self.sim.violations().is_empty() {
                break;
            }
            let Some(l) = self.sim.leader() else { continue };
            let term = self.sim.node(l).map_or(0, |n| n.term());
            let voter = ids.iter().copied().find(|&n| {
                n != l
                    && self.sim.is_up(n)
                    && self
                        .sim
                        .node(n)
                        .is_some_and(|node| node.voted_for() == Some(l) && node.term() == term)
            });
            if let Some(v) = voter {
                self.sim.crash(v)?;
                self.sim.restart(v)?;
            }
            break;
        }
        Ok(())
    }

    /// Leadership transfer (thesis §3.10) to a random member other than the leader, which
    /// may be down or cut off: the transfer then times out and the leader takes proposals
    /// again. Sometimes the leader first proposes its own removal; it leads until that
    /// commits (§4.2.2) and hands over meanwhile. Refusals (a transfer or a membership
    /// change already under way) are the protocol saying no, correctly.
    fn transfer(&mut self) {
        let Some(l) = self.sim.leader() else { return };
        let others = self.members_but(l);
        let Some(to) = self.pick(&others) else { return };
        if self.opts.faults.membership && others.len() >= 3 && self.rng.u32(0..4) == 0 {
            let _ = self.sim.remove_node(l);
        }
        let _ = self.sim.transfer_leader(to);
    }

    /// Leader churn: crashes the leader, waits for a successor, then either cuts the
    /// successor off at once (its first entries reach no one) or crashes it the moment its
    /// commit index moves (its followers may not know yet).
    fn churn(&mut self) -> Result<(), SimError> {
        let first = self.sim.leader();
        if let Some(l) = first {
            self.crash_with_uncommitted(l)?;
        }
        let Some(l) = self.await_leader(2_000_000) else {
            return Ok(());
        };
        match self.rng.u32(0..3) {
            0 => self.isolate_then_crash(l),
            1 => self.crash_at_commit(l),
            _ => {
                // Leaders flap: the successor is cut off and crashed, the first leader
                // returns, its successor is crashed as soon as it commits, and the cut-off
                // one returns (the shape of the Raft paper's Figure 8).
                self.isolate_then_crash(l)?;
                self.sim.heal();
                if let Some(f) = first.filter(|&f| !self.sim.is_up(f) && !self.sim.is_removed(f)) {
                    self.sim.restart(f)?;
                }
                if let Some(next) = self.await_leader(2_000_000) {
                    self.crash_at_commit(next)?;
                }
                if !self.sim.is_up(l) && !self.sim.is_removed(l) {
                    self.sim.restart(l)?;
                }
                Ok(())
            }
        }
    }

    /// Crashes leader `l` once it holds an entry that some follower has but that is not
    /// committed yet (or after a second without one).
    fn crash_with_uncommitted(&mut self, l: NodeId) -> Result<(), SimError> {
        let deadline = self.sim.now_us() + 1_000_000;
        while self.sim.now_us() < deadline && self.sim.is_up(l) && self.sim.violations().is_empty()
        {
            let node = self.sim.node(l).expect("exists");
            let (last, commit) = (node.last_index(), node.commit_index());
            let copied = self.sim.node_ids().into_iter().any(|n| {
                n != l
                    && self.sim.is_up(n)
                    && self.sim.node(n).is_some_and(|f| f.last_index() == last)
            });
            if last > commit && copied {
                break;
            }
            if self.sim.step_event().is_none() {
                break;
            }
        }
        if self.sim.is_up(l) {
            self.sim.crash(l)?;
        }
        Ok(())
    }

    /// Steps events until some node leads, for at most `max_us`.
    fn await_leader(&mut self, max_us: u64) -> Option<NodeId> {
        let deadline = self.sim.now_us() + max_us;
        while self.sim.now_us() < deadline && self.sim.violations().is_empty() {
            if let Some(l) = self.sim.leader() {
                return Some(l);
            }
            self.sim.step_event()?;
        }
        None
    }

    /// Cuts leader `l` off at once (its first entries reach no one), then crashes it.
    fn isolate_then_crash(&mut self, l: NodeId) -> Result<(), SimError> {
        let rest: Vec<NodeId> = self
            .sim
            .node_ids()
            .into_iter()
            .filter(|&n| n != l)
            .collect();
        self.sim.partition(&[vec![l], rest])?;
        self.pause(20, 200);
        if self.sim.is_up(l) {
            self.sim.crash(l)?;
        }
        Ok(())
    }

    /// Crashes leader `l` the moment its commit index moves (its followers may not know).
    fn crash_at_commit(&mut self, l: NodeId) -> Result<(), SimError> {
        let commit = self.sim.node(l).map_or(0, |n| n.commit_index());
        let deadline = self.sim.now_us() + 2_000_000;
        while self.sim.now_us() < deadline {
            if self.sim.step_event().is_none()
                || !self.sim.is_up(l)
                || !self.sim.violations().is_empty()
            {
                return Ok(());
            }
            if self.sim.node(l).is_some_and(|n| n.commit_index() > commit) {
                self.sim.crash(l)?;
                break;
            }
        }
        Ok(())
    }

    /// Swizzle clogging: cut all links of a few nodes one at a time, then restore them in
    /// reverse order, one at a time.
    fn swizzle(&mut self) -> Result<(), SimError> {
        let ids = self.sim.node_ids();
        let mut chosen = ids.clone();
        self.rng.shuffle(&mut chosen);
        chosen.truncate(self.rng.usize(1..=ids.len().div_ceil(2)));
        for &n in &chosen {
            self.clog(n, &ids, true)?;
            self.pause(50, 500);
        }
        for &n in chosen.iter().rev() {
            self.clog(n, &ids, false)?;
            self.pause(50, 500);
        }
        Ok(())
    }

    fn clog(&mut self, n: NodeId, ids: &[NodeId], cut: bool) -> Result<(), SimError> {
        // Membership may have changed during the swizzle's pauses.
        if self.sim.is_removed(n) {
            return Ok(());
        }
        for &m in ids {
            if m == n || self.sim.is_removed(m) {
                continue;
            }
            if cut {
                self.sim.cut_link(n, m)?;
                self.sim.cut_link(m, n)?;
            } else {
                self.sim.restore_link(n, m)?;
                self.sim.restore_link(m, n)?;
            }
        }
        Ok(())
    }

    fn heal_all(&mut self) -> Result<(), SimError> {
        self.sim.heal();
        self.sim.set_network(NetworkConfig::default())?;
        for n in self.sim.node_ids() {
            if !self.sim.is_up(n) {
                self.sim.restart(n)?;
            }
        }
        Ok(())
    }

    /// Liveness after healing: a leader, a new entry committed and applied everywhere.
    fn require_progress(&mut self, budget_us: u64) -> Result<(), Failure> {
        let deadline = self.sim.now_us() + budget_us;
        let mut proposed: Option<(NodeId, u64, u64)> = None;
        while self.sim.now_us() < deadline {
            self.sim.advance_us(50_000);
            self.retry_lost_adds();
            match proposed {
                None => {
                    if self.sim.leader().is_some() {
                        let marker = format!("heal-marker {}", self.sim.now_us());
                        if let Ok((l, i)) = self.sim.propose(marker.into_bytes(), None) {
                            proposed = Some((l, i, self.sim.node(l).map_or(0, |n| n.term())));
                        }
                    }
                }
                Some((l, index, term)) => {
                    let ids = self.members();
                    let all = ids.iter().all(|&n| {
                        self.sim
                            .node(n)
                            .is_some_and(|node| node.applied_index() >= index)
                    });
                    let still_there = ids.iter().any(|&n| {
                        self.sim.node(n).and_then(|node| node.term_at(index)) == Some(term)
                    });
                    if all {
                        return Ok(());
                    }
                    if !still_there || !self.sim.is_up(l) {
                        // The marker was overwritten by a new leader: propose again.
                        proposed = None;
                    }
                }
            }
        }
        if self.sim.leader().is_none() {
            return Err(Failure::NoLeader);
        }
        let commits: Vec<String> = self
            .members()
            .iter()
            .map(|&n| {
                let node = self.sim.node(n).expect("exists");
                format!("{n}:{}/{}", node.applied_index(), node.last_index())
            })
            .collect();
        Err(Failure::NoProgress(format!(
            "no new entry applied on every node within the healing phase (applied/last: {})",
            commits.join(" ")
        )))
    }

    /// A node whose addition was lost with a deposed leader's log keeps running outside the
    /// configuration, and takes itself for a member (its log holds the addition). With
    /// neither PreVote nor CheckQuorum it calls elections it cannot win, each of which
    /// deposes the leader (thesis §4.2.3). As an operator would, propose the addition again
    /// (refused while another change is pending: tried again on the next round).
    fn retry_lost_adds(&mut self) {
        let Some(voters) = self
            .sim
            .leader()
            .and_then(|l| self.sim.node(l))
            .map(|l| l.voters().to_vec())
        else {
            return;
        };
        for n in self.sim.node_ids() {
            if self.sim.is_up(n) && !voters.contains(&n) {
                let _ = self.sim.retry_add(n);
            }
        }
    }

    /// The nodes in the leader's configuration. A node whose addition was proposed but lost
    /// with a deposed leader's log is not a member (until `retry_lost_adds` brings it in) and
    /// is not expected to keep up.
    fn members(&self) -> Vec<NodeId> {
        match self.sim.leader().and_then(|l| self.sim.node(l)) {
            Some(l) => l.voters().to_vec(),
            None => self.sim.node_ids(),
        }
    }

    /// Leadership transfer in the healed cluster (thesis §3.10): the leader hands over to a
    /// random other member, which must lead within an election timeout, the time a leader
    /// gives a transfer before abandoning it.
    fn require_transfer(&mut self) -> Result<(), Failure> {
        let from = self.sim.leader().ok_or(Failure::NoLeader)?;
        let Some(to) = self.pick(&self.members_but(from)) else {
            return Ok(());
        };
        self.sim.transfer_leader(to).map_err(Failure::Sim)?;
        let max_ms = self.sim.config().election_timeout_ms.1;
        let deadline = self.sim.now_us() + max_ms * 1000;
        while self.sim.leader() != Some(to) {
            if self.sim.now_us() >= deadline {
                return Err(Failure::TransferStalled(format!(
                    "leader {from} handed over to node {to}, which did not lead within {max_ms} ms"
                )));
            }
            self.sim.advance_us(1_000);
        }
        Ok(())
    }

    /// The members but `n`: the servers a leader `n` can hand over to.
    fn members_but(&self, n: NodeId) -> Vec<NodeId> {
        self.members().into_iter().filter(|&m| m != n).collect()
    }

    fn require_convergence(&mut self) -> Result<(), Failure> {
        let ids = self.members();
        let first = ids[0];
        let reference = self.sim.node(first).expect("exists");
        let (last, term) = (
            reference.last_index(),
            reference.term_at(reference.last_index()),
        );
        let kv = self.sim.kv(first).expect("exists").clone();
        for &n in &ids[1..] {
            let node = self.sim.node(n).expect("exists");
            if node.last_index() != last || node.term_at(last) != term {
                return Err(Failure::NotConverged(format!(
                    "node {n}'s log ends at {} (term {:?}), node {first}'s at {last} (term {term:?})",
                    node.last_index(),
                    node.term_at(node.last_index())
                )));
            }
            if node.commit_index() != last || node.applied_index() != last {
                return Err(Failure::NotConverged(format!(
                    "node {n} committed {} and applied {} of {last} entries",
                    node.commit_index(),
                    node.applied_index()
                )));
            }
            if self.sim.kv(n) != Some(&kv) {
                return Err(Failure::NotConverged(format!(
                    "node {n}'s key-value store differs from node {first}'s"
                )));
            }
        }
        Ok(())
    }
}

/// Runs one seed.
pub fn run_seed(seed: u64, opts: &RunOptions) -> RunReport {
    let cfg = sim_config(seed, opts);
    let sim = match Sim::new(cfg) {
        Ok(sim) => sim,
        Err(e) => panic!("swarm options give an invalid simulation: {e}"),
    };
    let mut r = Runner {
        sim,
        rng: fastrand::Rng::with_seed(super::rng::derive(seed, super::rng::Stream::Faults, 0)),
        actions: 0,
        opts: opts.clone(),
    };
    let fault_end = if opts.check_liveness {
        opts.time_us / 10 * 7
    } else {
        opts.time_us
    };
    let mut failure = None;
    // Fault phase.
    while r.sim.now_us() < fault_end && r.sim.violations().is_empty() {
        r.pause(100, 2_000);
        if !r.sim.violations().is_empty() {
            break;
        }
        if let Err(e) = r.fault_action() {
            failure = Some(Failure::Sim(e));
            break;
        }
    }
    // Healing phase: a clean network, every node up, then liveness and convergence.
    let heal = opts.check_liveness;
    if heal && failure.is_none() && r.sim.violations().is_empty() {
        if let Err(e) = r.heal_all() {
            failure = Some(Failure::Sim(e));
        }
    }
    if heal && failure.is_none() && r.sim.violations().is_empty() {
        let heal_us = opts.time_us.saturating_sub(r.sim.now_us()).max(5_000_000);
        if let Err(f) = r.require_progress(heal_us / 2) {
            failure = Some(f);
        } else {
            r.sim.set_workload_paused(true);
            // Let every request in progress finish or give up, and the logs settle.
            let settle = r.sim.now_us() + heal_us / 2;
            r.sim.run_until_us(settle);
            if let Err(f) = r.require_convergence() {
                failure = Some(f);
            } else if opts.faults.transfer {
                if let Err(f) = r.require_transfer() {
                    failure = Some(f);
                }
            }
        }
    }
    if let Some(v) = r.sim.violations().first() {
        failure = Some(Failure::Safety(v.clone()));
    }
    let linearizability = linearizability::check(r.sim.history());
    if failure.is_none() {
        if let Linearizability::NotLinearizable { key, ops } = &linearizability {
            failure = Some(Failure::NotLinearizable(format!(
                "no order of the {} operations on key {key} explains their results",
                ops.len()
            )));
        }
    }
    RunReport {
        seed,
        stats: r.sim.stats(),
        fault_actions: r.actions,
        history_len: r.sim.history().len(),
        linearizability,
        failure,
        sim: r.sim,
    }
}

/// The command that replays `seed` with `opts`.
pub fn replay_command(seed: u64, opts: &RunOptions) -> String {
    let mut cmd = format!(
        "cargo run --release -p raft-core --bin raft-sim -- --seeds {seed} --nodes {} --time {}ms --faults {}",
        opts.nodes,
        opts.time_us / 1000,
        opts.faults
    );
    let f = &opts.protocol_faults;
    for (on, name) in [
        (f.vote_without_log_check, PROTOCOL_FAULTS[0]),
        (f.commit_old_term_by_count, PROTOCOL_FAULTS[1]),
        (f.forget_vote_on_restart, PROTOCOL_FAULTS[2]),
        (f.skip_consistency_check, PROTOCOL_FAULTS[3]),
        (f.leader_ignores_higher_term, PROTOCOL_FAULTS[4]),
    ] {
        if on {
            cmd.push_str(&format!(" --protocol-fault {name}"));
        }
    }
    if !opts.workload {
        cmd.push_str(" --no-workload");
    }
    if !opts.pre_vote {
        cmd.push_str(" --no-pre-vote");
    }
    if !opts.check_quorum {
        cmd.push_str(" --no-check-quorum");
    }
    if opts.max_entries_per_append != 64 {
        cmd.push_str(&format!(" --max-entries {}", opts.max_entries_per_append));
    }
    match opts.snapshot_threshold {
        Some(t) => cmd.push_str(&format!(" --snapshot-threshold {t}")),
        None => cmd.push_str(" --no-snapshots"),
    }
    if !opts.check_liveness {
        cmd.push_str(" --safety-only");
    }
    cmd.push_str(" --trace");
    cmd
}
