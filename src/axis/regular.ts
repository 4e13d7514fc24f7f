import type { UhiRegularAxis } from "../uhi.js";
import { type Axis, type AxisOptions, type AxisTraits, axisTraits, checkedBinIndex, checkedBins, growthWriterInfo, metadataOf, sameMeta } from "./axis.js";

export const UNDERFLOW_BIN = -(2 ** 31);
export const OVERFLOW_BIN = 2 ** 31 - 1;

/** Equidistant bins over [start, stop): O(1) binning, as boost::histogram::axis::regular. */
export class Regular implements Axis {
  readonly kind = "regular" as const;
  readonly name: string;
  readonly label: string;
  readonly traits: AxisTraits;
  private bins: number;
  // boost keeps the lower edge and the full width; the same float operations give the same bins.
  private min: number;
  private delta: number;

  constructor(bins: number, start: number, stop: number, opts: AxisOptions = {}) {
    this.bins = checkedBins(bins, "Regular");
    if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new RangeError(`Regular: start and stop must be finite, got ${start}, ${stop}`);
    if (start === stop) throw new RangeError("Regular: start and stop must differ");
    this.name = opts.name ?? "";
    this.label = opts.label ?? "";
    // A circular axis wraps around, so it has nothing below it; its overflow bin only catches NaN and inf.
    this.traits = axisTraits(opts, opts.circular ? { underflow: false } : {}, true);
    if (this.traits.circular && this.traits.growth) throw new RangeError("Regular: an axis cannot be both circular and growing");
    this.min = start;
    this.delta = stop - start;
  }

  get size(): number { return this.bins; }
  get extent(): number { return this.bins + Number(this.traits.underflow) + Number(this.traits.overflow); }
  get start(): number { return this.min; }
  get stop(): number { return this.min + this.delta; }

  /** Edge at fractional bin index i, computed as boost does so that edges match exactly. */
  value(i: number): number {
    const z = i / this.bins;
    if (z < 0) return -Infinity * Math.sign(this.delta);
    if (z > 1) return Infinity * Math.sign(this.delta);
    return (1 - z) * this.min + z * (this.min + this.delta);
  }

  get edges(): Float64Array {
    const e = new Float64Array(this.bins + 1);
    for (let i = 0; i <= this.bins; i++) e[i] = this.value(i);
    return e;
  }

  index(x: number): number {
    const z = (x - this.min) / this.delta;
    if (this.traits.circular) {
      if (Number.isFinite(z)) return Math.trunc((z - Math.floor(z)) * this.bins);
      return this.bins;
    }
    // `| 0` as in indexBlock: a reversed axis gives z = -0 at its start, and the index must be 0, not -0.
    if (z < 1) return z >= 0 ? (z * this.bins) | 0 : -1;
    // The upper edge of the last bin is inclusive only when there is no overflow bin.
    if (!this.traits.overflow && z === 1) return this.bins - 1;
    return this.bins;
  }

  indexBlock(values: ArrayLike<number>, start: number, n: number, out: Float64Array, stride: number): void {
    const { min, delta, bins } = this;
    const uf = this.traits.underflow ? 1 : 0;
    const of = this.traits.overflow;
    if (this.traits.circular) {
      for (let i = 0; i < n; i++) {
        if (out[i] < 0) continue;
        const j = this.index(values[start + i]);
        if (j >= bins && !of) out[i] = -1;
        else out[i] += (j + uf) * stride;
      }
      return;
    }
    // Hot loop: the same float operations as boost's regular::index, inlined.
    const under = uf ? 0 : -1;
    const over = of ? (bins + uf) * stride : -1;
    const lastInclusive = of ? -1 : (bins - 1 + uf) * stride;
    for (let i = 0; i < n; i++) {
      const o = out[i];
      if (o < 0) continue;
      const z = (values[start + i] - min) / delta;
      if (z < 1) {
        if (z >= 0) out[i] = o + (((z * bins) | 0) + uf) * stride;
        else out[i] = under < 0 ? -1 : o;
      } else if (z === 1 && lastInclusive >= 0) out[i] = o + lastInclusive;
      else out[i] = over < 0 ? -1 : o + over;
    }
  }

  grow(values: ArrayLike<number>, start: number, n: number): [number, number] {
    if (!this.traits.growth) return [0, 0];
    const { front, added } = this.growIndex(start ? Array.prototype.slice.call(values, start, start + n) : values, n);
    return [front, added];
  }

  /**
   * Grows over a block as boost's regular::update does, entry by entry, and returns each entry's bin
   * in the final axis: the bin it got when it came, shifted by the bins added in front after it.
   * (Recomputing bins on the final grid instead can differ by rounding at the edges.) Non-finite
   * values get UNDERFLOW_BIN or OVERFLOW_BIN, which stay the flow bins whatever grows later.
   */
  growIndex(values: ArrayLike<number>, n: number): { bins: Int32Array; front: number; added: number } {
    const out = new Int32Array(n);
    const before = this.bins;
    let front = 0;
    for (let i = 0; i < n; i++) {
      const z = (values[i] - this.min) / this.delta;
      if (z < 1) {
        if (z >= 0) out[i] = Math.trunc(z * this.bins) - front;
        else if (z === -Infinity) out[i] = UNDERFLOW_BIN;
        else {
          const stop = this.min + this.delta;
          const k = Math.floor(z * this.bins);
          this.min += k * (this.delta / this.bins);
          this.delta = stop - this.min;
          this.bins -= k;
          front -= k;
          out[i] = -front;
        }
      } else if (z < Infinity) {
        const j = Math.trunc(z * this.bins);
        const k = j - this.bins + 1;
        this.delta = (this.delta / this.bins) * (this.bins + k);
        this.bins += k;
        out[i] = j - front;
      } else out[i] = OVERFLOW_BIN; // +inf and NaN
    }
    for (let i = 0; i < n; i++) if (out[i] !== UNDERFLOW_BIN && out[i] !== OVERFLOW_BIN) out[i] += front;
    return { bins: out, front, added: this.bins - before };
  }

  bin(i: number): [number, number] {
    checkedBinIndex(this, i);
    return [this.value(i), this.value(i + 1)];
  }

  reduced(begin: number, end: number, merge: number, keep: { underflow: boolean; overflow: boolean }): Regular {
    return new Regular((end - begin) / merge, this.value(begin), this.value(end), {
      name: this.name, label: this.label, underflow: keep.underflow, overflow: keep.overflow,
      growth: this.traits.growth, circular: this.traits.circular,
    });
  }

  equals(other: Axis): boolean {
    return other instanceof Regular && sameMeta(this, other) && other.min === this.min && other.delta === this.delta;
  }

  toUHI(): UhiRegularAxis {
    return {
      type: "regular", lower: this.start, upper: this.stop, bins: this.bins,
      underflow: this.traits.underflow, overflow: this.traits.overflow, circular: this.traits.circular,
      ...metadataOf(this), ...growthWriterInfo(this),
    };
  }

  clone(): Regular {
    const r = new Regular(this.bins, this.min, this.min + this.delta, { name: this.name, label: this.label, ...this.traits });
    r.delta = this.delta;
    return r;
  }
}
