// A histogram that lives in a Zarr store (GUIDE 3.3) and may be far larger than memory. Fills land as
// small temporaries per categorical key; project, slice and sum stream the chunks (out-of-core.ts).
import { type Axis, axisFromUHI, isCategory } from "../axis/index.js";
import { planProject } from "../hist/algorithm/project.js";
import { planSlice } from "../hist/algorithm/slice.js";
import { type SumResult, cellValue, sumMaps } from "../hist/algorithm/sum.js";
import { type AxisMap, identityMap, remapStorage } from "../hist/algorithm/remap.js";
import { type FillOptions, type FillValue, axisIndexOf, axisName, parseFillArgs } from "../hist/fill.js";
import { Hist } from "../hist/hist.js";
import type { Selection } from "../hist/indexing.js";
import type { View } from "../hist/view.js";
import { type WidgetOptions, widgetHook } from "../hist/widget-hook.js";
import type { Storage } from "../storage/index.js";
import type { UhiStorageType } from "../uhi.js";
import { joinKey, openArray, type StoredArray } from "./array.js";
import { accumulateStorage } from "./accumulate.js";
import { addStoredChunks } from "./add-stored.js";
import { growCategory } from "./grow.js";
import { openHistMeta, readHist, type HistMeta } from "./layout.js";
import { STORAGE_KIND, streamRemap } from "./out-of-core.js";

export class StoredHist {
  private constructor(
    /** Directory of the histogram's Zarr group; it is also the root of its store. */
    readonly path: string,
    private meta: HistMeta,
    public axes: Axis[],
    private arrays: StoredArray[],
  ) {}

  static async open(path: string): Promise<StoredHist> {
    const meta = await openHistMeta(path, "/");
    const axes = meta.axes.map(axisFromUHI);
    const growing = axes.find((a) => a.traits.growth && !isCategory(a));
    if (growing) throw new Error(`${path}: axis ${axisName(growing, axes.indexOf(growing))} grows along a continuous range, which a store cannot do without moving chunks; give it a fixed range`);
    const arrays = await Promise.all(meta.fields.map((f) => openArray(meta.store, joinKey("/", "storage", f))));
    return new StoredHist(path, meta, axes, arrays);
  }

  get kind() { return STORAGE_KIND[this.meta.storageType]; }
  get name(): string { return String(this.meta.metadata?.name ?? ""); }
  get metadata(): Record<string, unknown> { return { ...(this.meta.metadata ?? {}) }; }
  get ndim(): number { return this.axes.length; }
  get shape(): number[] { return this.axes.map((a) => a.size); }
  private get type(): UhiStorageType { return this.meta.storageType; }
  private get extents(): number[] { return this.axes.map((a) => a.extent); }

  axisIndex(key: string | number): number {
    return axisIndexOf(this.axes, key);
  }

  /** Re-reads the axes: other writers may have grown a category since this handle was opened. */
  async refresh(): Promise<this> {
    this.meta = await openHistMeta(this.path, "/");
    this.axes = this.meta.axes.map(axisFromUHI);
    for (const a of this.arrays) a.shape = [...this.meta.shape];
    return this;
  }

  /**
   * Adds entries as `Hist.fill` does. Entries are grouped by their categorical key; each group fills a
   * temporary histogram over the dense axes only, which is then added into that key's chunks.
   */
  async fill(...args: unknown[]): Promise<this> {
    const { values, opts } = parseFillArgs(this.axes, args);
    const cats = this.axes.map((a, k) => (isCategory(a) ? k : -1)).filter((k) => k >= 0);
    const groups = groupByKey(values, cats);
    await this.growFor(cats, cats.map((_, c) => groups.map((g) => g.key[c])));
    for (const g of groups) {
      const origin: number[] = [];
      const blockShape: number[] = [];
      let dropped = false;
      const dense: Axis[] = [];
      const denseValues: FillValue[] = [];
      this.axes.forEach((a, k) => {
        const c = cats.indexOf(k);
        if (c < 0) {
          dense.push(a.clone());
          denseValues.push(g.pick ? pickEntries(values[k], g.pick) : values[k]);
          origin.push(0);
          blockShape.push(a.extent);
          return;
        }
        const i = a.index(g.key[c]);
        if (i === a.size && !a.traits.overflow) dropped = true;
        origin.push(i);
        blockShape.push(1);
      });
      if (dropped) continue;
      const temp = new Hist(dense, this.kind);
      const pick = g.pick;
      const groupOpts: FillOptions = pick ? { weight: pickEntries(opts.weight, pick) as FillOptions["weight"], sample: pickEntries(opts.sample, pick) as FillOptions["sample"] } : opts;
      temp.fill(...denseValues, groupOpts);
      await accumulateStorage(this.arrays, this.meta.fields, this.type, origin, temp.storage, blockShape);
    }
    return this;
  }

  /** Grows each growing category axis `cats[c]` by those of `labels[c]` it lacks. */
  private async growFor(cats: number[], labels: (string | number)[][]): Promise<void> {
    for (const [c, k] of cats.entries()) {
      const axis = this.axes[k];
      if (!axis.traits.growth) continue;
      const unseen = [...new Set(labels[c])].filter((l) => axis.index(l) === axis.size);
      if (unseen.length) {
        await growCategory(this.path, "/", k, unseen);
        await this.refresh();
      }
    }
  }

  async values(opts: { flow?: boolean } = {}): Promise<View> { return (await this.toHist()).values(opts); }
  async variances(opts: { flow?: boolean } = {}): Promise<View | null> { return (await this.toHist()).variances(opts); }
  async counts(opts: { flow?: boolean } = {}): Promise<View> { return (await this.toHist()).counts(opts); }

  async sum({ flow = false }: { flow?: boolean } = {}): Promise<SumResult> {
    return cellValue(await this.stream(sumMaps(this.axes, flow), []), 0);
  }

  async project(...keys: (string | number)[]): Promise<Hist> {
    await this.refresh();
    const plan = planProject(this.axes, keys.map((k) => this.axisIndex(k)));
    return this.result(plan.axes, await this.stream(plan.maps, plan.axes.map((a) => a.extent)));
  }

  async slice(selection: Selection): Promise<Hist> {
    await this.refresh();
    const plan = planSlice(this.axes, selection, (k) => this.axisIndex(k));
    return this.result(plan.axes, await this.stream(plan.maps, plan.axes.map((a) => a.extent)));
  }

  /** The whole histogram in memory: only for histograms that fit. */
  async toHist(): Promise<Hist> {
    await this.refresh();
    return Hist.fromUHI(await readHist(this.path, "/"));
  }

  /** Adds an in-memory histogram with the same axes (categories merged by label) into the store. */
  async add(other: Hist): Promise<this> {
    if (other.ndim !== this.ndim) throw new RangeError(`add: ${this.path} has ${this.ndim} axes, the histogram added has ${other.ndim}`);
    const cats = this.axes.map((a, k) => (isCategory(a) ? k : -1)).filter((k) => k >= 0);
    await this.growFor(cats, cats.map((k) => axisLabels(other.axes[k])));
    const maps: AxisMap[] = this.axes.map((a, k) => {
      const b = other.axes[k];
      if (!isCategory(a)) {
        if (!a.equals(b)) throw new RangeError(`add: axis ${axisName(a, k)} of ${this.path} differs from the histogram added`);
        return identityMap(a.extent, k);
      }
      return { to: categoryMap(a, b), dstAxis: k };
    });
    const storage = remapStorage(other.storage, maps, this.extents);
    await accumulateStorage(this.arrays, this.meta.fields, this.type, this.extents.map(() => 0), storage, this.extents);
    return this;
  }

  /**
   * Adds another stored histogram into this one chunk by chunk, never holding either whole: the
   * axes must be the same (their UHI descriptions, categories aside), category axes are merged by
   * label (this one's growing axes gain the labels they lack, in the other's order; growth rewrites
   * only zarr.json), then every chunk the other ever wrote is read, its category indices remapped to
   * this histogram's, and landed under the lock of the chunk it lands in (add-stored.ts). Memory
   * holds a few chunks whatever the size of either histogram.
   */
  async addStored(other: StoredHist): Promise<this> {
    await this.refresh();
    await other.refresh();
    if (other.ndim !== this.ndim) throw new RangeError(`add: ${this.path} has ${this.ndim} axes, ${other.path} has ${other.ndim}`);
    if (other.type !== this.type) throw new TypeError(`add: ${this.path} has ${this.type} storage, ${other.path} has ${other.type}`);
    for (const [k, a] of this.axes.entries()) {
      const [mine, theirs] = [axisDescription(a), axisDescription(other.axes[k])];
      if (mine !== theirs) throw new RangeError(`add: axis ${axisName(a, k)} of ${this.path} differs from axis ${axisName(other.axes[k], k)} of ${other.path} (${mine} vs ${theirs})`);
    }
    for (const [k, a] of this.axes.entries()) {
      if (!isCategory(a)) continue;
      const b = other.axes[k];
      const unseen = axisLabels(b).filter((l) => a.index(l as never) === a.size);
      if (!unseen.length) continue;
      if (!a.traits.growth) throw new RangeError(`add: axis ${axisName(a, k)} of ${this.path} lacks categories ${JSON.stringify(unseen)} of ${other.path} and cannot grow`);
      await growCategory(this.path, "/", k, unseen);
      await this.refresh();
    }
    const maps = this.axes.map((a, k) => {
      const b = other.axes[k];
      return isCategory(a) ? categoryMap(a, b) : Int32Array.from({ length: b.extent }, (_, i) => i);
    });
    await addStoredChunks(
      { arrays: this.arrays, fields: this.meta.fields, type: this.type },
      { arrays: other.arrays, fields: other.meta.fields, type: other.type },
      other.extents, maps,
    );
    return this;
  }

  private stream(maps: AxisMap[], dstExtents: number[]) {
    return streamRemap(this.arrays, this.meta.fields, this.type, this.meta.shape, maps, dstExtents);
  }

  private result(axes: Axis[], storage: Storage): Hist {
    const { name, label, ...metadata } = this.meta.metadata ?? {};
    return new Hist(axes, storage, { name: String(name ?? ""), label: String(label ?? ""), metadata });
  }

  toString(): string {
    const axes = this.axes.map((a, k) => {
      const labels = a.traits.ordered ? "" : ` [${Array.from({ length: Math.min(a.size, 8) }, (_, i) => a.bin(i)).join(", ")}${a.size > 8 ? ", …" : ""}]`;
      return `  ${axisName(a, k)} ${a.kind} (${a.size} bins)${labels}${a.label && a.label !== a.name ? ` "${a.label}"` : ""}`;
    });
    const cells = this.axes.reduce((n, a) => n * a.extent, 1);
    return `StoredHist(${this.kind}) ${this.path}: ${cells.toLocaleString("en")} cells with flow\n${axes.join("\n")}`;
  }

  /** Shows the interactive widget (zhist kernel only); each projection reads only the chunks it needs. */
  async widget(opts: WidgetOptions = {}): Promise<void> {
    await widgetHook()(this, opts);
  }

  /** In a notebook: the summary only; reading bins is for project/slice, which display as plots. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": this.toString() };
  }
}

interface KeyGroup { key: (string | number)[]; pick: Int32Array | null }

/** Entries grouped by their labels on the category axes; scalar labels make one group of all entries. */
function groupByKey(values: FillValue[], cats: number[]): KeyGroup[] {
  const arrays = cats.filter((k) => typeof values[k] === "object");
  const n = arrays.length ? (values[arrays[0]] as ArrayLike<unknown>).length : -1;
  if (n < 0) return [{ key: cats.map((k) => values[k] as string | number), pick: null }];
  const groups = new Map<string, { key: (string | number)[]; rows: number[] }>();
  for (let i = 0; i < n; i++) {
    const key = cats.map((k) => (typeof values[k] === "object" ? (values[k] as ArrayLike<string | number>)[i] : values[k] as string | number));
    const id = JSON.stringify(key);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, rows: [] }));
    g.rows.push(i);
  }
  return [...groups.values()].map((g) => ({ key: g.key, pick: Int32Array.from(g.rows) }));
}

function pickEntries<T>(v: T, rows: Int32Array): T {
  if (typeof v !== "object" || v === null) return v;
  const src = v as unknown as ArrayLike<unknown>;
  if (src instanceof Float64Array) return Float64Array.from(rows, (r) => src[r]) as unknown as T;
  return Array.from(rows, (r) => src[r]) as unknown as T;
}

/** An axis's UHI description without its categories, keys sorted: what two added axes must share. */
function axisDescription(a: Axis): string {
  const { categories: _categories, ...rest } = a.toUHI() as unknown as Record<string, unknown>;
  const sorted = (v: unknown): unknown => Array.isArray(v) ? v.map(sorted)
    : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((key) => [key, sorted((v as Record<string, unknown>)[key])])) : v;
  return JSON.stringify(sorted(rest));
}

/** Where each bin of category axis `from` lands on `to` (same label; the overflow bin onto the overflow bin), -1 nowhere. */
function categoryMap(to: Axis, from: Axis): Int32Array {
  const out = new Int32Array(from.extent).fill(-1);
  for (let e = 0; e < from.size; e++) out[e] = to.index(from.bin(e) as never);
  if (from.traits.overflow && to.traits.overflow) out[from.size] = to.size;
  return out;
}

function axisLabels(a: Axis): (string | number)[] {
  return Array.from({ length: a.size }, (_, i) => a.bin(i) as string | number);
}
