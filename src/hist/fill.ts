import type { Axis } from "../axis/index.js";
import { OVERFLOW_BIN, Regular, UNDERFLOW_BIN } from "../axis/regular.js";
import type { PerEntry, Storage } from "../storage/index.js";
import { type AxisMap, remapStorage } from "./algorithm/remap.js";
import { fusedFill } from "./fill-kernel.js";
import { wasmFusedFill } from "./fill-wasm.js";
import { stridesOf } from "./view.js";

/** What a fill may pass for one axis: one value for every entry, or one per entry. */
export type FillValue = number | string | boolean | ArrayLike<number> | ArrayLike<string> | ArrayLike<boolean>;

export interface FillOptions {
  weight?: number | ArrayLike<number>;
  sample?: number | ArrayLike<number>;
}

export type FillRecord = Record<string, FillValue | undefined> & FillOptions;

const BLOCK = 8192;

/** Which fused loops a fill may take (tests switch them off to compare every path with the general one). */
export const fillPaths = { wasm: true, js: true };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** The arguments of `fill`: one record by axis name, or values by position with trailing options. */
export function parseFillArgs(axes: readonly Axis[], args: unknown[]): { values: FillValue[]; opts: FillOptions } {
  if (args.length === 1 && isPlainObject(args[0]) && axes.length > 0) {
    const { weight, sample, ...byName } = args[0] as FillRecord;
    const names = new Set(axes.map((a) => a.name));
    for (const key of Object.keys(byName)) {
      if (!names.has(key)) throw new RangeError(`fill: no axis named "${key}"; axes are ${axes.map(axisName).join(", ")}`);
    }
    const values = axes.map((a, k) => {
      const v = byName[a.name];
      if (v === undefined) throw new RangeError(`fill: no values for axis ${axisName(a, k)}`);
      return v;
    });
    return { values, opts: { weight, sample } };
  }
  const last = args[args.length - 1];
  if (isPlainObject(last)) return { values: args.slice(0, -1) as FillValue[], opts: last as FillOptions };
  return { values: args as FillValue[], opts: {} };
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return typeof v === "object" && v !== null && typeof (v as ArrayLike<unknown>).length === "number";
}

/** Per-entry numbers as a Float64Array (the hot loops read only that type), checked for length. */
function perEntry(v: number | ArrayLike<number> | undefined, n: number, what: string): PerEntry | undefined {
  if (v === undefined || typeof v === "number") return v;
  if (v.length !== n) throw new RangeError(`fill: ${what} has ${v.length} entries, the axes have ${n}`);
  return v instanceof Float64Array ? v : Float64Array.from(v as ArrayLike<number>, Number);
}

function isNumeric(axis: Axis): boolean {
  return axis.kind === "regular" || axis.kind === "variable" || axis.kind === "integer" || axis.kind === "int_category";
}

/** The growth of one axis as a storage remap: shifted inner bins, flow bins kept at the ends. */
function growthMap(axis: Axis, oldExtent: number, front: number, dstAxis: number): AxisMap {
  const uf = axis.traits.underflow ? 1 : 0;
  const to = new Int32Array(oldExtent);
  for (let e = 0; e < oldExtent; e++) to[e] = e + front;
  if (uf) to[0] = 0;
  if (axis.traits.overflow) to[oldExtent - 1] = axis.extent - 1;
  return { to, dstAxis };
}

/**
 * Fills `storage` (laid out over `axes`) with entries given per axis; returns the storage, which
 * is a new one if an axis grew. Scalars broadcast. Entries with no bin on any axis are dropped.
 */
export function fillStorage(axes: Axis[], storage: Storage, values: FillValue[], opts: FillOptions): Storage {
  if (values.length !== axes.length) throw new RangeError(`fill: expected ${axes.length} values (one per axis), got ${values.length}`);
  let n = -1;
  const columns = values.map((v, k) => {
    if (!isArrayLike(v) || typeof v === "string") return null;
    if (n >= 0 && v.length !== n) throw new RangeError(`fill: axis ${axisName(axes[k], k)} has ${v.length} entries, others have ${n}`);
    n = v.length;
    if (isNumeric(axes[k]) && !(v instanceof Float64Array)) return Float64Array.from(v as ArrayLike<number>, Number);
    return v as ArrayLike<unknown>;
  });
  // With no per-entry axis values (a 0-D histogram, or only scalars), per-entry weights set the count.
  if (n < 0) n = [opts.weight, opts.sample].find((v): v is ArrayLike<number> => isArrayLike(v))?.length ?? 1;
  const weight = perEntry(opts.weight, n, "weight");
  const sample = perEntry(opts.sample, n, "sample");
  if (n === 0) return storage;

  // Grow first, so that the bins of this fill are laid out once (boost grows while filling; the
  // resulting axes are the same because growth only ever appends whole bins in entry order).
  const oldExtents = axes.map((a) => a.extent);
  const grownBins: (Int32Array | null)[] = axes.map(() => null);
  const growth = axes.map((a, k): [number, number] => {
    const c = columns[k];
    if (c && a instanceof Regular && a.traits.growth) {
      const g = a.growIndex(c as Float64Array, n);
      grownBins[k] = g.bins;
      return [g.front, g.added];
    }
    return a.grow(c ?? [values[k]], 0, c ? n : 1);
  });
  if (growth.some(([, added]) => added > 0)) {
    const maps = axes.map((a, k) => growthMap(a, oldExtents[k], growth[k][0], k));
    storage = remapStorage(storage, maps, axes.map((a) => a.extent), true);
  }

  const strides = stridesOf(axes.map((a) => a.extent));
  // Scalars (the usual category labels) contribute one constant offset to every entry.
  const one = new Float64Array(1);
  for (let k = 0; k < axes.length; k++) {
    if (columns[k]) continue;
    axes[k].indexBlock([values[k]], 0, 1, one, strides[k]);
    if (one[0] < 0) return storage;
  }
  if (!grownBins.some((g) => g)) {
    if (fillPaths.wasm && wasmFusedFill(axes, columns, strides, one[0], storage, weight, n)) return storage;
    if (fillPaths.js && fusedFill(axes, columns, strides, one[0], storage, weight, n)) return storage;
  }
  const cells = new Float64Array(Math.min(BLOCK, n));
  for (let start = 0; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start);
    cells.fill(one[0], 0, m);
    for (let k = 0; k < axes.length; k++) {
      const c = columns[k];
      const g = grownBins[k];
      if (g) indexGrown(axes[k], g, start, m, cells, strides[k]);
      else if (c) axes[k].indexBlock(c, start, m, cells, strides[k]);
    }
    storage.fill(cells, m, weight, sample, start);
  }
  return storage;
}

/** Cells from bins a growing axis already gave while it grew (Regular.growIndex). */
function indexGrown(axis: Axis, bins: Int32Array, start: number, n: number, out: Float64Array, stride: number): void {
  const uf = Number(axis.traits.underflow);
  const under = axis.traits.underflow ? 0 : -1;
  const over = axis.traits.overflow ? axis.size + uf : -1;
  for (let i = 0; i < n; i++) {
    const o = out[i];
    if (o < 0) continue;
    const b = bins[start + i];
    const e = b === UNDERFLOW_BIN ? under : b === OVERFLOW_BIN ? over : b + uf;
    out[i] = e < 0 ? -1 : o + e * stride;
  }
}

/** Position of an axis given by name or (possibly negative) position. */
export function axisIndexOf(axes: readonly Axis[], key: string | number): number {
  const n = axes.length;
  if (typeof key === "number") {
    if (!Number.isInteger(key) || key < -n || key >= n) throw new RangeError(`axis ${key} is out of range for ${n} axes`);
    return (key + n) % n;
  }
  const k = axes.findIndex((a) => a.name === key);
  if (k < 0) throw new RangeError(`no axis named "${key}"; axes are ${axes.map(axisName).join(", ")}`);
  return k;
}

export function axisName(axis: Axis, k: number): string {
  return axis.name ? `"${axis.name}"` : `#${k}`;
}
