// Small helpers for writing scenarios: reading the state() object.

/** The node with this id. */
export const node = (s, id) => s.nodes.find((n) => n.id === id);

/** Live leaders (a stale one may linger in a minority partition), highest term first. */
export const leaders = (s) => s.nodes.filter((n) => n.up && n.role === "leader").sort((a, b) => b.term - a.term);

/** The leader of the highest term, or undefined. */
export const leader = (s) => leaders(s)[0];

/** Nodes in this role. */
export const inRole = (s, role) => s.nodes.filter((n) => n.up && n.role === role);

/** The highest term any node has seen. */
export const maxTerm = (s) => Math.max(...s.nodes.map((n) => n.term));

/** The entry at `index` in node n's log, or undefined. */
export const entry = (n, index) => n.log.find((e) => e.index === index);

/** Index of the last entry whose command is `cmd` in node n's log, or 0. */
export const indexOf = (n, cmd) => n.log.filter((e) => e.command === cmd).map((e) => e.index).pop() ?? 0;

/** Messages in flight of a type, optionally from/to given nodes. */
export const inFlight = (s, type, from, to) =>
  s.messages.filter((m) => m.type === type && (from === undefined || m.from === from) && (to === undefined || m.to === to));

/** "server 3", "servers 1, 2 and 4": the tours say "server", as the paper does. */
export function names(ids) {
  const a = [...ids].sort((x, y) => x - y);
  if (a.length === 1) return `server ${a[0]}`;
  return `servers ${a.slice(0, -1).join(", ")} and ${a[a.length - 1]}`;
}
