import type { UhiStorage } from "../uhi.js";
import { type PerEntry, type ScatterOptions, type Storage, at } from "./storage.js";

/** Plain sums of weights (counts when unweighted). */
export class DoubleStorage implements Storage {
  readonly kind: "double" | "int64" = "double";
  readonly uhiType: "double" | "int" = "double";
  readonly fieldNames = ["values"] as const;
  readonly fields: Float64Array[];
  varianceKnown = true;

  constructor(size: number, values?: Float64Array) {
    this.fields = [values ?? new Float64Array(size)];
  }

  get size(): number { return this.fields[0].length; }

  fill(cells: Float64Array, n: number, weight: PerEntry | undefined, _sample: PerEntry | undefined, start: number): void {
    const v = this.fields[0];
    if (weight === undefined) {
      for (let i = 0; i < n; i++) {
        const c = cells[i];
        if (c >= 0) v[c]++;
      }
      return;
    }
    this.checkWeights(weight, start, n);
    this.varianceKnown = false;
    if (typeof weight === "number") {
      for (let i = 0; i < n; i++) {
        const c = cells[i];
        if (c >= 0) v[c] += weight;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const c = cells[i];
        if (c >= 0) v[c] += weight[start + i];
      }
    }
  }

  protected checkWeights(_w: PerEntry, _start: number, _n: number): void {}

  scatterAdd(src: Storage, map: Int32Array | Float64Array, { order }: ScatterOptions = {}): void {
    const v = this.fields[0];
    const s = src.values();
    for (let t = 0; t < map.length; t++) {
      const i = order ? order[t] : t;
      if (map[i] >= 0) v[map[i]] += s[i];
    }
    if (!src.varianceKnown) this.varianceKnown = false;
  }

  scale(c: number): void {
    const v = this.fields[0];
    for (let i = 0; i < v.length; i++) v[i] *= c;
    this.varianceKnown = false;
  }

  values(): Float64Array { return this.fields[0]; }
  variances(): Float64Array | null { return this.varianceKnown ? this.fields[0] : null; }
  counts(): Float64Array { return this.fields[0]; }

  like(size: number): DoubleStorage {
    return new DoubleStorage(size);
  }

  toUHI(): UhiStorage {
    return { type: this.uhiType, values: this.fields[0] };
  }
}

/** Integer counts. Kept in float64 cells: exact up to 2^53, and the same on-disk dtype as the rest. */
export class Int64Storage extends DoubleStorage {
  override readonly kind = "int64" as const;
  override readonly uhiType = "int" as const;

  protected override checkWeights(w: PerEntry, start: number, n: number): void {
    for (let i = 0; i < (typeof w === "number" ? 1 : n); i++) {
      const x = at(w, start + i);
      if (!Number.isInteger(x)) throw new TypeError(`Int64 storage takes integer weights only, got ${x}`);
    }
  }

  override scale(c: number): void {
    if (!Number.isInteger(c)) throw new TypeError(`Int64 storage can only be scaled by an integer, got ${c}; convert to Double first`);
    super.scale(c);
  }

  override like(size: number): Int64Storage {
    return new Int64Storage(size);
  }
}
