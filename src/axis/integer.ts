import type { UhiRegularAxis } from "../uhi.js";
import { Regular } from "./regular.js";
import { type Axis, type AxisOptions, type AxisTraits, axisTraits, checkedBinIndex, growthWriterInfo, metadataOf, sameMeta } from "./axis.js";

/** One bin per integer in [start, stop), as boost-histogram's Integer axis. */
export class Integer implements Axis {
  readonly kind = "integer" as const;
  readonly name: string;
  readonly label: string;
  readonly traits: AxisTraits;
  private min: number;
  private bins: number;

  constructor(start: number, stop: number, opts: AxisOptions = {}) {
    if (!Number.isInteger(start) || !Number.isInteger(stop)) throw new RangeError(`Integer: start and stop must be integers, got ${start}, ${stop}`);
    // boost-histogram allows an empty growing axis, Integer(0, 0, growth=True), that fills from nothing.
    if (stop < start || (stop === start && !opts.growth)) throw new RangeError(`Integer: stop (${stop}) must be greater than start (${start})`);
    this.min = start;
    this.bins = stop - start;
    this.name = opts.name ?? "";
    this.label = opts.label ?? "";
    // As in boost-histogram, growing and circular integer axes have no flow bins unless asked.
    const noFlow = opts.growth || opts.circular;
    this.traits = axisTraits(opts, noFlow ? { underflow: false, overflow: false } : {}, true);
    if (this.traits.circular && this.traits.growth) throw new RangeError("Integer: an axis cannot be both circular and growing");
  }

  get size(): number { return this.bins; }
  get extent(): number { return this.bins + Number(this.traits.underflow) + Number(this.traits.overflow); }
  get start(): number { return this.min; }
  get stop(): number { return this.min + this.bins; }
  get edges(): Float64Array { return Float64Array.from({ length: this.bins + 1 }, (_, i) => this.min + i); }

  value(i: number): number {
    return this.min + i;
  }

  /** Non-integer values fall in the bin [k, k+1) that holds them; NaN goes to overflow. */
  index(x: number): number {
    if (Number.isNaN(x)) return this.bins;
    const z = Math.floor(x) - this.min;
    if (this.traits.circular) {
      if (!Number.isFinite(z)) return this.bins;
      return ((z % this.bins) + this.bins) % this.bins;
    }
    if (z < this.bins) return z >= 0 ? z : -1;
    return this.bins;
  }

  indexBlock(values: ArrayLike<number>, start: number, n: number, out: Float64Array, stride: number): void {
    const { min, bins } = this;
    const uf = this.traits.underflow ? 1 : 0;
    const { underflow, overflow, circular } = this.traits;
    for (let i = 0; i < n; i++) {
      const o = out[i];
      if (o < 0) continue;
      const x = values[start + i];
      let j: number;
      if (circular) j = this.index(x);
      else {
        const z = Math.floor(x) - min;
        j = z < bins ? (z >= 0 ? z : -1) : bins; // NaN lands on `bins`
      }
      if ((j < 0 && !underflow) || (j >= bins && !overflow)) out[i] = -1;
      else out[i] = o + (j + uf) * stride;
    }
  }

  grow(values: ArrayLike<number>, start: number, n: number): [number, number] {
    if (!this.traits.growth) return [0, 0];
    let front = 0;
    const before = this.bins;
    for (let i = 0; i < n; i++) {
      const x = values[start + i];
      if (!Number.isFinite(x)) continue;
      const z = Math.floor(x) - this.min;
      if (z < 0) {
        this.min += z;
        this.bins -= z;
        front -= z;
      } else if (z >= this.bins) {
        this.bins = z + 1;
      }
    }
    return [front, this.bins - before];
  }

  bin(i: number): [number, number] {
    checkedBinIndex(this, i);
    return [this.min + i, this.min + i + 1];
  }

  reduced(begin: number, end: number, merge: number, keep: { underflow: boolean; overflow: boolean }): Axis {
    const opts = { name: this.name, label: this.label, underflow: keep.underflow, overflow: keep.overflow, growth: this.traits.growth, circular: this.traits.circular };
    if (merge === 1) return new Integer(this.min + begin, this.min + end, opts);
    // Merged integer bins are no longer one integer wide: boost turns them into a regular axis too.
    return new Regular((end - begin) / merge, this.min + begin, this.min + end, opts);
  }

  equals(other: Axis): boolean {
    return other instanceof Integer && sameMeta(this, other) && other.min === this.min;
  }

  toUHI(): UhiRegularAxis {
    // UHI has no integer axis; boost-histogram writes a regular one tagged with its original type.
    return {
      type: "regular", lower: this.start, upper: this.stop, bins: this.bins,
      underflow: this.traits.underflow, overflow: this.traits.overflow, circular: this.traits.circular,
      ...metadataOf(this), ...growthWriterInfo(this, { orig_type: "Integer" }),
    };
  }

  clone(): Integer {
    return new Integer(this.min, this.min + this.bins, { name: this.name, label: this.label, ...this.traits });
  }
}
