//! The Playground: a simulated Raft cluster as a JavaScript object.
//!
//! This is the only crate that knows about wasm-bindgen and JS. A [`Playground`] owns one
//! [`raft_core::sim::Sim`]; every method checks what JS hands it and turns a mistake into a
//! thrown `Error` whose message names the argument. Nothing a caller passes can make the wasm
//! instance trap: a page whose wasm panicked is dead.
//!
//! ```js
//! import init, { Playground } from "./www/pkg/raft_playground.js";
//! await init();
//! const pg = new Playground({ nodes: 5, seed: 42 });
//! pg.advance(1000);
//! console.log(pg.state().leader);
//! ```
//!
//! The JS API is a documented contract (README, "Scripting API").

mod input;
mod js;
mod json;
mod options;
mod replay;
mod view;

use raft_core::sim::{NetworkConfig, Sim, SimConfig, SimError, WorkloadConfig};
use raft_core::{Faults, NodeId};
use wasm_bindgen::prelude::*;

use crate::input::InputResult;
use crate::json::Json;
use crate::options::{Options, FAULT_NAMES};

/// Longest a single `advance(ms)` may run, in simulated ms (one hour): longer runs would
/// freeze the page, and a script can call `advance` in a loop.
const ADVANCE_MS_MAX: f64 = 3_600_000.0;
/// Longest client command, in bytes.
const COMMAND_BYTES_MAX: usize = 1_000;
/// Largest node id anyone can mean (the simulator's own limit is lower or equal).
const NODE_ID_MAX: u64 = 1_000;
/// Largest message id (ids are counters, far below 2^53 in any run).
const MESSAGE_ID_MAX: u64 = (1 << 53) - 1;

/// The heap allocator in the browser: talc, which is about 5 KB smaller than Rust's default
/// dlmalloc in the wasm (and faster). The page is single-threaded (no `atomics`).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Installs the panic hook once, when the module is instantiated: should a bug ever panic,
/// the console says where instead of "unreachable executed".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A simulated Raft cluster: `new Playground({ nodes: 5, seed: 42 })`.
#[wasm_bindgen]
pub struct Playground {
    sim: Sim,
}

fn js_error(message: impl AsRef<str>) -> JsError {
    JsError::new(message.as_ref())
}

fn sim_error(e: SimError) -> JsError {
    js_error(e.to_string())
}

fn checked<T>(r: InputResult<T>) -> Result<T, JsError> {
    r.map_err(js_error)
}

/// Builds a JSON text with `write` and parses it into JS values (see [`json`]).
fn to_js(write: impl FnOnce(&mut Json)) -> Result<JsValue, JsError> {
    let mut j = Json::new();
    write(&mut j);
    parse_json(&j)
}

// Not generic, so that each caller of `to_js` does not get its own copy.
fn parse_json(j: &Json) -> Result<JsValue, JsError> {
    j.as_str()
        .and_then(|text| js::json_parse(text).ok())
        .ok_or_else(|| js_error("internal error: a view was not valid JSON"))
}

/// A seed from the JS host's random source, below 2^53 so that JS can show it exactly.
fn random_seed() -> Result<u64, JsError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .map_err(|e| js_error(format!("no random source for the seed: {e}")))?;
    Ok(u64::from_le_bytes(bytes) & options::SEED_MAX_NUMBER)
}

/// The simulator's configuration for a playground with these options.
fn sim_config(options: &Options, seed: u64) -> SimConfig {
    let defaults = SimConfig::default();
    let mut faults = Faults::default();
    for &(i, on) in &options.faults {
        set_fault(&mut faults, i, on);
    }
    let clients = options.clients.unwrap_or(0);
    SimConfig {
        nodes: options.nodes.unwrap_or(5),
        seed,
        election_timeout_ms: options
            .election_timeout_ms
            .unwrap_or(defaults.election_timeout_ms),
        heartbeat_ms: options.heartbeat_ms.unwrap_or(defaults.heartbeat_ms),
        network: NetworkConfig {
            latency_ms: options.latency_ms.unwrap_or(defaults.network.latency_ms),
            loss_ratio: options.loss_ratio.unwrap_or(defaults.network.loss_ratio),
            duplicate_ratio: options
                .duplicate_ratio
                .unwrap_or(defaults.network.duplicate_ratio),
        },
        pre_vote: options.pre_vote.unwrap_or(defaults.pre_vote),
        check_quorum: options.check_quorum.unwrap_or(defaults.check_quorum),
        fast_backtrack: options.fast_backtrack.unwrap_or(defaults.fast_backtrack),
        max_entries_per_append: options
            .max_entries_per_append
            .unwrap_or(defaults.max_entries_per_append),
        faults,
        workload: (clients > 0).then(|| WorkloadConfig {
            clients: clients as u32,
            ..WorkloadConfig::default()
        }),
        snapshot_threshold: options.snapshot_threshold.or(defaults.snapshot_threshold),
        check: options.checker.unwrap_or(defaults.check),
        trace_capacity: options
            .trace_capacity
            .map_or(defaults.trace_capacity, |n| n as usize),
        ..defaults
    }
}

fn set_fault(faults: &mut Faults, index: usize, on: bool) {
    match FAULT_NAMES[index] {
        "voteWithoutLogCheck" => faults.vote_without_log_check = on,
        "commitOldTermByCount" => faults.commit_old_term_by_count = on,
        "forgetVoteOnRestart" => faults.forget_vote_on_restart = on,
        "skipConsistencyCheck" => faults.skip_consistency_check = on,
        "leaderIgnoresHigherTerm" => faults.leader_ignores_higher_term = on,
        other => unreachable!("FAULT_NAMES has {other} but set_fault does not"),
    }
}

fn node_id(name: &str, value: &JsValue) -> Result<NodeId, JsError> {
    checked(input::integer_in(name, value, 1, NODE_ID_MAX))
}

/// Writes the options a playground runs with, in the shape `new Playground()` takes:
/// every option, `snapshotThreshold` only when set, `faults` as `{ name: on }`.
fn options_view(j: &mut Json, cfg: &SimConfig) {
    let number = |j: &mut Json, n: f64| j.number(n, input::format_number);
    j.open();
    j.field_u64("nodes", cfg.nodes);
    j.field_u64("seed", cfg.seed);
    j.field_u64s(
        "electionTimeoutMs",
        &[cfg.election_timeout_ms.0, cfg.election_timeout_ms.1],
    );
    j.field_u64("heartbeatMs", cfg.heartbeat_ms);
    j.key("latencyMs");
    j.open_array();
    number(j, cfg.network.latency_ms.0);
    number(j, cfg.network.latency_ms.1);
    j.close_array();
    j.key("lossRatio");
    number(j, cfg.network.loss_ratio);
    j.key("duplicateRatio");
    number(j, cfg.network.duplicate_ratio);
    j.field_bool("preVote", cfg.pre_vote);
    j.field_bool("checkQuorum", cfg.check_quorum);
    j.field_bool("fastBacktrack", cfg.fast_backtrack);
    j.field_u64("maxEntriesPerAppend", cfg.max_entries_per_append);
    j.field_u64(
        "clients",
        cfg.workload.as_ref().map_or(0, |w| w.clients as u64),
    );
    j.field_opt_u64("snapshotThreshold", cfg.snapshot_threshold);
    j.field_u64("traceCapacity", cfg.trace_capacity as u64);
    j.field_bool("checker", cfg.check);
    j.key("faults");
    j.open();
    let f = &cfg.faults;
    let on = [
        f.vote_without_log_check,
        f.commit_old_term_by_count,
        f.forget_vote_on_restart,
        f.skip_consistency_check,
        f.leader_ignores_higher_term,
    ];
    for (name, on) in FAULT_NAMES.iter().zip(on) {
        j.field_bool(name, on);
    }
    j.close();
    j.close();
}

#[wasm_bindgen]
impl Playground {
    /// `new Playground(options?)`: a fresh cluster, all followers in term 0. Every option is
    /// optional; an invalid one throws an `Error` naming it.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue) -> Result<Playground, JsError> {
        let options = checked(Options::parse(options))?;
        let seed = match options.seed {
            Some(seed) => seed,
            None => random_seed()?,
        };
        let sim = Sim::new(sim_config(&options, seed)).map_err(sim_error)?;
        Ok(Playground { sim })
    }

    /// The seed (given, or drawn at random when not).
    #[wasm_bindgen(getter)]
    pub fn seed(&self) -> f64 {
        self.sim.config().seed as f64
    }

    /// Virtual time in ms.
    #[wasm_bindgen(getter, js_name = timeMs)]
    pub fn time_ms(&self) -> f64 {
        view::ms(self.sim.now_us())
    }

    /// The sequence number the next trace event will get. It changes whenever something
    /// visible happens, so a caller can skip redrawing when it has not.
    #[wasm_bindgen(getter, js_name = eventSeq)]
    pub fn event_seq(&self) -> f64 {
        self.sim.trace_next_seq() as f64
    }

    /// The options this playground runs with (seed included), as `new Playground` takes them.
    pub fn options(&self) -> Result<JsValue, JsError> {
        to_js(|j| options_view(j, self.sim.config()))
    }

    /// Runs simulated time forward by `ms` (finite, 0 to one hour; fractions allowed).
    /// Returns the number of events processed.
    pub fn advance(&mut self, ms: &JsValue) -> Result<f64, JsError> {
        let ms = checked(input::number_in("ms", ms, 0.0, ADVANCE_MS_MAX))?;
        let us = (ms * 1000.0).round() as u64;
        Ok(self.sim.advance_us(us) as f64)
    }

    /// Processes exactly the next event; returns its description, or `null` if nothing is
    /// left to happen.
    #[wasm_bindgen(js_name = stepEvent)]
    pub fn step_event(&mut self) -> Option<String> {
        self.sim.step_event().map(|e| e.describe())
    }

    /// The whole cluster as a plain object (README: "state() schema"). With
    /// `{ logLimit: n }`, each node's `log` holds only its newest `n` entries; with
    /// `{ entryLimit: n }`, each AppendEntries in flight lists only its first `n` entries
    /// (`entryCount` still gives how many it carries); with `{ messageLimit: n }`, `messages`
    /// lists only the first `n` messages in flight.
    pub fn state(&self, options: &JsValue) -> Result<JsValue, JsError> {
        let mut limits = view::Limits::default();
        if !input::is_absent(options) {
            for (key, value) in checked(input::object_entries("state options", options))? {
                let limit = match key.as_str() {
                    "logLimit" => &mut limits.log,
                    "entryLimit" => &mut limits.entries,
                    "messageLimit" => &mut limits.messages,
                    other => {
                        return Err(js_error(format!(
                            "unknown state option \"{other}\"; expected logLimit, entryLimit or messageLimit"
                        )))
                    }
                };
                if !input::is_absent(&value) {
                    *limit = Some(
                        checked(input::integer_in(&key, &value, 0, u32::MAX as u64))? as usize,
                    );
                }
            }
        }
        to_js(|j| view::state(j, &self.sim, limits))
    }

    /// Every message in flight as a `Float64Array`, 11 numbers per message: what
    /// `state({ entryLimit: 0 }).messages` says, much cheaper to read many times a second
    /// (README: "Packed messages"; `www/inflight.js` unpacks it).
    #[wasm_bindgen(js_name = messagesPacked)]
    pub fn messages_packed(&self) -> Vec<f64> {
        view::packed_messages(&self.sim)
    }

    /// Trace events with `seq >= sinceSeq` (default 0) that the bounded trace still holds,
    /// oldest first: `[{ seq, timeMs, kind, nodes, text, ... }]`.
    pub fn events(&self, since_seq: &JsValue) -> Result<JsValue, JsError> {
        let since = if input::is_absent(since_seq) {
            0
        } else {
            checked(input::integer_in(
                "sinceSeq",
                since_seq,
                0,
                options::SEED_MAX_NUMBER,
            ))?
        };
        to_js(|j| view::events(j, self.sim.trace_since(since)))
    }

    /// The safety checker's findings so far (empty in a correct run).
    pub fn violations(&self) -> Result<JsValue, JsError> {
        to_js(|j| view::violations(j, self.sim.violations()))
    }

    /// Counters over the whole run.
    pub fn stats(&self) -> Result<JsValue, JsError> {
        let s = self.sim.stats();
        to_js(|j| {
            j.open();
            j.field_ms("timeMs", self.sim.now_us());
            for (key, n) in [
                ("events", s.events),
                ("ticks", s.ticks),
                ("messagesSent", s.messages_sent),
                ("messagesDelivered", s.messages_delivered),
                ("messagesDropped", s.messages_dropped),
                ("messagesDuplicated", s.messages_duplicated),
                ("leaderElections", s.leader_elections),
                ("maxCommitIndex", s.max_commit_index),
                ("entriesApplied", s.entries_applied),
                ("clientOpsCompleted", s.client_ops_completed),
                ("clientOpsFailed", s.client_ops_failed),
                ("crashes", s.crashes),
                ("compactions", s.compactions),
            ] {
                j.field_u64(key, n);
            }
            j.close();
        })
    }

    /// A client request: `command` (a string) goes to the leader with the highest term, or
    /// to node `via`. Returns `{ leader, index }`; throws "no leader ..." or
    /// "node 3 is not the leader ...".
    pub fn propose(&mut self, command: &JsValue, via: &JsValue) -> Result<JsValue, JsError> {
        let command = checked(input::string("command", command))?;
        if command.len() > COMMAND_BYTES_MAX {
            return Err(js_error(format!(
                "command must be at most {COMMAND_BYTES_MAX} bytes, got {}",
                command.len()
            )));
        }
        let via = if input::is_absent(via) {
            None
        } else {
            Some(node_id("via", via)?)
        };
        let (leader, index) = self
            .sim
            .propose(command.into_bytes(), via)
            .map_err(sim_error)?;
        to_js(|j| {
            j.open();
            j.field_u64("leader", leader);
            j.field_u64("index", index);
            j.close();
        })
    }

    /// Crashes node `id`: it loses its volatile state and the messages in flight to and
    /// from it.
    pub fn crash(&mut self, id: &JsValue) -> Result<(), JsError> {
        let id = node_id("id", id)?;
        self.sim.crash(id).map_err(sim_error)
    }

    /// Restarts crashed node `id` from its persistent state (term, vote, log).
    pub fn restart(&mut self, id: &JsValue) -> Result<(), JsError> {
        let id = node_id("id", id)?;
        self.sim.restart(id).map_err(sim_error)
    }

    /// Makes node `id`'s election timer fire now.
    pub fn timeout(&mut self, id: &JsValue) -> Result<(), JsError> {
        let id = node_id("id", id)?;
        self.sim.timeout(id).map_err(sim_error)
    }

    /// `setElectionTimer(id, ms)`: node `id`'s election timer fires `ms` milliseconds from
    /// now (0 to 60000; at the node's first tick at or after that), unless a leader is heard
    /// from first, which restarts it at that length. Returns the milliseconds until it fires.
    /// Throws for a crashed node or a leader (a leader has no election timer).
    #[wasm_bindgen(js_name = setElectionTimer)]
    pub fn set_election_timer(&mut self, id: &JsValue, ms: &JsValue) -> Result<f64, JsError> {
        let id = node_id("id", id)?;
        let ms = checked(input::number_in("ms", ms, 0.0, options::TIME_MS_MAX))?;
        let fires_in = self
            .sim
            .set_election_timer(id, ms.ceil() as u64)
            .map_err(sim_error)?;
        Ok(fires_in as f64)
    }

    /// Splits the network: `groups` is an array of arrays of node ids, e.g.
    /// `[[1, 2], [3, 4, 5]]`; a node not listed forms its own group.
    pub fn partition(&mut self, groups: &JsValue) -> Result<(), JsError> {
        let outer = checked(input::array("groups", groups))?;
        let mut parsed = Vec::with_capacity(outer.len());
        for (i, group) in outer.iter().enumerate() {
            let name = format!("groups[{i}]");
            let ids = checked(input::array(&name, group))?;
            let mut g = Vec::with_capacity(ids.len());
            for (j, id) in ids.iter().enumerate() {
                g.push(node_id(&format!("groups[{i}][{j}]"), id)?);
            }
            parsed.push(g);
        }
        self.sim.partition(&parsed).map_err(sim_error)
    }

    /// Removes every partition and link cut: one network again.
    pub fn heal(&mut self) {
        self.sim.heal();
    }

    /// Cuts the one-way link `from -> to` (messages from `from` to `to` are lost).
    #[wasm_bindgen(js_name = cutLink)]
    pub fn cut_link(&mut self, from: &JsValue, to: &JsValue) -> Result<(), JsError> {
        let from = node_id("from", from)?;
        let to = node_id("to", to)?;
        self.sim.cut_link(from, to).map_err(sim_error)
    }

    /// Restores the one-way link `from -> to`.
    #[wasm_bindgen(js_name = restoreLink)]
    pub fn restore_link(&mut self, from: &JsValue, to: &JsValue) -> Result<(), JsError> {
        let from = node_id("from", from)?;
        let to = node_id("to", to)?;
        self.sim.restore_link(from, to).map_err(sim_error)
    }

    /// Drops the message in flight with this id (from `state().messages`).
    #[wasm_bindgen(js_name = dropMessage)]
    pub fn drop_message(&mut self, message_id: &JsValue) -> Result<(), JsError> {
        let id = checked(input::integer_in(
            "messageId",
            message_id,
            0,
            MESSAGE_ID_MAX,
        ))?;
        self.sim.drop_message(id).map_err(sim_error)
    }

    /// Changes the network: `{ latencyMs: [min, max], lossRatio, duplicateRatio }`, each
    /// optional; the others keep their values.
    #[wasm_bindgen(js_name = setNetwork)]
    pub fn set_network(&mut self, network: &JsValue) -> Result<(), JsError> {
        let options = checked(Options::parse(network))?;
        let others = Options {
            latency_ms: None,
            loss_ratio: None,
            duplicate_ratio: None,
            ..options.clone()
        };
        if others != Options::default() {
            return Err(js_error(
                "setNetwork takes only latencyMs, lossRatio and duplicateRatio",
            ));
        }
        self.apply_network(&options)
    }

    /// Changes options of a running playground. Network options (`latencyMs`, `lossRatio`,
    /// `duplicateRatio`) apply at once; the others are fixed at creation and throw (create a
    /// new Playground to change them).
    #[wasm_bindgen(js_name = setOptions)]
    pub fn set_options(&mut self, options: &JsValue) -> Result<(), JsError> {
        let parsed = checked(Options::parse(options))?;
        let fixed = [
            ("nodes", parsed.nodes.is_some()),
            ("seed", parsed.seed.is_some()),
            ("electionTimeoutMs", parsed.election_timeout_ms.is_some()),
            ("heartbeatMs", parsed.heartbeat_ms.is_some()),
            ("preVote", parsed.pre_vote.is_some()),
            ("checkQuorum", parsed.check_quorum.is_some()),
            ("fastBacktrack", parsed.fast_backtrack.is_some()),
            (
                "maxEntriesPerAppend",
                parsed.max_entries_per_append.is_some(),
            ),
            ("clients", parsed.clients.is_some()),
            ("snapshotThreshold", parsed.snapshot_threshold.is_some()),
            ("traceCapacity", parsed.trace_capacity.is_some()),
            ("checker", parsed.checker.is_some()),
            ("faults", !parsed.faults.is_empty()),
        ];
        if let Some((name, _)) = fixed.iter().find(|(_, given)| *given) {
            return Err(js_error(format!(
                "{name} cannot change on a running playground; create a new Playground with it"
            )));
        }
        self.apply_network(&parsed)
    }

    /// Proposes adding a new node to the cluster; returns its id.
    #[wasm_bindgen(js_name = addNode)]
    pub fn add_node(&mut self) -> Result<f64, JsError> {
        self.sim.add_node().map(|id| id as f64).map_err(sim_error)
    }

    /// Proposes removing node `id` from the cluster.
    #[wasm_bindgen(js_name = removeNode)]
    pub fn remove_node(&mut self, id: &JsValue) -> Result<(), JsError> {
        let id = node_id("id", id)?;
        self.sim.remove_node(id).map_err(sim_error)
    }

    /// Asks the leader to hand leadership to node `id` (thesis §3.10).
    #[wasm_bindgen(js_name = transferLeader)]
    pub fn transfer_leader(&mut self, id: &JsValue) -> Result<(), JsError> {
        let id = node_id("id", id)?;
        self.sim.transfer_leader(id).map_err(sim_error)
    }

    /// Compacts node `id`'s log up to its applied index into a snapshot; returns the index.
    pub fn compact(&mut self, id: &JsValue) -> Result<f64, JsError> {
        let id = node_id("id", id)?;
        self.sim.compact(id).map(|i| i as f64).map_err(sim_error)
    }

    /// Pauses or resumes the background clients (option `clients`).
    #[wasm_bindgen(js_name = setClientsPaused)]
    pub fn set_clients_paused(&mut self, paused: &JsValue) -> Result<(), JsError> {
        let paused = checked(input::boolean("paused", paused))?;
        self.sim.set_workload_paused(paused);
        Ok(())
    }

    /// Node `id`'s key-value store, as applied from its committed log: `{ key: value }`.
    pub fn kv(&self, id: &JsValue) -> Result<JsValue, JsError> {
        let id = node_id("id", id)?;
        let store = self.sim.kv(id).ok_or_else(|| {
            let ids: Vec<String> = self.sim.node_ids().iter().map(|i| i.to_string()).collect();
            js_error(format!(
                "node {id} does not exist (ids are [{}])",
                ids.join(", ")
            ))
        })?;
        to_js(|j| {
            j.open();
            for (key, value) in store.iter() {
                j.field_str(key, value);
            }
            j.close();
        })
    }

    /// An independent copy of this playground at this instant (for time-travel
    /// checkpoints): the same future, given the same calls.
    #[wasm_bindgen(js_name = clone)]
    pub fn clone_playground(&self) -> Playground {
        Playground {
            sim: self.sim.clone(),
        }
    }

    /// The run as JSON-ready data: `{ format, options, timeMs, events, violations }`, with
    /// every trace event the bounded trace still holds (see the `traceCapacity` option).
    #[wasm_bindgen(js_name = exportTrace)]
    pub fn export_trace(&self) -> Result<JsValue, JsError> {
        to_js(|j| {
            j.open();
            j.field_str("format", "raft-playground-trace/1");
            j.key("options");
            options_view(j, self.sim.config());
            j.field_ms("timeMs", self.sim.now_us());
            j.key("events");
            view::events(j, self.sim.trace());
            j.key("violations");
            view::violations(j, self.sim.violations());
            j.close();
        })
    }
}

impl Playground {
    fn apply_network(&mut self, options: &Options) -> Result<(), JsError> {
        let current = self.sim.config().network.clone();
        let network = NetworkConfig {
            latency_ms: options.latency_ms.unwrap_or(current.latency_ms),
            loss_ratio: options.loss_ratio.unwrap_or(current.loss_ratio),
            duplicate_ratio: options.duplicate_ratio.unwrap_or(current.duplicate_ratio),
        };
        self.sim.set_network(network).map_err(sim_error)
    }
}
