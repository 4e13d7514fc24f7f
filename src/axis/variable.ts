import type { UhiVariableAxis } from "../uhi.js";
import { type Axis, type AxisOptions, type AxisTraits, axisTraits, checkedBinIndex, growthWriterInfo, metadataOf, sameMeta } from "./axis.js";

/** Bins between arbitrary increasing edges, as boost::histogram::axis::variable. */
export class Variable implements Axis {
  readonly kind = "variable" as const;
  readonly name: string;
  readonly label: string;
  readonly traits: AxisTraits;
  private e: number[];

  constructor(edges: ArrayLike<number>, opts: AxisOptions = {}) {
    const e = Array.from(edges, Number);
    if (e.length < 2) throw new RangeError("Variable: need at least two edges");
    for (let i = 1; i < e.length; i++) {
      if (!(e[i] > e[i - 1])) throw new RangeError(`Variable: edges must be strictly increasing, edge ${i} (${e[i]}) <= edge ${i - 1} (${e[i - 1]})`);
    }
    if (!e.every(Number.isFinite)) throw new RangeError("Variable: edges must be finite");
    this.e = e;
    this.name = opts.name ?? "";
    this.label = opts.label ?? "";
    this.traits = axisTraits(opts, opts.circular ? { underflow: false } : {}, true);
    if (this.traits.circular && this.traits.growth) throw new RangeError("Variable: an axis cannot be both circular and growing");
  }

  get size(): number { return this.e.length - 1; }
  get extent(): number { return this.size + Number(this.traits.underflow) + Number(this.traits.overflow); }
  get edges(): Float64Array { return Float64Array.from(this.e); }

  /** Edge at fractional index, interpolated linearly inside a bin (boost's variable::value). */
  value(i: number): number {
    const n = this.size;
    if (i < 0) return -Infinity;
    if (i === n) return this.e[n];
    if (i > n) return Infinity;
    const k = Math.trunc(i);
    const z = i - k;
    return z === 0 ? this.e[k] : (1 - z) * this.e[k] + z * this.e[k + 1];
  }

  index(x: number): number {
    const e = this.e;
    const n = e.length - 1;
    if (this.traits.circular) {
      const a = e[0], b = e[n];
      x -= Math.floor((x - a) / (b - a)) * (b - a);
    }
    if (!this.traits.overflow && x === e[n]) return n - 1;
    // upper_bound: the first edge greater than x; NaN compares false everywhere and lands at the end.
    let lo = 0, hi = e.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x < e[mid]) hi = mid; else lo = mid + 1;
    }
    return lo - 1;
  }

  indexBlock(values: ArrayLike<number>, start: number, n: number, out: Float64Array, stride: number): void {
    const size = this.size;
    const uf = this.traits.underflow ? 1 : 0;
    const { underflow, overflow } = this.traits;
    for (let i = 0; i < n; i++) {
      const o = out[i];
      if (o < 0) continue;
      const j = this.index(values[start + i]);
      if (j < 0 && !underflow) out[i] = -1;
      else if (j >= size && !overflow) out[i] = -1;
      else out[i] = o + (j + uf) * stride;
    }
  }

  grow(values: ArrayLike<number>, start: number, n: number): [number, number] {
    if (!this.traits.growth) return [0, 0];
    let front = 0;
    const before = this.size;
    for (let i = 0; i < n; i++) {
      let x = values[start + i];
      if (!Number.isFinite(x)) continue;
      const j = this.index(x);
      if (j >= 0 && j < this.size) continue;
      // boost's variable::update: add one bin reaching at least one bin-half-width beyond the last edge.
      if (j >= 0) {
        const d = this.value(this.size) - this.value(this.size - 0.5);
        x = nextUp(x);
        this.e.push(Math.max(x, this.e[this.e.length - 1] + d));
      } else {
        const d = this.value(0.5) - this.value(0);
        this.e.unshift(Math.min(x, this.value(0) - d));
        front++;
      }
    }
    return [front, this.size - before];
  }

  bin(i: number): [number, number] {
    checkedBinIndex(this, i);
    return [this.value(i), this.value(i + 1)];
  }

  reduced(begin: number, end: number, merge: number, keep: { underflow: boolean; overflow: boolean }): Variable {
    const edges: number[] = [];
    for (let i = begin; i <= end; i += merge) edges.push(this.e[i]);
    return new Variable(edges, {
      name: this.name, label: this.label, underflow: keep.underflow, overflow: keep.overflow,
      growth: this.traits.growth, circular: this.traits.circular,
    });
  }

  equals(other: Axis): boolean {
    return other instanceof Variable && sameMeta(this, other) && other.e.every((v, i) => v === this.e[i]);
  }

  toUHI(): UhiVariableAxis {
    return {
      type: "variable", edges: [...this.e],
      underflow: this.traits.underflow, overflow: this.traits.overflow, circular: this.traits.circular,
      ...metadataOf(this), ...growthWriterInfo(this),
    };
  }

  clone(): Variable {
    return new Variable(this.e, { name: this.name, label: this.label, ...this.traits });
  }
}

const scratch = new Float64Array(1);
const bits = new BigInt64Array(scratch.buffer);
/** The next double above x (C's nextafter towards +max), for finite x. */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  scratch[0] = x;
  bits[0] += x > 0 ? 1n : -1n;
  return scratch[0];
}
