//! Test harness for the conformance suite: builders for configs, logs and messages, a few
//! single-node drivers, and a `Network` with etcd's test-network semantics (deliver until
//! quiet, cut a link, isolate a node, drop a fraction of a link's messages, ignore a
//! message type).
//!
//! Every scenario file includes this module with `mod harness;`, and not every file uses
//! every helper.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use raft_core::{
    Config, Entry, EntryData, Error, Index, Message, MessageKind, NodeId, PersistentState,
    RaftNode, Role, Snapshot, Term,
};

/// Election timeout bounds used by the suite: random in [10, 20) ticks.
pub const ELECTION_MIN: u32 = 10;
/// Exclusive upper bound of the election timeout.
pub const ELECTION_MAX: u32 = 20;
/// A leader heartbeats every tick.
pub const HEARTBEAT: u32 = 1;
/// The most delivery rounds `Network::deliver` runs before declaring a livelock.
pub const MAX_ROUNDS: usize = 10_000;

/// A config with small timeouts, PreVote and CheckQuorum off (set them per test).
pub fn config(voters: &[NodeId]) -> Config {
    let mut c = Config::new(voters.to_vec());
    c.election_timeout_ticks_min = ELECTION_MIN;
    c.election_timeout_ticks_max = ELECTION_MAX;
    c.heartbeat_interval_ticks = HEARTBEAT;
    c.pre_vote = false;
    c.check_quorum = false;
    c.fast_backtrack = true;
    c
}

/// `config` with PreVote and CheckQuorum chosen explicitly.
pub fn config_with(voters: &[NodeId], pre_vote: bool, check_quorum: bool) -> Config {
    let mut c = config(voters);
    c.pre_vote = pre_vote;
    c.check_quorum = check_quorum;
    c
}

/// Ids 1..=n.
pub fn ids(n: u64) -> Vec<NodeId> {
    (1..=n).collect()
}

/// One command entry. The payload is derived from (term, index), so two logs built by
/// this helper agree on every entry whose term and index agree.
pub fn entry(term: Term, index: Index) -> Entry {
    Entry {
        term,
        index,
        data: EntryData::Command(format!("t{term}i{index}").into_bytes()),
    }
}

/// A log whose entry at index `i + 1` has term `terms[i]`.
pub fn log(terms: &[Term]) -> Vec<Entry> {
    log_from(1, terms)
}

/// Entries starting at `first`, with the given terms.
pub fn log_from(first: Index, terms: &[Term]) -> Vec<Entry> {
    terms
        .iter()
        .enumerate()
        .map(|(i, &t)| entry(t, first + i as Index))
        .collect()
}

/// The terms of a node's entries after its snapshot, in order.
pub fn terms_of(node: &RaftNode) -> Vec<Term> {
    node.entries().iter().map(|e| e.term).collect()
}

/// Persistent state with the given term, vote and log.
pub fn state(term: Term, voted_for: Option<NodeId>, log_terms: &[Term]) -> PersistentState {
    PersistentState {
        current_term: term,
        voted_for,
        snapshot: Snapshot::default(),
        entries: log(log_terms),
    }
}

/// A fresh node with the suite's config (PreVote and CheckQuorum off).
pub fn fresh(id: NodeId, voters: &[NodeId]) -> RaftNode {
    node(id, config(voters), PersistentState::default())
}

/// A node from a config and persisted state; the seed is derived from the id.
pub fn node(id: NodeId, cfg: Config, st: PersistentState) -> RaftNode {
    RaftNode::new(id, cfg, st, 0x5eed_0000 + id).expect("valid node")
}

/// A node with the given term and log terms, PreVote and CheckQuorum off.
pub fn node_with_log(id: NodeId, voters: &[NodeId], term: Term, log_terms: &[Term]) -> RaftNode {
    node(id, config(voters), state(term, None, log_terms))
}

/// A message.
pub fn msg(from: NodeId, to: NodeId, term: Term, kind: MessageKind) -> Message {
    Message {
        from,
        to,
        term,
        kind,
    }
}

/// An AppendEntries.
pub fn append(
    from: NodeId,
    to: NodeId,
    term: Term,
    prev_log_index: Index,
    prev_log_term: Term,
    entries: Vec<Entry>,
    leader_commit: Index,
) -> Message {
    msg(
        from,
        to,
        term,
        MessageKind::AppendEntries {
            prev_log_index,
            prev_log_term,
            entries,
            leader_commit,
            read_round: 0,
        },
    )
}

/// A heartbeat: an AppendEntries with no entries.
pub fn heartbeat(
    from: NodeId,
    to: NodeId,
    term: Term,
    prev_log_index: Index,
    prev_log_term: Term,
    leader_commit: Index,
) -> Message {
    append(
        from,
        to,
        term,
        prev_log_index,
        prev_log_term,
        Vec::new(),
        leader_commit,
    )
}

/// A RequestVote (not a transfer).
pub fn vote_req(
    from: NodeId,
    to: NodeId,
    term: Term,
    last_index: Index,
    last_term: Term,
) -> Message {
    msg(
        from,
        to,
        term,
        MessageKind::RequestVote {
            last_log_index: last_index,
            last_log_term: last_term,
            transfer: false,
        },
    )
}

/// A PreVote request.
pub fn pre_vote_req(
    from: NodeId,
    to: NodeId,
    term: Term,
    last_index: Index,
    last_term: Term,
) -> Message {
    msg(
        from,
        to,
        term,
        MessageKind::PreVote {
            last_log_index: last_index,
            last_log_term: last_term,
        },
    )
}

/// A RequestVoteResponse.
pub fn vote_resp(from: NodeId, to: NodeId, term: Term, granted: bool) -> Message {
    msg(from, to, term, MessageKind::RequestVoteResponse { granted })
}

/// A successful AppendEntriesResponse.
pub fn append_ok(from: NodeId, to: NodeId, term: Term, match_index: Index) -> Message {
    msg(
        from,
        to,
        term,
        MessageKind::AppendEntriesResponse {
            success: true,
            match_index,
            conflict_index: 0,
            conflict_term: None,
            read_round: 0,
        },
    )
}

/// The reply a follower that accepts `m` (an AppendEntries) would send.
pub fn accept(m: &Message) -> Message {
    match &m.kind {
        MessageKind::AppendEntries {
            prev_log_index,
            entries,
            read_round,
            ..
        } => msg(
            m.to,
            m.from,
            m.term,
            MessageKind::AppendEntriesResponse {
                success: true,
                match_index: prev_log_index + entries.len() as Index,
                conflict_index: 0,
                conflict_term: None,
                read_round: *read_round,
            },
        ),
        other => panic!("accept() wants an AppendEntries, got {}", other.name()),
    }
}

/// The name of a message's kind.
pub fn kind(m: &Message) -> &'static str {
    m.kind.name()
}

/// Messages of one kind.
pub fn of_kind<'a>(msgs: &'a [Message], name: &str) -> Vec<&'a Message> {
    msgs.iter().filter(|m| m.kind.name() == name).collect()
}

/// Sorted recipients of the messages.
pub fn recipients(msgs: &[Message]) -> Vec<NodeId> {
    let mut v: Vec<NodeId> = msgs.iter().map(|m| m.to).collect();
    v.sort_unstable();
    v
}

/// Turns a node into the leader of the next term by campaigning and granting every vote
/// request it sends (PreVote included), without any network. The appends it sends as the
/// new leader (its no-op) stay in its outbox.
pub fn make_leader(n: &mut RaftNode) {
    n.campaign();
    for _ in 0..4 {
        if n.role() == Role::Leader {
            break;
        }
        for m in n.take_messages() {
            let reply = match m.kind {
                MessageKind::PreVote { .. } => msg(
                    m.to,
                    m.from,
                    m.term,
                    MessageKind::PreVoteResponse { granted: true },
                ),
                MessageKind::RequestVote { .. } => vote_resp(m.to, m.from, m.term, true),
                _ => continue,
            };
            n.step(reply).expect("vote response accepted");
        }
    }
    assert_eq!(
        n.role(),
        Role::Leader,
        "node {} did not become leader",
        n.id()
    );
}

/// Has every follower acknowledge whatever the leader sent (its no-op included), so the
/// leader commits it; drains the leader's outbox and committed entries.
pub fn ack_all(n: &mut RaftNode) {
    for _ in 0..4 {
        let msgs = n.take_messages();
        if msgs.is_empty() {
            break;
        }
        for m in msgs {
            if matches!(m.kind, MessageKind::AppendEntries { .. }) {
                n.step(accept(&m)).expect("append response accepted");
            }
        }
    }
    n.take_messages();
    n.take_committed();
}

/// Ticks a lone node until it sends something, returning how many ticks that took.
pub fn ticks_until_message(n: &mut RaftNode, bound: u32) -> u32 {
    for t in 1..=bound {
        n.tick();
        if !n.take_messages().is_empty() {
            return t;
        }
    }
    panic!("node {} sent nothing in {bound} ticks", n.id());
}

/// A simulated network of `RaftNode`s with etcd's test semantics. Messages to ids that
/// have no node (a crashed or never-started peer) vanish.
pub struct Network {
    /// The running nodes, by id.
    pub nodes: BTreeMap<NodeId, RaftNode>,
    /// Directed links that drop messages with the given probability.
    drops: BTreeMap<(NodeId, NodeId), f64>,
    /// Message kinds (by name) that are dropped everywhere.
    ignored: BTreeSet<&'static str>,
    /// Decides probabilistic drops; seeded, so runs replay exactly.
    rng: fastrand::Rng,
    /// Every message delivered to a node, in order.
    pub trace: Vec<Message>,
    /// Every message dropped by a cut, a drop ratio, an ignore, or a missing recipient.
    pub dropped: Vec<Message>,
    /// Errors returned by `step`, with the message that caused them.
    pub errors: Vec<(Message, Error)>,
    /// Entries each node handed to its application, in order.
    pub applied: BTreeMap<NodeId, Vec<Entry>>,
    /// Snapshots each node handed to its application, in order.
    pub restored: BTreeMap<NodeId, Vec<Snapshot>>,
    /// Deliver every message twice.
    pub duplicate: bool,
    /// Shuffle each delivery round (with the seeded generator).
    pub reorder: bool,
    /// Whether refused messages are expected (see `allow_errors`).
    errors_allowed: bool,
}

impl Network {
    /// A network over the given nodes; the drop generator is seeded with `seed`.
    pub fn from_nodes(nodes: Vec<RaftNode>, seed: u64) -> Network {
        let mut net = Network {
            nodes: BTreeMap::new(),
            drops: BTreeMap::new(),
            ignored: BTreeSet::new(),
            rng: fastrand::Rng::with_seed(seed),
            trace: Vec::new(),
            dropped: Vec::new(),
            errors: Vec::new(),
            applied: BTreeMap::new(),
            restored: BTreeMap::new(),
            duplicate: false,
            reorder: false,
            errors_allowed: false,
        };
        for n in nodes {
            net.add(n);
        }
        net
    }

    /// A fresh cluster of nodes 1..=n with the given switches.
    pub fn cluster(n: u64, pre_vote: bool, check_quorum: bool) -> Network {
        let voters = ids(n);
        let nodes = voters
            .iter()
            .map(|&id| {
                node(
                    id,
                    config_with(&voters, pre_vote, check_quorum),
                    Default::default(),
                )
            })
            .collect();
        Network::from_nodes(nodes, 1)
    }

    /// Adds (or replaces) a node.
    pub fn add(&mut self, n: RaftNode) {
        let id = n.id();
        self.applied.entry(id).or_default();
        self.restored.entry(id).or_default();
        self.nodes.insert(id, n);
    }

    /// Crashes a node: it leaves the network and only its persistent state survives.
    pub fn crash(&mut self, id: NodeId) -> (Config, PersistentState) {
        let n = self.nodes.remove(&id).expect("node to crash exists");
        (n.config().clone(), n.persistent_state())
    }

    /// Crashes a node and starts it again from its persistent state.
    pub fn restart(&mut self, id: NodeId) {
        let (cfg, st) = self.crash(id);
        self.add(RaftNode::new(id, cfg, st, 0xbeef + id).expect("restart"));
    }

    /// The node with this id.
    pub fn node(&self, id: NodeId) -> &RaftNode {
        self.nodes.get(&id).expect("node exists")
    }

    /// The node with this id, mutably.
    pub fn node_mut(&mut self, id: NodeId) -> &mut RaftNode {
        self.nodes.get_mut(&id).expect("node exists")
    }

    /// Role of a node.
    pub fn role(&self, id: NodeId) -> Role {
        self.node(id).role()
    }

    /// Term of a node.
    pub fn term(&self, id: NodeId) -> Term {
        self.node(id).term()
    }

    /// The ids of the nodes that currently think they lead.
    pub fn leaders(&self) -> Vec<NodeId> {
        self.nodes
            .values()
            .filter(|n| n.role() == Role::Leader)
            .map(|n| n.id())
            .collect()
    }

    /// Drops every message between `a` and `b`, both ways.
    pub fn cut(&mut self, a: NodeId, b: NodeId) {
        self.drop(a, b, 1.0);
        self.drop(b, a, 1.0);
    }

    /// Cuts every link of `id` (to ids 1..=16, enough for any scenario).
    pub fn isolate(&mut self, id: NodeId) {
        for other in 1..=16 {
            if other != id {
                self.cut(id, other);
            }
        }
    }

    /// Drops messages from `from` to `to` with probability `ratio`.
    pub fn drop(&mut self, from: NodeId, to: NodeId, ratio: f64) {
        self.drops.insert((from, to), ratio);
    }

    /// Drops every message of the named kind (`"AppendEntries"`, `"TimeoutNow"`, ...).
    pub fn ignore(&mut self, kind_name: &'static str) {
        self.ignored.insert(kind_name);
    }

    /// Heals every cut, drop and ignore.
    pub fn recover(&mut self) {
        self.drops.clear();
        self.ignored.clear();
    }

    fn filter(&mut self, m: &Message) -> bool {
        if self.ignored.contains(m.kind.name()) {
            return false;
        }
        if !self.nodes.contains_key(&m.to) {
            return false;
        }
        match self.drops.get(&(m.from, m.to)) {
            Some(&ratio) => self.rng.f64() >= ratio,
            None => true,
        }
    }

    /// Collects every node's outbox, in id order, and drains what it applied.
    fn collect(&mut self) -> Vec<Message> {
        let mut out = Vec::new();
        for (id, n) in self.nodes.iter_mut() {
            out.extend(n.take_messages());
            if let Some(s) = n.take_snapshot() {
                self.restored.entry(*id).or_default().push(s);
            }
            self.applied
                .entry(*id)
                .or_default()
                .extend(n.take_committed());
        }
        out
    }

    /// Delivers `msgs` and then everything they cause, until the network is quiet.
    pub fn send(&mut self, msgs: Vec<Message>) {
        let mut pending = msgs;
        pending.extend(self.collect());
        for _ in 0..MAX_ROUNDS {
            if pending.is_empty() {
                return;
            }
            if self.reorder {
                self.rng.shuffle(&mut pending);
            }
            for m in pending {
                if self.duplicate {
                    self.deliver_one(m.clone());
                }
                self.deliver_one(m);
            }
            pending = self.collect();
        }
        panic!("network did not quiesce within {MAX_ROUNDS} rounds");
    }

    /// Delivers whatever the nodes have queued, until the network is quiet.
    pub fn deliver(&mut self) {
        self.send(Vec::new());
    }

    /// Delivers exactly one round: the nodes' current outboxes, but not what they cause.
    /// Returns the messages delivered.
    pub fn deliver_round(&mut self) -> Vec<Message> {
        let pending = self.collect();
        let mut delivered = Vec::new();
        for m in pending {
            if self.deliver_one(m.clone()) {
                delivered.push(m);
            }
        }
        delivered
    }

    fn deliver_one(&mut self, m: Message) -> bool {
        if !self.filter(&m) {
            self.dropped.push(m);
            return false;
        }
        self.trace.push(m.clone());
        let n = self
            .nodes
            .get_mut(&m.to)
            .expect("filtered to present nodes");
        if let Err(e) = n.step(m.clone()) {
            self.errors.push((m, e));
        }
        true
    }

    /// `campaign()` on a node, then delivers until quiet.
    pub fn campaign(&mut self, id: NodeId) {
        self.node_mut(id).campaign();
        self.deliver();
    }

    /// Campaigns `id` and asserts that it won.
    pub fn elect(&mut self, id: NodeId) {
        self.campaign(id);
        assert_eq!(
            self.role(id),
            Role::Leader,
            "node {id} did not win its election"
        );
    }

    /// Proposes a command on `id` and delivers until quiet.
    pub fn propose(&mut self, id: NodeId, data: &[u8]) -> Result<Index, Error> {
        let r = self.node_mut(id).propose(data.to_vec());
        self.deliver();
        r
    }

    /// Ticks one node `n` times, delivering until quiet after each tick.
    pub fn tick(&mut self, id: NodeId, n: u32) {
        for _ in 0..n {
            self.node_mut(id).tick();
            self.deliver();
        }
    }

    /// Ticks every node (in id order) `n` times, delivering until quiet after each tick.
    pub fn tick_all(&mut self, n: u32) {
        for _ in 0..n {
            for node in self.nodes.values_mut() {
                node.tick();
            }
            self.deliver();
        }
    }

    /// Lets the leader send heartbeats for `rounds` intervals, so followers learn its
    /// commit index.
    pub fn heartbeats(&mut self, leader: NodeId, rounds: u32) {
        self.tick(leader, rounds * HEARTBEAT);
    }

    /// Delivered messages of one kind.
    pub fn delivered(&self, kind_name: &str) -> Vec<&Message> {
        self.trace
            .iter()
            .filter(|m| m.kind.name() == kind_name)
            .collect()
    }

    /// Forgets the trace so far.
    pub fn clear_trace(&mut self) {
        self.trace.clear();
        self.dropped.clear();
    }

    /// Commands (payloads) a node has applied, in order.
    pub fn applied_commands(&self, id: NodeId) -> Vec<Vec<u8>> {
        self.applied[&id]
            .iter()
            .filter_map(|e| match &e.data {
                EntryData::Command(c) => Some(c.clone()),
                _ => None,
            })
            .collect()
    }
}

/// Makes a lone node a follower of `leader` in `term` by stepping a heartbeat that every
/// log passes (prev index 0); drains its outbox.
pub fn follow(n: &mut RaftNode, leader: NodeId, term: Term) {
    let to = n.id();
    n.step(heartbeat(leader, to, term, 0, 0, 0))
        .expect("heartbeat accepted");
    assert_eq!(n.role(), Role::Follower);
    n.take_messages();
}

/// Campaigns a lone node (PreVote off) and drains the vote requests it sent.
pub fn make_candidate(n: &mut RaftNode) {
    n.campaign();
    assert_eq!(
        n.role(),
        Role::Candidate,
        "node {} is not a candidate",
        n.id()
    );
    n.take_messages();
}

impl Network {
    /// Declares that this scenario expects some messages to be refused (a removed server
    /// still talking, garbage on purpose), so they are not reported when it ends.
    pub fn allow_errors(&mut self) {
        self.errors_allowed = true;
    }
}

/// Legitimate traffic (stale, duplicated, reordered messages included) must never be
/// refused with an error; only garbage is. A scenario that ends with refused messages
/// fails here, unless it said it expects them.
impl Drop for Network {
    fn drop(&mut self) {
        if !self.errors_allowed && !self.errors.is_empty() && !std::thread::panicking() {
            let (m, e) = &self.errors[0];
            panic!(
                "{} message(s) refused with an error; first: {e} for {m:?}",
                self.errors.len()
            );
        }
    }
}
