import type { Axis } from "../axis/index.js";

/** A dense C-order block of bins, as the public API returns it. */
export interface View {
  data: Float64Array;
  shape: number[];
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Copies the box `lo[k] <= i_k < hi[k]` out of a C-order array of shape `shape`. */
export function extractBox(src: Float64Array, shape: readonly number[], lo: readonly number[], hi: readonly number[]): Float64Array {
  const outShape = hi.map((h, k) => h - lo[k]);
  const out = new Float64Array(product(outShape));
  const nd = shape.length;
  if (nd === 0) {
    out[0] = src[0];
    return out;
  }
  const strides = stridesOf(shape);
  const inner = outShape[nd - 1];
  const outer = out.length / Math.max(inner, 1);
  const idx = new Array<number>(nd - 1).fill(0);
  for (let r = 0; r < outer; r++) {
    let base = lo[nd - 1];
    for (let k = 0; k < nd - 1; k++) base += (lo[k] + idx[k]) * strides[k];
    out.set(src.subarray(base, base + inner), r * inner);
    for (let k = nd - 2; k >= 0; k--) {
      if (++idx[k] < outShape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** A field of a histogram over all bins (`flow`) or over the inner bins only. */
export function viewOf(field: Float64Array, axes: readonly Axis[], flow: boolean): View {
  const extents = axes.map((a) => a.extent);
  if (flow) return { data: field, shape: extents };
  const lo = axes.map((a) => Number(a.traits.underflow));
  const hi = axes.map((a, k) => lo[k] + a.size);
  return { data: extractBox(field, extents, lo, hi), shape: axes.map((a) => a.size) };
}
