import type { UhiBooleanAxis } from "../uhi.js";
import { type Axis, type AxisOptions, type AxisTraits, checkedBinIndex, metadataOf } from "./axis.js";

/** Two bins, false then true, and no flow: boost-histogram's Boolean axis. */
export class Boolean implements Axis {
  readonly kind = "boolean" as const;
  readonly name: string;
  readonly label: string;
  readonly traits: AxisTraits = { underflow: false, overflow: false, growth: false, circular: false, ordered: true };
  readonly size: number;
  readonly extent: number;
  /** The first bin kept, after slicing (0 = false); boost allows a boolean axis cut to one bin. */
  private readonly first: number;

  constructor(opts: Pick<AxisOptions, "name" | "label"> = {}, first = 0, size = 2) {
    this.name = opts.name ?? "";
    this.label = opts.label ?? "";
    this.first = first;
    this.size = size;
    this.extent = size;
  }

  index(x: unknown): number {
    return (x ? 1 : 0) - this.first;
  }

  indexBlock(values: ArrayLike<unknown>, start: number, n: number, out: Float64Array, stride: number): void {
    for (let i = 0; i < n; i++) {
      const o = out[i];
      if (o < 0) continue;
      const j = (values[start + i] ? 1 : 0) - this.first;
      out[i] = j < 0 || j >= this.size ? -1 : o + j * stride;
    }
  }

  grow(): [number, number] {
    return [0, 0];
  }

  bin(i: number): boolean {
    return checkedBinIndex(this, i) + this.first === 1;
  }

  reduced(begin: number, end: number, merge: number): Axis {
    if (merge !== 1) throw new RangeError(`cannot rebin boolean axis ${this.name || "(unnamed)"}`);
    return new Boolean({ name: this.name, label: this.label }, this.first + begin, end - begin);
  }

  equals(other: Axis): boolean {
    return other instanceof Boolean && other.name === this.name && other.first === this.first && other.size === this.size;
  }

  toUHI(): UhiBooleanAxis {
    return { type: "boolean", ...metadataOf(this) };
  }

  clone(): Boolean {
    return new Boolean({ name: this.name, label: this.label }, this.first, this.size);
  }
}
