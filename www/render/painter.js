// Paints one frame of the cluster canvas (render/canvas.js) from a plain description:
// messages as glyphs, nodes cut out, the leader's crown cut out, the election-timer rings.
//
// `painter` must stay self-contained (no imports, no outer names): canvas.js runs its
// source text in a worker that owns the canvas (an OffscreenCanvas), so that painting,
// and handing the picture to the compositor, happen off the main thread. Where there is
// no OffscreenCanvas, canvas.js calls it on the main thread instead.

/**
 * @param {object} init
 * @param {HTMLCanvasElement|OffscreenCanvas} init.canvas
 * @param {string[]} init.kinds glyph kinds, by index (the messages refer to them so)
 * @param {object} init.parts kind -> the parts of its SVG glyph (messages.js glyphParts)
 * @param {{countFont:string, countFill:string, hitR:number, crown:string, rimR:number, ringR:number, track:number}} init.style
 * @returns {(frame: object) => void} paints a frame:
 *   { pxW, pxH, t: [scale x, scale y, offset x, offset y] (view units to pixels), ppu (pixels per unit),
 *     k: how many times larger than style's sizes the nodes are drawn (their cut-outs, crowns,
 *        rings), and the message glyphs with them,
 *     msgs: Float32Array of [kind index, x, y, entry count, 0 | 1 hovered | 2 linked], n,
 *     cuts: [x, y, ...] nodes to cut out, crowns: [x, y, ...], rings: [x, y, left, ...], ringColors: [...] }
 */
export function painter(init) {
  const canvas = init.canvas;
  const ctx = canvas.getContext("2d");
  const { kinds, style } = init;
  const num = (v, d) => (v === undefined ? d : Number(v));
  // Drawing steps per glyph kind: [{ path, fill, stroke, width, dash } | { text, count, y }].
  const ops = kinds.map((kind) =>
    init.parts[kind].map(({ tag, attrs, text }) => {
      if (tag === "text") return { text: text || null, count: !text, y: num(attrs.y, 0) };
      const path = new Path2D();
      if (tag === "circle") path.arc(num(attrs.cx, 0), num(attrs.cy, 0), num(attrs.r, 0), 0, 2 * Math.PI);
      else if (tag === "rect") {
        const [x, y, w, h, rx] = [num(attrs.x, 0), num(attrs.y, 0), num(attrs.width, 0), num(attrs.height, 0), num(attrs.rx, 0)];
        if (rx > 0 && path.roundRect) path.roundRect(x, y, w, h, rx);
        else path.rect(x, y, w, h);
      } else path.addPath(new Path2D(attrs.d));
      return {
        path,
        fill: attrs.fill === "none" ? null : (attrs.fill ?? "#000"),
        stroke: attrs.stroke && attrs.stroke !== "none" ? attrs.stroke : null,
        width: num(attrs["stroke-width"], 1),
        dash: attrs["stroke-dasharray"] ? attrs["stroke-dasharray"].split(/[\s,]+/).map(Number) : [],
      };
    }),
  );
  const crown = new Path2D(style.crown);
  const byKind = kinds.map(() => []);

  // Glyphs as sprites: each kind (and each entry count an append shows) drawn once into a
  // small canvas at the frame's scale, then copied per message at a whole device pixel. A
  // copy costs a fraction of filling and stroking the glyph's paths and laying out its
  // count, and this thread shares the machine's cores with the page and the compositor.
  const surface = (w, h) => {
    if (typeof OffscreenCanvas === "function") return new OffscreenCanvas(w, h);
    const c = canvas.ownerDocument.createElement("canvas");
    c.width = w;
    c.height = h;
    return c;
  };
  let spriteScale = 0;
  let disc = null;
  let half = 0;
  const counted = ops.map((steps) => steps.some((op) => op.count));
  /** kind index (and entry count, for a glyph that shows one) -> canvas */
  const sprites = new Map();
  function sprite(k, count) {
    const key = counted[k] ? k + kinds.length * (count + 1) : k;
    let c = sprites.get(key);
    if (!c) {
      if (sprites.size > 400) sprites.clear();
      c = surface(2 * half, 2 * half);
      const g = c.getContext("2d");
      g.setTransform(spriteScale, 0, 0, spriteScale, half, half);
      g.miterLimit = 4;
      drawKind(g, ops[k], [0, 0, 0, count], [0]);
      sprites.set(key, c);
    }
    return c;
  }

  // The glyph steps `steps` for every message at offsets `list` of `msgs`, on `ctx`.
  function drawKind(ctx, steps, msgs, list) {
    for (const op of steps) {
      if (op.path) {
        if (op.fill) {
          ctx.fillStyle = op.fill;
          for (const i of list) {
            ctx.translate(msgs[i + 1], msgs[i + 2]);
            ctx.fill(op.path);
            ctx.translate(-msgs[i + 1], -msgs[i + 2]);
          }
        }
        if (op.stroke) {
          ctx.strokeStyle = op.stroke;
          ctx.lineWidth = op.width;
          ctx.setLineDash(op.dash);
          for (const i of list) {
            ctx.translate(msgs[i + 1], msgs[i + 2]);
            ctx.stroke(op.path);
            ctx.translate(-msgs[i + 1], -msgs[i + 2]);
          }
          if (op.dash.length) ctx.setLineDash([]);
        }
      } else {
        ctx.font = style.countFont;
        ctx.fillStyle = style.countFill;
        ctx.textAlign = "center";
        for (const i of list) ctx.fillText(op.count ? String(msgs[i + 3]) : op.text, msgs[i + 1], msgs[i + 2] + op.y);
      }
    }
  }

  return function paint(f) {
    if (canvas.width !== f.pxW || canvas.height !== f.pxH) {
      canvas.width = f.pxW;
      canvas.height = f.pxH;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(f.t[0], 0, 0, f.t[1], f.t[2], f.t[3]);
    ctx.miterLimit = 4; // SVG's default
    const m = f.msgs;
    for (const l of byKind) l.length = 0;
    const marked = [];
    for (let i = 0; i < f.n * 5; i += 5) {
      byKind[m[i]].push(i);
      if (m[i + 4]) marked.push(i);
    }
    // Sprites at this scale (glyphs are drawn k times larger, as the nodes are): as large as
    // a glyph's hit disc, an even number of pixels so that the glyph's centre falls on a
    // pixel corner.
    const scale = f.t[0];
    if (scale * f.k !== spriteScale) {
      spriteScale = scale * f.k;
      half = Math.ceil(style.hitR * spriteScale);
      sprites.clear();
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    byKind.forEach((list, k) => {
      for (const i of list) {
        const x = Math.round(f.t[0] * m[i + 1] + f.t[2]) - half;
        const y = Math.round(f.t[1] * m[i + 2] + f.t[3]) - half;
        ctx.drawImage(sprite(k, m[i + 3]), x, y);
      }
    });
    // Highlighted messages again, on top: an amber glow and disc for the one linked with
    // the space-time diagram, a dark shadow for the one under the pointer.
    for (const i of marked) {
      const linked = m[i + 4] === 2;
      ctx.setTransform(f.t[0] * f.k, 0, 0, f.t[1] * f.k, f.t[0] * m[i + 1] + f.t[2], f.t[1] * m[i + 2] + f.t[3]);
      if (linked) {
        ctx.fillStyle = "rgba(240, 160, 32, 0.3)";
        ctx.beginPath();
        ctx.arc(0, 0, style.hitR, 0, 2 * Math.PI);
        ctx.fill();
      }
      ctx.shadowColor = linked ? "#f0a020" : "rgba(0, 0, 0, 0.45)";
      ctx.shadowBlur = (linked ? 4 : 3) * f.ppu * f.k;
      drawKind(ctx, ops[m[i]], [m[i], 0, 0, m[i + 3]], [0]);
      ctx.shadowColor = "transparent";
      ctx.shadowBlur = 0;
    }
    ctx.setTransform(f.t[0], 0, 0, f.t[1], f.t[2], f.t[3]);
    // Nodes are on top of messages, as when both were SVG: cut them (and the crown) out
    // so the SVG under the canvas shows through.
    ctx.globalCompositeOperation = "destination-out";
    if (f.cuts.length) {
      // A disc as a sprite too: copying it costs less than filling a path of discs.
      const r = style.rimR * scale * f.k;
      if (!disc || disc.r !== r) {
        const h = Math.ceil(r) + 1;
        const c = surface(2 * h, 2 * h);
        const g = c.getContext("2d");
        g.arc(h, h, r, 0, 2 * Math.PI);
        g.fill();
        disc = { c, h, r };
      }
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      for (let i = 0; i < f.cuts.length; i += 2) {
        ctx.drawImage(disc.c, Math.round(f.t[0] * f.cuts[i] + f.t[2]) - disc.h, Math.round(f.t[1] * f.cuts[i + 1] + f.t[3]) - disc.h);
      }
      ctx.setTransform(f.t[0], 0, 0, f.t[1], f.t[2], f.t[3]);
    }
    ctx.lineWidth = 2;
    ctx.lineJoin = "round";
    for (let i = 0; i < f.crowns.length; i += 2) {
      ctx.translate(f.crowns[i], f.crowns[i + 1]);
      ctx.scale(f.k, f.k);
      ctx.fill(crown);
      ctx.stroke(crown);
      ctx.setTransform(f.t[0], 0, 0, f.t[1], f.t[2], f.t[3]);
    }
    ctx.globalCompositeOperation = "source-over";
    ctx.lineJoin = "miter";
    // The rings: from the top, clockwise, as far as the time left.
    ctx.lineWidth = 4 * f.k;
    ctx.lineCap = "butt";
    ctx.globalAlpha = 0.75; // .node .ring's stroke-opacity
    for (let i = 0, k = 0; i < f.rings.length; i += 3, k++) {
      ctx.strokeStyle = f.ringColors[k];
      ctx.beginPath();
      ctx.arc(f.rings[i], f.rings[i + 1], style.ringR * f.k, -Math.PI / 2, -Math.PI / 2 + 2 * Math.PI * f.rings[i + 2]);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  };
}
