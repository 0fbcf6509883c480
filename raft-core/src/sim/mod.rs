//! A deterministic cluster simulator, a safety checker and a client workload.
