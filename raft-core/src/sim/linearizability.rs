//! A linearizability checker for key-value histories (Wing & Gong's search, with Lowe's
//! memoization of visited states, as Porcupine does), split per key: operations on different
//! keys commute, so a history is linearizable iff each key's sub-history is (Herlihy & Wing's
//! locality).
//!
//! The search is exponential in the worst case, so it runs under a step budget and answers
//! [`Linearizability::Unknown`] rather than guess when the budget runs out.

use std::collections::{BTreeMap, BTreeSet};

use super::history::{HistoryOp, KvOp, KvOutput};

/// The checker's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Linearizability {
    /// Some order of the operations, consistent with real time, explains every answer.
    Linearizable,
    /// No such order exists for the operations on `key`.
    NotLinearizable {
        /// The key whose history cannot be explained.
        key: String,
        /// Positions in the history of that key's operations.
        ops: Vec<usize>,
    },
    /// The search gave up on `key` after its step budget.
    Unknown {
        /// The key.
        key: String,
    },
}

/// Default search budget per key, in search steps.
pub const STEP_BUDGET_DEFAULT: u64 = 2_000_000;

struct Op {
    invoke: u64,
    /// `u64::MAX` when the outcome is unknown: the operation may take effect at any time
    /// after its invocation, or never (which is the same as last).
    complete: u64,
    op: KvOp,
    output: Option<KvOutput>,
}

/// The sequential specification: applies `op` to `state` if the answer fits.
fn step(state: &Option<String>, op: &Op) -> Option<Option<String>> {
    match &op.op {
        KvOp::Put { value, .. } => match &op.output {
            None | Some(KvOutput::Ok) => Some(Some(value.clone())),
            Some(_) => None,
        },
        KvOp::Get { .. } => match &op.output {
            None => Some(state.clone()),
            Some(KvOutput::Value(v)) if v == state => Some(state.clone()),
            Some(_) => None,
        },
        KvOp::Cas { expected, new, .. } => {
            let swaps = state.as_deref() == Some(expected.as_str());
            if op.output.is_some() && op.output != Some(KvOutput::Swapped(swaps)) {
                return None;
            }
            Some(if swaps {
                Some(new.clone())
            } else {
                state.clone()
            })
        }
    }
}

/// Checks one key's operations, sorted by invocation. `Some(true)`: linearizable;
/// `Some(false)`: not; `None`: budget exhausted.
fn check_key(ops: &[Op], budget: u64) -> Option<bool> {
    let n = ops.len();
    let words = n.div_ceil(64);
    let mut done = vec![0u64; words];
    let is_done = |d: &[u64], i: usize| d[i / 64] >> (i % 64) & 1 == 1;
    let mut visited: BTreeSet<(Vec<u64>, Option<String>)> = BTreeSet::new();
    // Depth-first search with an explicit stack: each frame holds the state before its
    // choice and the next candidate to try.
    struct Frame {
        state: Option<String>,
        chosen: Option<usize>,
        next: usize,
    }
    let mut stack = vec![Frame {
        state: None,
        chosen: None,
        next: 0,
    }];
    let mut steps = 0u64;
    let mut count = 0usize;
    loop {
        if count == n {
            return Some(true);
        }
        steps += 1;
        if steps > budget {
            return None;
        }
        let top = stack.len() - 1;
        // Operations not yet linearized that no other pending operation precedes in real
        // time: those invoked before the earliest pending completion.
        let min_complete = (0..n)
            .filter(|&i| !is_done(&done, i))
            .map(|i| ops[i].complete)
            .min()
            .unwrap_or(u64::MAX);
        let mut advanced = false;
        let mut i = stack[top].next;
        while i < n && ops[i].invoke <= min_complete {
            if !is_done(&done, i) {
                if let Some(next_state) = step(&stack[top].state, &ops[i]) {
                    done[i / 64] |= 1 << (i % 64);
                    if visited.insert((done.clone(), next_state.clone())) {
                        stack[top].next = i + 1;
                        stack.push(Frame {
                            state: next_state,
                            chosen: Some(i),
                            next: 0,
                        });
                        count += 1;
                        advanced = true;
                        break;
                    }
                    done[i / 64] &= !(1 << (i % 64));
                }
            }
            i += 1;
        }
        if advanced {
            continue;
        }
        // Dead end: undo this frame's choice.
        let frame = stack.pop().expect("stack holds the root");
        match frame.chosen {
            None => return Some(false),
            Some(c) => {
                done[c / 64] &= !(1 << (c % 64));
                count -= 1;
            }
        }
    }
}

/// Checks a key-value history with the default budget.
pub fn check(history: &[HistoryOp]) -> Linearizability {
    check_with_budget(history, STEP_BUDGET_DEFAULT)
}

/// Checks a key-value history, searching at most `budget` steps per key. Keys are checked in
/// order; the first one that is not linearizable is reported.
pub fn check_with_budget(history: &[HistoryOp], budget: u64) -> Linearizability {
    let mut per_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, h) in history.iter().enumerate() {
        // A read without an answer constrains nothing.
        if h.completion.is_none() && matches!(h.op, KvOp::Get { .. }) {
            continue;
        }
        per_key.entry(h.op.key()).or_default().push(i);
    }
    let mut unknown = None;
    for (key, idx) in per_key {
        let mut ops: Vec<(usize, Op)> = idx
            .iter()
            .map(|&i| {
                let h = &history[i];
                (
                    i,
                    Op {
                        invoke: h.invoke_us,
                        complete: h.completion.as_ref().map_or(u64::MAX, |c| c.0),
                        op: h.op.clone(),
                        output: h.completion.as_ref().map(|c| c.1.clone()),
                    },
                )
            })
            .collect();
        ops.sort_by_key(|(i, o)| (o.invoke, *i));
        let positions: Vec<usize> = ops.iter().map(|(i, _)| *i).collect();
        let ops: Vec<Op> = ops.into_iter().map(|(_, o)| o).collect();
        match check_key(&ops, budget) {
            Some(true) => {}
            Some(false) => {
                return Linearizability::NotLinearizable {
                    key: key.to_string(),
                    ops: positions,
                }
            }
            None => {
                if unknown.is_none() {
                    unknown = Some(key.to_string());
                }
            }
        }
    }
    match unknown {
        Some(key) => Linearizability::Unknown { key },
        None => Linearizability::Linearizable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(client: u32, text: &str, invoke: u64, done: Option<(u64, KvOutput)>) -> HistoryOp {
        let cmd = super::super::workload::Command::parse(text.as_bytes()).unwrap();
        HistoryOp {
            client,
            op: cmd.op,
            invoke_us: invoke,
            completion: done,
            served_by: None,
        }
    }
    fn val(v: &str) -> KvOutput {
        KvOutput::Value(Some(v.to_string()))
    }

    #[test]
    fn sequential_history() {
        let h = vec![
            op(1, "put x 1", 0, Some((10, KvOutput::Ok))),
            op(2, "get x", 20, Some((30, val("1")))),
            op(1, "cas x 1 2", 40, Some((50, KvOutput::Swapped(true)))),
            op(2, "cas x 1 3", 60, Some((70, KvOutput::Swapped(false)))),
            op(2, "get x", 80, Some((90, val("2")))),
        ];
        assert_eq!(check(&h), Linearizable);
    }

    use Linearizability::*;

    #[test]
    fn stale_read_is_caught() {
        // The read starts after the second put finished, yet sees the first value.
        let h = vec![
            op(1, "put x 1", 0, Some((10, KvOutput::Ok))),
            op(1, "put x 2", 20, Some((30, KvOutput::Ok))),
            op(2, "get x", 40, Some((50, val("1")))),
        ];
        assert!(matches!(check(&h), NotLinearizable { key, .. } if key == "x"));
    }

    #[test]
    fn concurrent_ops_may_take_either_order() {
        let h = vec![
            op(1, "put x 1", 0, Some((100, KvOutput::Ok))),
            op(2, "get x", 10, Some((20, KvOutput::Value(None)))),
            op(3, "get x", 30, Some((40, val("1")))),
            op(2, "get x", 50, Some((60, val("1")))),
        ];
        assert_eq!(check(&h), Linearizable);
        // But a read cannot go back to "none" once a later read saw the put.
        let mut bad = h.clone();
        bad.push(op(3, "get x", 70, Some((80, KvOutput::Value(None)))));
        assert!(matches!(check(&bad), NotLinearizable { .. }));
    }

    #[test]
    fn unknown_outcomes_may_or_may_not_happen() {
        let h = vec![
            op(1, "put x 1", 0, None),
            op(2, "get x", 10, Some((20, KvOutput::Value(None)))),
            op(2, "get x", 30, Some((40, val("1")))),
        ];
        assert_eq!(check(&h), Linearizable);
        let h2 = vec![
            op(1, "put x 1", 0, None),
            op(2, "get x", 10, Some((20, KvOutput::Value(None)))),
        ];
        assert_eq!(check(&h2), Linearizable);
    }

    #[test]
    fn a_value_read_twice_after_being_overwritten() {
        // put 1 | put 2 concurrently; readers see 2 then 1 then 2: impossible.
        let h = vec![
            op(1, "put x 1", 0, Some((100, KvOutput::Ok))),
            op(2, "put x 2", 0, Some((100, KvOutput::Ok))),
            op(3, "get x", 10, Some((20, val("2")))),
            op(3, "get x", 30, Some((40, val("1")))),
            op(3, "get x", 50, Some((60, val("2")))),
        ];
        assert!(matches!(check(&h), NotLinearizable { .. }));
    }

    #[test]
    fn keys_are_independent() {
        let h = vec![
            op(1, "put a 1", 0, Some((10, KvOutput::Ok))),
            op(2, "put b 1", 0, Some((10, KvOutput::Ok))),
            op(1, "get b", 20, Some((30, val("1")))),
            op(2, "get a", 20, Some((30, KvOutput::Value(None)))),
        ];
        assert!(matches!(check(&h), NotLinearizable { key, .. } if key == "a"));
    }

    #[test]
    fn budget_exhaustion_says_unknown() {
        // Many concurrent puts and a read of a value nobody wrote: the search must try every
        // order before it can say no; with a tiny budget it must say "unknown".
        let mut h: Vec<HistoryOp> = (0..12)
            .map(|i| op(i, &format!("put x {i}"), 0, Some((1000, KvOutput::Ok))))
            .collect();
        h.push(op(99, "get x", 2000, Some((2010, val("nobody")))));
        assert_eq!(check_with_budget(&h, 50), Unknown { key: "x".into() });
        assert!(matches!(check(&h), NotLinearizable { .. }));
    }
}
