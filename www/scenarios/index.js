// The guided scenarios shipped with the page, in the order a Raft explanation takes
// them. Each module's default export is one scenario (format: docs/scenarios.md).

import rolesAndTerms from "./roles-and-terms.js";
import leaderElection from "./leader-election.js";
import splitVote from "./split-vote.js";
import logReplication from "./log-replication.js";
import repairingLogs from "./repairing-logs.js";
import conflictHint from "./conflict-hint.js";
import partition from "./partition.js";
import figure8 from "./figure-8.js";
import figure8Broken from "./figure-8-broken.js";
import disruptiveServer from "./disruptive-server.js";
import preVote from "./prevote.js";
import breakRaft from "./break-raft.js";

export const SCENARIOS = Object.freeze([
  rolesAndTerms,
  leaderElection,
  splitVote,
  logReplication,
  repairingLogs,
  conflictHint,
  partition,
  figure8,
  figure8Broken,
  disruptiveServer,
  preVote,
  breakRaft,
]);

/** The scenario with this id, or null. */
export function scenarioById(id) {
  return SCENARIOS.find((s) => s.id === id) ?? null;
}
