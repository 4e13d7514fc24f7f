// Moving rectangular blocks between C-order float64 buffers of different shapes: the one
// index calculation behind splitting an array into chunks, assembling it back, and adding
// a small dense block into the chunks it overlaps.
import { stridesOf } from "../hist/view.js";

export interface BlockCopy {
  src: Float64Array;
  srcShape: readonly number[];
  /** Corner of the block in src coordinates. */
  srcOrigin: readonly number[];
  dst: Float64Array;
  dstShape: readonly number[];
  dstOrigin: readonly number[];
  /** Extent of the block along each axis. */
  extent: readonly number[];
  /** "set" overwrites dst, "add" accumulates into it. */
  mode: "set" | "add";
}

/** Copy (or add) a block; the innermost axis is one contiguous run, so it is a tight loop. */
export function copyBlock(c: BlockCopy): void {
  const ndim = c.extent.length;
  if (c.extent.some((e) => e <= 0)) return;
  if (ndim === 0) {
    if (c.mode === "set") c.dst[0] = c.src[0];
    else c.dst[0] += c.src[0];
    return;
  }
  const srcStrides = stridesOf(c.srcShape);
  const dstStrides = stridesOf(c.dstShape);
  const run = c.extent[ndim - 1];
  const outer = c.extent.slice(0, ndim - 1);
  const counter = new Array<number>(ndim - 1).fill(0);
  const total = outer.reduce((n, e) => n * e, 1);
  for (let step = 0; step < total; step++) {
    let s = c.srcOrigin[ndim - 1];
    let d = c.dstOrigin[ndim - 1];
    for (let a = 0; a < ndim - 1; a++) {
      s += (c.srcOrigin[a] + counter[a]) * srcStrides[a];
      d += (c.dstOrigin[a] + counter[a]) * dstStrides[a];
    }
    if (c.mode === "set") {
      c.dst.set(c.src.subarray(s, s + run), d);
    } else {
      for (let i = 0; i < run; i++) c.dst[d + i] += c.src[s + i];
    }
    for (let a = ndim - 2; a >= 0; a--) {
      if (++counter[a] < outer[a]) break;
      counter[a] = 0;
    }
  }
}

/** Every index tuple of a grid, in C order (the last axis fastest). */
export function* gridPoints(lower: readonly number[], upper: readonly number[]): Generator<number[]> {
  const ndim = lower.length;
  if (lower.some((lo, a) => lo >= upper[a])) return;
  const point = [...lower];
  for (;;) {
    yield [...point];
    let a = ndim - 1;
    for (; a >= 0; a--) {
      if (++point[a] < upper[a]) break;
      point[a] = lower[a];
    }
    if (a < 0) return;
  }
}

export function isAllZero(data: Float64Array): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) return false;
  return true;
}
