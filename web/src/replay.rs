//! Protocol variations for teaching tours: settings that exist in the simulator but are not
//! page options, applied to a fresh playground before anything has happened.

use raft_core::sim::{Sim, SimConfig};
use wasm_bindgen::prelude::*;

use crate::{checked, input, js_error, sim_error, Playground};

/// Most entries one AppendEntries may carry, as a tour may set it.
const ENTRIES_PER_APPEND_MAX: u64 = 10_000;

#[wasm_bindgen]
impl Playground {
    /// `setProtocol({ fastBacktrack, maxEntriesPerAppend })`, on a fresh playground only
    /// (time 0, nothing done yet): with `fastBacktrack: false` a leader backs a follower's
    /// nextIndex off one entry per rejection instead of using the conflict hint;
    /// `maxEntriesPerAppend` bounds each AppendEntries (1 lets an old-term entry be
    /// acknowledged on its own, as in the paper's Figure 8). The run restarts from the same
    /// seed with these settings.
    #[wasm_bindgen(js_name = setProtocol)]
    pub fn set_protocol(&mut self, protocol: &JsValue) -> Result<(), JsError> {
        if self.sim.now_us() != 0 || self.sim.trace_next_seq() != 0 {
            return Err(js_error(
                "setProtocol works only on a fresh playground, before time runs or anything happens",
            ));
        }
        let mut cfg: SimConfig = self.sim.config().clone();
        for (key, value) in checked(input::object_entries("protocol", protocol))? {
            match key.as_str() {
                "fastBacktrack" => cfg.fast_backtrack = checked(input::boolean("fastBacktrack", &value))?,
                "maxEntriesPerAppend" => {
                    cfg.max_entries_per_append = checked(input::integer_in(
                        "maxEntriesPerAppend",
                        &value,
                        1,
                        ENTRIES_PER_APPEND_MAX,
                    ))?
                }
                other => {
                    return Err(js_error(format!(
                        "unknown protocol setting \"{other}\"; expected fastBacktrack or maxEntriesPerAppend"
                    )))
                }
            }
        }
        self.sim = Sim::new(cfg).map_err(sim_error)?;
        Ok(())
    }
}
