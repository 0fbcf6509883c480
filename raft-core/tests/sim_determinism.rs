//! One seed, one run: the same seed and the same calls give the same trace, event for event;
//! another seed gives another run; a clone (a time-travel checkpoint) replays identically.

use raft_core::sim::{NetworkConfig, Sim, SimConfig, TraceEvent, TraceKind, WorkloadConfig};

fn config(seed: u64) -> SimConfig {
    SimConfig {
        nodes: 5,
        seed,
        workload: Some(WorkloadConfig::default()),
        network: NetworkConfig {
            latency_ms: (5.0, 45.0),
            loss_ratio: 0.05,
            duplicate_ratio: 0.05,
        },
        snapshot_threshold: Some(30),
        trace_capacity: 1_000_000,
        ..SimConfig::default()
    }
}

/// A run with user actions in it, so they are part of what must replay.
fn run(seed: u64) -> Sim {
    let mut s = Sim::new(config(seed)).unwrap();
    s.advance_us(2_000_000);
    s.partition(&[vec![1, 2], vec![3, 4, 5]]).unwrap();
    s.advance_us(1_500_000);
    s.crash(4).unwrap();
    s.advance_us(700_000);
    s.heal();
    s.restart(4).unwrap();
    let _ = s.propose(b"put user 1".to_vec(), None);
    s.advance_us(3_000_000);
    s
}

fn trace(s: &Sim) -> Vec<TraceEvent> {
    s.trace().cloned().collect()
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let a = run(42);
    let b = run(42);
    let (ta, tb) = (trace(&a), trace(&b));
    assert!(ta.len() > 5_000, "a substantial run: {} events", ta.len());
    assert_eq!(ta.len(), tb.len());
    for (x, y) in ta.iter().zip(&tb) {
        assert_eq!(x, y);
    }
    assert_eq!(a.stats(), b.stats());
    assert_eq!(a.history(), b.history());
    assert_eq!(a.now_us(), b.now_us());
}

#[test]
fn another_seed_gives_another_run() {
    let a = run(42);
    let b = run(43);
    assert_ne!(trace(&a), trace(&b));
    assert_ne!(a.stats(), b.stats());
}

#[test]
fn a_clone_replays_the_same_future() {
    let mut a = Sim::new(config(7)).unwrap();
    a.advance_us(2_500_000);
    let mut b = a.clone();
    let mark = a.trace_next_seq();
    a.advance_us(3_000_000);
    b.advance_us(3_000_000);
    let fa: Vec<_> = a.trace_since(mark).cloned().collect();
    let fb: Vec<_> = b.trace_since(mark).cloned().collect();
    assert!(!fa.is_empty());
    assert_eq!(fa, fb);
    // And an action on one fork changes only that fork.
    a.crash(1).unwrap();
    a.advance_us(500_000);
    b.advance_us(500_000);
    assert!(a.is_up(1) != b.is_up(1));
}

#[test]
fn stepping_event_by_event_matches_advancing() {
    let mut a = Sim::new(config(9)).unwrap();
    let mut b = a.clone();
    a.advance_us(1_000_000);
    let mut stepped = 0;
    while b.next_event_us().is_some_and(|t| t <= 1_000_000) {
        let e = b.step_event().expect("events left");
        assert!(e.time_us <= 1_000_000);
        stepped += 1;
    }
    b.advance_us(1_000_000 - b.now_us());
    assert_eq!(a.stats().events, stepped);
    assert_eq!(trace(&a), trace(&b));
}

#[test]
fn step_event_reports_each_event_once() {
    let mut s = Sim::new(SimConfig {
        nodes: 3,
        seed: 11,
        ..SimConfig::default()
    })
    .unwrap();
    let mut ticks = 0;
    let mut other = 0;
    let mut last_time = 0;
    for _ in 0..2_000 {
        let e = s.step_event().unwrap();
        assert!(e.time_us >= last_time, "time never goes back");
        last_time = e.time_us;
        if e.kind == TraceKind::Tick {
            ticks += 1;
        } else {
            other += 1;
        }
    }
    assert_eq!(s.stats().events, 2_000);
    assert!(ticks > 0 && other > 0);
    assert_eq!(s.now_us(), last_time);
    // A visible step skips quiet ticks.
    let e = s.step_visible(10_000).unwrap();
    assert_ne!(e.kind, TraceKind::Tick);
}
