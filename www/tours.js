// The guided tours as the page first needs them: their ids and titles, for the tour picker.
// The tours themselves (www/scenarios/, most of the teaching layer's size) are loaded by
// loadTour() when a reader picks one. Developing, this module imports them at once; the
// production build (scripts/make-dist.mjs) replaces it with the list written out, so the
// tours become a chunk of their own, fetched on demand.

import { SCENARIOS } from "./scenarios/index.js";

/** [{ id, title }] in the order the picker lists them. */
export const TOURS = SCENARIOS.map(({ id, title }) => ({ id, title }));

/** The tour with this id, or null if there is none. */
export async function loadTour(id) {
  const { scenarioById } = await import("./scenarios/index.js");
  return scenarioById(id);
}
