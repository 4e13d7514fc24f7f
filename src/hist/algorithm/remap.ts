import type { Storage } from "../../storage/index.js";
import { product, stridesOf } from "../view.js";

/**
 * How each source axis lands in the destination: `to[e]` is the destination extent index of source
 * extent index e (-1 drops the bin), and `dstAxis` the destination axis it feeds (null when the axis
 * is summed out, so all its kept bins land on the same cell).
 */
export interface AxisMap {
  to: Int32Array;
  dstAxis: number | null;
}

/** The destination cell of every source cell, or -1: one map serves project, slice, rebin, growth and merges. */
export function cellMap(maps: readonly AxisMap[], dstExtents: readonly number[]): Float64Array {
  const dstStrides = stridesOf(dstExtents);
  let map = new Float64Array([0]);
  for (const m of maps) {
    const stride = m.dstAxis === null ? 0 : dstStrides[m.dstAxis];
    const n = m.to.length;
    const next = new Float64Array(map.length * n);
    for (let o = 0; o < map.length; o++) {
      const base = map[o];
      for (let e = 0; e < n; e++) {
        const t = m.to[e];
        next[o * n + e] = base < 0 || t < 0 ? -1 : base + t * stride;
      }
    }
    map = next;
  }
  return map;
}

/**
 * A new storage with `dstExtents` holding the source cells added where `maps` send them, in boost's
 * order (first axis fastest). `copyIntoEmpty`: pure selections copy cells, as boost does for picks.
 */
export function remapStorage(src: Storage, maps: readonly AxisMap[], dstExtents: readonly number[], copyIntoEmpty = false): Storage {
  const dst = src.like(product(dstExtents));
  dst.scatterAdd(src, cellMap(maps, dstExtents), { order: fortranOrder(maps.map((m) => m.to.length)), copyIntoEmpty });
  dst.varianceKnown = src.varianceKnown;
  return dst;
}

/** C-order cell indices of a box inside `extents` ([lo, hi) per axis), visited with the first axis fastest. */
export function fortranOrder(extents: readonly number[], lo: readonly number[] = extents.map(() => 0), hi: readonly number[] = extents): Float64Array {
  const strides = stridesOf(extents);
  const out = new Float64Array(hi.reduce((n, h, k) => n * (h - lo[k]), 1));
  const idx = [...lo];
  for (let i = 0; i < out.length; i++) {
    let c = 0;
    for (let k = 0; k < idx.length; k++) c += idx[k] * strides[k];
    out[i] = c;
    for (let k = 0; k < idx.length; k++) {
      if (++idx[k] < hi[k]) break;
      idx[k] = lo[k];
    }
  }
  return out;
}

export function identityMap(extent: number, dstAxis: number, shift = 0): AxisMap {
  const to = new Int32Array(extent);
  for (let e = 0; e < extent; e++) to[e] = e + shift; // a plain loop: this runs once per chunk of a fill
  return { to, dstAxis };
}
