import type { UhiStorage } from "../uhi.js";
import type { PerEntry, ScatterOptions, Storage } from "./storage.js";

/** Sum of weights and sum of squared weights per cell. */
export class WeightStorage implements Storage {
  readonly kind = "weight" as const;
  readonly uhiType = "weighted" as const;
  readonly fieldNames = ["values", "variances"] as const;
  readonly fields: Float64Array[];
  varianceKnown = true;

  constructor(size: number, values?: Float64Array, variances?: Float64Array) {
    this.fields = [values ?? new Float64Array(size), variances ?? new Float64Array(size)];
  }

  get size(): number { return this.fields[0].length; }

  fill(cells: Float64Array, n: number, weight: PerEntry | undefined, _sample: PerEntry | undefined, start: number): void {
    const [v, w2] = this.fields;
    if (weight === undefined || typeof weight === "number") {
      const w = weight ?? 1;
      const ww = w * w;
      for (let i = 0; i < n; i++) {
        const c = cells[i];
        if (c >= 0) { v[c] += w; w2[c] += ww; }
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      if (c >= 0) {
        const w = weight[start + i];
        v[c] += w;
        w2[c] += w * w;
      }
    }
  }

  scatterAdd(src: Storage, map: Int32Array | Float64Array, { order }: ScatterOptions = {}): void {
    const [v, w2] = this.fields;
    const sv = src.values();
    // Adding a plain-count storage: its variance is its count (Poisson), as boost's weight storage does.
    const sw2 = src.variances() ?? sv;
    for (let t = 0; t < map.length; t++) {
      const i = order ? order[t] : t;
      const j = map[i];
      if (j >= 0) { v[j] += sv[i]; w2[j] += sw2[i]; }
    }
  }

  scale(c: number): void {
    const [v, w2] = this.fields;
    const cc = c * c;
    for (let i = 0; i < v.length; i++) { v[i] *= c; w2[i] *= cc; }
  }

  values(): Float64Array { return this.fields[0]; }
  variances(): Float64Array { return this.fields[1]; }

  /** As boost-histogram's `counts()` for Weight storage: the sums of weights. */
  counts(): Float64Array { return this.fields[0]; }

  like(size: number): WeightStorage {
    return new WeightStorage(size);
  }

  toUHI(): UhiStorage {
    return { type: "weighted", values: this.fields[0], variances: this.fields[1] };
  }
}
