//! The client workload: a small key-value state machine and clients that use it.
//!
//! Commands are short text so the page can show them: `put k v`, `get k`, `cas k old new`,
//! optionally prefixed by a client session tag `c3:17 ` (client 3, request 17). The state
//! machine remembers each client's last request and its result (thesis §6.3), so a retried
//! request that commits twice takes effect once. Text that is not a command is applied as a
//! no-op, so the playground can propose anything.

use crate::vecmap::VecMap;

use super::history::{HistoryOp, KvOp, KvOutput};
use super::queue::EventKind;
use super::{slot_mut, slot_ref, Sim, TraceKind};
use crate::message::NodeId as Nid;

/// The client workload's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkloadConfig {
    /// Number of concurrent clients, each with one outstanding request.
    pub clients: u32,
    /// Keys are `k0 .. k{keys-1}`.
    pub keys: u32,
    /// Think time between a completion and the next request, `[min, max]` ms.
    pub think_ms: (u64, u64),
    /// A client retries (same request, perhaps another node) after this long without an answer.
    pub retry_ms: u64,
    /// A client gives up a request after this long; its outcome stays unknown.
    pub give_up_ms: u64,
    /// Fraction of requests that are gets.
    pub get_ratio: f64,
    /// Fraction of requests that are compare-and-swaps (the rest are puts).
    pub cas_ratio: f64,
    /// Serve gets through ReadIndex (§6.4) instead of through the log.
    pub read_index: bool,
    /// Most operations kept in the history (later ones are run but not recorded).
    pub history_capacity: usize,
}

impl Default for WorkloadConfig {
    fn default() -> Self {
        WorkloadConfig {
            clients: 3,
            keys: 3,
            think_ms: (5, 40),
            retry_ms: 400,
            give_up_ms: 3_000,
            get_ratio: 0.4,
            cas_ratio: 0.2,
            read_index: true,
            history_capacity: 20_000,
        }
    }
}

/// A parsed state-machine command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// Session tag `(client, request)`, if any.
    pub session: Option<(u32, u64)>,
    /// The operation.
    pub op: KvOp,
}

impl Command {
    /// Parses command text; `None` if it is not a key-value command.
    pub fn parse(bytes: &[u8]) -> Option<Command> {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut words = text.split_ascii_whitespace();
        let mut verb = words.next()?;
        let mut session = None;
        if let Some((c, r)) = verb.strip_prefix('c').and_then(|tag| tag.split_once(':')) {
            // One integer parser (u64) for both numbers keeps the wasm smaller.
            let number = |s: &str| s.parse::<u64>().ok();
            session = Some((u32::try_from(number(c)?).ok()?, number(r)?));
            verb = words.next()?;
        }
        let op = match verb {
            "put" => KvOp::Put {
                key: words.next()?.to_string(),
                value: words.next()?.to_string(),
            },
            "get" => KvOp::Get {
                key: words.next()?.to_string(),
            },
            "cas" => KvOp::Cas {
                key: words.next()?.to_string(),
                expected: words.next()?.to_string(),
                new: words.next()?.to_string(),
            },
            _ => return None,
        };
        if words.next().is_some() {
            return None;
        }
        Some(Command { session, op })
    }

    /// The command as text.
    pub fn encode(&self) -> Vec<u8> {
        let mut s = String::new();
        if let Some((c, r)) = self.session {
            s.push_str(&format!("c{c}:{r} "));
        }
        s.push_str(&self.op.to_string());
        s.into_bytes()
    }
}

/// The replicated key-value state machine of one node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KvStore {
    data: VecMap<String, String>,
    /// Last request and result per client (thesis §6.3 sessions).
    sessions: VecMap<u32, (u64, KvOutput)>,
    /// Index of the last entry applied.
    applied_index: u64,
}

impl KvStore {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.data.get(key).map(String::as_str)
    }

    /// All keys and values, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.data.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Index of the last entry applied.
    pub fn applied_index(&self) -> u64 {
        self.applied_index
    }

    /// Applies the command at `index`; returns the result for the client, `None` for text
    /// that is not a command or for a stale request from a session.
    pub fn apply(&mut self, index: u64, bytes: &[u8]) -> Option<KvOutput> {
        self.applied_index = index;
        let cmd = Command::parse(bytes)?;
        if let Some((client, req)) = cmd.session {
            if let Some((last, out)) = self.sessions.get(&client) {
                if req == *last {
                    return Some(out.clone());
                }
                if req < *last {
                    return None;
                }
            }
        }
        let out = self.execute(&cmd.op);
        if let Some((client, req)) = cmd.session {
            self.sessions.insert(client, (req, out.clone()));
        }
        Some(out)
    }

    /// Marks `index` applied without a command (no-op and membership entries).
    pub fn skip(&mut self, index: u64) {
        self.applied_index = index;
    }

    /// Runs an operation (reads do not change the state).
    pub fn execute(&mut self, op: &KvOp) -> KvOutput {
        match op {
            KvOp::Put { key, value } => {
                self.data.insert(key.clone(), value.clone());
                KvOutput::Ok
            }
            KvOp::Get { key } => KvOutput::Value(self.data.get(key).cloned()),
            KvOp::Cas { key, expected, new } => {
                if self.data.get(key) == Some(expected) {
                    self.data.insert(key.clone(), new.clone());
                    KvOutput::Swapped(true)
                } else {
                    KvOutput::Swapped(false)
                }
            }
        }
    }

    /// Serializes the store for a snapshot.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_u64(&mut out, self.applied_index);
        put_u64(&mut out, self.data.len() as u64);
        for (k, v) in &self.data {
            put_str(&mut out, k);
            put_str(&mut out, v);
        }
        put_u64(&mut out, self.sessions.len() as u64);
        for (c, (r, o)) in &self.sessions {
            put_u64(&mut out, *c as u64);
            put_u64(&mut out, *r);
            match o {
                KvOutput::Ok => out.push(0),
                KvOutput::Value(None) => out.push(1),
                KvOutput::Value(Some(v)) => {
                    out.push(2);
                    put_str(&mut out, v);
                }
                KvOutput::Swapped(b) => out.push(3 + *b as u8),
            }
        }
        out
    }

    /// Restores a store from [`KvStore::encode`]'s output; `None` if malformed. An empty
    /// image is the empty store.
    pub fn decode(bytes: &[u8]) -> Option<KvStore> {
        if bytes.is_empty() {
            return Some(KvStore::default());
        }
        let mut r = Reader { bytes, pos: 0 };
        let mut kv = KvStore {
            applied_index: r.u64()?,
            ..KvStore::default()
        };
        for _ in 0..r.u64()? {
            let k = r.string()?;
            let v = r.string()?;
            kv.data.insert(k, v);
        }
        for _ in 0..r.u64()? {
            let c = u32::try_from(r.u64()?).ok()?;
            let req = r.u64()?;
            let o = match r.byte()? {
                0 => KvOutput::Ok,
                1 => KvOutput::Value(None),
                2 => KvOutput::Value(Some(r.string()?)),
                3 => KvOutput::Swapped(false),
                4 => KvOutput::Swapped(true),
                _ => return None,
            };
            kv.sessions.insert(c, (req, o));
        }
        (r.pos == bytes.len()).then_some(kv)
    }
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u64(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }
    fn u64(&mut self) -> Option<u64> {
        let s = self.bytes.get(self.pos..self.pos + 8)?;
        self.pos += 8;
        Some(u64::from_le_bytes(s.try_into().ok()?))
    }
    fn string(&mut self) -> Option<String> {
        let n = usize::try_from(self.u64()?).ok()?;
        let s = self.bytes.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        String::from_utf8(s.to_vec()).ok()
    }
}

/// Where a client's current attempt stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// Thinking before the next request.
    Idle,
    /// Waiting for the entry at `index` to apply on `node`.
    Proposed { node: u64, index: u64 },
    /// Waiting for a ReadIndex answer with `ctx` from `node`.
    Reading { node: u64, ctx: u64 },
    /// Waiting to retry (no leader known, or a rejection).
    Backoff,
}

/// One simulated client: one outstanding request at a time.
#[derive(Clone, Debug)]
pub(crate) struct Client {
    pub(crate) id: u32,
    /// The node the client believes leads.
    pub(crate) leader_hint: Option<u64>,
    /// Request number of the current operation.
    pub(crate) req: u64,
    /// The current operation, if any.
    pub(crate) op: Option<KvOp>,
    /// Its index in the history (if recorded).
    pub(crate) history_slot: Option<usize>,
    pub(crate) invoked_us: u64,
    pub(crate) attempt: Attempt,
    /// Bumped on every state change; stale wake-ups carry an old generation.
    pub(crate) generation: u64,
}

/// The workload, which the caller knows is running. One shared copy of the check (and of
/// its panic path) instead of one per call site.
///
/// # Panics
/// If there is no workload: a bug in the simulator.
#[inline(never)]
fn running(workload: &mut Option<Workload>) -> &mut Workload {
    workload.as_mut().expect("the workload is running")
}

/// The workload's state inside a simulation.
#[derive(Clone, Debug)]
pub(crate) struct Workload {
    pub(crate) config: WorkloadConfig,
    pub(crate) rng: fastrand::Rng,
    pub(crate) clients: Vec<Client>,
    pub(crate) history: Vec<HistoryOp>,
    /// Whether the workload is paused (no new requests).
    pub(crate) paused: bool,
    pub(crate) next_ctx: u64,
    pub(crate) completed: u64,
    pub(crate) failed: u64,
}

impl Workload {
    pub(crate) fn new(config: WorkloadConfig, seed: u64) -> Workload {
        let clients = (0..config.clients)
            .map(|i| Client {
                id: i + 1,
                leader_hint: None,
                req: 0,
                op: None,
                history_slot: None,
                invoked_us: 0,
                attempt: Attempt::Idle,
                generation: 0,
            })
            .collect();
        Workload {
            config,
            rng: fastrand::Rng::with_seed(seed),
            clients,
            history: Vec::new(),
            paused: false,
            next_ctx: 1,
            completed: 0,
            failed: 0,
        }
    }

    /// Draws the next operation; put values are unique in the run, which makes the
    /// linearizability check sharp.
    pub(crate) fn next_op(&mut self, client: u32, req: u64) -> KvOp {
        let key = format!("k{}", self.rng.u32(0..self.config.keys.max(1)));
        let r = self.rng.f64();
        if r < self.config.get_ratio {
            KvOp::Get { key }
        } else if r < self.config.get_ratio + self.config.cas_ratio {
            // Expect a value this or another client may have written recently.
            let other = self.rng.u32(1..=self.config.clients.max(1));
            let back = self.rng.u64(1..=3);
            let expected = format!("{other}.{}", req.saturating_sub(back).max(1));
            KvOp::Cas {
                key,
                expected,
                new: format!("{client}.{req}"),
            }
        } else {
            KvOp::Put {
                key,
                value: format!("{client}.{req}"),
            }
        }
    }
}

impl Sim {
    /// Wakes client `c` at `at_us`, invalidating its earlier wake-ups.
    pub(crate) fn schedule_client(&mut self, c: u32, at_us: u64) {
        let w = running(&mut self.workload);
        let client = &mut w.clients[c as usize];
        client.generation += 1;
        let generation = client.generation;
        self.queue.push(
            at_us,
            EventKind::Client {
                client: c,
                generation,
            },
        );
    }

    pub(crate) fn client_wake(&mut self, c: u32) {
        let now = self.now_us;
        let w = running(&mut self.workload);
        let give_up_us = w.config.give_up_ms * 1000;
        let client = &w.clients[c as usize];
        match client.attempt {
            Attempt::Idle => {
                if w.paused {
                    return;
                }
                let req = client.req + 1;
                let id = client.id;
                let op = w.next_op(id, req);
                let slot = (w.history.len() < w.config.history_capacity).then(|| {
                    w.history.push(HistoryOp {
                        client: id,
                        op: op.clone(),
                        invoke_us: now,
                        completion: None,
                        served_by: None,
                    });
                    w.history.len() - 1
                });
                let client = &mut w.clients[c as usize];
                client.req = req;
                client.op = Some(op);
                client.history_slot = slot;
                client.invoked_us = now;
                self.client_attempt(c);
            }
            _ if now.saturating_sub(client.invoked_us) >= give_up_us => {
                let client = &mut w.clients[c as usize];
                let summary = format!(
                    "gave up on {} (outcome unknown)",
                    client.op.as_ref().expect("op in progress")
                );
                let id = client.id;
                client.attempt = Attempt::Idle;
                w.failed += 1;
                self.record(
                    TraceKind::ClientComplete {
                        client: id,
                        summary,
                    },
                    &[],
                );
                self.client_think(c);
            }
            Attempt::Proposed { .. } | Attempt::Reading { .. } => {
                // No answer in time: the node may be deposed, crashed or cut off.
                w.clients[c as usize].leader_hint = None;
                self.client_attempt(c);
            }
            Attempt::Backoff => self.client_attempt(c),
        }
    }

    fn client_think(&mut self, c: u32) {
        let w = running(&mut self.workload);
        let (lo, hi) = w.config.think_ms;
        let think_us = w.rng.u64(lo * 1000..=hi * 1000);
        let at = self.now_us + think_us.max(1);
        self.schedule_client(c, at);
    }

    /// Sends the client's current request to the node it believes leads.
    fn client_attempt(&mut self, c: u32) {
        let now = self.now_us;
        let ids = self.node_ids();
        let w = running(&mut self.workload);
        let retry_us = w.config.retry_ms * 1000;
        let read_index = w.config.read_index;
        let target = match w.clients[c as usize].leader_hint {
            Some(h) => h,
            // u64, not usize: the same stream on 32-bit wasm and 64-bit native.
            None => ids[w.rng.u64(0..ids.len() as u64) as usize],
        };
        let client = &w.clients[c as usize];
        let op = client.op.clone().expect("op in progress");
        let (id, req) = (client.id, client.req);
        if !self.is_up(target) {
            // Connection refused: try someone else soon.
            let w = running(&mut self.workload);
            w.clients[c as usize].leader_hint = None;
            w.clients[c as usize].attempt = Attempt::Backoff;
            self.schedule_client(c, now + 10_000);
            return;
        }
        let result = if read_index && matches!(op, KvOp::Get { .. }) {
            let w = running(&mut self.workload);
            let ctx = w.next_ctx;
            w.next_ctx += 1;
            let s = slot_mut(&mut self.slots, target);
            s.node
                .read_index(ctx)
                .map(|()| Attempt::Reading { node: target, ctx })
        } else {
            let cmd = Command {
                session: Some((id, req)),
                op,
            };
            let text = String::from_utf8_lossy(&cmd.encode()).into_owned();
            let s = slot_mut(&mut self.slots, target);
            match s.node.propose(cmd.encode()) {
                Ok(index) => {
                    self.record(
                        TraceKind::Propose {
                            index,
                            command: text,
                        },
                        &[target],
                    );
                    Ok(Attempt::Proposed {
                        node: target,
                        index,
                    })
                }
                Err(e) => Err(e),
            }
        };
        match result {
            Ok(attempt) => {
                let w = running(&mut self.workload);
                w.clients[c as usize].attempt = attempt;
                w.clients[c as usize].leader_hint = Some(target);
                self.schedule_client(c, now + retry_us);
                self.after_node_event(target, crate::message::Index::MAX);
            }
            Err(e) => {
                let hint = match e {
                    crate::error::Error::NotLeader { leader, .. } => leader,
                    _ => None,
                };
                let w = running(&mut self.workload);
                let client = &mut w.clients[c as usize];
                client.attempt = Attempt::Backoff;
                // A fresh hint is worth trying at once; otherwise wait for an election.
                let delay = if hint.is_some() && hint != Some(target) {
                    1_000
                } else {
                    20_000
                };
                client.leader_hint = hint.filter(|&h| h != target);
                self.schedule_client(c, now + delay);
            }
        }
    }

    /// Node `node` applied `cmd` at `index` with `output`: answers the client waiting on it.
    pub(crate) fn client_applied(
        &mut self,
        node: Nid,
        index: u64,
        cmd: &[u8],
        output: Option<KvOutput>,
    ) {
        let Some(w) = self.workload.as_mut() else {
            return;
        };
        let Some(c) = w
            .clients
            .iter()
            .position(|cl| cl.attempt == Attempt::Proposed { node, index })
        else {
            return;
        };
        let client = &w.clients[c];
        let ours = Command::parse(cmd).and_then(|p| p.session) == Some((client.id, client.req));
        match output {
            Some(out) if ours => self.client_complete(c as u32, node, out),
            _ => {
                // Another entry took the slot (the leader was deposed): retry.
                let w = running(&mut self.workload);
                w.clients[c].attempt = Attempt::Backoff;
                w.clients[c].leader_hint = None;
                self.schedule_client(c as u32, self.now_us + 1_000);
            }
        }
    }

    /// A ReadIndex read with `ctx` is safe to serve on `node`.
    pub(crate) fn client_read_ready(&mut self, node: Nid, ctx: u64) {
        let Some(w) = self.workload.as_mut() else {
            return;
        };
        let Some(c) = w
            .clients
            .iter()
            .position(|cl| cl.attempt == Attempt::Reading { node, ctx })
        else {
            return;
        };
        let key = w.clients[c].op.as_ref().expect("op").key().to_string();
        let value = slot_ref(&self.slots, node).kv.get(&key).map(str::to_string);
        self.client_complete(c as u32, node, KvOutput::Value(value));
    }

    fn client_complete(&mut self, c: u32, node: Nid, out: KvOutput) {
        let now = self.now_us;
        let w = running(&mut self.workload);
        let client = &mut w.clients[c as usize];
        let summary = format!(
            "{} -> {out} (from node {node})",
            client.op.as_ref().expect("op in progress")
        );
        let id = client.id;
        client.attempt = Attempt::Idle;
        if let Some(slot) = client.history_slot {
            w.history[slot].completion = Some((now, out));
            w.history[slot].served_by = Some(node);
        }
        w.completed += 1;
        self.record(
            TraceKind::ClientComplete {
                client: id,
                summary,
            },
            &[node],
        );
        self.client_think(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_encode_round_trip() {
        for text in ["put x 5", "get k1", "cas k0 1.2 3.4", "c3:17 put k2 3.17"] {
            let cmd = Command::parse(text.as_bytes()).expect(text);
            assert_eq!(cmd.encode(), text.as_bytes());
        }
        assert_eq!(Command::parse(b"hello"), None);
        assert_eq!(Command::parse(b"put x"), None);
        assert_eq!(Command::parse(b"put x 1 2"), None);
        // Session tags: both numbers must parse, the client within u32.
        let tagged = Command::parse(b"  c4294967295:18446744073709551615\tget k ").unwrap();
        assert_eq!(tagged.session, Some((u32::MAX, u64::MAX)));
        assert_eq!(Command::parse(b"c4294967296:1 get k"), None);
        assert_eq!(Command::parse(b"c1:x get k"), None);
        assert_eq!(Command::parse(b"c1:2"), None);
        // A word starting with c but without a colon is the verb (and not a known one).
        assert_eq!(Command::parse(b"cas"), None);
        assert_eq!(Command::parse(b"cx get k"), None);
    }

    #[test]
    fn sessions_apply_a_retried_request_once() {
        let mut kv = KvStore::default();
        assert_eq!(kv.apply(1, b"c1:1 put x a"), Some(KvOutput::Ok));
        assert_eq!(kv.apply(2, b"c2:1 put x b"), Some(KvOutput::Ok));
        // Client 1's retry of request 1 commits again: no effect, same answer.
        assert_eq!(kv.apply(3, b"c1:1 put x a"), Some(KvOutput::Ok));
        assert_eq!(kv.get("x"), Some("b"));
        assert_eq!(
            kv.apply(4, b"c1:2 cas x b c"),
            Some(KvOutput::Swapped(true))
        );
        assert_eq!(
            kv.apply(5, b"c1:2 cas x b c"),
            Some(KvOutput::Swapped(true))
        );
        assert_eq!(kv.apply(6, b"c1:1 put x z"), None, "stale request");
        assert_eq!(kv.get("x"), Some("c"));
        assert_eq!(kv.apply(7, b"not a command"), None);
        assert_eq!(kv.applied_index(), 7);
    }

    #[test]
    fn snapshot_round_trip() {
        let mut kv = KvStore::default();
        kv.apply(1, b"c1:1 put x a");
        kv.apply(2, b"c2:4 get x");
        kv.apply(3, b"c3:2 cas x a b");
        kv.apply(4, b"put y 1");
        let img = kv.encode();
        assert_eq!(KvStore::decode(&img), Some(kv));
        assert_eq!(KvStore::decode(&img[..img.len() - 1]), None);
        assert_eq!(KvStore::decode(&[]), Some(KvStore::default()));
    }
}
