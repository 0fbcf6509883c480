//! Random calls with random arguments, valid or not, must never panic the simulator, must
//! leave it usable, and must not make the (correct) protocol break a safety property: the
//! playground forwards whatever a page or a script passes.

use raft_core::sim::{NetworkConfig, Sim, SimConfig, WorkloadConfig};

fn any_f64(rng: &mut fastrand::Rng) -> f64 {
    match rng.u32(0..8) {
        0 => f64::NAN,
        1 => -rng.f64() * 100.0,
        2 => f64::INFINITY,
        3 => rng.f64() * 2.0,
        _ => rng.f64() * 60.0,
    }
}

#[test]
fn random_calls_never_panic() {
    for seed in 1..=20u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut s = Sim::new(SimConfig {
            nodes: rng.u64(1..=7),
            seed,
            workload: rng.bool().then(WorkloadConfig::default),
            snapshot_threshold: rng.bool().then(|| rng.u64(1..50)),
            trace_capacity: 500,
            ..SimConfig::default()
        })
        .unwrap();
        for _ in 0..300 {
            let id = rng.u64(0..10);
            let id2 = rng.u64(0..10);
            match rng.u32(0..19) {
                0 => drop(s.crash(id)),
                1 => drop(s.restart(id)),
                2 => drop(s.timeout(id)),
                3 => {
                    let groups: Vec<Vec<u64>> = (0..rng.usize(0..4))
                        .map(|_| (0..rng.usize(0..4)).map(|_| rng.u64(0..9)).collect())
                        .collect();
                    drop(s.partition(&groups))
                }
                4 => s.heal(),
                5 => drop(s.cut_link(id, id2)),
                6 => drop(s.restore_link(id, id2)),
                7 => {
                    let mid = s.in_flight().nth(rng.usize(0..3)).map(|m| m.id);
                    drop(s.drop_message(mid.unwrap_or(rng.u64(..))))
                }
                8 => drop(s.set_network(NetworkConfig {
                    latency_ms: (any_f64(&mut rng), any_f64(&mut rng)),
                    loss_ratio: any_f64(&mut rng) / 60.0,
                    duplicate_ratio: any_f64(&mut rng) / 60.0,
                })),
                9 => drop(s.add_node()),
                10 => drop(s.remove_node(id)),
                11 => drop(s.transfer_leader(id)),
                12 => drop(s.compact(id)),
                13 => {
                    let via = rng.bool().then_some(id);
                    let cmd: Vec<u8> = (0..rng.usize(0..12)).map(|_| rng.u8(..)).collect();
                    drop(s.propose(cmd, via))
                }
                14 => drop(s.step_event()),
                15 => s.set_workload_paused(rng.bool()),
                16 => drop(s.set_election_timer(
                    id,
                    [0, 1, 9, 10, 11, 150, 60_000, u64::MAX][rng.usize(0..8)],
                )),
                _ => drop(s.advance_us(rng.u64(0..300_000))),
            }
            // Reading the state never panics either.
            for id in 0..10 {
                let _ = (s.node(id).map(|n| n.term()), s.is_up(id), s.group_of(id));
                let _ = (
                    s.election_elapsed_us(id),
                    s.election_timeout_us(id),
                    s.kv(id),
                );
            }
            let _ = (
                s.leader(),
                s.in_flight().count(),
                s.stats(),
                s.trace().count(),
            );
        }
        // Still usable: heal everything and it elects a leader again.
        s.heal();
        let _ = s.set_network(NetworkConfig::default());
        for id in s.node_ids() {
            let _ = s.restart(id);
        }
        s.advance_us(5_000_000);
        assert!(s.leader().is_some(), "seed {seed}: no leader after healing");
        assert!(
            s.violations().is_empty(),
            "seed {seed}: {:?}",
            s.violations()
        );
    }
}
