// The progress of a %fill as one output updated in place (GUIDE 3.7: never printed into whichever
// cell runs later): an ipywidgets IntProgress over our comms, and a text/HTML line by display id for
// front ends without a widget manager (nbconvert, GitHub, batch outputs).
import { randomUUID } from "node:crypto";
import type { FillProgress } from "../src/analysis/index.js";
import type { KernelBridge } from "./api.js";

const BRIDGE = Symbol.for("zhist.kernel.bridge");

function seconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return "…";
  return s < 60 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** One line of text and a small HTML bar for a progress event. */
export function progressBundle(p: FillProgress): Record<string, string> {
  const pct = p.eventsTotal > 0 ? (100 * p.eventsDone) / p.eventsTotal : 100;
  const rate = `${(p.eventsPerSecond / 1e3).toFixed(1)} kHz`;
  const state = p.done ? `done in ${seconds(p.elapsedSeconds)}` : `ETA ${seconds(p.etaSeconds)}`;
  const failed = p.unitsFailed ? `, ${p.unitsFailed} units failed` : "";
  const perDataset = Object.entries(p.datasets).map(([name, d]) => {
    const dp = d.eventsTotal > 0 ? Math.round((100 * d.eventsDone) / d.eventsTotal) : 100;
    return `${name} ${dp}%`;
  });
  const line = `fill: ${p.eventsDone.toLocaleString("en")} / ${p.eventsTotal.toLocaleString("en")} events (${pct.toFixed(0)}%), ${rate}, ${state}${failed}`;
  const escape = (s: string) => s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
  return {
    "text/plain": `${line}\n  ${perDataset.join(", ")}`,
    "text/html": `<div><progress value="${pct.toFixed(1)}" max="100" style="width:40ex"></progress> ${escape(line)}<br><small>${escape(perDataset.join(", "))}</small></div>`,
  };
}

// ipywidgets 8 models (@jupyter-widgets/controls 2.0.0, base 2.0.0): an IntProgress with its layout
// and style, the models a widget manager needs to draw the bar.
const BASE = { _model_module_version: "2.0.0", _view_module_version: "2.0.0" };
const layoutState = { ...BASE, _model_module: "@jupyter-widgets/base", _model_name: "LayoutModel", _view_module: "@jupyter-widgets/base", _view_name: "LayoutView", width: "50ex" };
const styleState = { ...BASE, _model_module: "@jupyter-widgets/controls", _model_name: "ProgressStyleModel", _view_module: "@jupyter-widgets/base", _view_name: "StyleView", bar_color: null, description_width: "" };
function progressState(layout: string, style: string): Record<string, unknown> {
  return {
    ...BASE, _model_module: "@jupyter-widgets/controls", _model_name: "IntProgressModel", _view_module: "@jupyter-widgets/controls", _view_name: "ProgressView",
    _dom_classes: [], bar_style: "", description: "fill", description_allow_html: false, layout: `IPY_MODEL_${layout}`, style: `IPY_MODEL_${style}`,
    max: 1000, min: 0, orientation: "horizontal", tabbable: null, tooltip: null, value: 0,
  };
}

interface WidgetComms {
  openWidget(state: Record<string, unknown>): string;
  updateWidget(id: string, patch: Record<string, unknown>): void;
}

/**
 * A progress callback: the first event shows one output holding an ipywidgets IntProgress (drawn
 * where a widget manager is) and the text/HTML line (shown where none is); later events move the
 * widget over its comm and replace the text through the display id.
 */
export function progressDisplay(): (p: FillProgress) => void {
  const bridge = (globalThis as Record<symbol, unknown>)[BRIDGE] as (KernelBridge & { comms?: WidgetComms }) | undefined;
  const displayId = `zhist-fill-${randomUUID()}`;
  let widget: string | null = null;
  let shown = false;
  return (p) => {
    if (!bridge) return;
    const state = {
      value: p.eventsTotal > 0 ? Math.round((1000 * p.eventsDone) / p.eventsTotal) : 1000,
      bar_style: p.unitsFailed ? "danger" : p.done ? "success" : "",
      description: p.done ? "done" : "fill",
    };
    const comms = bridge.comms;
    if (!shown && comms) widget = comms.openWidget({ ...progressState(comms.openWidget({ ...layoutState }), comms.openWidget({ ...styleState })), ...state });
    else if (widget) comms?.updateWidget(widget, state);
    const view = widget ? { "application/vnd.jupyter.widget-view+json": { model_id: widget, version_major: 2, version_minor: 0 } } : {};
    bridge.display({ ...view, ...progressBundle(p) }, { displayId, update: shown });
    shown = true;
  };
}
