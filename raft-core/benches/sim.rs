//! Simulator throughput: events per second and simulated seconds per wall-clock second,
//! for five nodes under steady client load with 1% message loss, with the safety checker on
//! and off. A plain harness (no framework): `cargo bench -p raft-core --bench sim`.
//!
//! Each figure is the median of several runs of the same seeded simulation, so runs differ
//! only in wall-clock time.

use std::time::Instant;

use raft_core::sim::{NetworkConfig, Sim, SimConfig, WorkloadConfig};

struct Case {
    name: &'static str,
    check: bool,
    trace_capacity: usize,
    workload: bool,
}

fn config(case: &Case, seed: u64) -> SimConfig {
    SimConfig {
        nodes: 5,
        seed,
        network: NetworkConfig {
            loss_ratio: 0.01,
            ..NetworkConfig::default()
        },
        workload: case.workload.then(|| WorkloadConfig {
            clients: 5,
            ..WorkloadConfig::default()
        }),
        snapshot_threshold: Some(500),
        check: case.check,
        trace_capacity: case.trace_capacity,
        ..SimConfig::default()
    }
}

/// CPU time of this thread in seconds (Linux `schedstat`), so that figures do not depend
/// on how busy the machine is; `None` elsewhere.
fn cpu_s() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}

/// Runs `simulated_s` seconds of the case; returns (events, wall seconds, CPU seconds).
fn run(case: &Case, simulated_s: u64) -> (u64, f64, Option<f64>, Sim) {
    let mut sim = Sim::new(config(case, 7)).expect("valid config");
    let c0 = cpu_s();
    let t0 = Instant::now();
    let events = sim.advance_us(simulated_s * 1_000_000);
    let wall = t0.elapsed().as_secs_f64();
    let cpu = c0.and_then(|c0| cpu_s().map(|c1| c1 - c0));
    (events, wall, cpu, sim)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; a number argument sets the simulated seconds.
    let simulated_s: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(120);
    let repeats = 5;
    let cases = [
        Case {
            name: "checker on,  no trace  ",
            check: true,
            trace_capacity: 0,
            workload: true,
        },
        Case {
            name: "checker off, no trace  ",
            check: false,
            trace_capacity: 0,
            workload: true,
        },
        Case {
            name: "checker on,  trace 2000",
            check: true,
            trace_capacity: 2_000,
            workload: true,
        },
        Case {
            name: "idle cluster, checker on",
            check: true,
            trace_capacity: 0,
            workload: false,
        },
    ];
    println!(
        "raft-core simulator: 5 nodes, 1% loss, 20-40 ms latency, {simulated_s} simulated s, median of {repeats}"
    );
    let mut on_off = (0.0, 0.0);
    for (i, case) in cases.iter().enumerate() {
        let (mut rates, mut cpu_rates) = (Vec::new(), Vec::new());
        let mut last = None;
        for _ in 0..repeats {
            let (events, wall, cpu, sim) = run(case, simulated_s);
            rates.push(events as f64 / wall);
            if let Some(cpu) = cpu {
                cpu_rates.push(events as f64 / cpu);
            }
            last = Some((events, sim));
        }
        let (events, sim) = last.expect("ran");
        let st = sim.stats();
        // Prefer CPU time: on a shared machine wall time measures the neighbours too.
        let rate = if cpu_rates.is_empty() {
            median(rates.clone())
        } else {
            median(cpu_rates.clone())
        };
        if i == 0 {
            on_off.0 = rate;
        }
        if i == 1 {
            on_off.1 = rate;
        }
        println!(
            "{}: {:>5.2} M events/CPU-s ({:>5.2} M/wall-s), {:>6.0} simulated s per CPU-s  ({events} events, {} client ops, {} commits, {} violations)",
            case.name,
            rate / 1e6,
            median(rates) / 1e6,
            rate / events as f64 * simulated_s as f64,
            st.client_ops_completed,
            st.max_commit_index,
            sim.violations().len()
        );
    }
    println!(
        "checker cost: {:.2}x (events per CPU-s, off / on)",
        on_off.1 / on_off.0
    );
}
