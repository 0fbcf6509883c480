// The animation loop. It runs only while there is something to show: playing,
// the tab visible and the cluster on screen. Otherwise no animation frame is
// requested at all (a laptop stays cool), except single frames to redraw after
// the user did something, and short bursts while a node glides to a new place.

export class Loop {
  /**
   * @param {HTMLElement} watched element whose visibility on screen gates the loop
   * @param {(wallDtMs:number, playing:boolean)=>boolean} onFrame draws one frame;
   *        returns true if it wants another frame even when not playing (animation in progress)
   */
  constructor(watched, onFrame) {
    this.onFrame = onFrame;
    this.playing = false;
    this.visible = typeof document === "undefined" || document.visibilityState !== "hidden";
    this.inView = true;
    this.handle = 0;
    this.last = 0;
    this.frames = 0;
    this.onVisibility = () => {
      this.visible = document.visibilityState !== "hidden";
      this.#kick();
    };
    document.addEventListener("visibilitychange", this.onVisibility);
    if (typeof IntersectionObserver === "function") {
      this.io = new IntersectionObserver((entries) => {
        const e = entries[entries.length - 1];
        this.inView = e.isIntersecting;
        this.#kick();
      });
      this.io.observe(watched);
    }
  }

  /** True when simulated time should flow. */
  get running() {
    return this.playing && this.visible && this.inView;
  }

  setPlaying(on) {
    this.playing = on;
    this.#kick();
  }

  /** Schedule one redraw (after a user action), if none is pending. */
  requestDraw() {
    if (!this.handle) this.handle = requestAnimationFrame((t) => this.#frame(t));
  }

  #kick() {
    if (this.running) this.requestDraw();
  }

  #frame(t) {
    this.handle = 0;
    this.frames++;
    // A long gap (tab was hidden, or the first frame) must not turn into a jump in time.
    const dt = this.last ? Math.min(t - this.last, 50) : 16;
    const more = this.onFrame(dt, this.running);
    if (this.running || more) {
      this.last = t;
      this.requestDraw();
    } else {
      this.last = 0;
    }
  }

  destroy() {
    if (this.handle) cancelAnimationFrame(this.handle);
    this.handle = 0;
    document.removeEventListener("visibilitychange", this.onVisibility);
    this.io?.disconnect();
  }
}
