//! The linearizability checker on hand-made histories (known good, known bad) and on the
//! histories the simulated clients record, including one doctored to be wrong.

use raft_core::sim::linearizability::{check, check_with_budget};
use raft_core::sim::{
    HistoryOp, KvOp, KvOutput, Linearizability, NetworkConfig, Sim, SimConfig, WorkloadConfig,
};

fn put(client: u32, key: &str, value: &str, t: (u64, u64)) -> HistoryOp {
    HistoryOp {
        client,
        op: KvOp::Put {
            key: key.into(),
            value: value.into(),
        },
        invoke_us: t.0,
        completion: Some((t.1, KvOutput::Ok)),
        served_by: None,
    }
}

fn get(client: u32, key: &str, seen: Option<&str>, t: (u64, u64)) -> HistoryOp {
    HistoryOp {
        client,
        op: KvOp::Get { key: key.into() },
        invoke_us: t.0,
        completion: Some((t.1, KvOutput::Value(seen.map(str::to_string)))),
        served_by: None,
    }
}

fn cas(client: u32, key: &str, from: &str, to: &str, ok: bool, t: (u64, u64)) -> HistoryOp {
    HistoryOp {
        client,
        op: KvOp::Cas {
            key: key.into(),
            expected: from.into(),
            new: to.into(),
        },
        invoke_us: t.0,
        completion: Some((t.1, KvOutput::Swapped(ok))),
        served_by: None,
    }
}

#[test]
fn known_good_histories() {
    // Overlapping writes and reads that some order explains.
    let h = vec![
        put(1, "x", "a", (0, 50)),
        put(2, "x", "b", (10, 60)),
        get(3, "x", Some("a"), (20, 30)),
        get(3, "x", Some("b"), (70, 80)),
        cas(1, "x", "b", "c", true, (90, 100)),
        cas(2, "x", "b", "d", false, (95, 120)),
        get(3, "x", Some("c"), (130, 140)),
    ];
    assert_eq!(check(&h), Linearizable);
    // A put with no answer may have happened ...
    let mut maybe = vec![put(1, "y", "1", (0, 10))];
    maybe.push(HistoryOp {
        completion: None,
        ..put(2, "y", "2", (20, 0))
    });
    maybe.push(get(3, "y", Some("2"), (100, 110)));
    assert_eq!(check(&maybe), Linearizable);
    // ... or not.
    maybe.push(get(3, "y", Some("1"), (10, 15)));
    assert_eq!(check(&maybe), Linearizable);
}

use Linearizability::*;

#[test]
fn known_bad_histories() {
    // A read returns a value overwritten before it began.
    let stale = vec![
        put(1, "x", "a", (0, 10)),
        put(1, "x", "b", (20, 30)),
        get(2, "x", Some("a"), (40, 50)),
    ];
    assert!(matches!(check(&stale), NotLinearizable { .. }));
    // A compare-and-swap succeeds on a value that was never there.
    let phantom = vec![
        put(1, "x", "a", (0, 10)),
        cas(2, "x", "z", "b", true, (20, 30)),
    ];
    assert!(matches!(check(&phantom), NotLinearizable { .. }));
    // Two successful swaps from the same value, one after the other.
    let double = vec![
        put(1, "x", "a", (0, 10)),
        cas(2, "x", "a", "b", true, (20, 30)),
        cas(3, "x", "a", "c", true, (40, 50)),
    ];
    assert!(matches!(check(&double), NotLinearizable { .. }));
    // A value read before anyone started writing it.
    let future = vec![get(1, "x", Some("a"), (0, 10)), put(2, "x", "a", (20, 30))];
    assert!(matches!(check(&future), NotLinearizable { .. }));
}

#[test]
fn a_search_that_runs_out_of_budget_says_unknown() {
    let mut h: Vec<HistoryOp> = (0..14)
        .map(|i| put(i, "x", &i.to_string(), (0, 1000)))
        .collect();
    h.push(get(99, "x", Some("nobody wrote this"), (2000, 2010)));
    assert_eq!(check_with_budget(&h, 100), Unknown { key: "x".into() });
}

fn recorded_history(seed: u64) -> Vec<HistoryOp> {
    let mut s = Sim::new(SimConfig {
        nodes: 5,
        seed,
        workload: Some(WorkloadConfig {
            clients: 4,
            keys: 2,
            // Odd seeds read through ReadIndex, even ones through the log.
            read_index: seed % 2 == 1,
            ..WorkloadConfig::default()
        }),
        network: NetworkConfig {
            latency_ms: (5.0, 50.0),
            loss_ratio: 0.05,
            duplicate_ratio: 0.05,
        },
        ..SimConfig::default()
    })
    .unwrap();
    s.advance_us(3_000_000);
    let l = s.leader().unwrap();
    s.crash(l).unwrap();
    s.advance_us(3_000_000);
    s.restart(l).unwrap();
    s.advance_us(3_000_000);
    assert!(s.violations().is_empty());
    s.history().to_vec()
}

#[test]
fn simulated_clients_see_a_linearizable_store() {
    for seed in 1..=4 {
        let h = recorded_history(seed);
        assert!(h.iter().filter(|o| o.completion.is_some()).count() > 100);
        assert_eq!(check(&h), Linearizable, "seed {seed}");
    }
}

#[test]
fn a_doctored_recorded_history_is_caught() {
    let mut h = recorded_history(4);
    // Make the last completed read on some key return a value that key held much earlier
    // (a stale read a broken read path might serve).
    let (i, key, seen) = h
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, o)| match (&o.op, &o.completion) {
            (KvOp::Get { key }, Some((_, KvOutput::Value(Some(v))))) => {
                Some((i, key.clone(), v.clone()))
            }
            _ => None,
        })
        .expect("some completed read");
    let old = h
        .iter()
        .find_map(|o| match &o.op {
            KvOp::Put { key: k, value } if *k == key && *value != seen => Some(value.clone()),
            _ => None,
        })
        .expect("an earlier put on that key");
    if let Some((_, out)) = &mut h[i].completion {
        *out = KvOutput::Value(Some(old));
    }
    assert!(matches!(check(&h), NotLinearizable { .. }));
}

#[test]
fn a_clean_run_records_no_linearizability_violation() {
    let mut s = Sim::new(SimConfig {
        nodes: 3,
        seed: 5,
        workload: Some(WorkloadConfig::default()),
        ..SimConfig::default()
    })
    .unwrap();
    s.advance_us(3_000_000);
    assert_eq!(s.check_linearizability_now(), Linearizable);
    assert!(s.violations().is_empty());
}
