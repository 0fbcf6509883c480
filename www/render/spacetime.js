// The space-time diagram's switch: the Space-time button, showing and hiding the
// diagram, and loading it. The diagram (render/spacetime-view.js and the history it
// keeps) is fetched the first time it is shown, so a page that never shows it does not
// load it, and while hidden it costs nothing per frame.

export class SpaceTime {
  /**
   * @param {object} ui parts from layout.js: spacetime (container), spacetimeToggle
   *        (button, optional), shell
   * @param {{ requestDraw: () => void, shown?: boolean, highlightCluster?: (id: number|null) => void }} opts
   *        highlightCluster highlights a message in the cluster view (the diagram calls it)
   */
  constructor(ui, opts) {
    this.ui = ui;
    this.requestDraw = opts.requestDraw;
    this.highlightCluster = opts.highlightCluster ?? (() => {});
    /** The diagram, once loaded (a SpaceTimeView). */
    this.view = null;
    this.loading = null;
    this.destroyed = false;
    this.shown = false;
    if (ui.spacetimeToggle) {
      this.onToggle = () => {
        this.show(!this.shown);
        this.requestDraw();
      };
      ui.spacetimeToggle.addEventListener("click", this.onToggle);
    }
    this.show(!!opts.shown);
  }

  /** Shows or hides the diagram (loading it the first time). */
  show(on) {
    this.shown = on;
    this.ui.spacetime.hidden = !on;
    this.ui.shell?.classList.toggle("with-st", on);
    this.ui.spacetimeToggle?.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) this.load();
  }

  /** Resolves to the diagram once it is loaded. */
  load() {
    this.loading ??= import("./spacetime-view.js").then(({ SpaceTimeView }) => {
      if (this.destroyed) return null;
      this.view = new SpaceTimeView(this.ui, { requestDraw: this.requestDraw, highlightCluster: this.highlightCluster });
      this.requestDraw();
      return this.view;
    });
    return this.loading;
  }

  /** Called every frame by the app, after the cluster view is drawn. */
  update(pg, state, now) {
    if (this.shown && this.view) this.view.update(pg, state, now);
  }

  /** Highlights message `id` (or none) in both views (called when the cluster view's pointer moves onto one). */
  highlight(id) {
    this.view?.highlight(id);
  }

  destroy() {
    this.destroyed = true;
    if (this.onToggle) this.ui.spacetimeToggle.removeEventListener("click", this.onToggle);
    this.view?.destroy();
  }
}
