//! Helpers shared by the simulator's test files (`mod sim_support;`).

use raft_core::sim::Sim;
use raft_core::NodeId;

/// Runs the simulation in 100 ms steps until some node leads; panics after 10 s.
pub fn elect(sim: &mut Sim) -> NodeId {
    for _ in 0..100 {
        sim.advance_us(100_000);
        if let Some(l) = sim.leader() {
            return l;
        }
    }
    panic!("no leader after 10 s");
}
