//! Client operations and the history of their invocations and completions.

use std::fmt;

use crate::message::NodeId;

/// A key-value operation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KvOp {
    /// Set `key` to `value`.
    Put {
        /// The key.
        key: String,
        /// The new value.
        value: String,
    },
    /// Read `key`.
    Get {
        /// The key.
        key: String,
    },
    /// Set `key` to `new` if it holds `expected`.
    Cas {
        /// The key.
        key: String,
        /// The value it must hold.
        expected: String,
        /// The value to set.
        new: String,
    },
}

impl KvOp {
    /// The key the operation touches.
    pub fn key(&self) -> &str {
        match self {
            KvOp::Put { key, .. } | KvOp::Get { key } | KvOp::Cas { key, .. } => key,
        }
    }
}

impl fmt::Display for KvOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KvOp::Put { key, value } => write!(f, "put {key} {value}"),
            KvOp::Get { key } => write!(f, "get {key}"),
            KvOp::Cas { key, expected, new } => write!(f, "cas {key} {expected} {new}"),
        }
    }
}

/// The answer to a [`KvOp`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KvOutput {
    /// A put took effect.
    Ok,
    /// A get's value (`None`: no such key).
    Value(Option<String>),
    /// Whether a compare-and-swap swapped.
    Swapped(bool),
}

impl fmt::Display for KvOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KvOutput::Ok => write!(f, "ok"),
            KvOutput::Value(Some(v)) => write!(f, "= {v}"),
            KvOutput::Value(None) => write!(f, "= (none)"),
            KvOutput::Swapped(true) => write!(f, "swapped"),
            KvOutput::Swapped(false) => write!(f, "not swapped"),
        }
    }
}

/// One client operation: when it was invoked and, if the client got an answer, when and
/// what. An operation without an answer (the client gave up) may or may not have taken
/// effect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryOp {
    /// The client.
    pub client: u32,
    /// The operation.
    pub op: KvOp,
    /// Invocation time, µs.
    pub invoke_us: u64,
    /// Completion time and result; `None` if the outcome is unknown.
    pub completion: Option<(u64, KvOutput)>,
    /// The node that answered, if any.
    pub served_by: Option<NodeId>,
}
