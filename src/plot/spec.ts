// Vega-Lite v5 specs from histograms (GUIDE 2: plots are data). Each spec carries its rows in
// top-level `datasets`, already binned, stacked and divided, so a test or a front end reads the
// numbers without running Vega; rendering is a separate step (render.ts).
import type { Axis } from "../axis/index.js";
import type { Hist } from "../hist/index.js";
import { type BinInfo, type Series, axisTitle, binsOf, dataLabels, isOrdered, labelsOf, seriesOf, sumSeries } from "./series.js";

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

export interface PlotOptions {
  /** The axis along x; default the last ordered axis (else the last axis). */
  axis?: string | number;
  /** A second axis: a 2-D heatmap of `axis` x `y`. */
  y?: string | number;
  /** A category axis whose labels are stacked (MC); its data labels are drawn as points on top. */
  stack?: string | number;
  /** A category axis whose labels are overlaid as lines. */
  overlay?: string | number;
  /** Labels of the stack axis that are real data; default from the fill's metadata, else names like "data". */
  data?: string[];
  /** Logarithmic y (color for a heatmap). */
  log?: boolean;
  /** A data/MC ratio panel; default when both data and MC are drawn. */
  ratio?: boolean;
  /** The statistical uncertainty band of the MC (or of the single series); default when variances are known. */
  band?: boolean;
  /** A single series as a step line (default) or as filled bars. */
  mark?: "step" | "bar";
  title?: string;
  yTitle?: string;
  width?: number;
  height?: number;
  /** Asks for the interactive widget (`%plot ... --widget`); the kernel reads it, the spec ignores it. */
  widget?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type VegaLiteSpec = Record<string, any>;
type Row = Record<string, number | string | null>;

const DATA_COLOR = "black";
const BAND_COLOR = "#555";

/** A Vega-Lite v5 spec of `h` (see PlotOptions). */
export function histSpec(h: Hist, opts: PlotOptions = {}): VegaLiteSpec {
  const x = pickX(h, opts);
  const stack = opts.stack !== undefined ? h.axisIndex(opts.stack) : null;
  const overlay = opts.overlay !== undefined ? h.axisIndex(opts.overlay) : null;
  if (stack !== null && overlay !== null) throw new Error("plot: stack and overlay are exclusive; slice or sum one of the axes");
  for (const [what, k] of [["stack", stack], ["overlay", overlay]] as const) {
    if (k === x) throw new Error(`plot: the ${what} axis is the plotted axis`);
    if (k !== null && isOrdered(h.axes[k])) throw new Error(`plot: the ${what} axis ${axisTitle(h.axes[k])} is not a category axis`);
  }
  const y: number | null = opts.y !== undefined ? h.axisIndex(opts.y) : null;
  if (y !== null) return heatmapSpec(h, x, y, opts);
  // Two ordered axes and nothing else: a heatmap, first axis along x.
  if (stack === null && overlay === null && h.ndim === 2 && isOrdered(h.axes[0]) && isOrdered(h.axes[1])) {
    return opts.axis === undefined ? heatmapSpec(h, 0, 1, opts) : heatmapSpec(h, x, 1 - x, opts);
  }
  if (stack !== null) return stackSpec(h, x, stack, opts);
  return linesSpec(h, x, overlay, opts);
}

function pickX(h: Hist, opts: PlotOptions): number {
  if (opts.axis !== undefined) return h.axisIndex(opts.axis);
  if (!h.ndim) throw new Error("plot: the histogram has no axis");
  for (let k = h.ndim - 1; k >= 0; k--) if (isOrdered(h.axes[k])) return k;
  return h.ndim - 1;
}

function frame(h: Hist, opts: PlotOptions): VegaLiteSpec {
  const title = opts.title ?? (h.label || h.name);
  return { $schema: VEGA_LITE_SCHEMA, ...(title ? { title } : {}) };
}

const size = (opts: PlotOptions) => ({ width: opts.width ?? 400, height: opts.height ?? 300 });

/** x encodings of bin rectangles (lo..hi) and of points (center) along an ordered or category axis. */
function xEncoding(a: Axis, bins: BinInfo[], showAxis: boolean) {
  const title = showAxis ? axisTitle(a) || null : null;
  const axis = showAxis ? {} : { axis: { labels: false, ticks: true, title: null } };
  if (isOrdered(a)) {
    const scale = { domain: [bins[0]?.lo ?? 0, bins[bins.length - 1]?.hi ?? 1], zero: false, nice: false };
    return {
      rect: { x: { field: "lo", type: "quantitative", scale, title, ...axis }, x2: { field: "hi" } },
      point: { x: { field: "center", type: "quantitative", scale, title, ...axis } },
    };
  }
  const enc = { x: { field: "label", type: "nominal", sort: bins.map((b) => b.label), title, ...axis } };
  return { rect: enc, point: enc };
}

function yScale(opts: PlotOptions) {
  return opts.log ? { type: "log" } : { zero: true };
}

/** The lowest value drawn on a log scale: a tenth of the smallest positive content. */
function logFloor(values: number[]): number {
  let m = Infinity;
  for (const v of values) if (v > 0 && v < m) m = v;
  return Number.isFinite(m) ? m / 10 : 0.1;
}

function bandRows(bins: BinInfo[], total: Series, floor: number | null): Row[] {
  if (!total.variances) return [];
  return bins.map((b, i) => {
    const v = total.values[i];
    const e = Math.sqrt(Math.max(0, total.variances![i]));
    const down = v - e;
    return { lo: b.lo, hi: b.hi, label: b.label, total: v, down: floor !== null ? Math.max(down, floor) : down, up: v + e };
  });
}

function bandLayer(enc: ReturnType<typeof xEncoding>, opts: PlotOptions, title: string): VegaLiteSpec {
  return {
    data: { name: "band" },
    mark: { type: "rect", color: BAND_COLOR, opacity: 0.35 },
    encoding: { ...enc.rect, y: { field: "up", type: "quantitative", scale: yScale(opts), title }, y2: { field: "down" } },
  };
}

/** Single series or overlaid series: step lines (ordered axis) or bars (categories). */
function linesSpec(h: Hist, x: number, overlay: number | null, opts: PlotOptions): VegaLiteSpec {
  const a = h.axes[x];
  const bins = binsOf(a);
  const series = seriesOf(h, x, overlay);
  const yTitle = opts.yTitle ?? "Events";
  const enc = xEncoding(a, bins, true);
  const floor = opts.log ? logFloor(series.flatMap((s) => s.values)) : null;
  const clamp = (v: number) => (floor !== null ? Math.max(v, floor) : v);
  const color = overlay !== null ? { color: { field: "series", type: "nominal", sort: series.map((s) => s.label), title: axisTitle(h.axes[overlay]) } } : {};
  const bars = opts.mark === "bar" || !isOrdered(a);
  const datasets: Record<string, Row[]> = {};
  const layer: VegaLiteSpec[] = [];
  if (bars) {
    datasets.bins = series.flatMap((s) => bins.map((b, i) => ({ series: s.label, lo: b.lo, hi: b.hi, label: b.label, value: clamp(s.values[i]), variance: s.variances?.[i] ?? null })));
    const offset = overlay !== null && !isOrdered(a) ? { xOffset: { field: "series", type: "nominal" } } : {};
    layer.push({
      data: { name: "bins" },
      mark: { type: isOrdered(a) ? "rect" : "bar", opacity: overlay !== null && isOrdered(a) ? 0.5 : 1 },
      encoding: { ...enc.rect, ...offset, y: { field: "value", type: "quantitative", scale: yScale(opts), title: yTitle }, ...(floor !== null ? { y2: { datum: floor } } : {}), ...color },
    });
  } else {
    // step-after needs the right edge of the last bin as one more point.
    datasets.steps = series.flatMap((s) => [
      ...bins.map((b, i) => ({ series: s.label, x: b.lo, value: clamp(s.values[i]) })),
      ...(bins.length ? [{ series: s.label, x: bins[bins.length - 1].hi, value: clamp(s.values[bins.length - 1]) }] : []),
    ]);
    layer.push({
      data: { name: "steps" },
      mark: { type: "line", interpolate: "step-after" },
      encoding: {
        x: { ...enc.rect.x, field: "x" },
        y: { field: "value", type: "quantitative", scale: yScale(opts), title: yTitle },
        ...(overlay !== null ? { ...color, detail: { field: "series" } } : {}),
      },
    });
  }
  if (overlay === null && (opts.band ?? true) && series[0].variances) {
    datasets.band = bandRows(bins, series[0], floor);
    layer.unshift(bandLayer(enc, opts, yTitle));
  }
  return { ...frame(h, opts), ...size(opts), datasets, layer };
}

/** MC stacked by the labels of `stack`, data points with error bars on top, band and ratio panel. */
function stackSpec(h: Hist, x: number, stack: number, opts: PlotOptions): VegaLiteSpec {
  const a = h.axes[x];
  const bins = binsOf(a);
  const n = bins.length;
  const all = seriesOf(h, x, stack);
  const dataNames = new Set(opts.data ?? dataLabels(h, labelsOf(h.axes[stack])));
  const mc = all.filter((s) => !dataNames.has(s.label));
  const dataSeries = all.filter((s) => dataNames.has(s.label));
  const total = sumSeries(mc, "MC", n);
  const data = dataSeries.length ? sumSeries(dataSeries, "data", n) : null;
  const floor = opts.log ? logFloor([...total.values, ...(data?.values ?? []), ...mc.flatMap((s) => s.values)]) : null;
  const yTitle = opts.yTitle ?? "Events";
  const withRatio = (opts.ratio ?? true) && data !== null && mc.length > 0;
  const enc = xEncoding(a, bins, !withRatio);
  const datasets: Record<string, Row[]> = {};

  // Stacked in declaration order, bottom first; rows carry their own y0..y1.
  const base = new Array<number>(n).fill(0);
  datasets.mc = mc.flatMap((s) => bins.map((b, i) => {
    const y0 = base[i];
    const y1 = (base[i] += s.values[i]);
    return { series: s.label, lo: b.lo, hi: b.hi, label: b.label, value: s.values[i], variance: s.variances?.[i] ?? null, y0: floor !== null ? Math.max(y0, floor) : y0, y1: floor !== null ? Math.max(y1, floor) : y1 };
  }));
  const layer: VegaLiteSpec[] = [];
  if (mc.length) {
    layer.push({
      data: { name: "mc" },
      mark: { type: "rect", stroke: "white", strokeWidth: 0.3 },
      encoding: {
        ...enc.rect,
        y: { field: "y1", type: "quantitative", scale: yScale(opts), title: yTitle },
        y2: { field: "y0" },
        color: { field: "series", type: "nominal", sort: mc.map((s) => s.label), title: axisTitle(h.axes[stack]) },
        tooltip: [{ field: "series" }, { field: "label", title: axisTitle(a) || "bin" }, { field: "value", format: ".4g" }],
      },
    });
  }
  if ((opts.band ?? true) && mc.length && total.variances) {
    datasets.band = bandRows(bins, total, floor);
    layer.push(bandLayer(enc, opts, yTitle));
  }
  if (data) {
    datasets.data = bins.map((b, i) => {
      const v = data.values[i];
      const e = Math.sqrt(Math.max(0, data.variances?.[i] ?? v));
      return { lo: b.lo, hi: b.hi, center: b.center, label: b.label, value: v, error: e, down: v - e, up: v + e };
    }).filter((r) => floor === null || r.value > 0);
    if (floor !== null) for (const r of datasets.data) r.down = Math.max(r.down as number, floor);
    layer.push(
      { data: { name: "data" }, mark: { type: "rule", color: DATA_COLOR }, encoding: { ...enc.point, y: { field: "up", type: "quantitative", scale: yScale(opts), title: yTitle }, y2: { field: "down" } } },
      { data: { name: "data" }, mark: { type: "point", filled: true, color: DATA_COLOR, size: 30 }, encoding: { ...enc.point, y: { field: "value", type: "quantitative", scale: yScale(opts), title: yTitle } } },
    );
  }
  const main = { ...size(opts), layer };
  if (!withRatio) return { ...frame(h, opts), ...main, datasets };

  const ratioEnc = xEncoding(a, bins, true);
  datasets.ratio = bins.flatMap((b, i) => {
    const m = total.values[i];
    if (!(m > 0)) return [];
    const v = data!.values[i];
    const e = Math.sqrt(Math.max(0, data!.variances?.[i] ?? v)) / m;
    return [{ lo: b.lo, hi: b.hi, center: b.center, label: b.label, ratio: v / m, down: v / m - e, up: v / m + e }];
  });
  datasets.ratioBand = total.variances
    ? bins.flatMap((b, i) => {
      const m = total.values[i];
      if (!(m > 0)) return [];
      const e = Math.sqrt(Math.max(0, total.variances![i])) / m;
      return [{ lo: b.lo, hi: b.hi, label: b.label, down: 1 - e, up: 1 + e }];
    })
    : [];
  const ratioY = { type: "quantitative", title: "Data / MC", scale: { zero: false } };
  const ratio = {
    width: main.width,
    height: Math.round(main.height / 3),
    layer: [
      { data: { name: "ratioBand" }, mark: { type: "rect", color: BAND_COLOR, opacity: 0.35 }, encoding: { ...ratioEnc.rect, y: { field: "up", ...ratioY }, y2: { field: "down" } } },
      { mark: { type: "rule", strokeDash: [4, 3], color: "gray" }, encoding: { y: { datum: 1, ...ratioY } } },
      { data: { name: "ratio" }, mark: { type: "rule", color: DATA_COLOR }, encoding: { ...ratioEnc.point, y: { field: "up", ...ratioY }, y2: { field: "down" } } },
      { data: { name: "ratio" }, mark: { type: "point", filled: true, color: DATA_COLOR, size: 30 }, encoding: { ...ratioEnc.point, y: { field: "ratio", ...ratioY } } },
    ],
  };
  return { ...frame(h, opts), datasets, vconcat: [main, ratio], spacing: 5, resolve: { scale: { x: "shared" } } };
}

/** A 2-D heatmap of `x` by `y`, other axes summed out. */
function heatmapSpec(h: Hist, x: number, y: number, opts: PlotOptions): VegaLiteSpec {
  if (x === y) throw new Error("plot: a heatmap needs two different axes");
  const p = h.project(x, y);
  const [ax, ay] = p.axes;
  const bx = binsOf(ax);
  const by = binsOf(ay);
  const values = p.values().data;
  const vr = p.variances();
  const cells: Row[] = [];
  bx.forEach((b, i) => by.forEach((c, j) => {
    const k = i * by.length + j;
    const value = values[k];
    if (opts.log && !(value > 0)) return;
    cells.push({ xlo: b.lo, xhi: b.hi, xlabel: b.label, ylo: c.lo, yhi: c.hi, ylabel: c.label, value, variance: vr ? vr.data[k] : null });
  }));
  const axisEnc = (a: Axis, bins: BinInfo[], ch: "x" | "y") => isOrdered(a)
    ? { [ch]: { field: `${ch}lo`, type: "quantitative", title: axisTitle(a) || null, scale: { domain: [bins[0]?.lo ?? 0, bins[bins.length - 1]?.hi ?? 1], zero: false, nice: false } }, [`${ch}2`]: { field: `${ch}hi` } }
    : { [ch]: { field: `${ch}label`, type: "nominal", title: axisTitle(a) || null, sort: bins.map((b) => b.label) } };
  return {
    ...frame(h, opts),
    ...size(opts),
    datasets: { cells },
    data: { name: "cells" },
    mark: { type: "rect" },
    encoding: {
      ...axisEnc(ax, bx, "x"),
      ...axisEnc(ay, by, "y"),
      color: { field: "value", type: "quantitative", title: opts.yTitle ?? "Events", scale: opts.log ? { type: "log", scheme: "viridis" } : { scheme: "viridis" } },
      tooltip: [{ field: "xlabel", title: axisTitle(ax) || "x" }, { field: "ylabel", title: axisTitle(ay) || "y" }, { field: "value", format: ".4g" }],
    },
  };
}
