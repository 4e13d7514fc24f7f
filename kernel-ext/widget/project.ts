// One projection: controls -> one slice of the histogram (in memory, or streamed out of a store
// reading only the chunks the slice needs) -> Vega-Lite spec -> spec without rows + Arrow per dataset.
import type { Axis } from "../../src/axis/index.js";
import { type Hist, type Selection, sum } from "../../src/hist/index.js";
import { type PlotOptions, type VegaLiteSpec, histSpec } from "../../src/plot/index.js";
import { datasetsToArrow } from "./arrow.js";
import { type Controls, ControlError } from "./controls.js";
import { type ProjectionPlan, planProjection } from "./selection.js";

/** A store-backed histogram: what the widget needs of src/zarr's StoredHist. */
export interface StoredSource {
  readonly path: string;
  readonly axes: Axis[];
  readonly kind: string;
  readonly name: string;
  readonly metadata: Record<string, unknown>;
  slice(selection: Selection): Promise<Hist>;
}

export type Source = Hist | StoredSource;

export function isStored(s: Source): s is StoredSource {
  return typeof (s as StoredSource).path === "string" && !("storage" in s);
}

/** Options fixed for a widget's life (not controls): ratio panel, band, size. */
export type BaseOptions = Pick<PlotOptions, "ratio" | "band" | "width" | "height" | "data">;

export interface Projection {
  /** The projected histogram (axes drawn, others selected or summed). */
  hist: Hist;
  /** With its rows in `datasets` (the static bundle renders it). */
  spec: VegaLiteSpec;
  nBins: number;
}

/** The model's view of a projection: spec without rows, dataset names, one Arrow stream each. */
export interface Answer {
  spec: VegaLiteSpec;
  dataNames: string[];
  data: Buffer[];
  nBins: number;
  /** Other model fields sent with this answer (a renewed `hist`). */
  extra?: Record<string, unknown>;
}

/**
 * Bins a view may draw: beyond this a browser's Vega stalls and the answer grows past tens of MB
 * (a 1000 x 1000 heatmap is 10^6 rectangles); the analyst is asked to rebin or narrow instead.
 */
export const MAX_DRAWN_BINS = 250_000;

function finish(sliced: Hist, plan: ProjectionPlan, title: string, base: BaseOptions): Projection {
  let hist = sliced;
  if (plan.sumAfter.length) {
    // A pick keeps the category's flow bin: a bounded range sums the picked labels only.
    const sel: Selection = hist.axes.map((a, k) => (plan.sumAfter.includes(k) ? [0, a.size, sum] : undefined));
    hist = hist.slice(sel);
  }
  const drawn = hist.shape.reduce((n, s) => n * s, 1);
  if (drawn > MAX_DRAWN_BINS) {
    const x = plan.options.axis as number;
    const factor = Math.ceil(drawn / MAX_DRAWN_BINS);
    throw new ControlError(`the view would draw ${drawn.toLocaleString("en")} bins (at most ${MAX_DRAWN_BINS.toLocaleString("en")}): rebin ${hist.axes[x]?.name || "x"} by ${factor} or more, or narrow its range`);
  }
  const where = plan.where.join(", ");
  const spec = histSpec(hist, { ...base, ...plan.options, title: [title, where].filter((t) => t).join("  ") });
  return { hist, spec, nBins: hist.shape.reduce((n, s) => n * s, 1) };
}

function titleOf(s: Source): string {
  if (isStored(s)) return String(s.metadata.label || s.name || "");
  return s.label || s.name;
}

export function projectInMemory(h: Hist, c: Controls, base: BaseOptions = {}): Projection {
  const plan = planProjection(h.axes, c);
  return finish(h.slice(plan.selection), plan, titleOf(h), base);
}

/** Out of core: the one slice call streams only the chunks the selection touches. */
export async function projectStored(s: StoredSource, c: Controls, base: BaseOptions = {}): Promise<Projection> {
  const plan = planProjection(s.axes, c);
  return finish(await s.slice(plan.selection), plan, titleOf(s), base);
}

export function project(s: Source, c: Controls, base: BaseOptions = {}): Projection | Promise<Projection> {
  return isStored(s) ? projectStored(s, c, base) : projectInMemory(s, c, base);
}

/** The spec split into the model's fields. */
export function answerOf(p: Projection): Answer {
  const { datasets = {}, ...spec } = p.spec;
  const { names, buffers } = datasetsToArrow(datasets);
  return { spec, dataNames: names, data: buffers, nBins: p.nBins };
}
