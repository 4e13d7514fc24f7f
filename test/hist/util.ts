// Small helpers for the tests ported from boost-histogram and uhi: Python's `h[i, j]` is a
// slice that removes every axis, and `bh.tag.at(i)` is a flow-aware index.
import type { AxisSelection, Hist, SumResult } from "../../src/index.js";
import { underflow } from "../../src/index.js";
import type { FlowLoc } from "../../src/hist/indexing.js";

/** The content of one bin, as Python's `h[sel...]` with a bin selector for every axis. */
export function cell(h: Hist, ...sel: AxisSelection[]): SumResult {
  const picked = h.slice(sel);
  if (picked.ndim !== 0) throw new Error(`cell() needs a bin selector for all ${h.ndim} axes`);
  return picked.sum({ flow: true });
}

/** boost-histogram's `bh.tag.at(i)`: -1 the underflow, `size` the overflow. */
export function at(i: number): FlowLoc {
  return underflow.plus(i + 1);
}

export const arr = (a: ArrayLike<number>): number[] => Array.from(a);

/** Values as nested arrays (C order) to compare with Python's views. */
export function nested(data: ArrayLike<number>, shape: readonly number[]): unknown {
  if (shape.length <= 1) return Array.from(data);
  const inner = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0] }, (_, i) =>
    nested(Array.prototype.slice.call(data, i * inner, (i + 1) * inner) as number[], shape.slice(1)));
}

export function valuesOf(h: Hist, flow = false): unknown {
  const v = h.values({ flow });
  return nested(v.data, v.shape);
}
