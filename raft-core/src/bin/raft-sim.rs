//! Swarm testing from the command line: many seeds, randomized faults, a healing phase that
//! must end with a leader, progress and convergence, and the safety checker throughout.
//!
//! ```text
//! cargo run --release -p raft-core --bin raft-sim -- --seeds 1..1000 --nodes 5 --time 60s \
//!     --faults partitions,crashes,loss,dup
//! ```
//! A failing seed is printed with the command that replays it (with `--trace`, which prints
//! the run's last events).

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use raft_core::sim::swarm::{self, FaultSet, RunOptions};
use raft_core::sim::Linearizability;

const USAGE: &str = "usage: raft-sim [--seeds A..B (inclusive) | --seeds N] [--nodes N] [--time 60s|500ms]
                [--faults partitions,crashes,loss,dup,reorder,clog,membership,churn,transfer|all|none]
                [--protocol-fault NAME]... [--no-workload] [--no-pre-vote] [--no-check-quorum]
                [--snapshot-threshold N | --no-snapshots] [--max-entries N] [--trace [N]] [--quiet] [--fail-fast] [--safety-only]
protocol faults (deliberately unsafe): vote_without_log_check, commit_old_term_by_count,
                forget_vote_on_restart, skip_consistency_check, leader_ignores_higher_term";

struct Args {
    seeds: (u64, u64),
    opts: RunOptions,
    trace: Option<usize>,
    quiet: bool,
    fail_fast: bool,
}

fn parse_seeds(s: &str) -> Result<(u64, u64), String> {
    let bad = || format!("--seeds: expected N, A..B or A..=B, got '{s}'");
    if let Some((a, b)) = s.split_once("..") {
        let a: u64 = a.parse().map_err(|_| bad())?;
        let b: u64 = b.trim_start_matches('=').parse().map_err(|_| bad())?;
        if b < a {
            return Err(bad());
        }
        Ok((a, b))
    } else {
        let n: u64 = s.parse().map_err(|_| bad())?;
        Ok((n, n))
    }
}

fn parse_time_us(s: &str) -> Result<u64, String> {
    let bad = || format!("--time: expected a duration like 60s or 500ms, got '{s}'");
    let (num, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1_000)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1_000_000)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60_000_000)
    } else {
        (s, 1_000_000)
    };
    let n: u64 = num.parse().map_err(|_| bad())?;
    if n == 0 {
        return Err(bad());
    }
    Ok(n * scale)
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seeds: (1, 100),
        opts: RunOptions::default(),
        trace: None,
        quiet: false,
        fail_fast: false,
    };
    let mut it = std::env::args().skip(1).peekable();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--seeds" => args.seeds = parse_seeds(&value("--seeds")?)?,
            "--nodes" => {
                let v = value("--nodes")?;
                args.opts.nodes = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=raft_core::sim::NODES_MAX).contains(n))
                    .ok_or(format!("--nodes: expected 1..=64, got '{v}'"))?;
            }
            "--time" => args.opts.time_us = parse_time_us(&value("--time")?)?,
            "--faults" => args.opts.faults = FaultSet::parse(&value("--faults")?)?,
            "--protocol-fault" => swarm::parse_protocol_fault(
                &value("--protocol-fault")?,
                &mut args.opts.protocol_faults,
            )?,
            "--no-workload" => args.opts.workload = false,
            "--no-pre-vote" => args.opts.pre_vote = false,
            "--no-check-quorum" => args.opts.check_quorum = false,
            "--no-snapshots" => args.opts.snapshot_threshold = None,
            "--max-entries" => {
                let v = value("--max-entries")?;
                args.opts.max_entries_per_append = v.parse().ok().filter(|&n| n > 0).ok_or(
                    format!("--max-entries: expected a positive number, got '{v}'"),
                )?;
            }
            "--snapshot-threshold" => {
                let v = value("--snapshot-threshold")?;
                args.opts.snapshot_threshold = Some(v.parse().ok().filter(|&n| n > 0).ok_or(
                    format!("--snapshot-threshold: expected a positive number, got '{v}'"),
                )?);
            }
            "--trace" => {
                let n = match it.peek() {
                    Some(v) if v.parse::<usize>().is_ok() => {
                        it.next().expect("peeked").parse().expect("checked")
                    }
                    _ => 200,
                };
                args.trace = Some(n);
            }
            "--quiet" => args.quiet = true,
            "--safety-only" => args.opts.check_liveness = false,
            "--fail-fast" => args.fail_fast = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    if let Some(n) = args.trace {
        args.opts.trace_capacity = n;
    }
    Ok(args)
}

/// Prints a line to stdout. A closed pipe (`raft-sim ... | head`) ends the program quietly
/// instead of panicking as `println!` does.
macro_rules! out {
    ($($arg:tt)*) => {
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            panic!("raft-sim: cannot write to stdout: {e}");
        }
    };
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("raft-sim: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (first, last) = args.seeds;
    out!(
        "raft-sim: seeds {first}..={last}, {} nodes, {} s each, faults {}{}",
        args.opts.nodes,
        args.opts.time_us as f64 / 1e6,
        args.opts.faults,
        if args.opts.protocol_faults.any() {
            ", WITH PROTOCOL FAULTS"
        } else {
            ""
        }
    );
    let start = Instant::now();
    let (mut events, mut runs, mut unknown) = (0u64, 0u64, 0u64);
    let mut failed: Vec<u64> = Vec::new();
    for seed in first..=last {
        let t0 = Instant::now();
        let report = swarm::run_seed(seed, &args.opts);
        let wall = t0.elapsed().as_secs_f64();
        runs += 1;
        events += report.stats.events;
        let s = &report.stats;
        let lin = match &report.linearizability {
            Linearizability::Linearizable => "ok",
            Linearizability::NotLinearizable { .. } => "NO",
            Linearizability::Unknown { .. } => {
                unknown += 1;
                "unknown"
            }
        };
        if !args.quiet || report.failure.is_some() {
            out!(
                "seed {seed}: {}  events {}  faults {}  elections {}  commit {}  ops {}/{} failed  crashes {}  snapshots {}  linearizable {lin}  ({wall:.2} s)",
                if report.failure.is_some() { "FAIL" } else { "ok  " },
                s.events,
                report.fault_actions,
                s.leader_elections,
                s.max_commit_index,
                s.client_ops_completed,
                s.client_ops_failed,
                s.crashes,
                s.compactions,
            );
        }
        if let Some(n) = args.trace {
            let trace: Vec<_> = report.sim.trace().collect();
            for e in &trace[trace.len().saturating_sub(n)..] {
                out!("    {e}");
            }
        }
        if let Some(f) = &report.failure {
            out!("  failure: {f}");
            out!("  replay:  {}", swarm::replay_command(seed, &args.opts));
            failed.push(seed);
            if args.fail_fast {
                break;
            }
        }
    }
    let wall = start.elapsed().as_secs_f64();
    let simulated = runs as f64 * args.opts.time_us as f64 / 1e6;
    out!(
        "{runs} runs: {} ok, {} failed{}; {events} events in {wall:.1} s ({:.2} M events/s), {simulated:.0} simulated s ({:.0}x real time){}",
        runs - failed.len() as u64,
        failed.len(),
        if failed.is_empty() { String::new() } else { format!(" (seeds {failed:?})") },
        events as f64 / wall / 1e6,
        simulated / wall,
        if unknown > 0 { format!("; linearizability unknown in {unknown} runs") } else { String::new() },
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
