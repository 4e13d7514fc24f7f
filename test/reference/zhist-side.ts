// Builds and fills a zhist histogram from a case description, through the public API only
// (GUIDE 3.1), and reads back what boost-side.ts reads from boost-histogram.
import { Hist, loc, overflow, pick, rebin, sum, underflow } from "../../src/index.js"; // the package entry ("zhist")
import type { NdArray } from "../helpers/python.js";
import type { AxisSelSpec, AxisSpec, Case, FillArg, LocSpec, SelectionSpec } from "./cases.js";
import type { BoostAxis } from "./boost-side.js";

export interface ZhistCase {
  axes: BoostAxis[];
  values: NdArray;
  variances: NdArray | null;
  counts: NdArray;
  sum?: { flow: number[]; noflow: number[] };
}

// The builder's types change with each call; the cases choose axes at run time.
type AnyBuilder = any;

function addAxis(b: AnyBuilder, a: AxisSpec): AnyBuilder {
  const opts = { name: a.name, ...a.flags };
  switch (a.kind) {
    case "reg":
      return b.Reg(a.bins, a.lo, a.hi, opts);
    case "var":
      return b.Var(a.edges, opts);
    case "int":
      return b.Int(a.lo, a.hi, opts);
    case "strcat":
      return b.StrCat(a.labels, opts);
    case "intcat":
      return b.IntCat(a.labels, opts);
    case "bool":
      return b.Bool(opts);
  }
}

function argValue(c: Case, a: FillArg): unknown {
  if ("array" in a) return c.arrays[a.array];
  if ("strings" in a) return a.strings;
  return a.scalar;
}

const STORAGE = { double: "Double", int64: "Int64", weight: "Weight", mean: "Mean" } as const;

/** An axis as boost-side.ts describes it: extents, edges of ordered axes, category labels. */
function describe(axis: AnyBuilder): BoostAxis {
  const d: BoostAxis = { extent: axis.extent, size: axis.size };
  if (axis.kind === "regular" || axis.kind === "variable" || axis.kind === "integer") {
    const edges: number[] = [];
    for (let i = 0; i < axis.size; i++) edges.push((axis.bin(i) as [number, number])[0]);
    edges.push((axis.bin(axis.size - 1) as [number, number])[1]);
    d.edges = edges;
  } else if (axis.kind === "str_category" || axis.kind === "int_category") {
    d.categories = Array.from({ length: axis.size }, (_, i) => axis.bin(i));
  }
  return d;
}

function locator(s: LocSpec | null): unknown {
  if (s === null) return null;
  if ("index" in s) return s.index;
  if ("loc" in s) return loc(s.loc, s.offset ?? 0);
  return s.flow === "underflow" ? underflow : overflow;
}

function selection(s: AxisSelSpec): unknown {
  if (s === "sum") return sum;
  if ("range" in s) {
    const a = s.action;
    const range: unknown[] = [locator(s.range[0]), locator(s.range[1])];
    if (a !== undefined) range.push(a === "sum" ? sum : rebin(a.rebin));
    return range;
  }
  if ("rebin" in s) return rebin(s.rebin);
  if ("labels" in s) return pick(...s.labels);
  return locator(s);
}

export type ZhistSelection = { axes: BoostAxis[]; values: NdArray; variances: NdArray | null } | { scalar: number[] };

/** `h.slice(...)` or `h.project(...)` as the spec says; a full reduction gives a scalar. */
export function selectInZhist(h: AnyBuilder, s: SelectionSpec): ZhistSelection {
  let r: AnyBuilder;
  if (s.project) r = h.project(...s.project);
  else {
    const sel: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.sel ?? {})) sel[k] = selection(v);
    r = h.slice(sel);
  }
  if (typeof r === "number" || !("axes" in Object(r))) return { scalar: sumList(r) };
  if (r.axes.length === 0) return { scalar: sumList(r.sum({ flow: true })) };
  return {
    axes: r.axes.map(describe),
    values: r.values({ flow: true }),
    variances: r.variances({ flow: true }),
  };
}

/** [value] or [value, variance], as boost-side.ts reports sums. */
function sumList(s: unknown): number[] {
  if (typeof s === "number") return [s];
  const o = s as { value: number; variance: number };
  return [o.value, o.variance];
}

/** A zhist histogram built and filled as the case says. */
export function buildInZhist(c: Case): AnyBuilder {
  let b: AnyBuilder = Hist.new;
  for (const a of c.axes) b = addAxis(b, a);
  const h = b[STORAGE[c.storage]]();
  for (const f of c.fills) {
    const args: Record<string, unknown> = {};
    c.axes.forEach((a, k) => (args[a.name] = argValue(c, f.args[k])));
    if (f.weight) args.weight = argValue(c, f.weight);
    if (f.sample) args.sample = argValue(c, f.sample);
    h.fill(args);
  }
  return h;
}

export function fillInZhist(c: Case): ZhistCase {
  const h = buildInZhist(c);
  const out: ZhistCase = {
    axes: h.axes.map(describe),
    values: h.values({ flow: true }),
    variances: h.variances({ flow: true }),
    counts: h.counts({ flow: true }),
  };
  if (c.storage !== "mean") out.sum = { flow: sumList(h.sum({ flow: true })), noflow: sumList(h.sum({ flow: false })) };
  return out;
}
