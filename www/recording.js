// What <raft-playground> needs, besides teach.js, to play a tour: a recorded Playground
// (runlog.js) and the hub it reports to. The page imports both directly (its first view
// records every run); the element, whose free play records nothing, loads them with a tour.

export { makeHub } from "./hub.js";
export { recordingClass } from "./runlog.js";
