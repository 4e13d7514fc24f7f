import type { Axis } from "../axis/index.js";
import { type Storage, type StorageKind, makeStorage } from "../storage/index.js";
import type { UhiHist } from "../uhi.js";
import { addInto, scaleInPlace } from "./algorithm/arithmetic.js";
import { project } from "./algorithm/project.js";
import { slice } from "./algorithm/slice.js";
import { type SumResult, sum } from "./algorithm/sum.js";
import { HistBuilder } from "./builder.js";
import { type FillOptions, type FillRecord, type FillValue, axisIndexOf, axisName, fillStorage, parseFillArgs } from "./fill.js";
import type { Selection } from "./indexing.js";
import { type StoredHistogram, persistence } from "./persistence.js";
import { ZHIST_VERSION, axisFromUHI, checkUhi, storageFromUHI, uhiMetadata } from "./uhi.js";
import { type View, product, viewOf } from "./view.js";
import { type WidgetOptions, widgetHook } from "./widget-hook.js";

export interface HistOptions {
  name?: string;
  label?: string;
  /** Free-form bookkeeping kept with the histogram (datasets, sum of weights, provenance). */
  metadata?: Record<string, unknown>;
}

export interface FlowOption { flow?: boolean }

// Dense in-memory cells are capped where typed arrays stop; larger histograms live in a store.
const MAX_IN_MEMORY_CELLS = 2 ** 31 - 1;

/** An N-D histogram: axes plus a storage of cells, with boost-histogram's semantics. */
export class Hist {
  axes: Axis[];
  storage: Storage;
  name: string;
  label: string;
  metadata: Record<string, unknown>;

  /** The fluent builder: `Hist.new.Reg(10, 0, 1, { name: "x" }).StrCat([], { growth: true }).Weight()`. */
  static get new(): HistBuilder<Hist> {
    return new HistBuilder((axes, kind) => new Hist(axes, kind));
  }

  constructor(axes: Axis[], storage: StorageKind | Storage = "double", opts: HistOptions = {}) {
    const names = axes.map((a) => a.name).filter((n) => n);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new RangeError(`two axes are named "${dup}"`);
    for (const reserved of ["weight", "sample"]) {
      if (names.includes(reserved)) throw new RangeError(`an axis cannot be named "${reserved}": fill() takes it as an option`);
    }
    this.axes = axes;
    const cells = product(axes.map((a) => a.extent));
    if (cells > MAX_IN_MEMORY_CELLS) {
      throw new RangeError(`${cells.toExponential(2)} bins do not fit in memory (at most ${MAX_IN_MEMORY_CELLS}); save an empty histogram's axes to a Zarr store and fill it there`);
    }
    this.storage = typeof storage === "string" ? makeStorage(storage, cells) : storage;
    if (this.storage.size !== cells) throw new RangeError(`storage has ${this.storage.size} cells, the axes need ${cells}`);
    this.name = opts.name ?? "";
    this.label = opts.label ?? "";
    this.metadata = { ...(opts.metadata ?? {}) };
  }

  get ndim(): number { return this.axes.length; }
  /** Bins per axis without flow, as hist's `h.shape`. */
  get shape(): number[] { return this.axes.map((a) => a.size); }
  get kind(): StorageKind { return this.storage.kind; }

  /** Position of an axis given by name or position. */
  axisIndex(key: string | number): number {
    return axisIndexOf(this.axes, key);
  }

  axis(key: string | number): Axis {
    return this.axes[this.axisIndex(key)];
  }

  /**
   * Adds entries: `fill({ x: [...], cat: "label", weight })` by axis name, or positionally
   * `fill(xs, ys, { weight })`. Scalars broadcast; `weight` and `sample` are per entry or one value.
   */
  fill(record: FillRecord): this;
  fill(...values: (FillValue | FillOptions)[]): this;
  fill(...args: unknown[]): this {
    const { values, opts } = parseFillArgs(this.axes, args);
    this.storage = fillStorage(this.axes, this.storage, values, opts);
    return this;
  }

  /** Bin contents (sums of weights, or means for a Mean storage), C order, flow bins if asked. */
  values({ flow = false }: FlowOption = {}): View {
    return viewOf(this.storage.values(), this.axes, flow);
  }

  /** Variances of the contents; null for a count storage filled with weights or scaled. */
  variances({ flow = false }: FlowOption = {}): View | null {
    const v = this.storage.variances();
    return v ? viewOf(v, this.axes, flow) : null;
  }

  /** Entries per bin: effective counts for Weight, counts for Mean. */
  counts({ flow = false }: FlowOption = {}): View {
    return viewOf(this.storage.counts(), this.axes, flow);
  }

  /** Raw storage fields by name (`values`, `variances`; `count`, `value`, `sum_of_deltas_squared`). */
  view({ flow = false }: FlowOption = {}): Record<string, View> {
    const out: Record<string, View> = {};
    this.storage.fieldNames.forEach((f, i) => { out[f] = viewOf(this.storage.fields[i], this.axes, flow); });
    return out;
  }

  sum(opts: FlowOption = {}): SumResult {
    return sum(this, opts);
  }

  project(...keys: (string | number)[]): Hist {
    return project(this, ...keys);
  }

  slice(selection: Selection): Hist {
    return slice(this, selection);
  }

  /** Shows the interactive widget in the notebook (zhist kernel only); the static plot goes along as fallback. */
  widget(opts: WidgetOptions = {}): void {
    void widgetHook()(this, opts);
  }

  /** Adds another histogram in place (category axes merged by label); returns this. */
  add(other: Hist): this {
    addInto(this, other);
    return this;
  }

  /** Multiplies all cells in place (variances by c^2); returns this. */
  scale(c: number): this {
    scaleInPlace(this, c);
    return this;
  }

  clone(): Hist {
    const s = this.storage.like(this.storage.size);
    s.fields.forEach((f, i) => f.set(this.storage.fields[i]));
    s.varianceKnown = this.storage.varianceKnown;
    return this.derive(this.axes.map((a) => a.clone()), s);
  }

  /** A histogram of the same kind and metadata over other axes and cells. */
  derive(axes: Axis[], storage: Storage): Hist {
    return new Hist(axes, storage, { name: this.name, label: this.label, metadata: this.metadata });
  }

  toUHI(): UhiHist {
    const metadata = uhiMetadata({ ...this.metadata, ...(this.name ? { name: this.name } : {}), ...(this.label ? { label: this.label } : {}) });
    return {
      uhi_schema: 1,
      writer_info: { zhist: { version: ZHIST_VERSION } },
      ...(Object.keys(metadata).length ? { metadata } : {}),
      axes: this.axes.map((a) => a.toUHI()),
      storage: this.storage.toUHI(),
    };
  }

  static fromUHI(ir: UhiHist): Hist {
    checkUhi(ir);
    const { name, label, ...metadata } = ir.metadata ?? {};
    return new Hist(ir.axes.map(axisFromUHI), storageFromUHI(ir.storage), {
      name: typeof name === "string" ? name : "", label: typeof label === "string" ? label : "", metadata,
    });
  }

  /** Writes this histogram as the Zarr group `path/name` (UHI layout, GUIDE 3.3). */
  async save(path: string, name: string): Promise<void> {
    await persistence().save(this, path, name);
  }

  /** Opens a stored histogram (`out.zarr/name`) without reading its bins. */
  static async open(path: string): Promise<StoredHistogram> {
    return persistence().open(path);
  }

  toString(): string {
    const total = this.sum({ flow: true });
    const axes = this.axes.map((a, k) => `  ${axisName(a, k)} ${a.kind} (${a.size} bins)`).join("\n");
    return `Hist(${this.storage.kind}) ${this.name}\n${axes}\n  sum (flow) = ${JSON.stringify(total)}`;
  }
}
