// HistView: controls, the Vega-Lite plot and a status line. A control change bumps `request` and
// sends {controls, request}; only the answer whose `answered` equals the latest request is drawn
// (PROTOCOL.md "Stale requests"), so a slow answer to an older click never overwrites a newer one.
import { DOMWidgetView } from "@jupyter-widgets/base";
import embed, { type Result } from "vega-embed";
import { withDatasets } from "./arrow.js";
import { renderControls } from "./controls.js";
import type { Controls, HistInfo } from "./protocol.js";

export class HistView extends DOMWidgetView {
  private controlsEl!: HTMLDivElement;
  private plotEl!: HTMLDivElement;
  private statusEl!: HTMLDivElement;
  private vega: Result | null = null;
  /** The `answered` of the plot on screen (-1: none yet). */
  private drawn = -1;
  private drawing: Promise<void> = Promise.resolve();

  override render(): void {
    this.el.classList.add("zhist-widget");
    this.controlsEl = document.createElement("div");
    this.controlsEl.className = "zhist-controls";
    // Keys typed into the controls are theirs: JupyterLab's notebook shortcuts (Enter, arrows, digits
    // in command mode) would otherwise take them first, in the capture phase.
    this.controlsEl.setAttribute("data-lm-suppress-shortcuts", "true");
    this.plotEl = document.createElement("div");
    this.plotEl.className = "zhist-plot";
    this.statusEl = document.createElement("div");
    this.statusEl.className = "zhist-status";
    this.el.append(this.controlsEl, this.plotEl, this.statusEl);
    this.listenTo(this.model, "change:hist change:controls", () => this.showControls());
    this.listenTo(this.model, "change", () => this.update());
    this.showControls();
    this.update();
  }

  /** Called on every model change: redraw when the latest request is answered, refresh the status. */
  override update(): void {
    const request = this.model.get("request") as number;
    const answered = this.model.get("answered") as number;
    if (answered === request && answered !== this.drawn && !this.model.get("error")) this.draw(answered);
    this.showStatus();
  }

  private showControls(): void {
    const hist = this.model.get("hist") as HistInfo | null;
    const controls = this.model.get("controls") as Controls | null;
    if (!hist || !controls) return this.controlsEl.replaceChildren();
    renderControls(this.controlsEl, hist, controls, (next) => this.sendControls(next));
  }

  private sendControls(controls: Controls): void {
    // Unchanged controls are no request (the model would sync `request` alone, which the kernel rejects).
    if (JSON.stringify(controls) === JSON.stringify(this.model.get("controls"))) return;
    const request = (this.model.get("request") as number) + 1;
    this.model.set({ controls, request });
    this.model.save_changes();
  }

  private draw(answered: number): void {
    this.drawn = answered;
    const spec = this.model.get("spec") as Record<string, unknown> | null;
    if (!spec) return;
    let full: Record<string, unknown>;
    try {
      full = withDatasets(spec, this.model.get("data_names") as string[], this.model.get("data") as Uint8Array[]);
    } catch (e) {
      return this.showStatus((e as Error).message);
    }
    // Embeds one at a time, in order: a finished older embed never replaces a newer one.
    this.drawing = this.drawing.then(async () => {
      if (this.drawn !== answered) return;
      try {
        const next = await embed(this.plotEl, full as never, { actions: { export: true, source: false, compiled: false, editor: false }, renderer: "svg" });
        this.vega?.finalize();
        this.vega = next;
        this.plotEl.dataset.answered = String(answered);
        this.plotEl.dataset.nBins = String(this.model.get("n_bins"));
        // For tests and the browser console: the Vega view of what is on screen.
        (this.plotEl as unknown as { zhistView: unknown }).zhistView = next.view;
        this.showStatus();
      } catch (e) {
        this.showStatus(`plot: ${(e as Error).message}`);
      }
    });
  }

  private showStatus(drawError?: string): void {
    const error = drawError ?? (this.model.get("error") as string);
    const pending = (this.model.get("request") as number) !== (this.model.get("answered") as number);
    const busy = pending || (this.model.get("busy") as boolean);
    const bins = this.model.get("n_bins") as number;
    this.statusEl.classList.toggle("zhist-error", !!error && !pending);
    this.statusEl.classList.toggle("zhist-busy", busy);
    // A pending request outranks the error of an older one: the user already moved on.
    this.statusEl.textContent = pending || (busy && !error) ? "projecting…" : error ? `error: ${error}` : `${bins.toLocaleString("en")} bins`;
  }

  override remove(): void {
    this.vega?.finalize();
    this.vega = null;
    super.remove();
  }
}
