import type { Axis } from "../../axis/index.js";
import type { Storage } from "../../storage/index.js";
import type { Hist } from "../hist.js";
import { type AxisMap, fortranOrder } from "./remap.js";

export interface WeightedSum { value: number; variance: number }
export interface MeanSum { count: number; value: number; variance: number }
export type SumResult = number | WeightedSum | MeanSum;

/** One cell's content in the form boost-histogram returns it: a number, a WeightedSum or a Mean. */
export function cellValue(s: Storage, i: number): SumResult {
  switch (s.kind) {
    case "double":
    case "int64":
      return s.fields[0][i];
    case "weight":
      return { value: s.fields[0][i], variance: s.fields[1][i] };
    case "mean": {
      const [count, value, sdsq] = s.fields;
      // An empty cell has no variance (boost-histogram: NaN), not 0 / -1.
      return { count: count[i], value: value[i], variance: count[i] === 0 ? NaN : sdsq[i] / (count[i] - 1) };
    }
  }
}

/**
 * The sum over all bins (`flow` adds the flow bins), as boost's algorithm::sum: cells in boost's
 * storage order (first axis fastest), plain counts with Neumaier's compensated sum, other cells
 * merged as their storage merges them.
 */
export function sum(h: Hist, { flow = false }: { flow?: boolean } = {}): SumResult {
  const extents = h.axes.map((a) => a.extent);
  const lo = h.axes.map((a) => (flow ? 0 : Number(a.traits.underflow)));
  const order = fortranOrder(extents, lo, h.axes.map((a, k) => (flow ? a.extent : lo[k] + a.size)));
  const s = h.storage;
  if (s.kind === "double" || s.kind === "int64") {
    const v = s.fields[0];
    let large = 0, small = 0;
    for (let i = 0; i < order.length; i++) {
      const x = v[order[i]];
      const t = large + x;
      small += Math.abs(large) >= Math.abs(x) ? large - t + x : x - t + large;
      large = t;
    }
    return large + small;
  }
  const picked = s.like(order.length);
  s.fields.forEach((f, k) => { for (let i = 0; i < order.length; i++) picked.fields[k][i] = f[order[i]]; });
  const one = s.like(1);
  one.scatterAdd(picked, new Int32Array(order.length));
  return cellValue(one, 0);
}

/** Every bin onto one cell; flow bins too when `flow`. */
export function sumMaps(axes: readonly Axis[], flow: boolean): AxisMap[] {
  return axes.map((a) => {
    const to = new Int32Array(a.extent);
    if (!flow) {
      if (a.traits.underflow) to[0] = -1;
      if (a.traits.overflow) to[a.extent - 1] = -1;
    }
    return { to, dstAxis: null };
  });
}
