// Builds and fills a zhist histogram from a case description, through the public API only
// (GUIDE 3.1), and reads back what boost-side.ts reads from boost-histogram.
import { Hist } from "../../src/index.js"; // the package entry ("zhist")
import type { NdArray } from "../helpers/python.js";
import type { AxisSpec, Case, FillArg } from "./cases.js";
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

function describe(axis: AnyBuilder, spec: AxisSpec): BoostAxis {
  const d: BoostAxis = { extent: axis.extent, size: axis.size };
  if (spec.kind === "reg" || spec.kind === "var" || spec.kind === "int") {
    const edges: number[] = [];
    for (let i = 0; i < axis.size; i++) edges.push((axis.bin(i) as [number, number])[0]);
    edges.push((axis.bin(axis.size - 1) as [number, number])[1]);
    d.edges = edges;
  } else if (spec.kind === "strcat" || spec.kind === "intcat") {
    d.categories = Array.from({ length: axis.size }, (_, i) => axis.bin(i));
  }
  return d;
}

/** [value] or [value, variance], as boost-side.ts reports sums. */
function sumList(s: unknown): number[] {
  if (typeof s === "number") return [s];
  const o = s as { value: number; variance: number };
  return [o.value, o.variance];
}

export function fillInZhist(c: Case): ZhistCase {
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
  const out: ZhistCase = {
    axes: c.axes.map((spec, k) => describe(h.axes[k], spec)),
    values: h.values({ flow: true }),
    variances: h.variances({ flow: true }),
    counts: h.counts({ flow: true }),
  };
  if (c.storage !== "mean") out.sum = { flow: sumList(h.sum({ flow: true })), noflow: sumList(h.sum({ flow: false })) };
  return out;
}
