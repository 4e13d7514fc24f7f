// Rich display: a histogram (or a %plot) shows as one bundle with SVG, the Vega-Lite spec and a text
// summary, through `[Symbol.for("Jupyter.display")]()` (GUIDE 3.7), so that nbconvert, GitHub and batch
// outputs show the plot without a widget manager.
import { Hist } from "../hist/index.js";
import { toSVG, toSVGSync } from "./render.js";
import { type PlotOptions, type VegaLiteSpec, histSpec } from "./spec.js";
import { axisTitle, isOrdered, labelsOf } from "./series.js";

export const DISPLAY = Symbol.for("Jupyter.display");

export interface DisplayBundle {
  "image/svg+xml": string;
  "application/vnd.vegalite.v5+json": VegaLiteSpec;
  "text/plain": string;
}

/** A histogram with the options to draw it: what `%plot` returns and `plot(h, opts)` builds. */
export class Plot {
  constructor(readonly hist: Hist, readonly options: PlotOptions = {}) {}

  spec(): VegaLiteSpec {
    return histSpec(this.hist, this.options);
  }

  svg(): Promise<string> {
    return toSVG(this.spec());
  }

  toString(): string {
    return summary(this.hist);
  }

  /** The display bundle (SVG rendered synchronously). */
  [DISPLAY](): DisplayBundle {
    return displayBundle(this.hist, this.options);
  }
}

export function plot(h: Hist, opts: PlotOptions = {}): Plot {
  return new Plot(h, opts);
}

/**
 * What a histogram shows when displayed without options. A histogram filled by an analysis (its
 * metadata records the analysis) follows the analysis conventions: the nominal systematic, MC stacked
 * by dataset with data on top, the first label of every other category axis (categories may overlap,
 * so summing them would count events twice). Any other histogram is drawn with its axes summed out.
 */
export function defaultView(h: Hist): { hist: Hist; options: PlotOptions; selected: Record<string, string> } {
  if (h.metadata?.analysis === undefined) return { hist: h, options: {}, selected: {} };
  const selected: Record<string, string> = {};
  h.axes.forEach((a) => {
    if (isOrdered(a) || a.name === "dataset" || !a.name || !a.size) return;
    const labels = labelsOf(a);
    selected[a.name] = a.name === "systematic" && labels.includes("nominal") ? "nominal" : labels[0];
  });
  const hist = Object.keys(selected).length ? h.slice(selected) : h;
  const stack = hist.axes.some((a) => a.name === "dataset") && hist.ndim > 1 ? { stack: "dataset" } : {};
  const where = Object.entries(selected).map(([k, v]) => `${k}=${v}`).join(", ");
  const title = [h.label || h.name, where].filter((x) => x).join("  ");
  return { hist, options: { ...stack, ...(title ? { title } : {}) }, selected };
}

/** SVG, Vega-Lite v5 and a text summary of `h` (drawn by `opts`, or by defaultView without them). */
export function displayBundle(h: Hist, opts?: PlotOptions): DisplayBundle {
  const v = opts === undefined ? defaultView(h) : { hist: h, options: opts };
  const spec = histSpec(v.hist, v.options);
  return { "image/svg+xml": toSVGSync(spec), "application/vnd.vegalite.v5+json": spec, "text/plain": summary(h) };
}

const fmt = (v: number) => (Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : v.toPrecision(6).replace(/\.?0+(e|$)/, "$1"));

/** A readable summary: name, storage, each axis (bins, range or categories), totals (with flow). */
export function summary(h: Hist): string {
  const lines = [`Hist ${h.name ? `"${h.name}" ` : ""}(${h.kind} storage, ${h.shape.reduce((a, b) => a * b, 1)} bins)${h.label ? `: ${h.label}` : ""}`];
  h.axes.forEach((a, k) => {
    const name = a.name || `axis ${k}`;
    const label = a.label && a.label !== a.name ? ` "${a.label}"` : "";
    if (isOrdered(a)) {
      const lo = a.bin(0) as [number, number];
      const hi = a.bin(a.size - 1) as [number, number];
      lines.push(`  ${name}${label}: ${a.kind}, ${a.size} bins from ${fmt(lo[0])} to ${fmt(hi[1])}`);
    } else {
      const labels = labelsOf(a);
      const shown = labels.length > 12 ? [...labels.slice(0, 12), `... (${labels.length} in all)`] : labels;
      lines.push(`  ${name}${label}: ${a.kind.replace("_", " ")} [${shown.join(", ")}]`);
    }
  });
  const total = h.sum({ flow: true });
  const inner = h.sum({ flow: false });
  const show = (s: unknown) => {
    if (typeof s === "number") return fmt(s);
    const o = s as Record<string, number>;
    return "variance" in o ? `${fmt(o.value)} ± ${fmt(Math.sqrt(Math.max(0, o.variance)))}` : Object.entries(o).map(([k, v]) => `${k}=${fmt(v)}`).join(", ");
  };
  lines.push(`  total: ${show(total)} (in range: ${show(inner)})`);
  // Totals per label of the first category axis (usually the dataset): what one checks first.
  const cat = h.axes.findIndex((a) => !isOrdered(a));
  if (cat >= 0 && h.ndim > 1) {
    const p = h.project(cat);
    const v = p.values({ flow: false }).data;
    const labels = labelsOf(p.axes[0]);
    const shown = labels.slice(0, 20).map((l, i) => `${l}=${fmt(v[i])}`);
    lines.push(`  per ${axisTitle(h.axes[cat]) || "category"}: ${shown.join(", ")}${labels.length > 20 ? ", ..." : ""}`);
  }
  return lines.join("\n");
}

/** Makes every Hist displayable (called by the package entry point; hist may not import plot). */
export function registerHistDisplay(): void {
  Object.defineProperty(Hist.prototype, DISPLAY, {
    configurable: true,
    writable: true,
    value: function (this: Hist) { return displayBundle(this); },
  });
}
