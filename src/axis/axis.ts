import type { UhiAxis } from "../uhi.js";

export type AxisKind = "regular" | "variable" | "integer" | "str_category" | "int_category" | "boolean";

export interface AxisOptions {
  name?: string;
  label?: string;
  underflow?: boolean;
  overflow?: boolean;
  growth?: boolean;
  circular?: boolean;
}

export interface AxisTraits {
  readonly underflow: boolean;
  readonly overflow: boolean;
  readonly growth: boolean;
  readonly circular: boolean;
  /** Continuous or integer axes have ordered bins; categories do not. */
  readonly ordered: boolean;
}

/** A value that a fill may carry for one axis. */
export type AxisValue = number | string | boolean;

/**
 * An axis maps a value to a bin and knows nothing else (Boost.Histogram's split).
 * Indices follow boost: -1 is the underflow, `size` the overflow (or "not found" for categories).
 * `extent` counts flow bins; extent index = index + (underflow ? 1 : 0).
 */
export interface Axis {
  readonly kind: AxisKind;
  readonly name: string;
  readonly label: string;
  readonly traits: AxisTraits;
  /** Bins without flow. */
  readonly size: number;
  /** Bins with flow. */
  readonly extent: number;
  /** boost-style bin index of one value, without growing. */
  index(value: AxisValue): number;
  /**
   * Index of a whole block of values into `out` as extent indices times `stride`, added to what
   * `out` holds; entries with no bin set `out[i]` to -1 and are skipped once negative.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each axis reads its own value type
  indexBlock(values: ArrayLike<any>, start: number, n: number, out: Float64Array, stride: number): void;
  /**
   * Grows the axis so that every value of the block has a bin. Returns the number of bins added
   * in front (which shifts existing bins) and in total; [0, 0] when nothing changed.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  grow(values: ArrayLike<any>, start: number, n: number): [front: number, added: number];
  /** A bin's description: [lower, upper) edges for ordered axes, the label for categories. */
  bin(i: number): [number, number] | string | number | boolean;
  /** The same axis with bins [begin, end) merged by `merge`; flow kept as options say. */
  reduced(begin: number, end: number, merge: number, keepFlow: { underflow: boolean; overflow: boolean }): Axis;
  equals(other: Axis): boolean;
  toUHI(): UhiAxis;
  clone(): Axis;
}

export function axisTraits(opts: AxisOptions, defaults: Partial<AxisTraits>, ordered: boolean): AxisTraits {
  return {
    underflow: opts.underflow ?? defaults.underflow ?? true,
    overflow: opts.overflow ?? defaults.overflow ?? true,
    growth: opts.growth ?? defaults.growth ?? false,
    circular: opts.circular ?? defaults.circular ?? false,
    ordered,
  };
}

/** Name and label metadata, in UHI's form (only present keys). */
export function metadataOf(axis: Axis): { metadata?: Record<string, string> } {
  const metadata: Record<string, string> = {};
  if (axis.name) metadata.name = axis.name;
  if (axis.label) metadata.label = axis.label;
  return Object.keys(metadata).length ? { metadata } : {};
}

export function growthWriterInfo(axis: Axis, extra: Record<string, string | number | boolean> = {}) {
  const info = { ...(axis.traits.growth ? { growth: true } : {}), ...extra };
  return Object.keys(info).length ? { writer_info: { "boost-histogram": info } } : {};
}

export function sameMeta(a: Axis, b: Axis): boolean {
  return a.kind === b.kind && a.name === b.name && a.size === b.size &&
    a.traits.underflow === b.traits.underflow && a.traits.overflow === b.traits.overflow &&
    a.traits.circular === b.traits.circular && a.traits.growth === b.traits.growth;
}

/** A bin index for `bin(i)`: ordered axes also have flow bins at -1 and `size`; categories at `size` (no label). */
export function checkedBinIndex(axis: Axis, i: number): number {
  const [lo, hi] = axis.traits.ordered ? [-1, axis.size] : [0, axis.size];
  if (!Number.isInteger(i) || i < lo || i > hi) throw new RangeError(`bin ${i} is out of range for axis ${axis.name || "(unnamed)"} (${lo}..${hi})`);
  return i;
}

export function checkedBins(bins: number, what: string): number {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`${what}: number of bins must be a positive integer, got ${bins}`);
  return bins;
}
