// The histogram widget of the kernel: `h.widget()` (registered into src/hist here) and `%plot ... --widget`.
import type { KernelBridge } from "../api.js";
import { registerWidget, type WidgetOptions } from "../../src/hist/index.js";
import { HistWidget, type WidgetComms } from "./widget.js";
import type { Source } from "./project.js";

export { HistWidget, type WidgetComms } from "./widget.js";
export { ProjectionService } from "./service.js";
export { validateControls, ControlError, type Controls } from "./controls.js";
export { defaultControls } from "./defaults.js";
export { histInfo, MODEL_IDENTITY, type HistInfo, type AxisInfo } from "./model.js";
export { project, answerOf, type Source, type Answer } from "./project.js";
export { rowsToArrow, arrowToRows, datasetsToArrow } from "./arrow.js";

const BRIDGE = Symbol.for("zhist.kernel.bridge");

function kernelBridge(): KernelBridge & { comms: WidgetComms } {
  const b = (globalThis as Record<symbol, unknown>)[BRIDGE] as (KernelBridge & { comms?: WidgetComms }) | undefined;
  if (!b?.comms) throw new Error("widget(): not running inside the zhist kernel (the widget talks to the notebook over the kernel's comms)");
  return b as KernelBridge & { comms: WidgetComms };
}

/** Opens a widget for `source` in the running kernel (not displayed: display the returned widget). */
export function openWidget(source: Source, opts: WidgetOptions = {}): HistWidget | Promise<HistWidget> {
  return HistWidget.open(kernelBridge().comms, source, opts);
}

/** Opens and shows a widget: synchronously for an in-memory Hist, asynchronously for a store. */
export function showWidget(source: Source, opts: WidgetOptions = {}): void | Promise<void> {
  const bridge = kernelBridge();
  const w = HistWidget.open(bridge.comms, source, opts);
  const show = (x: HistWidget) => bridge.display(bridge.bundleOf(x), {});
  return w instanceof Promise ? w.then(show) : show(w);
}

registerWidget((source, opts) => showWidget(source as Source, opts));
