// A small stand-in for the wasm Playground with the same JS API, for working on the
// page's look before the wasm build exists. Simplified Raft (no PreVote, no snapshots);
// not used by the tests or the shipped page.

export default async function init() {}

function prng(seed) {
  let s = (seed >>> 0) || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

export class Playground {
  constructor(o = {}) {
    const n = o.nodes ?? 5;
    if (n < 3 || n > 9) throw new Error("nodes must be 3..9");
    this.rand = prng(o.seed ?? 1);
    this.et = o.electionTimeoutMs ?? [150, 300];
    this.hb = o.heartbeatMs ?? 50;
    this.lat = o.latencyMs ?? [10, 30];
    this.loss = o.lossRatio ?? 0;
    this.time = 0;
    this.nextId = 1;
    this.msgs = [];
    this.seqs = [];
    this.nodes = [];
    for (let i = 1; i <= n; i++) {
      this.nodes.push({ id: i, role: "follower", term: 0, votedFor: null, commitIndex: 0, up: true, group: 0, log: [], votes: new Set(), next: {}, match: {}, lastReset: 0, timeout: this.#timeout(), hbAt: 0 });
    }
  }
  #timeout() { return Math.floor(this.et[0] + this.rand() * (this.et[1] - this.et[0])); }
  #node(id) { const n = this.nodes.find((x) => x.id === id); if (!n) throw new Error(`no node ${id}`); return n; }
  #send(from, to, type, body) {
    const a = this.#node(from), b = this.#node(to);
    if (this.rand() < this.loss) return;
    const d = Math.floor(this.lat[0] + this.rand() * (this.lat[1] - this.lat[0]));
    this.msgs.push({ id: this.nextId++, from, to, type, term: a.term, sentAtMs: this.time, deliverAtMs: this.time + d, ...body, _cut: a.group !== b.group });
  }
  #lastTerm(n) { return n.log.length ? n.log[n.log.length - 1].term : 0; }
  #become(n, role, term) {
    if (term > n.term) { n.term = term; n.votedFor = null; }
    n.role = role;
  }
  #campaign(n) {
    this.#become(n, "candidate", n.term + 1);
    n.votedFor = n.id; n.votes = new Set([n.id]);
    n.lastReset = this.time; n.timeout = this.#timeout();
    for (const p of this.nodes) if (p.id !== n.id) this.#send(n.id, p.id, "RequestVote", { lastLogIndex: n.log.length, lastLogTerm: this.#lastTerm(n) });
  }
  #bcast(n) {
    n.hbAt = this.time;
    for (const p of this.nodes) if (p.id !== n.id) this.#append(n, p.id);
  }
  #append(n, to) {
    const next = n.next[to];
    const prev = next - 1;
    const entries = n.log.slice(prev, prev + 8);
    this.#send(n.id, to, "AppendEntries", { prevLogIndex: prev, prevLogTerm: prev ? n.log[prev - 1].term : 0, entries, leaderCommit: n.commitIndex });
  }
  #deliver(m) {
    const n = this.#node(m.to);
    if (!n.up || m._cut) return;
    if (m.term > n.term) { this.#become(n, "follower", m.term); }
    const reply = (type, body) => this.#send(n.id, m.from, type, body);
    switch (m.type) {
      case "RequestVote": {
        const ok = m.term === n.term && (n.votedFor === null || n.votedFor === m.from) &&
          (m.lastLogTerm > this.#lastTerm(n) || (m.lastLogTerm === this.#lastTerm(n) && m.lastLogIndex >= n.log.length));
        if (ok) { n.votedFor = m.from; n.lastReset = this.time; }
        reply("RequestVoteResponse", { granted: ok });
        break;
      }
      case "RequestVoteResponse":
        if (n.role === "candidate" && m.term === n.term && m.granted) {
          n.votes.add(m.from);
          if (n.votes.size * 2 > this.nodes.length) {
            n.role = "leader";
            n.log.push({ index: n.log.length + 1, term: n.term, command: null });
            for (const p of this.nodes) { n.next[p.id] = n.log.length; n.match[p.id] = 0; }
            n.match[n.id] = n.log.length;
            this.#bcast(n);
          }
        }
        break;
      case "AppendEntries": {
        if (m.term < n.term) { reply("AppendEntriesResponse", { success: false, matchIndex: 0 }); break; }
        n.role = "follower"; n.lastReset = this.time;
        const ok = m.prevLogIndex === 0 || (n.log.length >= m.prevLogIndex && n.log[m.prevLogIndex - 1].term === m.prevLogTerm);
        if (!ok) { reply("AppendEntriesResponse", { success: false, matchIndex: 0 }); break; }
        for (const e of m.entries) {
          if (n.log.length >= e.index && n.log[e.index - 1].term !== e.term) n.log.length = e.index - 1;
          if (n.log.length < e.index) n.log.push({ ...e });
        }
        const last = m.prevLogIndex + m.entries.length;
        n.commitIndex = Math.max(n.commitIndex, Math.min(m.leaderCommit, last));
        reply("AppendEntriesResponse", { success: true, matchIndex: last });
        break;
      }
      case "AppendEntriesResponse":
        if (n.role !== "leader" || m.term !== n.term) break;
        if (m.success) {
          n.match[m.from] = Math.max(n.match[m.from], m.matchIndex);
          n.next[m.from] = n.match[m.from] + 1;
          const ms = this.nodes.map((p) => (p.id === n.id ? n.log.length : n.match[p.id])).sort((a, b) => b - a);
          const q = ms[Math.floor(this.nodes.length / 2)];
          if (q > n.commitIndex && n.log[q - 1].term === n.term) n.commitIndex = q;
          if (n.next[m.from] <= n.log.length) this.#append(n, m.from);
        } else {
          n.next[m.from] = Math.max(1, n.next[m.from] - 1);
          this.#append(n, m.from);
        }
        break;
    }
  }
  #nextEvent() {
    let best = null, kind = null;
    for (const m of this.msgs) if (!best || m.deliverAtMs < best.t) { best = { t: m.deliverAtMs, m }; kind = "msg"; }
    for (const n of this.nodes) {
      if (!n.up) continue;
      const t = n.role === "leader" ? n.hbAt + this.hb : n.lastReset + n.timeout;
      if (!best || t < best.t) { best = { t, n }; kind = "timer"; }
    }
    return best && { ...best, kind };
  }
  #run(ev) {
    this.time = Math.max(this.time, ev.t);
    if (ev.kind === "msg") {
      this.msgs.splice(this.msgs.indexOf(ev.m), 1);
      this.#deliver(ev.m);
      return `deliver ${ev.m.type} ${ev.m.from}→${ev.m.to}`;
    }
    if (ev.n.role === "leader") { this.#bcast(ev.n); return `node ${ev.n.id} heartbeat`; }
    this.#campaign(ev.n);
    return `node ${ev.n.id} timed out`;
  }
  advance(ms) {
    if (!(ms >= 0)) throw new Error("advance: ms must be a non-negative number");
    const end = this.time + ms;
    let k = 0;
    for (;;) {
      const ev = this.#nextEvent();
      if (!ev || ev.t > end) break;
      this.#run(ev); k++;
    }
    this.time = end;
    return k;
  }
  stepEvent() { const ev = this.#nextEvent(); return ev ? this.#run(ev) : null; }
  state() {
    const leader = this.nodes.filter((n) => n.up && n.role === "leader").sort((a, b) => b.term - a.term)[0];
    return {
      timeMs: this.time,
      leader: leader ? leader.id : null,
      nodes: this.nodes.map((n) => ({
        id: n.id, role: n.role, term: n.term, votedFor: n.votedFor, commitIndex: n.commitIndex, up: n.up, group: n.group,
        electionElapsedMs: this.time - n.lastReset, electionTimeoutMs: n.timeout,
        log: n.log.map((e) => ({ ...e })),
        ...(leader && leader !== n ? { nextIndex: leader.next[n.id], matchIndex: leader.match[n.id] } : {}),
      })),
      messages: this.msgs.map(({ _cut, ...m }) => ({ ...m, entries: m.entries ? m.entries.length : undefined })),
      violations: [],
    };
  }
  propose(command, via) {
    const st = this.state();
    const id = via ?? st.leader;
    if (id === null) throw new Error("no leader to take the request yet");
    const n = this.#node(id);
    if (n.role !== "leader" || !n.up) throw new Error(`node ${id} is not the leader`);
    n.log.push({ index: n.log.length + 1, term: n.term, command });
    n.match[n.id] = n.log.length;
    this.#bcast(n);
    return { leader: id, index: n.log.length };
  }
  crash(id) { const n = this.#node(id); n.up = false; n.role = "follower"; this.msgs = this.msgs.filter((m) => m.to !== id); }
  restart(id) { const n = this.#node(id); n.up = true; n.role = "follower"; n.lastReset = this.time; n.commitIndex = 0; }
  timeout(id) { const n = this.#node(id); if (n.up) this.#campaign(n); }
  partition(groups) {
    for (const n of this.nodes) n.group = -1;
    groups.forEach((g, i) => g.forEach((id) => (this.#node(id).group = i)));
    let k = groups.length;
    for (const n of this.nodes) if (n.group < 0) n.group = k++;
    for (const m of this.msgs) m._cut = m._cut || this.#node(m.from).group !== this.#node(m.to).group;
  }
  heal() { for (const n of this.nodes) n.group = 0; }
  dropMessage(id) { const i = this.msgs.findIndex((m) => m.id === id); if (i < 0) throw new Error(`no message ${id}`); this.msgs.splice(i, 1); }
  setNetwork({ latencyMs, lossRatio }) { if (latencyMs) this.lat = latencyMs; if (lossRatio !== undefined) this.loss = lossRatio; }
  free() {}
}
