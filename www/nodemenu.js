// The per-node menu: the node's Raft state (what RaftScope's server details show), then
// crash or restart, force an election timeout, send a client request through this node,
// cut it off or bring it back, drop the messages on their way to it, all of them or one
// (what a click on a message does, for a keyboard and a screen reader). Opens on click or
// on Enter/Space on a focused node; Escape closes it and returns focus to the node.

/** At most this many messages on their way to a node get an item each (soonest first). */
export const MENU_MESSAGES_MAX = 6;

/**
 * What the menu says about a node's Raft state, in lines: role and term, vote, log and
 * commit index, election timer; for a leader, its view of each peer (nextIndex, matchIndex).
 * `node` is its entry in state().nodes with at least its last log entry.
 * @returns {{lines: string[], peers: {id:number, next:number, match:number}[]}}
 */
export function nodeFacts(node) {
  if (!node.up) return { lines: [`crashed · term ${node.term}`, `log and vote kept on disk`], peers: [] };
  const lines = [`${node.role} · term ${node.term}${node.votedFor ? ` · voted for ${node.votedFor}` : ""}`];
  const last = node.log?.length ? node.log[node.log.length - 1] : null;
  const lastIndex = last ? last.index : node.snapshotIndex ?? 0;
  const lastTerm = last ? last.term : node.snapshotTerm ?? 0;
  let log = `log to ${lastIndex}${lastIndex ? ` (term ${lastTerm})` : ""}, committed to ${node.commitIndex}`;
  if (node.snapshotIndex) log += `, snapshot to ${node.snapshotIndex}`;
  lines.push(log);
  if (node.role !== "leader" && typeof node.electionTimeoutMs === "number") {
    const left = Math.max(0, node.electionTimeoutMs - node.electionElapsedMs);
    lines.push(`election timer: ${Math.round(left)} of ${Math.round(node.electionTimeoutMs)} ms left`);
  }
  const peers = Object.entries(node.progress ?? {})
    .map(([id, p]) => ({ id: Number(id), next: p.nextIndex, match: p.matchIndex }))
    .sort((a, b) => a.id - b.id);
  return { lines, peers };
}

let factsIds = 0;

export class NodeMenu {
  /**
   * @param {HTMLElement} el the menu container (positioned over the cluster figure)
   * @param {(action:string, id:number)=>void} onAction
   */
  constructor(el, onAction) {
    this.el = el;
    this.onAction = onAction;
    this.id = null;
    this.anchor = null;
    el.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-action]");
      if (!b) return;
      const id = this.id;
      this.close();
      const msg = b.getAttribute("data-message-id");
      onAction(b.getAttribute("data-action"), id, msg === null ? undefined : Number(msg));
    });
    el.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        this.close();
      } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const items = [...el.querySelectorAll("button")];
        const i = items.indexOf(e.target);
        items[(i + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length]?.focus();
      }
    });
    this.outside = (e) => {
      if (!this.el.hidden && !e.composedPath().includes(this.el)) this.close(false);
    };
    el.ownerDocument.addEventListener("pointerdown", this.outside, true);
  }

  get isOpen() {
    return !this.el.hidden;
  }

  /**
   * @param {object} node the node's entry in state().nodes
   * @param {{alone:boolean, leader:number|null, incoming?:{id:number, label:string}[]}} ctx
   *        whether it is already in a group of its own, the cluster's leader, and the
   *        messages on their way to it, soonest first, each with what its item says
   * @param {Element} anchor the node's SVG group (for position and focus return)
   */
  open(node, { alone, leader, incoming: coming = [] }, anchor) {
    const incoming = coming.length;
    this.id = node.id;
    this.anchor = anchor;
    const items = [
      node.up ? ["crash", `Crash node ${node.id}`] : ["restart", `Restart node ${node.id}`],
      ["timeout", "Force election timeout"],
      ["request", "Client request via this node"],
      alone ? ["rejoin", "Rejoin the others"] : ["isolate", "Cut off from the others"],
      ["transfer", "Hand leadership to this node"],
      ["compact", "Compact its log into a snapshot"],
      ["drop", incoming === 1 ? "Drop the message on its way to it" : `Drop the ${incoming ? `${incoming} ` : ""}messages on their way to it`],
    ];
    const disabled = (action) =>
      action === "drop" ? incoming === 0
        : !node.up ? action !== "crash" && action !== "restart" && action !== "isolate" && action !== "rejoin"
        : action === "transfer" ? leader === null || leader === node.id : false;
    this.el.replaceChildren();
    const h = document.createElement("p");
    h.className = "menu-title";
    h.textContent = `Node ${node.id}`;
    this.el.append(h);
    // The node's state (RaftScope's server details), read with the menu: what the menu
    // describes (aria-describedby), so a screen reader says it on opening.
    const { lines, peers } = nodeFacts(node);
    const facts = document.createElement("div");
    facts.className = "menu-facts";
    facts.id = `rp-menu-facts-${++factsIds}`;
    for (const line of lines) facts.append(Object.assign(document.createElement("p"), { textContent: line }));
    if (peers.length) {
      const t = document.createElement("table");
      t.className = "menu-peers";
      t.createCaption().textContent = "its view of each follower";
      const head = t.createTHead().insertRow();
      for (const c of ["node", "nextIndex", "matchIndex"]) head.append(Object.assign(document.createElement("th"), { textContent: c, scope: "col" }));
      const body = t.createTBody();
      for (const p of peers) {
        const r = body.insertRow();
        r.setAttribute("data-peer", String(p.id));
        for (const v of [p.id, p.next, p.match]) r.insertCell().textContent = String(v);
      }
      facts.append(t);
    }
    this.el.append(facts);
    this.el.setAttribute("aria-describedby", facts.id);
    const item = (action, label, off = false) => {
      const b = document.createElement("button");
      b.type = "button";
      b.setAttribute("role", "menuitem");
      b.setAttribute("data-action", action);
      if (off) b.disabled = true;
      b.textContent = label;
      this.el.append(b);
      return b;
    };
    for (const [action, label] of items) item(action, label, disabled(action));
    // One item per message when there are several (with one, the item above is it).
    if (incoming > 1) {
      const sub = document.createElement("p");
      sub.className = "menu-sub";
      sub.textContent = "Or one of them, soonest first:";
      this.el.append(sub);
      for (const m of coming.slice(0, MENU_MESSAGES_MAX)) {
        const b = item("drop-one", `Drop ${m.label}`);
        b.classList.add("menu-msg");
        b.setAttribute("data-message-id", String(m.id));
      }
      if (incoming > MENU_MESSAGES_MAX) {
        const more = document.createElement("p");
        more.className = "menu-more";
        more.textContent = `and ${incoming - MENU_MESSAGES_MAX} more`;
        this.el.append(more);
      }
    }
    const fig = this.el.offsetParent ?? this.el.parentElement;
    const a = anchor.getBoundingClientRect();
    const f = fig.getBoundingClientRect();
    this.el.hidden = false;
    // Beside the node, never over it: to the right if it fits, else to the left.
    const w = this.el.offsetWidth;
    let left = a.right - f.left + 6;
    if (left + w > f.width - 4) left = a.left - f.left - w - 6;
    this.el.style.left = `${Math.max(4, left)}px`;
    this.el.style.top = `${Math.max(4, Math.min(a.top - f.top, f.height - this.el.offsetHeight - 4))}px`;
    this.el.querySelector("button:not([disabled])")?.focus();
  }

  close(returnFocus = true) {
    if (this.el.hidden) return;
    this.el.hidden = true;
    if (returnFocus) this.anchor?.focus?.();
    this.id = null;
  }

  destroy() {
    this.el.ownerDocument.removeEventListener("pointerdown", this.outside, true);
  }
}
