import type { UhiIntCategoryAxis, UhiStrCategoryAxis } from "../uhi.js";
import { type Axis, type AxisOptions, type AxisTraits, axisTraits, checkedBinIndex, growthWriterInfo, metadataOf, sameMeta } from "./axis.js";

/**
 * Unordered labelled bins. The one flow bin ("other") sits at the end; a growing axis has none
 * and appends unseen labels in order of first appearance (boost-histogram's category axis).
 */
abstract class Category<T extends string | number> implements Axis {
  abstract readonly kind: "str_category" | "int_category";
  readonly name: string;
  readonly label: string;
  readonly traits: AxisTraits;
  protected labels: T[];
  protected lookup = new Map<T, number>();

  constructor(labels: Iterable<T>, opts: AxisOptions) {
    if (opts.underflow) throw new RangeError("Category axes have no underflow bin");
    if (opts.circular) throw new RangeError("Category axes cannot be circular");
    this.name = opts.name ?? "";
    this.label = opts.label ?? "";
    this.traits = axisTraits({ ...opts, underflow: false }, { overflow: !opts.growth }, false);
    this.labels = [];
    for (const l of labels) {
      if (this.lookup.has(l)) throw new RangeError(`${this.constructor.name}: duplicate label ${JSON.stringify(l)}`);
      this.push(l);
    }
  }

  protected push(l: T): void {
    this.lookup.set(l, this.labels.length);
    this.labels.push(l);
  }

  get size(): number { return this.labels.length; }
  get extent(): number { return this.labels.length + Number(this.traits.overflow); }
  get categories(): readonly T[] { return this.labels; }

  index(value: unknown): number {
    return this.lookup.get(value as T) ?? this.labels.length;
  }

  indexBlock(values: ArrayLike<unknown>, start: number, n: number, out: Float64Array, stride: number): void {
    const size = this.labels.length;
    const overflow = this.traits.overflow;
    for (let i = 0; i < n; i++) {
      const o = out[i];
      if (o < 0) continue;
      const j = this.lookup.get(values[start + i] as T) ?? size;
      if (j === size && !overflow) out[i] = -1;
      else out[i] = o + j * stride;
    }
  }

  grow(values: ArrayLike<unknown>, start: number, n: number): [number, number] {
    if (!this.traits.growth) return [0, 0];
    const before = this.labels.length;
    for (let i = 0; i < n; i++) {
      const v = values[start + i] as T;
      if (!this.lookup.has(v)) this.push(this.checkLabel(v));
    }
    return [0, this.labels.length - before];
  }

  /** Appends labels not yet present; returns how many were added. */
  extend(labels: Iterable<T>): number {
    const before = this.labels.length;
    for (const l of labels) if (!this.lookup.has(l)) this.push(this.checkLabel(l));
    return this.labels.length - before;
  }

  protected abstract checkLabel(v: unknown): T;

  bin(i: number): T {
    return this.labels[checkedBinIndex(this, i)];
  }

  /** The same axis keeping the bins at `picks` (in that order), with or without a flow bin. */
  picked(picks: number[], flow: boolean): Axis {
    const c = this.clone() as Category<T>;
    c.labels = [];
    c.lookup = new Map();
    for (const i of picks) c.push(this.labels[i]);
    (c as { traits: AxisTraits }).traits = { ...this.traits, overflow: flow };
    return c;
  }

  reduced(begin: number, end: number, merge: number, keep: { underflow: boolean; overflow: boolean }): Axis {
    if (merge !== 1) throw new RangeError(`cannot rebin category axis ${this.name || "(unnamed)"}`);
    return this.picked(Array.from({ length: end - begin }, (_, i) => begin + i), keep.overflow);
  }

  equals(other: Axis): boolean {
    return other instanceof Category && other.kind === this.kind && sameMeta(this, other) &&
      other.labels.every((l, i) => l === this.labels[i]);
  }

  abstract toUHI(): UhiStrCategoryAxis | UhiIntCategoryAxis;
  abstract clone(): Axis;

  protected options(): AxisOptions {
    return { name: this.name, label: this.label, overflow: this.traits.overflow, growth: this.traits.growth };
  }
}

export class StrCategory extends Category<string> {
  readonly kind = "str_category" as const;

  constructor(labels: Iterable<string> = [], opts: AxisOptions = {}) {
    super(labels, opts);
    this.labels.forEach((l) => this.checkLabel(l));
  }

  protected checkLabel(v: unknown): string {
    if (typeof v !== "string") throw new TypeError(`StrCategory ${this.name || "(unnamed)"}: labels must be strings, got ${typeof v} ${String(v)}`);
    return v;
  }

  toUHI(): UhiStrCategoryAxis {
    return { type: "category_str", categories: [...this.labels], flow: this.traits.overflow, ...metadataOf(this), ...growthWriterInfo(this) };
  }

  clone(): StrCategory {
    return new StrCategory(this.labels, this.options());
  }
}

export class IntCategory extends Category<number> {
  readonly kind = "int_category" as const;

  constructor(labels: Iterable<number> = [], opts: AxisOptions = {}) {
    super(labels, opts);
    this.labels.forEach((l) => this.checkLabel(l));
  }

  protected checkLabel(v: unknown): number {
    if (typeof v !== "number" || !Number.isInteger(v)) throw new TypeError(`IntCategory ${this.name || "(unnamed)"}: labels must be integers, got ${String(v)}`);
    return v;
  }

  toUHI(): UhiIntCategoryAxis {
    return { type: "category_int", categories: [...this.labels], flow: this.traits.overflow, ...metadataOf(this), ...growthWriterInfo(this) };
  }

  clone(): IntCategory {
    return new IntCategory(this.labels, this.options());
  }
}

export function isCategory(axis: Axis): axis is StrCategory | IntCategory {
  return axis instanceof StrCategory || axis instanceof IntCategory;
}
