// The disruptive-server tour again, with PreVote on (thesis §9.6).
import { disruptive } from "./disruptive-server.js";

export default disruptive(true);
