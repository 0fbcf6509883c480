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

/// The sequential specification, first half: whether `op`'s answer fits `state`. An
/// operation whose answer never came fits any state.
fn fits(state: &Option<String>, op: &Op) -> bool {
    match (&op.op, &op.output) {
        (_, None) => true,
        (KvOp::Put { .. }, Some(out)) => *out == KvOutput::Ok,
        (KvOp::Get { .. }, Some(out)) => matches!(out, KvOutput::Value(v) if v == state),
        (KvOp::Cas { expected, .. }, Some(out)) => {
            *out == KvOutput::Swapped(state.as_deref() == Some(expected.as_str()))
        }
    }
}

/// The sequential specification, second half: the state after `op`.
fn apply(state: &Option<String>, op: &Op) -> Option<String> {
    match &op.op {
        KvOp::Put { value, .. } => Some(value.clone()),
        KvOp::Get { .. } => state.clone(),
        KvOp::Cas { expected, new, .. } if state.as_deref() == Some(expected.as_str()) => {
            Some(new.clone())
        }
        KvOp::Cas { .. } => state.clone(),
    }
}

/// Checks one key's operations, sorted by invocation. `Some(true)`: linearizable;
/// `Some(false)`: not; `None`: budget exhausted.
///
/// An operation whose outcome is unknown may take effect at any time after its invocation,
/// or never; it has no answer to check. So the search is done once every operation with a
/// known outcome has its place, and it places an unknown one only where it is of use: where
/// a waiting operation's answer fits after it and did not before (the write a read saw), or
/// where it makes a waiting compare-and-swap of unknown outcome swap (a link in a chain of
/// them that ends at such an answer). Any linearization can be rearranged into one of that
/// form: an unknown write that nothing reads moves to the end, and one that something
/// reads moves to just before its first reader. Without this a run with crashes and
/// partitions, which leaves dozens of writes of unknown outcome on a key, made the search
/// go through their subsets at every dead end.
fn check_key(ops: &[Op], budget: u64) -> Option<bool> {
    let n = ops.len();
    let words = n.div_ceil(64);
    let mut done = vec![0u64; words];
    let is_done = |d: &[u64], i: usize| d[i / 64] >> (i % 64) & 1 == 1;
    let known = |i: usize| ops[i].complete != u64::MAX;
    let n_known = (0..n).filter(|&i| known(i)).count();
    let mut visited: BTreeSet<(Vec<u64>, Option<String>)> = BTreeSet::new();
    // Depth-first search with an explicit stack: each frame holds the state before its
    // choice and the next candidate to try, as a position in two passes over the
    // operations: those with a known outcome (0..n), then the others (n..2n).
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
    let mut known_done = 0usize;
    loop {
        if known_done == n_known {
            return Some(true);
        }
        steps += 1;
        if steps > budget {
            return None;
        }
        let top = stack.len() - 1;
        // Operations not yet linearized that no other pending operation precedes in real
        // time: those invoked before the earliest pending completion. Sorted by
        // invocation, they are the ones before the first invoked after it.
        let min_complete = (0..n)
            .filter(|&i| !is_done(&done, i))
            .map(|i| ops[i].complete)
            .min()
            .unwrap_or(u64::MAX);
        let window = ops.partition_point(|o| o.invoke <= min_complete);
        let state = &stack[top].state;
        // Whether an operation of unknown outcome that leaves `after` is of use (above).
        let of_use = |done: &[u64], after: &Option<String>| {
            (0..window).any(|j| {
                !is_done(done, j)
                    && if known(j) {
                        !fits(state, &ops[j]) && fits(after, &ops[j])
                    } else if let KvOp::Cas { expected, .. } = &ops[j].op {
                        let e = Some(expected.as_str());
                        state.as_deref() != e && after.as_deref() == e
                    } else {
                        false
                    }
            })
        };
        let mut chosen = None;
        let mut pos = stack[top].next;
        while pos < 2 * n {
            let (pass_known, i) = (pos < n, pos % n);
            pos += 1;
            if i >= window {
                pos = if pass_known { n } else { 2 * n };
                continue;
            }
            if is_done(&done, i) || known(i) != pass_known || !fits(state, &ops[i]) {
                continue;
            }
            let after = apply(state, &ops[i]);
            if !pass_known && !of_use(&done, &after) {
                continue;
            }
            done[i / 64] |= 1 << (i % 64);
            if visited.insert((done.clone(), after.clone())) {
                chosen = Some((i, after));
                break;
            }
            done[i / 64] &= !(1 << (i % 64));
        }
        if let Some((i, after)) = chosen {
            stack[top].next = pos;
            stack.push(Frame {
                state: after,
                chosen: Some(i),
                next: 0,
            });
            known_done += usize::from(known(i));
            continue;
        }
        // Dead end: undo this frame's choice.
        let frame = stack.pop().expect("stack holds the root");
        match frame.chosen {
            None => return Some(false),
            Some(c) => {
                done[c / 64] &= !(1 << (c % 64));
                known_done -= usize::from(known(c));
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
    fn a_write_of_unknown_outcome_cannot_explain_an_earlier_read() {
        let h = vec![
            op(2, "get x", 10, Some((20, val("1")))),
            op(1, "put x 1", 30, None),
        ];
        assert!(matches!(check(&h), NotLinearizable { .. }));
    }

    #[test]
    fn many_writes_of_unknown_outcome_are_placed_only_where_a_read_needs_them() {
        // Thirty writes whose clients never heard back (a crashed leader's), one of which a
        // later read saw. Placing them all, in every order, is a search of 2^30 subsets;
        // only put 17 has to go before the read, and the others may go last.
        let mut h: Vec<HistoryOp> = (0..30)
            .map(|i| op(i, &format!("put x {i}"), 0, None))
            .collect();
        h.push(op(40, "get x", 100, Some((110, val("17")))));
        h.push(op(41, "put x z", 120, Some((130, KvOutput::Ok))));
        h.push(op(40, "get x", 140, Some((150, val("z")))));
        assert_eq!(check_with_budget(&h, 1_000), Linearizable);
        // And a history they cannot explain is refuted as fast: a read, after "put x z" and
        // a read of z, of a value none of them wrote, and then a stale read of z.
        let mut bad = h.clone();
        bad.push(op(40, "get x", 160, Some((170, val("nobody")))));
        assert!(matches!(
            check_with_budget(&bad, 1_000),
            NotLinearizable { .. }
        ));
        let mut stale = h.clone();
        stale.push(op(41, "put x w", 160, Some((170, KvOutput::Ok))));
        stale.push(op(40, "get x", 180, Some((190, val("z")))));
        assert!(matches!(
            check_with_budget(&stale, 1_000),
            NotLinearizable { .. }
        ));
    }

    #[test]
    fn unknown_writes_in_a_chain_explain_a_read() {
        // Neither unknown operation is read directly: the put makes the swap swap, and the
        // swap's value is what the read saw.
        let h = vec![
            op(1, "put x a", 0, None),
            op(2, "cas x a b", 10, None),
            op(3, "get x", 20, Some((30, val("b")))),
        ];
        assert_eq!(check(&h), Linearizable);
        let wrong = vec![
            op(1, "put x a", 0, None),
            op(2, "cas x c b", 10, None),
            op(3, "get x", 20, Some((30, val("b")))),
        ];
        assert!(matches!(check(&wrong), NotLinearizable { .. }));
    }

    #[test]
    fn an_unknown_write_explains_a_failed_swap() {
        // The swap failed although x held 1 when it began: only the unknown write of 2,
        // placed before it, explains that.
        let h = vec![
            op(1, "put x 1", 0, Some((10, KvOutput::Ok))),
            op(2, "put x 2", 20, None),
            op(3, "cas x 1 3", 30, Some((40, KvOutput::Swapped(false)))),
        ];
        assert_eq!(check(&h), Linearizable);
        let mut h2 = h.clone();
        h2[1].invoke_us = 50;
        assert!(matches!(check(&h2), NotLinearizable { .. }));
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
