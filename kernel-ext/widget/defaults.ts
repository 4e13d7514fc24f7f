// The first view of a widget: what `h.widget(opts)` or `%plot NAME ... --widget` asks for, completed
// with the conventions of the static display (src/plot defaultView): for a histogram filled by an
// analysis, MC stacked by dataset, the nominal systematic, the first label of other categories.
import type { WidgetOptions } from "../../src/hist/index.js";
import { type Controls, type Mode, ControlError, validateControls } from "./controls.js";
import type { HistInfo } from "./model.js";

export function defaultControls(info: HistInfo, metadata: Record<string, unknown> | undefined, opts: WidgetOptions = {}): Controls {
  const ordered = info.axes.filter((a) => a.ordered);
  const x = opts.axis ?? ordered.at(-1)?.name ?? info.axes.at(-1)?.name;
  if (x === undefined) throw new ControlError("widget: the histogram has no axis");
  const fromAnalysis = metadata?.analysis !== undefined;
  const stackDataset = fromAnalysis && opts.stack === undefined && opts.overlay === undefined && opts.y === undefined;
  const modes: [string, { mode: Mode; labels: string[] }][] = [];
  for (const a of info.axes) {
    if (a.ordered || a.name === x) continue;
    const labels = a.labels ?? [];
    const chosen = opts.select?.[a.name];
    let m: { mode: Mode; labels: string[] };
    if (a.name === opts.stack) m = { mode: "stack", labels: [] };
    else if (a.name === opts.overlay) m = { mode: "overlay", labels: [] };
    else if (chosen !== undefined) m = { mode: "select", labels: Array.isArray(chosen) ? [...chosen] : [chosen] };
    else if (stackDataset && a.name === "dataset" && info.axes.length > 1) m = { mode: "stack", labels: [] };
    else if (a.name === "systematic" && labels.includes("nominal")) m = { mode: "select", labels: ["nominal"] };
    else if (fromAnalysis && a.name !== "dataset" && labels.length) m = { mode: "select", labels: [labels[0]] };
    else m = { mode: "sum", labels: [] };
    modes.push([a.name, m]);
  }
  for (const name of Object.keys(opts.select ?? {})) {
    if (!info.axes.some((a) => a.name === name)) throw new ControlError(`widget: select names axis ${JSON.stringify(name)}, which the histogram does not have`);
  }
  // Checked like any change from the front end: a bad option fails here, with the same message.
  return validateControls({ x, y: opts.y ?? null, modes: Object.fromEntries(modes), range: null, rebin: 1, log: opts.log ?? false }, info);
}
