//! One Raft peer: role, term, vote, `step()`, `tick()`.
//!
//! The structure follows etcd's `raft.go`: [`RaftNode::step`] does the term handling every
//! role shares (§5.1: a higher term turns anyone into a follower, a lower one is stale),
//! answers vote requests, and then dispatches on the role to `step_leader`,
//! `step_candidate` or `step_follower`. Role changes go through the `become_*` functions.

use crate::vecmap::{sort_small, VecMap, VecSet};

use crate::config::Config;
use crate::error::{ConfigError, Error};
use crate::log::RaftLog;
use crate::message::{
    ConfChange, Entry, EntryData, Index, Message, MessageKind, NodeId, Snapshot, Term,
};
use crate::progress::{Flow, Progress};

/// A peer's role (§5.1, plus the pre-candidate of thesis §9.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Passive: answers leaders and candidates.
    Follower,
    /// Running a PreVote round; its term has not been raised yet.
    PreCandidate,
    /// Asking for votes in a new term.
    Candidate,
    /// Handles client requests and replicates the log.
    Leader,
}

impl Role {
    /// Lower-case name: "follower", "precandidate", "candidate", "leader".
    pub fn name(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::PreCandidate => "precandidate",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

/// The state §5 requires to survive a crash: term, vote and log (with its snapshot).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersistentState {
    /// The latest term the node has seen.
    pub current_term: Term,
    /// Whom the node voted for in `current_term`.
    pub voted_for: Option<NodeId>,
    /// The compacted prefix of the log (`last_index == 0` if none).
    pub snapshot: Snapshot,
    /// Log entries after the snapshot, in index order.
    pub entries: Vec<Entry>,
}

/// A ReadIndex read that is safe to serve once `applied >= index` (§6.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadState {
    /// The caller's context, as passed to [`RaftNode::read_index`].
    pub ctx: u64,
    /// The commit index the read must wait for.
    pub index: Index,
}

/// Indices above this are refused as garbage, so that index arithmetic never overflows.
const MAX_INDEX: Index = Index::MAX / 2;

/// The state §5 requires to survive a crash, as the node holds it.
#[derive(Clone, Debug)]
struct Durable {
    /// Latest term seen; only grows.
    current_term: Term,
    /// Candidate voted for in `current_term` (§5.2: at most one per term).
    voted_for: Option<NodeId>,
    /// Snapshot plus entries.
    log: RaftLog,
}

/// A ReadIndex request waiting for a quorum to confirm leadership (§6.4).
#[derive(Clone, Debug)]
struct PendingRead {
    ctx: u64,
    /// The commit index when the request arrived.
    index: Index,
    /// The heartbeat round that confirms it.
    round: u64,
    /// Voters that acknowledged `round` or a later one.
    acks: VecSet<NodeId>,
}

/// Everything a crash loses (§5: "volatile state on all servers" and "on leaders").
#[derive(Clone, Debug)]
struct Volatile {
    role: Role,
    leader_id: Option<NodeId>,
    // Invariant: snapshot.last_index <= applied_index <= commit_index <= last_index.
    commit_index: Index,
    applied_index: Index,
    /// The voters as of the last entry in the log (thesis §4.1), sorted.
    voters: Vec<NodeId>,
    election_elapsed: u32,
    /// Randomized in `[min, max)` at each reset of the election timer (§5.2).
    election_timeout: u32,
    heartbeat_elapsed: u32,
    /// Votes (or pre-votes) received in the current campaign.
    votes: VecMap<NodeId, bool>,
    /// Leader only: each voter's replication progress, this node's own included.
    progress: VecMap<NodeId, Progress>,
    /// Leader only: how appends flow to each peer (probing or pipelining).
    flows: VecMap<NodeId, Flow>,
    /// Leader only: the commit index each peer was last told, as far as that message's
    /// entries let it apply it; an ack that leaves a peer behind on it triggers an update.
    commit_told: VecMap<NodeId, Index>,
    lead_transferee: Option<NodeId>,
    transfer_elapsed: u32,
    /// Leader only: the latest ReadIndex heartbeat round.
    read_round: u64,
    pending_reads: Vec<PendingRead>,
    /// Reads that arrived before the leader committed an entry of its term (§6.4 step 1).
    postponed_reads: Vec<u64>,
    msgs: Vec<Message>,
    pending_snapshot: Option<Snapshot>,
    read_states: Vec<ReadState>,
}

/// One Raft peer: a pure state machine. It never reads a clock or a random source of its
/// own: time is [`RaftNode::tick`], and the randomized election timeout comes from a PRNG
/// seeded by the caller.
#[derive(Clone, Debug)]
pub struct RaftNode {
    id: NodeId,
    config: Config,
    durable: Durable,
    vol: Volatile,
    /// Draws election timeouts; seeded by the caller, so runs replay exactly.
    rng: fastrand::Rng,
}

/// Outcome of counting votes.
enum VoteResult {
    Won,
    Lost,
    Pending,
}

impl RaftNode {
    /// Creates a node from its configuration and persisted state (use
    /// `PersistentState::default()` for a fresh node). `seed` seeds the node's election
    /// timeout generator.
    ///
    /// A node whose id is not among `config.voters` is allowed: it is a server being added
    /// (thesis §4.1). It never campaigns and learns the configuration from the leader's log.
    /// If the state holds a snapshot, [`RaftNode::take_snapshot`] hands it out once so the
    /// application can restore its state machine.
    pub fn new(
        id: NodeId,
        config: Config,
        state: PersistentState,
        seed: u64,
    ) -> Result<RaftNode, Error> {
        config.validate()?;
        if id == 0 {
            return Err(ConfigError::ZeroId.into());
        }
        let PersistentState {
            current_term,
            voted_for,
            snapshot,
            entries,
        } = state;
        if snapshot.last_index > 0 && snapshot.voters.is_empty() {
            return Err(Error::Malformed(String::from(
                "persistent state: snapshot has no voters",
            )));
        }
        let log = RaftLog::from_parts(snapshot, entries)
            .map_err(|e| Error::Malformed(format!("persistent state: {e}")))?;
        let voted_for = if config.faults.forget_vote_on_restart {
            None
        } else {
            voted_for
        };
        let mut rng = fastrand::Rng::with_seed(seed);
        let election_timeout =
            rng.u32(config.election_timeout_ticks_min..config.election_timeout_ticks_max);
        let snapshot_index = log.snapshot().last_index;
        let pending_snapshot = (snapshot_index > 0).then(|| log.snapshot().clone());
        let voters = log.voters_at(log.last_index(), &config.voters);
        Ok(RaftNode {
            id,
            config,
            durable: Durable {
                current_term,
                voted_for,
                log,
            },
            vol: Volatile {
                role: Role::Follower,
                leader_id: None,
                commit_index: snapshot_index,
                applied_index: snapshot_index,
                voters,
                election_elapsed: 0,
                election_timeout,
                heartbeat_elapsed: 0,
                votes: VecMap::new(),
                progress: VecMap::new(),
                flows: VecMap::new(),
                commit_told: VecMap::new(),
                lead_transferee: None,
                transfer_elapsed: 0,
                read_round: 0,
                pending_reads: Vec::new(),
                postponed_reads: Vec::new(),
                msgs: Vec::new(),
                pending_snapshot,
                read_states: Vec::new(),
            },
            rng,
        })
    }

    /// Advances the node's logical clock by one tick.
    pub fn tick(&mut self) {
        if self.vol.role == Role::Leader {
            self.tick_heartbeat();
        } else {
            self.tick_election();
        }
    }

    /// Followers and candidates: start an election when the timer runs out (§5.2).
    fn tick_election(&mut self) {
        self.vol.election_elapsed = self.vol.election_elapsed.saturating_add(1);
        if self.promotable() && self.vol.election_elapsed >= self.vol.election_timeout {
            self.hup(false);
        }
    }

    /// Leaders: heartbeats, CheckQuorum and the leader-transfer deadline.
    fn tick_heartbeat(&mut self) {
        self.vol.heartbeat_elapsed += 1;
        self.vol.election_elapsed += 1;
        if self.vol.lead_transferee.is_some() {
            self.vol.transfer_elapsed += 1;
            // Thesis §3.10: abort a transfer that did not complete within an election
            // timeout, so the cluster can take client requests again.
            if self.vol.transfer_elapsed >= self.config.election_timeout_ticks_min {
                self.vol.lead_transferee = None;
            }
        }
        if self.vol.election_elapsed >= self.config.election_timeout_ticks_min {
            self.vol.election_elapsed = 0;
            if self.config.check_quorum {
                // CheckQuorum: a leader that has not heard from a quorum within an
                // election timeout may be cut off; it steps down rather than keep
                // serving reads and accepting proposals it can never commit.
                if !self.quorum_active() {
                    let term = self.durable.current_term;
                    self.become_follower(term, None);
                    return;
                }
                for (&peer, pr) in self.vol.progress.iter_mut() {
                    if peer != self.id {
                        pr.recent_active = false;
                    }
                }
            }
        }
        if self.vol.heartbeat_elapsed >= self.config.heartbeat_interval_ticks {
            self.vol.heartbeat_elapsed = 0;
            self.retry_probes();
            self.bcast_heartbeat();
        }
    }

    /// Handles one message from a peer.
    ///
    /// Errors: [`Error::WrongRecipient`], [`Error::UnknownPeer`] and [`Error::Malformed`]
    /// for messages that cannot be meant for this node; the node's state is unchanged then.
    pub fn step(&mut self, msg: Message) -> Result<(), Error> {
        self.validate_message(&msg)?;
        let term = self.durable.current_term;
        if msg.term > term {
            if matches!(
                msg.kind,
                MessageKind::PreVote { .. } | MessageKind::RequestVote { .. }
            ) {
                let transfer = matches!(msg.kind, MessageKind::RequestVote { transfer: true, .. });
                // Thesis §4.2.3: with CheckQuorum, a server that heard from a current
                // leader within the minimum election timeout ignores vote and pre-vote
                // requests (etcd's leader lease), unless the election is a transfer.
                // Without CheckQuorum a leader may be gone unnoticed, so no lease holds.
                let lease_applies = self.config.check_quorum;
                let in_lease = self.vol.leader_id.is_some()
                    && self.vol.election_elapsed < self.config.election_timeout_ticks_min;
                if lease_applies && in_lease && !transfer {
                    return Ok(());
                }
            }
            match msg.kind {
                // A pre-vote request never changes the receiver's term.
                MessageKind::PreVote { .. } => {}
                // A granted pre-vote carries the term we would campaign in; we take it
                // only by winning the real election.
                MessageKind::PreVoteResponse { granted: true } => {}
                _ if self.vol.role == Role::Leader
                    && self.config.faults.leader_ignores_higher_term =>
                {
                    // FAULT: adopt the term but keep leading, so two leaders can share it.
                    self.durable.current_term = msg.term;
                    self.durable.voted_for = None;
                }
                MessageKind::AppendEntries { .. } | MessageKind::InstallSnapshot { .. } => {
                    self.become_follower(msg.term, Some(msg.from));
                }
                _ => self.become_follower(msg.term, None),
            }
        } else if msg.term < term {
            self.handle_stale(msg);
            return Ok(());
        }

        match msg.kind {
            MessageKind::PreVote { .. } | MessageKind::RequestVote { .. } => {
                self.handle_vote_request(msg);
                Ok(())
            }
            _ => match self.vol.role {
                Role::Leader => self.step_leader(msg),
                Role::Candidate | Role::PreCandidate => self.step_candidate(msg),
                Role::Follower => self.step_follower(msg),
            },
        }
    }

    /// Rejects messages that cannot be meant for this node or whose fields contradict
    /// each other, before anything changes.
    fn validate_message(&self, msg: &Message) -> Result<(), Error> {
        if msg.to != self.id {
            return Err(Error::WrongRecipient {
                node: self.id,
                to: msg.to,
            });
        }
        if msg.from == 0 || msg.from == self.id {
            return Err(Error::Malformed(format!(
                "message from node {} to node {}",
                msg.from, msg.to
            )));
        }
        let known =
            self.vol.voters.contains(&msg.from) || self.vol.progress.contains_key(&msg.from);
        if !known {
            // Thesis §4.1: servers process requests without consulting their configuration,
            // because the sender may belong to one this node has not seen yet (it was just
            // added, or this node is behind on membership entries).
            // - AppendEntries, InstallSnapshot and TimeoutNow: the sender may lead such a
            //   configuration, or lead while its own removal is not yet committed (and hand
            //   over its leadership meanwhile, §3.10). In the current term that holds only
            //   while no other leader is known (a term has one leader); a stale sender is
            //   answered with our term so that it steps down.
            // - PreVote and RequestVote: answered on their merits (term, vote, log). The
            //   vote may be the one that makes a majority: a server added to the cluster,
            //   with the newest log, needs the votes of servers that have not yet learned
            //   it was added. Refusing it can leave a cluster with no electable server. A
            //   removed server's requests are held off as any other's are: the leader
            //   lease (CheckQuorum) and PreVote's log check.
            // Answers from a stranger are refused.
            let from_leader = matches!(
                msg.kind,
                MessageKind::AppendEntries { .. }
                    | MessageKind::InstallSnapshot { .. }
                    | MessageKind::TimeoutNow
            );
            let vote_request = matches!(
                msg.kind,
                MessageKind::PreVote { .. } | MessageKind::RequestVote { .. }
            );
            let term = self.durable.current_term;
            let plausible = msg.term != term || self.vol.leader_id.map_or(true, |l| l == msg.from);
            let answered = vote_request || (from_leader && plausible);
            if !answered {
                return Err(Error::UnknownPeer(msg.from));
            }
        }
        match &msg.kind {
            MessageKind::AppendEntries {
                prev_log_index,
                entries,
                ..
            } => {
                let mut expected = prev_log_index.checked_add(1);
                // Terms are not checked against `prev_log_term`: a leader's log never
                // has them falling, but a follower's check of the previous entry decides.
                let mut last_term = 0;
                for e in entries {
                    if Some(e.index) != expected {
                        return Err(Error::Malformed(format!(
                            "entry index {} does not follow on from {}",
                            e.index,
                            e.index.wrapping_sub(1)
                        )));
                    }
                    if e.term > msg.term || e.term < last_term {
                        return Err(Error::Malformed(format!(
                            "entry {} has term {} out of order",
                            e.index, e.term
                        )));
                    }
                    if let EntryData::ConfChange(
                        ConfChange::AddNode(0) | ConfChange::RemoveNode(0),
                    ) = e.data
                    {
                        return Err(Error::Malformed(String::from(
                            "membership change names node 0",
                        )));
                    }
                    expected = e.index.checked_add(1);
                    last_term = e.term;
                }
            }
            MessageKind::AppendEntriesResponse {
                success: true,
                match_index,
                ..
            } if msg.term == self.durable.current_term && self.vol.role == Role::Leader => {
                let last = self.durable.log.last_index();
                if *match_index > last {
                    return Err(Error::Malformed(format!(
                        "match index {match_index} is beyond the leader's last index {last}"
                    )));
                }
            }
            MessageKind::InstallSnapshot { snapshot } => {
                if snapshot.last_index == 0 {
                    return Err(Error::Malformed(String::from("snapshot with last_index 0")));
                }
                if snapshot.last_index > MAX_INDEX {
                    return Err(Error::Malformed(format!(
                        "snapshot index {} is out of range",
                        snapshot.last_index
                    )));
                }
                if snapshot.last_term > msg.term {
                    return Err(Error::Malformed(String::from(
                        "snapshot term above the message term",
                    )));
                }
                if snapshot.voters.is_empty() || snapshot.voters.contains(&0) {
                    return Err(Error::Malformed(String::from(
                        "snapshot voters are invalid",
                    )));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// §5.1: a request with a stale term is rejected, and the reply carries the current
    /// term so the sender learns it and steps down. Stale replies are dropped.
    fn handle_stale(&mut self, msg: Message) {
        let reply = match msg.kind {
            MessageKind::AppendEntries { read_round, .. } => MessageKind::AppendEntriesResponse {
                success: false,
                match_index: 0,
                conflict_index: 0,
                conflict_term: None,
                read_round,
            },
            MessageKind::RequestVote { .. } => MessageKind::RequestVoteResponse { granted: false },
            MessageKind::PreVote { .. } => MessageKind::PreVoteResponse { granted: false },
            MessageKind::InstallSnapshot { .. } => MessageKind::InstallSnapshotResponse {
                last_index: self.durable.log.last_index(),
            },
            _ => return,
        };
        self.send(msg.from, reply);
    }

    /// §5.2, §5.4.1: grant a vote (or pre-vote) to a candidate whose log is at least as up
    /// to date, at most one vote per term.
    fn handle_vote_request(&mut self, msg: Message) {
        let (last_log_index, last_log_term, pre) = match msg.kind {
            MessageKind::PreVote {
                last_log_index,
                last_log_term,
            } => (last_log_index, last_log_term, true),
            MessageKind::RequestVote {
                last_log_index,
                last_log_term,
                ..
            } => (last_log_index, last_log_term, false),
            _ => unreachable!("handle_vote_request called with {}", msg.kind.name()),
        };
        let term = self.durable.current_term;
        let can_vote = self.durable.voted_for == Some(msg.from)
            || (self.durable.voted_for.is_none() && self.vol.leader_id.is_none())
            || (pre && msg.term > term);
        let up_to_date = self.config.faults.vote_without_log_check
            || self
                .durable
                .log
                .is_up_to_date(last_log_index, last_log_term);
        let granted = can_vote && up_to_date;
        if pre {
            // A granted pre-vote answers in the term asked about, so the pre-candidate can
            // tell it from stale answers; a refusal carries our own term.
            let reply_term = if granted { msg.term } else { term };
            self.send_with_term(
                msg.from,
                reply_term,
                MessageKind::PreVoteResponse { granted },
            );
        } else {
            if granted {
                self.durable.voted_for = Some(msg.from);
                // Granting a vote counts as hearing from a would-be leader (§5.2).
                self.vol.election_elapsed = 0;
            }
            self.send(msg.from, MessageKind::RequestVoteResponse { granted });
        }
    }

    fn step_leader(&mut self, msg: Message) -> Result<(), Error> {
        if let Some(pr) = self.vol.progress.get_mut(&msg.from) {
            pr.recent_active = true;
        }
        match msg.kind {
            MessageKind::AppendEntriesResponse {
                success,
                match_index,
                conflict_index,
                conflict_term,
                read_round,
            } => self.handle_append_response(
                msg.from,
                success,
                match_index,
                conflict_index,
                conflict_term,
                read_round,
            ),
            MessageKind::InstallSnapshotResponse { last_index } => {
                self.handle_snapshot_response(msg.from, last_index);
                Ok(())
            }
            // Another leader in our own term cannot exist (§5.2); vote answers arriving
            // after the election and TimeoutNow meant for followers are ignored.
            _ => Ok(()),
        }
    }

    fn step_candidate(&mut self, msg: Message) -> Result<(), Error> {
        match msg.kind {
            MessageKind::AppendEntries { .. } | MessageKind::InstallSnapshot { .. } => {
                // §5.2: a candidate that hears from a leader of its term concedes.
                let term = self.durable.current_term;
                self.become_follower(term, Some(msg.from));
                self.step_follower(msg)
            }
            MessageKind::PreVoteResponse { granted } if self.vol.role == Role::PreCandidate => {
                self.poll(msg.from, granted);
                Ok(())
            }
            MessageKind::RequestVoteResponse { granted } if self.vol.role == Role::Candidate => {
                self.poll(msg.from, granted);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn step_follower(&mut self, msg: Message) -> Result<(), Error> {
        match msg.kind {
            MessageKind::AppendEntries {
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                read_round,
            } => {
                self.vol.election_elapsed = 0;
                self.vol.leader_id = Some(msg.from);
                self.handle_append(
                    msg.from,
                    prev_log_index,
                    prev_log_term,
                    entries,
                    leader_commit,
                    read_round,
                );
                Ok(())
            }
            MessageKind::InstallSnapshot { snapshot } => {
                self.vol.election_elapsed = 0;
                self.vol.leader_id = Some(msg.from);
                self.handle_snapshot(msg.from, snapshot);
                Ok(())
            }
            MessageKind::TimeoutNow => {
                // Thesis §3.10: the transfer target campaigns at once, skipping PreVote,
                // and its RequestVote says so, so that voters' leases do not block it.
                if self.promotable() {
                    self.hup(true);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// §5.3, receiver side of AppendEntries.
    fn handle_append(
        &mut self,
        from: NodeId,
        prev_log_index: Index,
        prev_log_term: Term,
        mut entries: Vec<Entry>,
        leader_commit: Index,
        read_round: u64,
    ) {
        let commit = self.vol.commit_index;
        let mut prev = prev_log_index;
        let mut prev_term = prev_log_term;
        if prev < commit {
            // The committed prefix is in every later leader's log (§5.4.3), so the part of
            // the message it covers needs no check (and may be compacted away here).
            let skip = usize::try_from(commit - prev)
                .unwrap_or(usize::MAX)
                .min(entries.len());
            entries.drain(..skip);
            prev += skip as Index;
            if prev < commit {
                self.send(from, Self::append_ok(commit, read_round));
                return;
            }
            prev_term = self
                .durable
                .log
                .term_at(commit)
                .expect("the commit index is at or after the snapshot");
        }
        let log = &self.durable.log;
        let consistent = if self.config.faults.skip_consistency_check {
            // FAULT: no term check on the previous entry; only a log too short to append
            // to without a hole is refused.
            prev <= log.last_index()
        } else {
            log.matches(prev, prev_term)
        };
        if !consistent {
            let (conflict_index, conflict_term) = log.conflict_hint(prev, commit + 1);
            self.send(
                from,
                MessageKind::AppendEntriesResponse {
                    success: false,
                    match_index: 0,
                    conflict_index,
                    conflict_term,
                    read_round,
                },
            );
            return;
        }
        let last_new = prev + entries.len() as Index;
        if let Some(conflict) = log.find_conflict(&entries) {
            // §5.3: delete a conflicting entry and all that follow it; append new ones.
            assert!(
                conflict > commit,
                "conflict at {conflict} inside the committed prefix"
            );
            let start = (conflict - prev - 1) as usize;
            self.durable.log.append(&entries[start..]);
            self.refresh_voters();
        }
        // §5.3: commit = min(leaderCommit, index of last new entry); only what is verified
        // to match the leader's log, never beyond it.
        let new_commit = leader_commit.min(last_new);
        if new_commit > self.vol.commit_index {
            self.vol.commit_index = new_commit;
        }
        self.send(from, Self::append_ok(last_new, read_round));
    }

    fn append_ok(match_index: Index, read_round: u64) -> MessageKind {
        MessageKind::AppendEntriesResponse {
            success: true,
            match_index,
            conflict_index: 0,
            conflict_term: None,
            read_round,
        }
    }

    /// §7, receiver side of InstallSnapshot.
    fn handle_snapshot(&mut self, from: NodeId, mut snapshot: Snapshot) {
        if snapshot.last_index > self.vol.commit_index {
            sort_small(&mut snapshot.voters);
            snapshot.voters.dedup();
            let index = snapshot.last_index;
            self.durable.log.restore(snapshot.clone());
            self.vol.commit_index = index;
            self.vol.applied_index = index;
            self.vol.pending_snapshot = Some(snapshot);
            self.refresh_voters();
        }
        // A snapshot at or below the commit index is old news: ignored, but answered so
        // the leader learns where this log ends.
        let last_index = self.durable.log.last_index();
        self.send(from, MessageKind::InstallSnapshotResponse { last_index });
    }

    /// §5.3, leader side: advance or back off the follower's progress.
    fn handle_append_response(
        &mut self,
        from: NodeId,
        success: bool,
        match_index: Index,
        conflict_index: Index,
        conflict_term: Option<Term>,
        read_round: u64,
    ) -> Result<(), Error> {
        if read_round > 0 {
            self.ack_read(from, read_round);
        }
        let last = self.durable.log.last_index();
        let (Some(pr), Some(flow)) = (
            self.vol.progress.get_mut(&from),
            self.vol.flows.get_mut(&from),
        ) else {
            return Ok(());
        };
        if success {
            assert!(
                match_index <= last,
                "validate_message checks the match index"
            );
            flow.ack(match_index);
            let updated = pr.maybe_update(match_index);
            if !updated && flow.lost_appends(match_index) {
                // The follower answered a heartbeat but lacks appends sent before it.
                flow.become_probe();
                pr.next_index = pr.match_index + 1;
            }
            if !flow.replicating && pr.next_index == pr.match_index + 1 {
                // The probe found where the logs match: pipeline from there. (An answer
                // to a heartbeat anchored below the probe point leaves the probe going.)
                flow.become_replicate();
            }
            let caught_up = pr.match_index == last;
            if updated {
                self.maybe_commit();
            }
            if self.vol.role != Role::Leader {
                return Ok(());
            }
            if caught_up && self.vol.lead_transferee == Some(from) {
                // Thesis §3.10: the target's log is current; tell it to campaign now.
                self.send(from, MessageKind::TimeoutNow);
            }
            let mut sent = false;
            while self.can_send_entries(from) {
                self.send_append(from);
                sent = true;
            }
            let probe_idle = self
                .vol
                .flows
                .get(&from)
                .is_some_and(|f| !f.replicating && f.inflight.is_empty());
            if !sent && probe_idle {
                // Nothing new to send, but the match point is still unconfirmed: probe
                // with an empty append.
                self.send_append(from);
                sent = true;
            }
            // Tell the follower of commits it can apply now, as far as its log is known to
            // match; a heartbeat anchored at its match index does that.
            let told = self.vol.commit_told.get(&from).copied().unwrap_or(0);
            let can_tell = self.vol.commit_index.min(match_index);
            if !sent && told < can_tell {
                self.send_heartbeat(from);
            }
        } else {
            let old_next = pr.next_index;
            let floor = pr.match_index + 1;
            if flow.replicating {
                // The follower matched up to its match index, so the rejection means an
                // append was lost or overtaken: resend from there, one at a time.
                pr.next_index = floor;
            } else {
                let hint = if self.config.fast_backtrack {
                    // Skip the whole conflicting term in one round trip: resume after our
                    // last entry of that term, or at the first index the follower has
                    // of it.
                    match conflict_term {
                        Some(t) => self
                            .durable
                            .log
                            .last_index_of_term(t, old_next.saturating_sub(1))
                            .map_or(conflict_index, |i| i + 1),
                        None => conflict_index,
                    }
                } else {
                    old_next.saturating_sub(1)
                };
                let ceiling = old_next.saturating_sub(1).max(floor);
                pr.next_index = hint.clamp(floor, ceiling);
            }
            flow.become_probe();
            self.send_append(from);
        }
        Ok(())
    }

    /// §7, leader side: resume replication after the follower's log.
    fn handle_snapshot_response(&mut self, from: NodeId, last_index: Index) {
        let last = self.durable.log.last_index();
        let (Some(pr), Some(flow)) = (
            self.vol.progress.get_mut(&from),
            self.vol.flows.get_mut(&from),
        ) else {
            return;
        };
        flow.become_probe();
        // Not a verified match: the next append's consistency check confirms it.
        pr.next_index = last_index
            .saturating_add(1)
            .min(last + 1)
            .max(pr.match_index + 1);
        self.send_append(from);
    }

    /// True if `to` is owed entries and its flow has room for another append.
    fn can_send_entries(&self, to: NodeId) -> bool {
        let (Some(pr), Some(flow)) = (self.vol.progress.get(&to), self.vol.flows.get(&to)) else {
            return false;
        };
        !flow.paused() && pr.next_index <= self.durable.log.last_index()
    }

    /// Sends `to` the entries from its next index, or the snapshot if they were compacted
    /// away (§7), unless its flow is paused. When there is nothing new, a replicating
    /// follower gets a heartbeat (which carries the commit index) and a probed one an empty
    /// append that still goes through the consistency check.
    fn send_append(&mut self, to: NodeId) {
        let (Some(pr), Some(flow)) = (self.vol.progress.get_mut(&to), self.vol.flows.get_mut(&to))
        else {
            return;
        };
        if flow.paused() {
            return;
        }
        let log = &self.durable.log;
        if flow.replicating && pr.next_index > log.last_index() {
            self.send_heartbeat(to);
            return;
        }
        let prev = pr.next_index - 1;
        let kind = match log.term_at(prev) {
            Some(prev_log_term) => {
                let entries = log.slice(
                    pr.next_index,
                    log.last_index(),
                    self.config.max_entries_per_append,
                );
                let last_sent = entries.last().map_or(prev, |e| e.index);
                if !entries.is_empty() {
                    flow.sent(last_sent);
                    if flow.replicating {
                        pr.next_index = last_sent + 1;
                    }
                }
                let leader_commit = self.vol.commit_index;
                self.vol
                    .commit_told
                    .insert(to, leader_commit.min(last_sent));
                MessageKind::AppendEntries {
                    prev_log_index: prev,
                    prev_log_term,
                    entries,
                    leader_commit,
                    read_round: self.vol.read_round,
                }
            }
            None => {
                assert!(
                    prev < log.snapshot().last_index,
                    "next index {} beyond the log's end {}",
                    pr.next_index,
                    log.last_index()
                );
                let snapshot = log.snapshot().clone();
                flow.become_probe();
                flow.sent(snapshot.last_index);
                MessageKind::InstallSnapshot { snapshot }
            }
        };
        self.send(to, kind);
    }

    fn bcast_append(&mut self) {
        for peer in self.peers() {
            self.send_append(peer);
        }
    }

    /// A heartbeat: an empty AppendEntries anchored at the follower's match index, so its
    /// commit index (capped at that match) never runs ahead of what is verified.
    fn send_heartbeat(&mut self, to: NodeId) {
        let Some(pr) = self.vol.progress.get(&to) else {
            return;
        };
        let (prev, prev_term) = match self.durable.log.term_at(pr.match_index) {
            Some(t) => (pr.match_index, t),
            None => (0, 0),
        };
        if let Some(flow) = self.vol.flows.get_mut(&to) {
            flow.heartbeat_sent();
        }
        let leader_commit = self.vol.commit_index.min(prev);
        let told = self.vol.commit_told.get_or_insert_with(to, || 0);
        *told = (*told).max(leader_commit);
        let kind = MessageKind::AppendEntries {
            prev_log_index: prev,
            prev_log_term: prev_term,
            entries: Vec::new(),
            leader_commit,
            read_round: self.vol.read_round,
        };
        self.send(to, kind);
    }

    /// Heartbeats to every peer.
    fn bcast_heartbeat(&mut self) {
        for peer in self.peers() {
            self.send_heartbeat(peer);
        }
    }

    /// At each heartbeat interval, a probe that got no answer is forgotten, so that the
    /// answer to the heartbeat triggers a new one.
    fn retry_probes(&mut self) {
        for flow in self.vol.flows.values_mut() {
            if !flow.replicating {
                flow.inflight.clear();
            }
        }
    }

    /// §5.3, §5.4.2: commit the highest index a quorum of voters holds, but by counting
    /// replicas only if its entry is of the current term (Figure 8).
    fn maybe_commit(&mut self) -> bool {
        let last = self.durable.log.last_index();
        let mut matched: Vec<Index> = self
            .vol
            .voters
            .iter()
            .map(|v| {
                if *v == self.id {
                    last
                } else {
                    self.vol.progress.get(v).map_or(0, |p| p.match_index)
                }
            })
            .collect();
        if matched.is_empty() {
            return false;
        }
        // The highest index a quorum has: the quorum-th largest.
        sort_small(&mut matched);
        let candidate = matched[matched.len() - self.quorum()];
        if candidate <= self.vol.commit_index {
            return false;
        }
        let own_term = self.durable.log.term_at(candidate) == Some(self.durable.current_term);
        if !own_term && !self.config.faults.commit_old_term_by_count {
            return false;
        }
        self.vol.commit_index = candidate;
        self.after_leader_commit();
        true
    }

    fn after_leader_commit(&mut self) {
        if self.committed_in_term() && !self.vol.postponed_reads.is_empty() {
            let ctxs = std::mem::take(&mut self.vol.postponed_reads);
            self.start_read_round(ctxs);
        }
        // Thesis §4.2.2: a leader removed from the configuration steps down once the
        // entry that removed it is committed.
        let removed = !self.vol.voters.contains(&self.id);
        let settled = self
            .durable
            .log
            .last_conf_index_after(self.vol.commit_index)
            .is_none();
        if removed && settled {
            let term = self.durable.current_term;
            self.become_follower(term, None);
            return;
        }
        // Tell followers the new commit index now rather than at the next heartbeat.
        self.bcast_append();
    }

    /// §6.4 step 1: the leader knows the commit index is current only once an entry of
    /// its own term is committed.
    fn committed_in_term(&self) -> bool {
        self.durable.log.term_at(self.vol.commit_index) == Some(self.durable.current_term)
    }

    fn start_read_round(&mut self, ctxs: Vec<u64>) {
        self.vol.read_round += 1;
        let round = self.vol.read_round;
        let index = self.vol.commit_index;
        for ctx in ctxs {
            self.vol.pending_reads.push(PendingRead {
                ctx,
                index,
                round,
                acks: VecSet::from(self.id),
            });
        }
        self.bcast_heartbeat();
        self.advance_reads();
    }

    fn ack_read(&mut self, from: NodeId, round: u64) {
        for read in self.vol.pending_reads.iter_mut() {
            if read.round <= round {
                read.acks.insert(from);
            }
        }
        self.advance_reads();
    }

    /// Releases every read whose round (or a later one) a quorum of voters acknowledged.
    fn advance_reads(&mut self) {
        let quorum = self.quorum();
        let voters = &self.vol.voters;
        let confirmed = self
            .vol
            .pending_reads
            .iter()
            .rposition(|r| r.acks.iter().filter(|a| voters.contains(a)).count() >= quorum);
        if let Some(last) = confirmed {
            for read in self.vol.pending_reads.drain(..=last) {
                self.vol.read_states.push(ReadState {
                    ctx: read.ctx,
                    index: read.index,
                });
            }
        }
    }

    /// Proposes a client command; only a leader accepts. Returns the entry's index.
    pub fn propose(&mut self, command: Vec<u8>) -> Result<Index, Error> {
        self.check_can_propose()?;
        Ok(self.append_entry(EntryData::Command(command)))
    }

    /// Proposes a one-server membership change (thesis §4.1). It takes effect as soon as
    /// it is appended; a second change is refused until the first one commits.
    pub fn propose_conf_change(&mut self, change: ConfChange) -> Result<Index, Error> {
        self.check_can_propose()?;
        if let Some(pending) = self
            .durable
            .log
            .last_conf_index_after(self.vol.commit_index)
        {
            return Err(Error::ChangePending(pending));
        }
        let voters = &self.vol.voters;
        match change {
            ConfChange::AddNode(0) | ConfChange::RemoveNode(0) => {
                return Err(ConfigError::ZeroId.into())
            }
            ConfChange::AddNode(id) if voters.contains(&id) => {
                return Err(Error::NoOpChange(format!("node {id} is already a voter")))
            }
            ConfChange::RemoveNode(id) if !voters.contains(&id) => {
                return Err(Error::NoOpChange(format!("node {id} is not a voter")))
            }
            ConfChange::RemoveNode(_) if voters.len() == 1 => {
                return Err(Error::NoOpChange(String::from(
                    "the last voter cannot be removed",
                )))
            }
            _ => {}
        }
        Ok(self.append_entry(EntryData::ConfChange(change)))
    }

    fn check_can_propose(&self) -> Result<(), Error> {
        if self.vol.role != Role::Leader {
            return Err(Error::NotLeader {
                node: self.id,
                leader: self.vol.leader_id,
            });
        }
        if let Some(to) = self.vol.lead_transferee {
            // Thesis §3.10: the old leader stops accepting requests during a transfer.
            return Err(Error::TransferInProgress(to));
        }
        Ok(())
    }

    /// Leader: appends one entry of the current term and replicates it.
    fn append_entry(&mut self, data: EntryData) -> Index {
        assert!(self.vol.role == Role::Leader, "only a leader appends");
        let index = self.durable.log.last_index() + 1;
        let is_conf = matches!(data, EntryData::ConfChange(_));
        self.durable.log.append(&[Entry {
            term: self.durable.current_term,
            index,
            data,
        }]);
        if let Some(pr) = self.vol.progress.get_mut(&self.id) {
            pr.maybe_update(index);
        }
        if is_conf {
            self.refresh_voters();
        }
        self.bcast_append();
        self.maybe_commit();
        index
    }

    /// Starts a leadership transfer to `to` (thesis §3.10). The leader first brings the
    /// target's log up to date, then sends it TimeoutNow; proposals are refused meanwhile.
    /// The transfer is abandoned after an election timeout.
    pub fn transfer_leadership(&mut self, to: NodeId) -> Result<(), Error> {
        if self.vol.role != Role::Leader {
            return Err(Error::NotLeader {
                node: self.id,
                leader: self.vol.leader_id,
            });
        }
        if let Some(current) = self.vol.lead_transferee {
            return Err(Error::TransferInProgress(current));
        }
        if to == self.id {
            return Ok(());
        }
        if !self.vol.voters.contains(&to) {
            return Err(Error::UnknownPeer(to));
        }
        self.vol.lead_transferee = Some(to);
        self.vol.transfer_elapsed = 0;
        let last = self.durable.log.last_index();
        let pr = self
            .vol
            .progress
            .get(&to)
            .expect("a leader tracks every voter");
        if pr.match_index == last {
            self.send(to, MessageKind::TimeoutNow);
        } else {
            self.send_append(to);
        }
        Ok(())
    }

    /// Requests a linearizable read (§6.4); the answer comes from
    /// [`RaftNode::take_read_states`] once a quorum confirmed leadership.
    ///
    /// A leader that has not yet committed an entry of its term holds the request until it
    /// has. Followers return [`Error::NotLeader`].
    pub fn read_index(&mut self, ctx: u64) -> Result<(), Error> {
        if self.vol.role != Role::Leader {
            return Err(Error::NotLeader {
                node: self.id,
                leader: self.vol.leader_id,
            });
        }
        if self.committed_in_term() {
            self.start_read_round(vec![ctx]);
        } else {
            self.vol.postponed_reads.push(ctx);
        }
        Ok(())
    }

    /// Acts as if the election timeout fired now (starts PreVote or an election). Does
    /// nothing on a leader or on a node that is not a voter.
    pub fn campaign(&mut self) {
        if self.vol.role != Role::Leader && self.promotable() {
            self.hup(false);
        }
    }

    /// Sets the election timer: it fires after `ticks` more ticks (at least one) unless the
    /// node hears from a leader first, and a leader's message restarts it at this same
    /// length, until the node's next change of term or role draws a random one again. The
    /// timer is what a scenario sets to decide who times out first (raft-rs calls this knob
    /// `set_randomized_election_timeout`). A leader has no election timer: on a leader this
    /// does nothing.
    pub fn set_election_timer(&mut self, ticks: u32) {
        if self.vol.role != Role::Leader {
            self.vol.election_elapsed = 0;
            self.vol.election_timeout = ticks.max(1);
        }
    }

    /// Starts a campaign: PreVote first if configured, unless this is a transfer.
    fn hup(&mut self, transfer: bool) {
        if self.config.pre_vote && !transfer {
            self.become_pre_candidate();
        } else {
            self.become_candidate(transfer);
        }
    }

    /// Compacts the log up to `index` (which must be applied) into a snapshot with the
    /// given state-machine image.
    pub fn compact(&mut self, index: Index, data: Vec<u8>) -> Result<(), Error> {
        let snapshot_index = self.durable.log.snapshot().last_index;
        if index <= snapshot_index {
            return Err(Error::Compaction {
                index,
                reason: format!("already compacted up to {snapshot_index}"),
            });
        }
        if index > self.vol.applied_index {
            return Err(Error::Compaction {
                index,
                reason: format!("only applied up to {}", self.vol.applied_index),
            });
        }
        self.durable.log.compact(index, data, &self.config.voters);
        Ok(())
    }

    /// Drains the messages the node wants sent.
    pub fn take_messages(&mut self) -> Vec<Message> {
        std::mem::take(&mut self.vol.msgs)
    }

    /// Drains newly committed entries, in order, and marks them applied.
    pub fn take_committed(&mut self) -> Vec<Entry> {
        let (applied, commit) = (self.vol.applied_index, self.vol.commit_index);
        if commit <= applied {
            return Vec::new();
        }
        let entries = self.durable.log.slice(applied + 1, commit, u64::MAX);
        assert!(
            entries.len() as Index == commit - applied,
            "committed entries {}..={commit} are not all in the log",
            applied + 1
        );
        self.vol.applied_index = commit;
        entries
    }

    /// Drains a snapshot received from the leader that the application must restore
    /// before it applies any entry from [`RaftNode::take_committed`]. After a restart from
    /// a state with a snapshot, that snapshot is handed out once too.
    pub fn take_snapshot(&mut self) -> Option<Snapshot> {
        self.vol.pending_snapshot.take()
    }

    /// Drains ReadIndex results.
    pub fn take_read_states(&mut self) -> Vec<ReadState> {
        std::mem::take(&mut self.vol.read_states)
    }

    /// The state to keep across a crash.
    pub fn persistent_state(&self) -> PersistentState {
        PersistentState {
            current_term: self.durable.current_term,
            voted_for: self.durable.voted_for,
            snapshot: self.durable.log.snapshot().clone(),
            entries: self.durable.log.entries().to_vec(),
        }
    }

    // ----- role transitions -----

    fn become_follower(&mut self, term: Term, leader: Option<NodeId>) {
        assert!(
            term >= self.durable.current_term,
            "become_follower with term {term} below {}",
            self.durable.current_term
        );
        if term > self.durable.current_term {
            self.durable.current_term = term;
            self.durable.voted_for = None;
        }
        self.reset();
        self.vol.role = Role::Follower;
        self.vol.leader_id = leader;
    }

    fn become_pre_candidate(&mut self) {
        assert!(
            self.vol.role != Role::Leader,
            "a leader cannot become a pre-candidate"
        );
        // Thesis §9.6: the term and vote stay as they are until the pre-vote is won.
        self.reset();
        self.vol.role = Role::PreCandidate;
        self.vol.leader_id = None;
        let term = self.durable.current_term + 1;
        let kind = MessageKind::PreVote {
            last_log_index: self.durable.log.last_index(),
            last_log_term: self.durable.log.last_term(),
        };
        for peer in self.other_voters() {
            self.send_with_term(peer, term, kind.clone());
        }
        self.poll(self.id, true);
    }

    fn become_candidate(&mut self, transfer: bool) {
        assert!(
            self.vol.role != Role::Leader,
            "a leader cannot become a candidate"
        );
        self.reset();
        self.durable.current_term += 1;
        self.durable.voted_for = Some(self.id);
        self.vol.role = Role::Candidate;
        self.vol.leader_id = None;
        let kind = MessageKind::RequestVote {
            last_log_index: self.durable.log.last_index(),
            last_log_term: self.durable.log.last_term(),
            transfer,
        };
        for peer in self.other_voters() {
            self.send(peer, kind.clone());
        }
        self.poll(self.id, true);
    }

    fn become_leader(&mut self) {
        assert!(
            self.vol.role == Role::Candidate,
            "only a candidate becomes leader"
        );
        self.reset();
        self.vol.role = Role::Leader;
        self.vol.leader_id = Some(self.id);
        let next = self.durable.log.last_index() + 1;
        for &v in &self.vol.voters {
            self.vol.progress.insert(v, Progress::new(next));
            if v != self.id {
                self.vol.flows.insert(v, Flow::default());
            }
        }
        let id = self.id;
        let pr = self
            .vol
            .progress
            .get_or_insert_with(id, || Progress::new(next));
        pr.match_index = next - 1;
        pr.recent_active = true;
        // §5.4.2, §8: a no-op of the new term lets the leader commit (and learn the
        // commit index of) everything before it.
        self.append_entry(EntryData::Noop);
    }

    /// Clears the per-role state and re-draws the election timeout.
    fn reset(&mut self) {
        self.vol.election_elapsed = 0;
        self.vol.heartbeat_elapsed = 0;
        self.vol.election_timeout = self
            .rng
            .u32(self.config.election_timeout_ticks_min..self.config.election_timeout_ticks_max);
        self.vol.votes.clear();
        self.vol.progress.clear();
        self.vol.flows.clear();
        self.vol.commit_told.clear();
        self.vol.lead_transferee = None;
        self.vol.transfer_elapsed = 0;
        self.vol.pending_reads.clear();
        self.vol.postponed_reads.clear();
    }

    /// Records a vote and acts on the outcome.
    fn poll(&mut self, from: NodeId, granted: bool) {
        if !self.vol.voters.contains(&from) {
            return;
        }
        self.vol.votes.get_or_insert_with(from, || granted);
        match self.vote_result() {
            VoteResult::Won if self.vol.role == Role::PreCandidate => self.become_candidate(false),
            VoteResult::Won => self.become_leader(),
            VoteResult::Lost => {
                let term = self.durable.current_term;
                self.become_follower(term, None);
            }
            VoteResult::Pending => {}
        }
    }

    fn vote_result(&self) -> VoteResult {
        let quorum = self.quorum();
        let granted = self.vol.votes.values().filter(|&&g| g).count();
        let rejected = self.vol.votes.len() - granted;
        if granted >= quorum {
            VoteResult::Won
        } else if rejected >= quorum {
            VoteResult::Lost
        } else {
            VoteResult::Pending
        }
    }

    // ----- helpers -----

    /// A majority of the current voters.
    fn quorum(&self) -> usize {
        self.vol.voters.len() / 2 + 1
    }

    /// Only a voter may campaign.
    fn promotable(&self) -> bool {
        self.vol.voters.contains(&self.id)
    }

    /// CheckQuorum: did a quorum of voters (this one included) talk to us lately?
    fn quorum_active(&self) -> bool {
        let active = self
            .vol
            .voters
            .iter()
            .filter(|&&v| {
                v == self.id || self.vol.progress.get(&v).is_some_and(|p| p.recent_active)
            })
            .count();
        active >= self.quorum()
    }

    fn other_voters(&self) -> Vec<NodeId> {
        ids_except(self.vol.voters.iter(), self.id)
    }

    /// Leader: every peer it replicates to.
    fn peers(&self) -> Vec<NodeId> {
        ids_except(self.vol.progress.keys(), self.id)
    }

    /// Recomputes the voters from the log after it changed (thesis §4.1: the latest
    /// configuration in the log is in effect, committed or not), and on a leader adds or
    /// drops progress to match.
    fn refresh_voters(&mut self) {
        let last = self.durable.log.last_index();
        self.vol.voters = self.durable.log.voters_at(last, &self.config.voters);
        if self.vol.role != Role::Leader {
            return;
        }
        let id = self.id;
        let voters = &self.vol.voters;
        self.vol
            .progress
            .retain(|p, _| *p == id || voters.contains(p));
        self.vol.flows.retain(|p, _| voters.contains(p));
        for &v in voters {
            // Thesis §4.2.1: a new server's progress starts at the leader's end of log and
            // backs off from there. It counts as recently active, so that a CheckQuorum
            // round right after the change does not depose the leader before the new
            // server had a chance to answer (as etcd does).
            self.vol.progress.get_or_insert_with(v, || Progress {
                recent_active: true,
                ..Progress::new(last + 1)
            });
            if v != id {
                self.vol.flows.get_or_insert_with(v, Flow::default);
            }
        }
        if let Some(t) = self.vol.lead_transferee {
            if !voters.contains(&t) {
                self.vol.lead_transferee = None;
            }
        }
    }

    fn send(&mut self, to: NodeId, kind: MessageKind) {
        let term = self.durable.current_term;
        self.send_with_term(to, term, kind);
    }

    fn send_with_term(&mut self, to: NodeId, term: Term, kind: MessageKind) {
        assert!(to != self.id, "a node does not message itself");
        self.vol.msgs.push(Message {
            from: self.id,
            to,
            term,
            kind,
        });
    }

    // ----- accessors -----

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }
    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
    /// Current role.
    pub fn role(&self) -> Role {
        self.vol.role
    }
    /// Current term.
    pub fn term(&self) -> Term {
        self.durable.current_term
    }
    /// Vote cast in the current term.
    pub fn voted_for(&self) -> Option<NodeId> {
        self.durable.voted_for
    }
    /// The leader this node believes in for the current term.
    pub fn leader_id(&self) -> Option<NodeId> {
        self.vol.leader_id
    }
    /// Highest index known committed.
    pub fn commit_index(&self) -> Index {
        self.vol.commit_index
    }
    /// Highest index handed out by `take_committed` (or covered by a restored snapshot).
    pub fn applied_index(&self) -> Index {
        self.vol.applied_index
    }
    /// First index still in the log (snapshot's last index + 1).
    pub fn first_index(&self) -> Index {
        self.durable.log.first_index()
    }
    /// Index of the last entry (or of the snapshot if the log is empty).
    pub fn last_index(&self) -> Index {
        self.durable.log.last_index()
    }
    /// Term of the entry at `index`, if known (in the log or the snapshot's last entry).
    pub fn term_at(&self, index: Index) -> Option<Term> {
        self.durable.log.term_at(index)
    }
    /// The entries after the snapshot.
    pub fn entries(&self) -> &[Entry] {
        self.durable.log.entries()
    }
    /// The current snapshot (`last_index == 0` if none).
    pub fn snapshot(&self) -> &Snapshot {
        self.durable.log.snapshot()
    }
    /// The current voters (as of the latest appended configuration), sorted.
    pub fn voters(&self) -> &[NodeId] {
        &self.vol.voters
    }
    /// The leader's view of `peer`; `None` unless leader, or for unknown peers.
    pub fn progress(&self, peer: NodeId) -> Option<&Progress> {
        self.vol.progress.get(&peer)
    }
    /// Ticks since the election timer was last reset.
    pub fn election_elapsed(&self) -> u32 {
        self.vol.election_elapsed
    }
    /// The current randomized election timeout, in ticks.
    pub fn election_timeout(&self) -> u32 {
        self.vol.election_timeout
    }
    /// The node a leadership transfer is under way to, if any.
    pub fn lead_transferee(&self) -> Option<NodeId> {
        self.vol.lead_transferee
    }
}

/// The ids other than `me`, in order. A plain loop: a `filter().collect()` is several times
/// larger in the wasm, and this runs for every broadcast.
fn ids_except<'a>(ids: impl Iterator<Item = &'a NodeId>, me: NodeId) -> Vec<NodeId> {
    let mut out = Vec::new();
    for &id in ids {
        if id != me {
            out.push(id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn config(voters: &[NodeId]) -> Config {
        Config::new(voters.to_vec())
    }

    fn cluster(n: u64, cfg: impl Fn(&mut Config)) -> Vec<RaftNode> {
        let voters: Vec<NodeId> = (1..=n).collect();
        (1..=n)
            .map(|id| {
                let mut c = config(&voters);
                cfg(&mut c);
                RaftNode::new(id, c, PersistentState::default(), id).unwrap()
            })
            .collect()
    }

    /// Delivers messages until none are left; returns how many were delivered.
    fn deliver(nodes: &mut [RaftNode]) -> usize {
        let mut count = 0;
        loop {
            let msgs: Vec<Message> = nodes.iter_mut().flat_map(|n| n.take_messages()).collect();
            if msgs.is_empty() {
                return count;
            }
            for m in msgs {
                count += 1;
                let to = m.to as usize - 1;
                nodes[to].step(m).unwrap();
            }
        }
    }

    #[test]
    fn new_rejects_bad_config_and_accepts_joining_node() {
        assert!(RaftNode::new(1, config(&[]), PersistentState::default(), 0).is_err());
        assert!(RaftNode::new(0, config(&[1]), PersistentState::default(), 0).is_err());
        let joining = RaftNode::new(4, config(&[1, 2, 3]), PersistentState::default(), 0);
        let mut joining = joining.unwrap();
        for _ in 0..100 {
            joining.tick();
        }
        assert_eq!(joining.role(), Role::Follower);
        assert!(joining.take_messages().is_empty());
    }

    #[test]
    fn election_timeout_is_drawn_in_range_and_replays_from_seed() {
        let a = RaftNode::new(1, config(&[1, 2, 3]), PersistentState::default(), 7).unwrap();
        let b = RaftNode::new(1, config(&[1, 2, 3]), PersistentState::default(), 7).unwrap();
        assert_eq!(a.election_timeout(), b.election_timeout());
        assert!((10..20).contains(&a.election_timeout()));
    }

    #[test]
    fn single_node_elects_itself_and_commits() {
        let mut n = RaftNode::new(1, config(&[1]), PersistentState::default(), 1).unwrap();
        n.campaign();
        assert_eq!(n.role(), Role::Leader);
        assert_eq!(n.term(), 1);
        let i = n.propose(b"x".to_vec()).unwrap();
        assert_eq!(i, 2);
        assert_eq!(n.commit_index(), 2);
        let applied = n.take_committed();
        assert_eq!(applied.len(), 2);
        assert_eq!(applied[0].data, EntryData::Noop);
        n.read_index(9).unwrap();
        assert_eq!(n.take_read_states(), vec![ReadState { ctx: 9, index: 2 }]);
    }

    #[test]
    fn three_nodes_elect_and_replicate() {
        let mut nodes = cluster(3, |_| {});
        nodes[0].campaign();
        assert_eq!(nodes[0].role(), Role::PreCandidate);
        deliver(&mut nodes);
        assert_eq!(nodes[0].role(), Role::Leader);
        assert_eq!(nodes[0].term(), 1);
        nodes[0].propose(b"a".to_vec()).unwrap();
        deliver(&mut nodes);
        for n in &nodes {
            assert_eq!(n.commit_index(), 2, "node {}", n.id());
            assert_eq!(n.last_index(), 2);
            assert_eq!(n.leader_id(), Some(1));
        }
        let err = nodes[1].propose(b"b".to_vec()).unwrap_err();
        assert_eq!(
            err,
            Error::NotLeader {
                node: 2,
                leader: Some(1)
            }
        );
    }

    #[test]
    fn ticks_elect_a_leader() {
        let mut nodes = cluster(3, |_| {});
        for _ in 0..100 {
            for n in nodes.iter_mut() {
                n.tick();
            }
            deliver(&mut nodes);
        }
        let leaders = nodes.iter().filter(|n| n.role() == Role::Leader).count();
        assert_eq!(leaders, 1);
    }

    #[test]
    fn garbage_is_rejected_without_panic() {
        let mut n = RaftNode::new(1, config(&[1, 2, 3]), PersistentState::default(), 1).unwrap();
        let ae = |from, to, prev, entries: Vec<Entry>| Message {
            from,
            to,
            term: 1,
            kind: MessageKind::AppendEntries {
                prev_log_index: prev,
                prev_log_term: 0,
                entries,
                leader_commit: u64::MAX,
                read_round: 0,
            },
        };
        let e = |index| Entry {
            term: 1,
            index,
            data: EntryData::Noop,
        };
        assert!(matches!(
            n.step(ae(2, 5, 0, vec![])),
            Err(Error::WrongRecipient { .. })
        ));
        assert!(matches!(n.step(ae(9, 1, 0, vec![])).map(|_| ()), Ok(())));
        // Node 9 leads term 1 for node 1 now; a stranger's TimeoutNow in that term is not
        // its leader's.
        assert!(matches!(
            n.step(Message {
                from: 8,
                to: 1,
                term: 1,
                kind: MessageKind::TimeoutNow
            }),
            Err(Error::UnknownPeer(8))
        ));
        assert!(matches!(
            n.step(ae(2, 1, 0, vec![e(2)])),
            Err(Error::Malformed(_))
        ));
        assert!(matches!(
            n.step(ae(2, 1, u64::MAX, vec![e(0)])),
            Err(Error::Malformed(_))
        ));
        // Far beyond the log: rejected with a hint, no panic.
        n.step(ae(2, 1, 1_000_000, vec![])).unwrap();
        let snap = Message {
            from: 2,
            to: 1,
            term: 1,
            kind: MessageKind::InstallSnapshot {
                snapshot: Snapshot::default(),
            },
        };
        assert!(matches!(n.step(snap), Err(Error::Malformed(_))));
        assert_eq!(n.commit_index(), 0);
    }

    #[test]
    fn restart_keeps_vote_unless_fault() {
        let state = PersistentState {
            current_term: 3,
            voted_for: Some(2),
            ..Default::default()
        };
        let n = RaftNode::new(1, config(&[1, 2, 3]), state.clone(), 1).unwrap();
        assert_eq!(n.voted_for(), Some(2));
        let mut c = config(&[1, 2, 3]);
        c.faults.forget_vote_on_restart = true;
        let n = RaftNode::new(1, c, state, 1).unwrap();
        assert_eq!(n.voted_for(), None);
        assert_eq!(n.term(), 3);
    }

    /// Like `deliver`, but messages to or from `down` vanish.
    fn deliver_without(nodes: &mut [RaftNode], down: &[NodeId]) {
        loop {
            let msgs: Vec<Message> = nodes.iter_mut().flat_map(|n| n.take_messages()).collect();
            if msgs.is_empty() {
                return;
            }
            for m in msgs {
                if down.contains(&m.to) || down.contains(&m.from) {
                    continue;
                }
                let to = m.to as usize - 1;
                nodes[to].step(m).unwrap();
            }
        }
    }

    fn elected(n: u64) -> Vec<RaftNode> {
        let mut nodes = cluster(n, |_| {});
        nodes[0].campaign();
        deliver(&mut nodes);
        assert_eq!(nodes[0].role(), Role::Leader);
        nodes
    }

    #[test]
    fn leader_transfer_hands_over_after_catching_up() {
        let mut nodes = elected(3);
        // Node 3 misses an entry, so the leader must catch it up first.
        nodes[0].propose(b"a".to_vec()).unwrap();
        deliver_without(&mut nodes, &[3]);
        nodes[0].transfer_leadership(3).unwrap();
        assert_eq!(nodes[0].lead_transferee(), Some(3));
        assert_eq!(
            nodes[0].propose(b"b".to_vec()),
            Err(Error::TransferInProgress(3))
        );
        deliver(&mut nodes);
        assert_eq!(nodes[2].role(), Role::Leader);
        assert_eq!(nodes[2].term(), 2);
        assert_eq!(nodes[0].role(), Role::Follower);
        assert_eq!(nodes[0].lead_transferee(), None);
    }

    #[test]
    fn leader_transfer_aborts_after_an_election_timeout() {
        let mut nodes = elected(3);
        nodes[0].transfer_leadership(3).unwrap();
        nodes[0].take_messages();
        for _ in 0..nodes[0].config().election_timeout_ticks_min {
            nodes[0].tick();
            let msgs = nodes[0].take_messages();
            for m in msgs.into_iter().filter(|m| m.to == 2) {
                nodes[1].step(m).unwrap();
            }
            for m in nodes[1].take_messages() {
                nodes[0].step(m).unwrap();
            }
        }
        assert_eq!(nodes[0].role(), Role::Leader);
        assert_eq!(nodes[0].lead_transferee(), None);
        assert!(nodes[0].propose(b"c".to_vec()).is_ok());
    }

    #[test]
    fn read_index_waits_for_a_quorum_round() {
        let mut nodes = elected(3);
        nodes[0].read_index(42).unwrap();
        assert!(nodes[0].take_read_states().is_empty());
        let commit = nodes[0].commit_index();
        deliver_without(&mut nodes, &[3]);
        assert_eq!(
            nodes[0].take_read_states(),
            vec![ReadState {
                ctx: 42,
                index: commit
            }]
        );
        assert!(matches!(
            nodes[1].read_index(1),
            Err(Error::NotLeader { .. })
        ));
        // Isolated from both followers, the leader cannot confirm a read.
        nodes[0].read_index(43).unwrap();
        deliver_without(&mut nodes, &[2, 3]);
        assert!(nodes[0].take_read_states().is_empty());
    }

    #[test]
    fn check_quorum_leader_steps_down_when_cut_off() {
        let mut nodes = elected(3);
        let min = nodes[0].config().election_timeout_ticks_min;
        // The followers answered during the election, so the first check passes; the
        // second, with no word from anyone since, fails.
        for _ in 0..2 * min - 1 {
            nodes[0].tick();
            nodes[0].take_messages();
        }
        assert_eq!(nodes[0].role(), Role::Leader);
        nodes[0].tick();
        assert_eq!(nodes[0].role(), Role::Follower);
        assert_eq!(nodes[0].term(), 1);
    }

    #[test]
    fn slow_follower_catches_up_by_snapshot() {
        let mut nodes = elected(3);
        for i in 0..5u8 {
            nodes[0].propose(vec![i]).unwrap();
            deliver_without(&mut nodes, &[3]);
        }
        let applied = nodes[0].take_committed().len() as Index;
        nodes[0].compact(applied, b"image".to_vec()).unwrap();
        assert_eq!(nodes[0].first_index(), applied + 1);
        assert!(nodes[0].compact(applied, vec![]).is_err());
        nodes[0].propose(b"after".to_vec()).unwrap();
        // The append to node 3 was lost; the next heartbeat retries it.
        for _ in 0..nodes[0].config().heartbeat_interval_ticks {
            nodes[0].tick();
        }
        deliver(&mut nodes);
        let snap = nodes[2].take_snapshot().expect("node 3 got the snapshot");
        assert_eq!(snap.last_index, applied);
        assert_eq!(snap.data, b"image".to_vec());
        assert_eq!(snap.voters, vec![1, 2, 3]);
        assert_eq!(nodes[2].commit_index(), nodes[0].commit_index());
        assert_eq!(nodes[2].last_index(), nodes[0].last_index());
        let rest = nodes[2].take_committed();
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].data, EntryData::Command(b"after".to_vec()));
    }

    #[test]
    fn membership_add_then_remove_the_leader() {
        let mut nodes = elected(3);
        nodes.push(RaftNode::new(4, config(&[1, 2, 3]), PersistentState::default(), 4).unwrap());
        for i in 0..3u8 {
            nodes[0].propose(vec![i]).unwrap();
        }
        deliver(&mut nodes);
        let idx = nodes[0]
            .propose_conf_change(ConfChange::AddNode(4))
            .unwrap();
        assert_eq!(nodes[0].voters(), &[1, 2, 3, 4]);
        assert_eq!(nodes[0].progress(4).unwrap().next_index, idx + 1);
        assert_eq!(
            nodes[0].propose_conf_change(ConfChange::RemoveNode(2)),
            Err(Error::ChangePending(idx))
        );
        deliver(&mut nodes);
        assert_eq!(nodes[3].voters(), &[1, 2, 3, 4]);
        assert_eq!(nodes[3].commit_index(), idx);
        assert_eq!(
            nodes[0].propose_conf_change(ConfChange::AddNode(4)),
            Err(Error::NoOpChange(String::from("node 4 is already a voter")))
        );
        nodes[0]
            .propose_conf_change(ConfChange::RemoveNode(1))
            .unwrap();
        deliver(&mut nodes);
        assert_eq!(nodes[0].role(), Role::Follower);
        for n in &nodes[1..] {
            assert_eq!(n.voters(), &[2, 3, 4]);
        }
        // The removed node never campaigns; the rest elect a leader among themselves.
        nodes[0].campaign();
        assert_eq!(nodes[0].role(), Role::Follower);
        for _ in 0..100 {
            for n in nodes.iter_mut() {
                n.tick();
            }
            deliver_without(&mut nodes, &[1]);
        }
        let leaders: Vec<NodeId> = nodes
            .iter()
            .filter(|n| n.role() == Role::Leader)
            .map(|n| n.id())
            .collect();
        assert_eq!(leaders.len(), 1);
        assert_ne!(leaders[0], 1);
    }

    #[test]
    fn decrement_by_one_and_fast_backtracking_both_converge() {
        for fast in [false, true] {
            let voters = [1, 2, 3];
            let mut c = config(&voters);
            c.fast_backtrack = fast;
            let leader_state = PersistentState {
                current_term: 3,
                voted_for: None,
                snapshot: Snapshot::default(),
                entries: (1..=6)
                    .map(|i| Entry {
                        term: if i <= 2 { 1 } else { 3 },
                        index: i,
                        data: EntryData::Noop,
                    })
                    .collect(),
            };
            let follower_state = PersistentState {
                current_term: 2,
                voted_for: None,
                snapshot: Snapshot::default(),
                entries: (1..=8)
                    .map(|i| Entry {
                        term: if i <= 2 { 1 } else { 2 },
                        index: i,
                        data: EntryData::Noop,
                    })
                    .collect(),
            };
            let mut nodes = [
                RaftNode::new(1, c.clone(), leader_state.clone(), 1).unwrap(),
                RaftNode::new(2, c.clone(), leader_state, 2).unwrap(),
                RaftNode::new(3, c, follower_state, 3).unwrap(),
            ];
            nodes[0].campaign();
            let mut rejections = 0;
            loop {
                let msgs: Vec<Message> = nodes.iter_mut().flat_map(|n| n.take_messages()).collect();
                if msgs.is_empty() {
                    break;
                }
                for m in msgs {
                    if matches!(
                        m.kind,
                        MessageKind::AppendEntriesResponse { success: false, .. }
                    ) {
                        rejections += 1;
                    }
                    let to = m.to as usize - 1;
                    nodes[to].step(m).unwrap();
                }
            }
            assert_eq!(nodes[2].entries(), nodes[0].entries(), "fast={fast}");
            if fast {
                assert_eq!(rejections, 1);
            } else {
                // Probes at 6, 5, 4 and 3 fail; 2 matches.
                assert_eq!(rejections, 4);
            }
        }
    }

    #[test]
    fn replication_pipelines_and_recovers_lost_appends_from_a_heartbeat_answer() {
        let mut nodes = cluster(2, |c| c.max_entries_per_append = 1);
        nodes[0].campaign();
        deliver(&mut nodes);
        assert_eq!(nodes[0].role(), Role::Leader);
        // Replicating: each proposal goes out at once, without waiting for acks.
        for i in 0..3u8 {
            nodes[0].propose(vec![i]).unwrap();
        }
        let out = nodes[0].take_messages();
        assert_eq!(out.len(), 3);
        assert!(out.iter().all(|m| m.entries().len() == 1));
        assert_eq!(nodes[0].progress(2).unwrap().next_index, 5);
        assert_eq!(nodes[0].progress(2).unwrap().match_index, 1);
        // All three are lost. The answer to the next heartbeat shows the follower lacks
        // them, and the leader resends from its match index.
        for _ in 0..nodes[0].config().heartbeat_interval_ticks {
            nodes[0].tick();
        }
        deliver(&mut nodes);
        assert_eq!(nodes[1].last_index(), 4);
        assert_eq!(nodes[0].commit_index(), 4);
        assert_eq!(nodes[1].commit_index(), 4);
        assert_eq!(nodes[0].progress(2).unwrap().match_index, 4);
    }

    #[test]
    fn probing_sends_one_append_at_a_time() {
        let mut nodes = cluster(2, |c| c.max_entries_per_append = 1);
        nodes[0].campaign();
        // Run the election, but hold back the new leader's no-op probe.
        let mut probe = Vec::new();
        while nodes[0].role() != Role::Leader {
            for m in nodes[0].take_messages() {
                if matches!(m.kind, MessageKind::AppendEntries { .. }) {
                    probe.push(m);
                } else {
                    nodes[1].step(m).unwrap();
                }
            }
            for m in nodes[1].take_messages() {
                nodes[0].step(m).unwrap();
            }
        }
        probe.extend(nodes[0].take_messages());
        assert_eq!(probe.len(), 1, "the no-op probe");
        nodes[0].propose(b"x".to_vec()).unwrap();
        assert!(
            nodes[0].take_messages().is_empty(),
            "a probe in flight pauses the follower"
        );
        for m in probe {
            nodes[1].step(m).unwrap();
        }
        deliver(&mut nodes);
        assert_eq!(nodes[1].last_index(), 2);
        assert_eq!(nodes[1].commit_index(), 2);
    }

    /// A random message with small random fields, possibly nonsense.
    fn garbage(rng: &mut fastrand::Rng, to: NodeId) -> Message {
        let mut small = || rng.u64(0..12);
        let (a, b, c, d) = (small(), small(), small(), small());
        let entries = (0..c % 4)
            .map(|k| Entry {
                term: b + k / 2,
                index: if d == 0 { k } else { a + 1 + k },
                data: EntryData::Noop,
            })
            .collect();
        let kind = match rng.u8(0..9) {
            0 => MessageKind::PreVote {
                last_log_index: a,
                last_log_term: b,
            },
            1 => MessageKind::PreVoteResponse {
                granted: c % 2 == 0,
            },
            2 => MessageKind::RequestVote {
                last_log_index: a,
                last_log_term: b,
                transfer: d == 1,
            },
            3 => MessageKind::RequestVoteResponse {
                granted: c % 2 == 0,
            },
            4 => MessageKind::AppendEntries {
                prev_log_index: a,
                prev_log_term: b,
                entries,
                leader_commit: c,
                read_round: d,
            },
            5 => MessageKind::AppendEntriesResponse {
                success: c % 2 == 0,
                match_index: a,
                conflict_index: b,
                conflict_term: (d > 5).then_some(d),
                read_round: d,
            },
            6 => MessageKind::InstallSnapshot {
                snapshot: Snapshot {
                    last_index: a,
                    last_term: b,
                    voters: vec![1, 2, 3],
                    data: vec![],
                },
            },
            7 => MessageKind::InstallSnapshotResponse { last_index: a },
            _ => MessageKind::TimeoutNow,
        };
        let from = rng.u64(0..6);
        let term = rng.u64(0..8);
        let to = if rng.u8(0..20) == 0 { to + 1 } else { to };
        Message {
            from,
            to,
            term,
            kind,
        }
    }

    /// Runs a 3-node cluster with random delivery, loss, client traffic, compaction and
    /// (optionally) injected garbage. Checks that nothing panics and, without garbage,
    /// that committed entries agree and no term has two leaders.
    fn random_run(seed: u64, with_garbage: bool) {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut nodes = cluster(3, |c| c.heartbeat_interval_ticks = 2);
        let mut inflight: Vec<Message> = Vec::new();
        let mut applied: BTreeMap<Index, Entry> = BTreeMap::new();
        let mut leaders: BTreeMap<Term, NodeId> = BTreeMap::new();
        for step in 0..3000u32 {
            let i = rng.usize(0..3);
            match rng.u8(0..10) {
                0..=2 => nodes[i].tick(),
                3 => {
                    let _ = nodes[i].propose(step.to_le_bytes().to_vec());
                }
                4 if with_garbage => {
                    let m = garbage(&mut rng, i as NodeId + 1);
                    let _ = nodes[i].step(m);
                }
                5 => {
                    let _ = nodes[i].read_index(u64::from(step));
                    let _ = nodes[i].transfer_leadership(rng.u64(1..4));
                }
                6 => {
                    let a = nodes[i].applied_index();
                    if a > nodes[i].first_index() + 3 {
                        nodes[i].compact(a - 2, vec![]).unwrap();
                    }
                }
                _ => {
                    if !inflight.is_empty() {
                        let k = rng.usize(0..inflight.len());
                        let m = inflight.swap_remove(k);
                        if rng.u8(0..10) > 0 && m.to <= 3 {
                            let to = m.to as usize - 1;
                            let _ = nodes[to].step(m);
                        }
                    }
                }
            }
            for n in nodes.iter_mut() {
                inflight.extend(n.take_messages());
                n.take_snapshot();
                for e in n.take_committed() {
                    let first = applied.entry(e.index).or_insert_with(|| e.clone());
                    if !with_garbage {
                        assert_eq!(
                            *first,
                            e,
                            "seed {seed}: node {} applied a different entry",
                            n.id()
                        );
                    }
                }
                if n.role() == Role::Leader {
                    let prev = leaders.insert(n.term(), n.id());
                    if !with_garbage {
                        assert!(
                            prev.is_none() || prev == Some(n.id()),
                            "seed {seed}: two leaders in term {}",
                            n.term()
                        );
                    }
                }
            }
        }
        if !with_garbage {
            assert!(
                !leaders.is_empty(),
                "seed {seed}: no leader was ever elected"
            );
            eprintln!(
                "seed {seed}: {} leaders, {} entries applied",
                leaders.len(),
                applied.len()
            );
            assert!(
                applied.len() > 20,
                "seed {seed}: only {} entries applied",
                applied.len()
            );
        }
    }

    #[test]
    fn random_runs_are_safe() {
        for seed in 0..20 {
            random_run(seed, false);
        }
    }

    #[test]
    fn garbage_never_panics() {
        for seed in 100..120 {
            random_run(seed, true);
        }
    }
}
