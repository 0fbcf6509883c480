//! Swarm testing: many seeds, each with a randomized fault schedule, then a healing phase
//! that must end with a leader, progress and converged logs.
