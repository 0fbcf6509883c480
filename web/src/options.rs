//! The options object of `new Playground(options)` and `setOptions(options)`: its own
//! enumerable properties (`Object.entries`; unknown keys are refused, naming the key), each
//! value then checked by hand so that the error names the option and the value it got. A
//! generic deserializer would pull serde's error machinery (and Rust's float formatting)
//! into the wasm for no gain.

use wasm_bindgen::JsValue;

use crate::input::{self, InputResult};

/// Cluster sizes the page can lay out.
pub const NODES_MIN: u64 = 3;
/// See [`NODES_MIN`].
pub const NODES_MAX: u64 = 9;
/// Largest seed: the largest integer a JS number holds exactly (2^53 - 1).
pub const SEED_MAX_NUMBER: u64 = (1 << 53) - 1;
/// Bound on any time option, in ms: a minute is already absurd for a timeout or a latency.
pub const TIME_MS_MAX: f64 = 60_000.0;
/// Largest `maxEntriesPerAppend`.
pub const ENTRIES_PER_APPEND_MAX: u64 = 10_000;
/// Most simulated clients.
pub const CLIENTS_MAX: u64 = 100;
/// Largest snapshot threshold, in entries.
pub const SNAPSHOT_THRESHOLD_MAX: u64 = 1_000_000;
/// Most trace events a playground keeps.
pub const TRACE_CAPACITY_MAX: u64 = 1_000_000;

/// Every option's name, as JS spells it.
pub const OPTION_NAMES: [&str; 16] = [
    "nodes",
    "seed",
    "electionTimeoutMs",
    "heartbeatMs",
    "latencyMs",
    "lossRatio",
    "duplicateRatio",
    "preVote",
    "checkQuorum",
    "fastBacktrack",
    "maxEntriesPerAppend",
    "clients",
    "snapshotThreshold",
    "traceCapacity",
    "checker",
    "faults",
];

/// The deliberately unsafe protocol faults, by their JS names (see `raft_core::Faults`).
pub const FAULT_NAMES: [&str; 5] = [
    "voteWithoutLogCheck",
    "commitOldTermByCount",
    "forgetVoteOnRestart",
    "skipConsistencyCheck",
    "leaderIgnoresHigherTerm",
];

/// Checked options. `None` means "not given": the default, or for `setOptions`, unchanged.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// Cluster size, 3..=9.
    pub nodes: Option<u64>,
    /// The one seed everything random derives from.
    pub seed: Option<u64>,
    /// Election timeout range in whole ms, `[min, max)`.
    pub election_timeout_ms: Option<(u64, u64)>,
    /// Heartbeat interval in whole ms.
    pub heartbeat_ms: Option<u64>,
    /// One-way network latency range in ms.
    pub latency_ms: Option<(f64, f64)>,
    /// Share of messages lost, 0..=1.
    pub loss_ratio: Option<f64>,
    /// Share of messages delivered twice, 0..=1.
    pub duplicate_ratio: Option<f64>,
    /// PreVote (thesis §9.6).
    pub pre_vote: Option<bool>,
    /// CheckQuorum (thesis §6.2).
    pub check_quorum: Option<bool>,
    /// Use the conflict hint to back `nextIndex` off a term at a time (else one entry).
    pub fast_backtrack: Option<bool>,
    /// Most entries one AppendEntries carries.
    pub max_entries_per_append: Option<u64>,
    /// Simulated key-value clients sending requests in the background; 0 for none.
    pub clients: Option<u64>,
    /// A node compacts its log into a snapshot past this many applied entries.
    pub snapshot_threshold: Option<u64>,
    /// Most events the trace (the event log, the export) keeps.
    pub trace_capacity: Option<u64>,
    /// Run the safety checker after every event.
    pub checker: Option<bool>,
    /// Faults switched on or off, by index into [`FAULT_NAMES`].
    pub faults: Vec<(usize, bool)>,
}

impl Options {
    /// Parses and checks an options object; `undefined` or `null` gives all defaults.
    pub fn parse(value: &JsValue) -> InputResult<Options> {
        if input::is_absent(value) {
            return Ok(Options::default());
        }
        if !value.is_object() || crate::js::is_array(value) || value.is_function() {
            return Err(format!(
                "options must be an object, got {}",
                input::describe(value)
            ));
        }
        // Each given value lands in its option's slot; a misspelt option is refused, naming
        // it. All keys are looked at before any value, and values are checked in the order
        // of OPTION_NAMES, whatever order the object lists them in.
        let mut values: [JsValue; OPTION_NAMES.len()] = Default::default();
        for (key, v) in input::object_entries("options", value)? {
            let Some(i) = OPTION_NAMES.iter().position(|n| *n == key) else {
                return Err(format!(
                    "unknown option \"{key}\"; expected one of: {}",
                    OPTION_NAMES.join(", ")
                ));
            };
            values[i] = v;
        }
        let [nodes, seed, election_timeout_ms, heartbeat_ms, latency_ms, loss_ratio, duplicate_ratio, pre_vote, check_quorum, fast_backtrack, max_entries_per_append, clients, snapshot_threshold, trace_capacity, checker, faults] =
            &values;
        let given = |v: &JsValue| !input::is_absent(v);
        let mut out = Options::default();
        if given(nodes) {
            out.nodes = Some(input::integer_in("nodes", nodes, NODES_MIN, NODES_MAX)?);
        }
        if given(seed) {
            out.seed = Some(parse_seed(seed)?);
        }
        if given(election_timeout_ms) {
            let (min, max) =
                input::range("electionTimeoutMs", election_timeout_ms, 1.0, TIME_MS_MAX)?;
            if max <= min || min != min.trunc() || max != max.trunc() {
                return Err(format!(
                    "electionTimeoutMs must be [min, max] in whole ms with min < max, got [{}, {}]",
                    input::format_number(min),
                    input::format_number(max)
                ));
            }
            out.election_timeout_ms = Some((min as u64, max as u64));
        }
        if given(heartbeat_ms) {
            out.heartbeat_ms = Some(input::integer_in(
                "heartbeatMs",
                heartbeat_ms,
                1,
                TIME_MS_MAX as u64,
            )?);
        }
        if given(latency_ms) {
            out.latency_ms = Some(input::range("latencyMs", latency_ms, 0.0, TIME_MS_MAX)?);
        }
        if given(loss_ratio) {
            out.loss_ratio = Some(input::number_in("lossRatio", loss_ratio, 0.0, 1.0)?);
        }
        if given(duplicate_ratio) {
            out.duplicate_ratio = Some(input::number_in(
                "duplicateRatio",
                duplicate_ratio,
                0.0,
                1.0,
            )?);
        }
        if given(pre_vote) {
            out.pre_vote = Some(input::boolean("preVote", pre_vote)?);
        }
        if given(check_quorum) {
            out.check_quorum = Some(input::boolean("checkQuorum", check_quorum)?);
        }
        if given(fast_backtrack) {
            out.fast_backtrack = Some(input::boolean("fastBacktrack", fast_backtrack)?);
        }
        if given(max_entries_per_append) {
            out.max_entries_per_append = Some(input::integer_in(
                "maxEntriesPerAppend",
                max_entries_per_append,
                1,
                ENTRIES_PER_APPEND_MAX,
            )?);
        }
        if given(clients) {
            out.clients = Some(input::integer_in("clients", clients, 0, CLIENTS_MAX)?);
        }
        if given(snapshot_threshold) {
            out.snapshot_threshold = Some(input::integer_in(
                "snapshotThreshold",
                snapshot_threshold,
                1,
                SNAPSHOT_THRESHOLD_MAX,
            )?);
        }
        if given(trace_capacity) {
            out.trace_capacity = Some(input::integer_in(
                "traceCapacity",
                trace_capacity,
                0,
                TRACE_CAPACITY_MAX,
            )?);
        }
        if given(checker) {
            out.checker = Some(input::boolean("checker", checker)?);
        }
        if given(faults) {
            out.faults = parse_faults(faults)?;
        }
        Ok(out)
    }
}

/// A seed: a non-negative integer number up to 2^53 - 1.
pub fn parse_seed(value: &JsValue) -> InputResult<u64> {
    input::integer_in("seed", value, 0, SEED_MAX_NUMBER)
}

fn parse_faults(value: &JsValue) -> InputResult<Vec<(usize, bool)>> {
    let entries = input::object_entries("faults", value)?;
    let mut out = Vec::new();
    for (key, v) in &entries {
        let Some(i) = FAULT_NAMES.iter().position(|n| n == key) else {
            return Err(format!(
                "unknown fault \"{key}\"; expected one of: {}",
                FAULT_NAMES.join(", ")
            ));
        };
        if input::is_absent(v) {
            continue;
        }
        out.push((i, input::boolean(&format!("faults.{key}"), v)?));
    }
    Ok(out)
}
