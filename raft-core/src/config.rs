//! Configuration of one Raft peer.

use crate::error::ConfigError;
use crate::message::NodeId;

/// Deliberately unsafe protocol faults, for teaching and for proving that the safety
/// checker has teeth. **All are off by default; turning any on breaks Raft.**
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// Grant votes without the §5.4.1 up-to-date check on the candidate's log.
    pub vote_without_log_check: bool,
    /// Commit entries of earlier terms by counting replicas (what Figure 8 forbids).
    pub commit_old_term_by_count: bool,
    /// Forget `voted_for` on restart, so a node can vote twice in one term.
    pub forget_vote_on_restart: bool,
    /// Accept AppendEntries without the prev-index/prev-term consistency check.
    pub skip_consistency_check: bool,
    /// A leader keeps leading when it sees a higher term.
    pub leader_ignores_higher_term: bool,
}

impl Faults {
    /// True if any fault is switched on.
    pub fn any(&self) -> bool {
        self.vote_without_log_check
            || self.commit_old_term_by_count
            || self.forget_vote_on_restart
            || self.skip_consistency_check
            || self.leader_ignores_higher_term
    }
}

/// Configuration of one Raft peer. Times are in ticks: the caller decides what a tick is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The initial voters, this node among them. Later changes go through the log.
    pub voters: Vec<NodeId>,
    /// Lower bound of the randomized election timeout (§5.2), inclusive.
    pub election_timeout_ticks_min: u32,
    /// Upper bound of the randomized election timeout, exclusive.
    pub election_timeout_ticks_max: u32,
    /// A leader sends heartbeats every this many ticks.
    pub heartbeat_interval_ticks: u32,
    /// Run a PreVote round before a real election (thesis §9.6).
    pub pre_vote: bool,
    /// A leader steps down when it has not heard from a quorum for an election timeout.
    pub check_quorum: bool,
    /// Use the conflict hint in rejections to skip a whole term per round trip;
    /// when false, a leader backs `next_index` off by one per rejection.
    pub fast_backtrack: bool,
    /// Most entries one AppendEntries carries.
    pub max_entries_per_append: u64,
    /// Deliberately unsafe faults; all off by default.
    pub faults: Faults,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            voters: Vec::new(),
            election_timeout_ticks_min: 10,
            election_timeout_ticks_max: 20,
            heartbeat_interval_ticks: 3,
            pre_vote: true,
            check_quorum: true,
            fast_backtrack: true,
            max_entries_per_append: 64,
            faults: Faults::default(),
        }
    }
}

impl Config {
    /// A default configuration for a cluster of the given voters.
    pub fn new(voters: impl Into<Vec<NodeId>>) -> Self {
        Config {
            voters: voters.into(),
            ..Config::default()
        }
    }

    /// Checks the configuration for nonsense.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.voters.is_empty() {
            return Err(ConfigError::NoVoters);
        }
        if self.voters.contains(&0) {
            return Err(ConfigError::ZeroId);
        }
        let mut sorted = self.voters.clone();
        crate::vecmap::sort_small(&mut sorted);
        if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
            return Err(ConfigError::DuplicateVoter(w[0]));
        }
        if self.heartbeat_interval_ticks == 0 {
            return Err(ConfigError::ZeroHeartbeat);
        }
        if self.election_timeout_ticks_min <= self.heartbeat_interval_ticks {
            return Err(ConfigError::ElectionTimeoutTooShort {
                election: self.election_timeout_ticks_min,
                heartbeat: self.heartbeat_interval_ticks,
            });
        }
        if self.election_timeout_ticks_max <= self.election_timeout_ticks_min {
            return Err(ConfigError::EmptyTimeoutRange {
                min: self.election_timeout_ticks_min,
                max: self.election_timeout_ticks_max,
            });
        }
        if self.max_entries_per_append == 0 {
            return Err(ConfigError::ZeroMaxEntries);
        }
        Ok(())
    }
}
