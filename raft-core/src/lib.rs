//! A complete, deterministic Raft library.
#![deny(missing_docs)]

mod config;
mod error;
mod log;
mod message;
mod node;
mod progress;
pub mod sim;

pub use config::{Config, Faults};
pub use error::{ConfigError, Error};
pub use message::{
    ConfChange, Entry, EntryData, Index, Message, MessageKind, NodeId, Snapshot, Term,
};
pub use node::{PersistentState, RaftNode, ReadState, Role};
pub use progress::Progress;
