import type { UhiStorage, UhiStorageType } from "../uhi.js";

export type StorageKind = "double" | "int64" | "weight" | "mean";

/** Per-entry weights or samples: one number for all entries, or one per entry. */
export type PerEntry = number | Float64Array;

/**
 * Cells of one kind in dense flat buffers, one Float64Array per field (struct of arrays, so each
 * field is a plain numeric view). A storage knows cells, not axes: the histogram maps entries to
 * linear cell indices, negative meaning "no bin".
 */
export interface Storage {
  readonly kind: StorageKind;
  readonly uhiType: UhiStorageType;
  /** Field buffers, all of length `size`, in the order of `fieldNames`. */
  readonly fields: Float64Array[];
  readonly fieldNames: readonly string[];
  readonly size: number;
  /** False once a plain-count storage saw weights or scaling: its variances are then unknown. */
  varianceKnown: boolean;
  /** Adds entries `start..start+n` whose cells are `cells[0..n)`. */
  fill(cells: Float64Array, n: number, weight: PerEntry | undefined, sample: PerEntry | undefined, start: number): void;
  /**
   * For every source cell i with `map[i] >= 0`, adds cell i of `src` into cell `map[i]`, visiting the
   * source cells in `opts.order` when given (boost reduces with the first axis fastest: the order
   * decides the last bits of sums). `copyIntoEmpty` copies a cell into an empty one instead of
   * merging, which only changes Mean cells (boost copies when it picks bins, merges when it sums).
   */
  scatterAdd(src: Storage, map: Int32Array | Float64Array, opts?: ScatterOptions): void;
  scale(c: number): void;
  values(): Float64Array;
  variances(): Float64Array | null;
  counts(): Float64Array;
  /** A new zeroed storage of the same kind and `size` cells. */
  like(size: number): Storage;
  toUHI(): UhiStorage;
}

export interface ScatterOptions {
  order?: ArrayLike<number>;
  copyIntoEmpty?: boolean;
}

export function at(p: PerEntry, i: number): number {
  return typeof p === "number" ? p : p[i];
}
