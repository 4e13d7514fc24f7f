// The progress of a %fill as one output updated in place (GUIDE 3.7: never printed into whichever
// cell runs later): zhist's ProgressModel where the zhist front end is (front-end.ts), else an
// ipywidgets IntProgress, over our comms; and a text/HTML line by display id for front ends without a
// widget manager (nbconvert, GitHub, batch outputs).
import { randomUUID } from "node:crypto";
import type { FillProgress } from "../src/analysis/index.js";
import type { KernelBridge } from "./api.js";
import { probeFrontEnd, zhistFrontEnd, zhistProgressState, type ProbeComms } from "./front-end.js";

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

interface WidgetComms extends ProbeComms {
  updateWidget(id: string, patch: Record<string, unknown>): void;
}

type Shown = (p: FillProgress) => void;

/**
 * A progress callback: the first event shows one output holding a progress widget (drawn where a
 * widget manager is) and the text/HTML line (shown where none is); later events move the widget over
 * its comm and replace the text through the display id. The widget is zhist's ProgressModel when the
 * zhist front end answered the probe, else an ipywidgets IntProgress. `settled` resolves once the
 * output shows the latest event (the first one may wait for the probe).
 */
export function progressDisplay(): Shown & { settled(): Promise<void> } {
  const bridge = (globalThis as Record<symbol, unknown>)[BRIDGE] as (KernelBridge & { comms?: WidgetComms }) | undefined;
  const displayId = `zhist-fill-${randomUUID()}`;
  let show: Shown | null = null;
  let probing: Promise<void> | null = null;
  let latest: FillProgress | null = null;
  const update = (p: FillProgress) => {
    if (!bridge) return;
    latest = p;
    if (show) return show(p);
    // Until the front end answers, events only replace `latest`: the output opens at the first event
    // and then moves to the newest, as it would have without the wait.
    if (probing) return;
    const comms = bridge.comms;
    const known = zhistFrontEnd();
    if (!comms) show = textOutput(bridge, displayId);
    else if (known !== undefined) show = widgetOutput(bridge, comms, displayId, known);
    else {
      probing = probeFrontEnd(comms).then((present) => {
        show = widgetOutput(bridge, comms, displayId, present);
        show(p);
        if (latest !== p) show(latest!);
      });
      return;
    }
    show(p);
  };
  return Object.assign(update, { settled: () => probing ?? Promise.resolve() });
}

/** The text/HTML line alone (no comms). */
function textOutput(bridge: KernelBridge, displayId: string): Shown {
  let shown = false;
  return (p) => {
    bridge.display(progressBundle(p), { displayId, update: shown });
    shown = true;
  };
}

/** A progress widget (zhist's or ipywidgets') with the text/HTML line in the same output. */
function widgetOutput(bridge: KernelBridge, comms: WidgetComms, displayId: string, zhist: boolean): Shown {
  let widget: string | null = null;
  return (p) => {
    const bundle = progressBundle(p);
    const state = {
      value: p.eventsTotal > 0 ? Math.round((1000 * p.eventsDone) / p.eventsTotal) : 1000,
      bar_style: p.unitsFailed ? "danger" : p.done ? "success" : "",
      description: p.done ? "done" : "fill",
      ...(zhist ? { text: bundle["text/plain"] } : {}),
    };
    const first = widget === null;
    if (widget === null) {
      widget = zhist
        ? comms.openWidget({ ...zhistProgressState, ...state })
        : comms.openWidget({ ...progressState(comms.openWidget({ ...layoutState }), comms.openWidget({ ...styleState })), ...state });
    } else comms.updateWidget(widget, state);
    const view = { "application/vnd.jupyter.widget-view+json": { model_id: widget, version_major: 2, version_minor: 0 } };
    bridge.display({ ...view, ...bundle }, { displayId, update: !first });
  };
}
