// The log-repair tour again, with the conflict hint: one round trip per term, not per entry.
import { repairing } from "./repairing-logs.js";

export default repairing(true);
