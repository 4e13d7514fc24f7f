// Randomized fill cases described as plain data, so that the very same description builds and
// fills a zhist histogram (zhist-side.ts) and a Python boost-histogram one (boost-side.ts).
import { Rng, edgeValues, mixedValues, nextAfter } from "../helpers/random.js";

export interface AxisFlags {
  underflow?: boolean;
  overflow?: boolean;
  growth?: boolean;
  circular?: boolean;
}

export type AxisSpec = { name: string; flags: AxisFlags } & (
  | { kind: "reg"; bins: number; lo: number; hi: number }
  | { kind: "var"; edges: number[] }
  | { kind: "int"; lo: number; hi: number }
  | { kind: "strcat"; labels: string[] }
  | { kind: "intcat"; labels: number[] }
  | { kind: "bool" }
);

export type StorageSpec = "double" | "int64" | "weight" | "mean";

/** One argument of a fill: a numeric array (by name, shipped as a raw file), strings, or a scalar. */
export type FillArg = { array: string } | { strings: string[] } | { scalar: number | string };

export interface FillSpec {
  args: FillArg[]; // one per axis, in axis order
  weight?: FillArg;
  sample?: FillArg;
}

/** A locator: a bin index, a value's bin (plus an offset), or a flow bin. */
export type LocSpec = { index: number } | { loc: number | string; offset?: number } | { flow: "underflow" | "overflow" };
/** One axis's part of a UHI selection, as data (see zhist-side.ts and boost-side.ts). */
export type AxisSelSpec =
  | LocSpec
  | { range: [LocSpec | null, LocSpec | null]; action?: { rebin: number } | "sum" }
  | { rebin: number }
  | "sum"
  | { labels: string[] };
/** A selection applied after the fills: `h.slice(sel)`, or `h.project(...project)`. */
export interface SelectionSpec {
  name: string;
  sel?: Record<string, AxisSelSpec>;
  project?: string[];
}

export interface Case {
  name: string;
  axes: AxisSpec[];
  storage: StorageSpec;
  fills: FillSpec[];
  arrays: Record<string, Float64Array>;
  /** Said beside the result: what the case is after, when its name cannot say it. */
  note?: string;
  /** Set when boost-histogram itself is wrong for this case: the case is skipped, with the reason. */
  referenceBug?: string;
  /**
   * Python gets scalar labels as full arrays: boost-histogram's scalar broadcast is wrong after an
   * axis without flow bins (the reason is kept here), its array path is right.
   */
  broadcastInPython?: string;
  /** Selections to compare after the fills (slice.test.ts). */
  selections?: SelectionSpec[];
}

/** Builds cases while collecting the arrays they use under unique names. */
export class CaseBuilder {
  readonly arrays: Record<string, Float64Array> = {};
  constructor(readonly rng: Rng, readonly prefix: string) {}
  array(a: Float64Array): FillArg {
    const name = `${this.prefix}.${Object.keys(this.arrays).length}`;
    this.arrays[name] = a;
    return { array: name };
  }
}

function regularEdges(bins: number, lo: number, hi: number): number[] {
  return Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
}

/** Values for one axis: edges, their neighbours, NaN and infinities mixed into uniform values. */
export function valuesFor(b: CaseBuilder, axis: AxisSpec, n: number, finiteOnly = false): FillArg {
  const arg = valuesForAny(b, axis, n);
  if (!finiteOnly || !("array" in arg)) return arg;
  const a = b.arrays[arg.array];
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) a[i] = b.rng.uniform(-1, 1);
  return arg;
}

function valuesForAny(b: CaseBuilder, axis: AxisSpec, n: number): FillArg {
  const rng = b.rng;
  switch (axis.kind) {
    case "reg": {
      const span = axis.hi - axis.lo;
      let awkward = edgeValues(regularEdges(axis.bins, axis.lo, axis.hi));
      // A growing axis would grow to ~1e300 bins for the far values: keep those out.
      if (axis.flags.growth) awkward = awkward.filter((v) => !(Math.abs(v) > 1e6 && Number.isFinite(v)));
      // Growth and circular axes also get values several ranges away.
      const far = axis.flags.growth || axis.flags.circular ? 3 * span : 0;
      const v = mixedValues(rng, n, axis.lo - far, axis.hi + far, awkward);
      return b.array(v);
    }
    case "var": {
      const e = axis.edges;
      const far = axis.flags.growth ? 2 * (e[e.length - 1] - e[0]) : 0;
      // Growth on a variable axis cannot take NaN or infinities in boost-histogram as a new edge;
      // they still go to the flow bins, so they stay in.
      return b.array(mixedValues(rng, n, e[0] - far, e[e.length - 1] + far, edgeValues(e)));
    }
    case "int": {
      // boost-histogram's Integer axis accepts integers only: no NaN, no fractions.
      const pad = axis.flags.growth || axis.flags.circular ? 2 * (axis.hi - axis.lo) : 3;
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = rng.int(axis.lo - pad, axis.hi + pad);
      return b.array(v);
    }
    case "intcat": {
      const pool = [...axis.labels, -7, 0, 42, 1000];
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = rng.pick(pool);
      return b.array(v);
    }
    case "strcat": {
      const pool = [...axis.labels, "unknown", "", "ttbar ", "Ttbar", "ü-label"];
      return { strings: Array.from({ length: n }, () => rng.pick(pool)) };
    }
    case "bool": {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = rng.next() < 0.3 ? 1 : 0;
      return b.array(v);
    }
  }
}

/** Weights and samples for a storage: random, signed, with a share of exact repeats. */
export function extrasFor(b: CaseBuilder, storage: StorageSpec, n: number, weighted: boolean): Partial<FillSpec> {
  const rng = b.rng;
  const out: Partial<FillSpec> = {};
  if (weighted) {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = rng.next() < 0.1 ? rng.pick([1, 0.5, 2, -1]) : rng.normal() * 0.3 + 1;
    out.weight = b.array(w);
  }
  if (storage === "mean") {
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) s[i] = rng.normal() * 10 + 50;
    out.sample = b.array(s);
  }
  return out;
}

function oneD(b: CaseBuilder, name: string, axis: AxisSpec, storage: StorageSpec, n: number, fills = 1, weighted = false): Case {
  const fillSpecs: FillSpec[] = [];
  for (let f = 0; f < fills; f++) {
    fillSpecs.push({ args: [valuesFor(b, axis, n)], ...extrasFor(b, storage, n, weighted) });
  }
  return { name, axes: [axis], storage, fills: fillSpecs, arrays: b.arrays };
}

/**
 * Growth, three ways: finite values only (several calls); NaN and infinities in calls of their
 * own; and NaN and infinities mixed with values that grow the axis in the same call. The last
 * one differs between boost-histogram and zhist (see the report in the case's note).
 */
function growthCases(builder: () => CaseBuilder, name: string, axis: AxisSpec): Case[] {
  const finite = builder();
  const fills = [0, 1, 2].map(() => ({ args: [valuesFor(finite, axis, 400, true)] }));
  const separate = builder();
  const nonFinite = separate.array(Float64Array.from([NaN, Infinity, -Infinity, NaN, -Infinity]));
  const mixed = builder();
  return [
    { name: `${name}, finite values, 3 fills`, axes: [axis], storage: "double", fills, arrays: finite.arrays },
    {
      name: `${name}, NaN and infinities in fills of their own`,
      axes: [axis],
      storage: "double",
      fills: [{ args: [valuesFor(separate, axis, 400, true)] }, { args: [nonFinite] }, { args: [valuesFor(separate, axis, 400, true)] }, { args: [nonFinite] }],
      arrays: separate.arrays,
    },
    {
      ...oneD(mixed, `${name}, NaN and infinities mixed into growing fills`, axis, "double", 400, 2),
      // zhist keeps flow entries in the flow bins whatever grows later (the case above checks them against
      // boost with fills of their own); boost-histogram does not, so it is no reference here.
      referenceBug:
        "boost-histogram computes a whole call's indices while it grows the axis and does not move the flow entries " +
        "seen before a growth, so a NaN or -inf filled before a value that grows the axis ends up in an inner bin",
    },
  ];
}

export function makeCases(seed: number): Case[] {
  const rng = new Rng(seed);
  const cases: Case[] = [];
  let k = 0;
  const builder = () => new CaseBuilder(rng, `c${k++}`);
  const reg = (flags: AxisFlags, bins = 10, lo = -1, hi = 2): AxisSpec => ({ name: "x", kind: "reg", bins, lo, hi, flags });
  const n = 5000;

  // --- axes, Double storage ---------------------------------------------------------------
  cases.push(oneD(builder(), "Regular", reg({}), "double", n));
  cases.push(oneD(builder(), "Regular, odd range (0.1, 0.7), 7 bins", reg({}, 7, 0.1, 0.7), "double", n));
  cases.push(oneD(builder(), "Regular, no underflow", reg({ underflow: false }), "double", n));
  cases.push(oneD(builder(), "Regular, no overflow", reg({ overflow: false }), "double", n));
  cases.push(oneD(builder(), "Regular, no flow", reg({ underflow: false, overflow: false }), "double", n));
  cases.push(oneD(builder(), "Regular, circular", reg({ circular: true }, 8, 0, 2 * Math.PI), "double", n));
  cases.push(...growthCases(builder, "Regular, growth", reg({ growth: true }, 5, 0, 1)));
  // One value each, just outside the range: the bin it lands in after growing is decided by
  // rounding, so this pins down whose rounding (boost's index from before the growth).
  for (const v of [-1e-17, nextAfter(0, -1), nextAfter(1, 1), 1.2, nextAfter(1.2, -1)]) {
    const b = builder();
    cases.push({
      name: `Regular, growth, single value ${v}`,
      axes: [reg({ growth: true }, 5, 0, 1)],
      storage: "double",
      fills: [{ args: [b.array(Float64Array.of(v))] }],
      arrays: b.arrays,
    });
  }
  cases.push(oneD(builder(), "Variable", { name: "x", kind: "var", edges: [-1, -0.5, 0, 0.1, 1, 10], flags: {} }, "double", n));
  cases.push(oneD(builder(), "Variable, no flow", { name: "x", kind: "var", edges: [0, 0.3, 1.7, 2], flags: { underflow: false, overflow: false } }, "double", n));
  // Unequal last bin only: boost-histogram mangles other circular variable edges (see below).
  cases.push(oneD(builder(), "Variable, circular", { name: "x", kind: "var", edges: [0, 1, 2, 3.5], flags: { circular: true } }, "double", n));
  cases.push({
    ...oneD(builder(), "Variable, circular, uneven inner edges", { name: "x", kind: "var", edges: [0, 1, 3, 3.5], flags: { circular: true } }, "double", n),
    referenceBug:
      "boost-histogram 1.8.1 builds Variable([0, 1, 3, 3.5], circular=True) with edges [0, 1, 2, 3.5]: " +
      "its inner edges are replaced by equal steps, so it is no reference here",
  });
  cases.push(...growthCases(builder, "Variable, growth", { name: "x", kind: "var", edges: [0, 1, 3], flags: { growth: true } }));
  cases.push(oneD(builder(), "Integer", { name: "x", kind: "int", lo: -5, hi: 5, flags: {} }, "double", n));
  cases.push(oneD(builder(), "Integer, no flow", { name: "x", kind: "int", lo: 0, hi: 4, flags: { underflow: false, overflow: false } }, "double", n));
  cases.push(oneD(builder(), "Integer, circular", { name: "x", kind: "int", lo: 0, hi: 3, flags: { circular: true } }, "double", n));
  cases.push(oneD(builder(), "Integer, growth, 2 fills", { name: "x", kind: "int", lo: 0, hi: 3, flags: { growth: true } }, "double", 100, 2));
  cases.push(oneD(builder(), "StrCategory", { name: "x", kind: "strcat", labels: ["ttbar", "wjets", "data"], flags: {} }, "double", n));
  cases.push(oneD(builder(), "StrCategory, no overflow", { name: "x", kind: "strcat", labels: ["ttbar", "wjets"], flags: { overflow: false } }, "double", n));
  cases.push(oneD(builder(), "StrCategory, growth from empty, 2 fills", { name: "x", kind: "strcat", labels: [], flags: { growth: true } }, "double", 300, 2));
  cases.push(oneD(builder(), "StrCategory, growth from 2 labels", { name: "x", kind: "strcat", labels: ["wjets", "ttbar"], flags: { growth: true } }, "double", 300));
  cases.push(oneD(builder(), "IntCategory", { name: "x", kind: "intcat", labels: [3, -1, 17], flags: {} }, "double", n));
  cases.push(oneD(builder(), "IntCategory, no overflow", { name: "x", kind: "intcat", labels: [0, 1000], flags: { overflow: false } }, "double", n));
  cases.push(oneD(builder(), "IntCategory, growth from empty, 2 fills", { name: "x", kind: "intcat", labels: [], flags: { growth: true } }, "double", 300, 2));
  cases.push(oneD(builder(), "Boolean", { name: "x", kind: "bool", flags: {} }, "double", n));

  // --- storages ---------------------------------------------------------------------------
  cases.push(oneD(builder(), "Regular, Double, weighted", reg({}), "double", n, 1, true));
  cases.push(oneD(builder(), "Regular, Int64", reg({}), "int64", n));
  cases.push(oneD(builder(), "Regular, Weight", reg({}), "weight", n, 1, true));
  cases.push(oneD(builder(), "Regular, Weight, unweighted fill", reg({}), "weight", n));
  cases.push(oneD(builder(), "StrCategory growth, Weight, 2 fills", { name: "x", kind: "strcat", labels: [], flags: { growth: true } }, "weight", 500, 2, true));
  cases.push(oneD(builder(), "Regular, Mean", reg({}), "mean", n));
  cases.push(oneD(builder(), "StrCategory growth, Mean, 3 fills", { name: "x", kind: "strcat", labels: [], flags: { growth: true } }, "mean", 300, 3));
  cases.push(oneD(builder(), "Variable, Mean", { name: "x", kind: "var", edges: [-1, 0, 0.5, 2], flags: {} }, "mean", n));
  {
    const b = builder();
    const c = oneD(b, "Regular, Weight, scalar weight 0.1", reg({}), "weight", n);
    c.fills[0].weight = { scalar: 0.1 };
    cases.push(c);
  }

  // --- 2-D --------------------------------------------------------------------------------
  for (const storage of ["double", "weight", "mean"] as StorageSpec[]) {
    const b = builder();
    const axes: AxisSpec[] = [
      { name: "x", kind: "reg", bins: 6, lo: 0, hi: 3, flags: {} },
      { name: "y", kind: "var", edges: [-2, -1, 0, 0.5, 4], flags: { underflow: false } },
    ];
    const fills = [0, 1].map(() => ({
      args: axes.map((a) => valuesFor(b, a, 3000)),
      ...extrasFor(b, storage, 3000, storage === "weight"),
    }));
    cases.push({ name: `2-D Regular x Variable, ${storage}`, axes, storage, fills, arrays: b.arrays });
  }

  // --- 5-D: three StrCategory axes filled with scalar labels, two Regular axes --------------
  for (const storage of ["double", "weight"] as StorageSpec[]) {
    const b = builder();
    const axes: AxisSpec[] = [
      { name: "dataset", kind: "strcat", labels: [], flags: { growth: true } },
      { name: "region", kind: "strcat", labels: ["4j1b", "4j2b"], flags: {} },
      { name: "syst", kind: "strcat", labels: ["nominal"], flags: { growth: true } },
      { name: "pt", kind: "reg", bins: 20, lo: 0, hi: 500, flags: {} },
      { name: "eta", kind: "reg", bins: 5, lo: -2.5, hi: 2.5, flags: { underflow: false, overflow: false } },
    ];
    const fills: FillSpec[] = [];
    for (let f = 0; f < 12; f++) {
      fills.push({
        args: [
          { scalar: rng.pick(["ttbar", "wjets", "data", "dy"]) },
          { scalar: rng.pick(["4j1b", "4j2b", "3j0b"]) }, // "3j0b" lands in the flow bin
          { scalar: rng.pick(["nominal", "jes_up", "jes_down"]) },
          valuesFor(b, axes[3], 800),
          valuesFor(b, axes[4], 800),
        ],
        ...extrasFor(b, storage, 800, storage === "weight"),
      });
    }
    cases.push({ name: `5-D 3 StrCategory (scalar labels) x 2 Regular, ${storage}`, axes, storage, fills, arrays: b.arrays });
  }

  // Scalar labels after an axis without flow bins whose first entry is out of range: boost-histogram
  // 1.8.1 then drops every entry (scikit-hep/boost-histogram#960), so Python gets arrays instead.
  for (const first of [-5, 0.5]) {
    const b = builder();
    const axes: AxisSpec[] = [
      { name: "x", kind: "reg", bins: 4, lo: 0, hi: 1, flags: { underflow: false, overflow: false } },
      { name: "dataset", kind: "strcat", labels: ["ttbar", "data"], flags: { overflow: false } },
      { name: "syst", kind: "strcat", labels: [], flags: { growth: true } },
    ];
    const x = b.array(Float64Array.from({ length: 500 }, (_, i) => (i === 0 ? first : rng.uniform(-0.5, 1.5))));
    cases.push({
      name: `scalar labels after a no-flow axis, first x ${first}`,
      axes,
      storage: "double",
      fills: [
        { args: [x, { scalar: "ttbar" }, { scalar: "nominal" }] },
        { args: [x, { scalar: "other" }, { scalar: "jes_up" }] }, // "other" has no bin: all dropped
        { args: [x, { scalar: "data" }, { scalar: "nominal" }] },
      ],
      arrays: b.arrays,
      broadcastInPython: "boost-histogram#960: a broadcast scalar after a non-inclusive axis drops valid entries",
    });
  }

  return cases;
}
