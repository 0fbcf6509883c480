// The messages in flight, read the cheap way. `state()` writes them as JSON text that the
// browser then parses: most of its cost with a hundred messages flying, paid on every frame
// the cluster changed. `messagesPacked()` hands the same facts over as one Float64Array
// (web/src/view.rs, `packed_messages`, gives the layout); unpackMessages() turns it into
// the objects `state({ entryLimit: 0 }).messages` holds, field for field.

/** Numbers per message. */
export const STRIDE = 11;

/** Message types by their code in the packed array. */
export const TYPES = Object.freeze([
  "PreVote",
  "PreVoteResponse",
  "RequestVote",
  "RequestVoteResponse",
  "AppendEntries",
  "AppendEntriesResponse",
  "InstallSnapshot",
  "InstallSnapshotResponse",
  "TimeoutNow",
]);

/**
 * What an AppendEntries lists as its entries here: none (`entryCount` says how many it
 * carries). One shared, frozen array, rather than a new one per message on every frame
 * that reads them.
 */
const NO_ENTRIES = Object.freeze([]);

/**
 * The messages in `packed` (from `pg.messagesPacked()`), as `state()` gives them with
 * `entryLimit: 0` (an AppendEntries lists no entries, its `entryCount` says how many).
 * @param {Float64Array} packed
 * @returns {object[]}
 */
export function unpackMessages(packed) {
  if (packed.length % STRIDE !== 0) throw new Error(`packed messages: length ${packed.length} is not a multiple of ${STRIDE}`);
  const out = new Array(packed.length / STRIDE);
  for (let i = 0, k = 0; k < packed.length; i++, k += STRIDE) {
    const code = packed[k + 3];
    const type = TYPES[code];
    if (type === undefined) throw new Error(`packed messages: unknown message type code ${code}`);
    const m = {
      id: packed[k],
      from: packed[k + 1],
      to: packed[k + 2],
      type,
      term: packed[k + 4],
      sentAtMs: packed[k + 5],
      deliverAtMs: packed[k + 6],
    };
    const a = packed[k + 7];
    const b = packed[k + 8];
    switch (code) {
      case 0: // PreVote
      case 2: // RequestVote
        m.lastLogIndex = a;
        m.lastLogTerm = b;
        break;
      case 1: // PreVoteResponse
      case 3: // RequestVoteResponse
        m.granted = a === 1;
        break;
      case 4: // AppendEntries
        m.entries = NO_ENTRIES;
        m.entryCount = a;
        m.prevLogIndex = b;
        m.prevLogTerm = packed[k + 9];
        m.leaderCommit = packed[k + 10];
        break;
      case 5: // AppendEntriesResponse
        m.success = a === 1;
        if (m.success) m.matchIndex = b;
        break;
      case 6: // InstallSnapshot
        m.prevLogIndex = a;
        m.prevLogTerm = b;
        break;
      case 7: // InstallSnapshotResponse
        m.matchIndex = a;
        break;
    }
    out[i] = m;
  }
  return out;
}
