//! The replicated log: append, conflict search, commit, compaction.
