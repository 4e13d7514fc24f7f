import type { UhiStorage } from "../uhi.js";
import type { PerEntry, ScatterOptions, Storage } from "./storage.js";

/**
 * Profile cells: count (sum of weights), running mean of the samples and the sum of squared
 * deltas, updated with Welford's method exactly as boost::histogram::accumulators::mean.
 */
export class MeanStorage implements Storage {
  readonly kind = "mean" as const;
  readonly uhiType = "mean" as const;
  readonly fieldNames = ["count", "value", "sum_of_deltas_squared"] as const;
  readonly fields: Float64Array[];
  varianceKnown = true;

  constructor(size: number, fields?: Float64Array[]) {
    this.fields = fields ?? [new Float64Array(size), new Float64Array(size), new Float64Array(size)];
  }

  get size(): number { return this.fields[0].length; }

  fill(cells: Float64Array, n: number, weight: PerEntry | undefined, sample: PerEntry | undefined, start: number): void {
    if (sample === undefined) throw new TypeError("Mean storage needs a sample for every entry (fill({..., sample}))");
    const [cnt, mean, sdsq] = this.fields;
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      if (c < 0) continue;
      const x = typeof sample === "number" ? sample : sample[start + i];
      if (weight === undefined) {
        cnt[c] += 1;
        const delta = x - mean[c];
        mean[c] += delta / cnt[c];
        sdsq[c] += delta * (x - mean[c]);
      } else {
        const w = typeof weight === "number" ? weight : weight[start + i];
        cnt[c] += w;
        const delta = x - mean[c];
        mean[c] += (w * delta) / cnt[c];
        sdsq[c] += w * delta * (x - mean[c]);
      }
    }
  }

  scatterAdd(src: Storage, map: Int32Array | Float64Array, { order, copyIntoEmpty }: ScatterOptions = {}): void {
    if (!(src instanceof MeanStorage)) throw new TypeError(`cannot add a ${src.kind} storage to a mean storage`);
    const [cnt, mean, sdsq] = this.fields;
    const [n2s, mu2s, d2s] = src.fields;
    for (let t = 0; t < map.length; t++) {
      const i = order ? order[t] : t;
      const j = map[i];
      if (j < 0 || n2s[i] === 0) continue;
      if (copyIntoEmpty && cnt[j] === 0) {
        cnt[j] = n2s[i];
        mean[j] = mu2s[i];
        sdsq[j] = d2s[i];
        continue;
      }
      // boost-histogram's mean += (bh_python/accumulators/mean.hpp), operation for operation: the
      // last bits depend on the order. Pooled mean; the spread grows by each part's offset from it.
      const n1 = cnt[j], mu1 = mean[j], n2 = n2s[i], mu2 = mu2s[i];
      cnt[j] = n1 + n2;
      const mu = (n1 * mu1 + n2 * mu2) / cnt[j];
      mean[j] = mu;
      sdsq[j] += d2s[i];
      sdsq[j] += n1 * (mu - mu1) * (mu - mu1) + n2 * (mu - mu2) * (mu - mu2);
    }
  }

  /** Scales the samples (boost's mean::operator*=): the mean by c, the spread by c^2. */
  scale(c: number): void {
    const [, mean, sdsq] = this.fields;
    for (let i = 0; i < mean.length; i++) { mean[i] *= c; sdsq[i] *= c * c; }
  }

  values(): Float64Array { return this.fields[1]; }

  /** Sample variance of each cell, (sum of squared deltas) / (count - 1), as boost's view. */
  sampleVariances(): Float64Array {
    const [cnt, , sdsq] = this.fields;
    return sdsq.map((d, i) => d / (cnt[i] - 1));
  }

  /** Variance of the mean (hist's `variances()` for profiles): NaN where count <= 1. */
  variances(): Float64Array {
    const [cnt] = this.fields;
    return this.sampleVariances().map((v, i) => (cnt[i] > 1 ? v / cnt[i] : NaN));
  }

  counts(): Float64Array { return this.fields[0]; }

  like(size: number): MeanStorage {
    return new MeanStorage(size);
  }

  toUHI(): UhiStorage {
    return { type: "mean", counts: this.fields[0], values: this.fields[1], variances: this.sampleVariances() };
  }

  static fromUHI(counts: Float64Array, values: Float64Array, variances: Float64Array): MeanStorage {
    // A count of exactly one leaves the variance undefined (0/0): a single entry has no spread.
    const sdsq = variances.map((v, i) => (counts[i] !== 1 && Number.isFinite(v) ? v * (counts[i] - 1) : 0));
    return new MeanStorage(counts.length, [counts, values, sdsq]);
  }
}
