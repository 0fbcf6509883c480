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
  checkLength(packed);
  const out = new Array(packed.length / STRIDE);
  for (let i = 0, k = 0; k < packed.length; i++, k += STRIDE) out[i] = readMessage(packed, k);
  return out;
}

/**
 * unpackMessages() for a caller that reads the messages on every frame: a message keeps
 * its object, frozen, from one call to the next while its numbers stay the same (they are
 * fixed when it is sent), so that a frame makes objects only for the messages sent since
 * the last one. Each unpacker remembers the messages of its last call only.
 * @returns {(packed: Float64Array) => object[]}
 */
export function messageUnpacker() {
  /** @type {Map<number, {row: Float64Array, m: object, seen: number}>} */
  const known = new Map();
  let stamp = 0;
  return (packed) => {
    checkLength(packed);
    stamp++;
    const out = new Array(packed.length / STRIDE);
    for (let i = 0, k = 0; k < packed.length; i++, k += STRIDE) {
      let c = known.get(packed[k]);
      if (c === undefined || !sameRow(c.row, packed, k)) {
        // New, or another message under an old id (the playground was reset).
        c = { row: packed.slice(k, k + STRIDE), m: Object.freeze(readMessage(packed, k)), seen: 0 };
        known.set(packed[k], c);
      }
      c.seen = stamp;
      out[i] = c.m;
    }
    if (known.size > out.length) for (const [id, c] of known) if (c.seen !== stamp) known.delete(id);
    return out;
  };
}

function checkLength(packed) {
  if (packed.length % STRIDE !== 0) throw new Error(`packed messages: length ${packed.length} is not a multiple of ${STRIDE}`);
}

/** Whether `packed` holds at `k` the numbers of `row` (unused slots are NaN in both). */
function sameRow(row, packed, k) {
  for (let j = 0; j < STRIDE; j++) if (!Object.is(row[j], packed[k + j])) return false;
  return true;
}

/** The message whose numbers start at `packed[k]`. */
function readMessage(packed, k) {
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
  return m;
}
