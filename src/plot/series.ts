// From a histogram to plain rows: the bins of one axis per label of a category axis (or one series),
// with sums of weights and variances. Everything the specs draw is computed here, so that a spec is
// data a test (or a front end) can read without running Vega.
import type { Axis } from "../axis/index.js";
import type { Hist } from "../hist/index.js";

/** One bin of the plotted axis: [lo, hi) for ordered axes, a label for categories. */
export interface BinInfo {
  index: number;
  lo: number;
  hi: number;
  center: number;
  label: string;
}

export interface Series {
  label: string;
  values: number[];
  /** Variance per bin; null when the storage does not know its variances. */
  variances: number[] | null;
}

/** Ordered axes are drawn along a quantitative scale; categories and booleans along a band scale. */
export function isOrdered(a: Axis): boolean {
  return a.traits.ordered && a.kind !== "boolean";
}

export function axisTitle(a: Axis): string {
  return a.label || a.name || "";
}

export function binsOf(a: Axis): BinInfo[] {
  const out: BinInfo[] = [];
  for (let i = 0; i < a.size; i++) {
    const b = a.bin(i);
    if (Array.isArray(b)) {
      const [lo, hi] = b;
      out.push({ index: i, lo, hi, center: (lo + hi) / 2, label: a.kind === "integer" ? String(lo) : `[${lo}, ${hi})` });
    } else out.push({ index: i, lo: i, hi: i + 1, center: i + 0.5, label: String(b) });
  }
  return out;
}

/** Labels of a category axis, in axis order. */
export function labelsOf(a: Axis): string[] {
  return binsOf(a).map((b) => b.label);
}

/**
 * Series of the axis `x` for each label of `by` (one series named `name` when `by` is absent); every
 * other axis is summed out, flow included (hist's `project`).
 */
export function seriesOf(h: Hist, x: number, by: number | null, name = h.name || "total"): Series[] {
  if (by === null) {
    const p = h.project(x);
    const vr = p.variances();
    return [{ label: name, values: Array.from(p.values().data), variances: vr ? Array.from(vr.data) : null }];
  }
  const p = h.project(by, x);
  const n = p.axes[1].size;
  const values = p.values().data;
  const vr = p.variances();
  return labelsOf(p.axes[0]).map((label, s) => ({
    label,
    values: Array.from(values.subarray(s * n, (s + 1) * n)),
    variances: vr ? Array.from(vr.data.subarray(s * n, (s + 1) * n)) : null,
  }));
}

/** Bin-wise sum of series; variances add (independent samples). */
export function sumSeries(list: Series[], label: string, n: number): Series {
  const values = new Array<number>(n).fill(0);
  let variances: number[] | null = new Array<number>(n).fill(0);
  for (const s of list) {
    for (let i = 0; i < n; i++) values[i] += s.values[i];
    if (s.variances && variances) for (let i = 0; i < n; i++) variances[i] += s.variances[i];
    else variances = null;
  }
  return { label, values, variances };
}

/**
 * Labels of the dataset axis that are real data: from the fill's metadata (`datasets`, a JSON string or
 * an object of { data: boolean }), else labels that look like data ("data", "Data", "data_*").
 */
export function dataLabels(h: Hist, labels: string[]): string[] {
  const raw = h.metadata?.datasets;
  let meta: Record<string, { data?: boolean }> | null = null;
  try {
    meta = typeof raw === "string" ? JSON.parse(raw) : raw && typeof raw === "object" ? (raw as Record<string, { data?: boolean }>) : null;
  } catch {
    meta = null;
  }
  if (meta) return labels.filter((l) => meta![l]?.data === true);
  return labels.filter((l) => /^data($|[_\s-])/i.test(l));
}
