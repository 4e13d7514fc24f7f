// Where temporaries land: the cells of in-memory histograms, or the chunks of store-backed ones.
// Every histogram has the axes dataset x category axes x systematic x its own axis; a temporary covers
// one label combination of one dataset, every systematic, and the whole own axis: one key (all axes but
// the last fixed) per systematic.
import * as fs from "node:fs";
import * as path from "node:path";
import { buildAxis, categoryAxes, systematicLabels, type AnalysisSpec, type DatasetNorm, type HistSpec } from "../analysis/index.js";
import { StrCategory, type Axis } from "../axis/index.js";
import { Hist } from "../hist/index.js";
import { groupDocument, joinKey, openArray, writeDocument, chunkKey, type StoredArray } from "../zarr/array.js";
import { readChunk, writeChunk } from "../zarr/chunks.js";
import { growCategory } from "../zarr/grow.js";
import { openHistMeta } from "../zarr/layout.js";
import { withLock } from "../zarr/lock.js";
import "../zarr/persist.js";
import type { Epoch } from "./journal.js";
import type { Temp } from "./protocol.js";

export interface Target {
  land(dataset: string, t: Temp, epoch: Epoch | null): Promise<void>;
  /** Multiplies a dataset's values by `factor` and variances by its square (a deferred normalization). */
  scale(dataset: string, factor: number, epoch: Epoch | null): Promise<void>;
  /** Replaces the per-dataset numbers kept with every histogram (merged with the other datasets'). */
  updateDatasets(datasets: Record<string, DatasetNorm>): Promise<void>;
}

export interface HistMetadata {
  analysis: string;
  datasets: Record<string, DatasetNorm>;
}

/**
 * As kept with each histogram: UHI metadata holds flat values, so the per-dataset numbers (xsec, lumi,
 * sum of generator weights, weight factor, sources) are one JSON string under `datasets`.
 */
export function metadataAttributes(m: HistMetadata): Record<string, string> {
  return { analysis: m.analysis, datasets: JSON.stringify(m.datasets) };
}

export function readDatasetsMetadata(meta: Record<string, unknown> | undefined): Record<string, DatasetNorm> {
  const d = meta?.datasets;
  if (typeof d === "string") return JSON.parse(d);
  return (d ?? {}) as Record<string, DatasetNorm>;
}

/** The axes of one histogram of the analysis, with the datasets of this fill on the dataset axis. */
export function histAxes(spec: AnalysisSpec, h: HistSpec, datasets: string[]): Axis[] {
  return [
    new StrCategory(datasets, { name: "dataset", label: "dataset", growth: true }),
    ...categoryAxes(spec).map((a) => new StrCategory(a.labels, { name: a.axis, label: a.axis })),
    new StrCategory(systematicLabels(spec), { name: "systematic", label: "systematic" }),
    buildAxis(h.axis, h.name),
  ];
}

/** Decomposes a flat label combination into one label index per category axis (C order). */
function comboIndices(combo: number, sizes: number[]): number[] {
  const out = new Array<number>(sizes.length);
  for (let a = sizes.length - 1; a >= 0; a--) { out[a] = combo % sizes[a]; combo = Math.floor(combo / sizes[a]); }
  return out;
}

export class MemoryTarget implements Target {
  readonly hists: Hist[];
  private readonly sizes: number[];

  constructor(spec: AnalysisSpec, datasets: string[], metadata: HistMetadata) {
    this.sizes = categoryAxes(spec).map((a) => a.labels.length);
    this.hists = spec.hists.map((h) => new Hist(histAxes(spec, h, datasets), "weight", { name: h.name, label: h.axis.label ?? "", metadata: metadataAttributes(metadata) }));
  }

  async land(dataset: string, t: Temp): Promise<void> {
    const h = this.hists[t.hist];
    const index = [h.axes[0].index(dataset), ...comboIndices(t.combo, this.sizes), 0];
    let offset = 0;
    index.forEach((i, a) => { offset = offset * h.axes[a].extent + i; });
    const own = h.axes[h.axes.length - 1].extent;
    offset *= own;
    // The systematic axis is the one before the own axis: all systematics of a key are contiguous.
    const [v, w2] = h.storage.fields;
    const d = t.data;
    for (let c = 0; c < d.length / 2; c++) { v[offset + c] += d[2 * c]; w2[offset + c] += d[2 * c + 1]; }
  }

  async scale(dataset: string, factor: number): Promise<void> {
    const f2 = factor * factor;
    for (const h of this.hists) {
      // The dataset axis is the first: a dataset's cells are one contiguous run.
      const size = h.axes.slice(1).reduce((n, a) => n * a.extent, 1);
      const at = h.axes[0].index(dataset) * size;
      const [v, w2] = h.storage.fields;
      for (let c = at; c < at + size; c++) { v[c] *= factor; w2[c] *= f2; }
    }
  }

  async updateDatasets(datasets: Record<string, DatasetNorm>): Promise<void> {
    for (const h of this.hists) {
      const merged = { ...readDatasetsMetadata(h.metadata), ...datasets };
      h.metadata.datasets = JSON.stringify(merged);
    }
  }
}

interface StoredOne {
  dir: string;
  /** Chunk counts of the category axes (dataset, category axes, systematic): one key per chunk, size 1. */
  keyShape: number[];
  arrays: StoredArray[];
  datasets: string[];
  chunk: number;
  extent: number;
}

export class StoreTarget implements Target {
  private constructor(private readonly spec: AnalysisSpec, private readonly store: string, private readonly sizes: number[], readonly hists: StoredOne[]) {}

  /**
   * Creates the histograms in the store, or opens those of an earlier fill of the same analysis
   * (growing the dataset axis for new datasets). A store holding a different definition, or the same
   * dataset with another normalization, is refused: its units would not add up with these.
   */
  static async open(spec: AnalysisSpec, store: string, datasets: string[], metadata: HistMetadata): Promise<StoreTarget> {
    const sizes = categoryAxes(spec).map((a) => a.labels.length);
    const out: StoredOne[] = [];
    for (const h of spec.hists) {
      const dir = path.join(store, h.name);
      if (!fs.existsSync(path.join(dir, "zarr.json"))) {
        const hist = new Hist(histAxes(spec, h, datasets), "weight", { name: h.name, label: h.axis.label ?? "", metadata: metadataAttributes(metadata) });
        await hist.save(store, h.name);
      } else {
        const meta = await openHistMeta(dir, "/");
        const old = (meta.metadata ?? {}) as Record<string, unknown>;
        const oldDatasets = readDatasetsMetadata(old);
        if (old.analysis !== metadata.analysis) {
          throw new Error(`${dir} holds histogram ${h.name} of a different analysis definition (${old.analysis ?? "none"}, this one is ${metadata.analysis}): fill into a new store, or remove it`);
        }
        const datasetsNow = { ...metadata.datasets };
        for (const [name, n] of Object.entries(metadata.datasets)) {
          const was = oldDatasets[name];
          if (!was) continue;
          // (Stores filled before fingerprints were kept are checked by entries and weight factor only.)
          const otherFiles = was.fingerprint !== undefined && was.fingerprint !== n.fingerprint;
          if (otherFiles || was.entries !== n.entries || (n.norm !== null && was.norm !== n.norm)) {
            throw new Error(`${dir}: dataset ${name} was filled with ${was.entries} events and weight factor ${was.norm}, now ${n.entries} and ${n.norm ?? "to be summed"} (files or cross section changed): fill into a new store`);
          }
          // A deferred dataset normalized by an earlier fill keeps its numbers.
          if (n.deferred && was.norm !== null) datasetsNow[name] = was;
        }
        const cats = ((meta.axes[0] as { categories?: string[] }).categories ?? []) as string[];
        const missing = datasets.filter((d) => !cats.includes(d));
        if (missing.length) await growCategory(dir, "/", 0, missing);
        const merged = { ...old, ...metadataAttributes({ analysis: metadata.analysis, datasets: { ...oldDatasets, ...datasetsNow } }) };
        await writeDocument(meta.store, joinKey("/", "metadata"), groupDocument(merged));
      }
      const meta = await openHistMeta(dir, "/");
      const arrays = await Promise.all(meta.fields.map((f) => openArray(meta.store, joinKey("/", "storage", f))));
      if (meta.storageType !== "weighted") throw new Error(`${dir}: storage ${meta.storageType}, the analysis fills weighted histograms`);
      const last = meta.shape.length - 1;
      out.push({ dir, arrays, keyShape: meta.shape.slice(0, last), datasets: (meta.axes[0] as { categories?: string[] }).categories ?? [], chunk: meta.chunkShape[last], extent: meta.shape[last] });
    }
    return new StoreTarget(spec, store, sizes, out);
  }

  async scale(dataset: string, factor: number, epoch: Epoch | null): Promise<void> {
    const f2 = factor * factor;
    for (const h of this.hists) {
      const ds = h.datasets.indexOf(dataset);
      if (ds < 0) throw new Error(`${h.dir}: no dataset ${dataset} on the dataset axis`);
      const keys = h.keyShape.slice(1).reduce((n, k) => n * k, 1);
      for (let k = 0; k < keys; k++) {
        const prefix = [ds, ...comboIndices(k, h.keyShape.slice(1))];
        for (let j = 0; j * h.chunk < h.extent; j++) {
          const coords = [...prefix, j];
          const files = h.arrays.map((a) => a.store.pathOf(chunkKey(a, coords)));
          if (this.scaled.has(files[0])) continue; // scaled as it landed in this epoch
          // Never written: all zero. (Checked before locking: a lock would make the chunk's directory.)
          if (!files.some((f) => fs.existsSync(f))) continue;
          await withLock(files[0], async () => {
            const [v, w2] = await Promise.all(h.arrays.map((a) => readChunk(a, coords)));
            if (!v && !w2) return; // never written: all zero
            epoch?.preserve(files);
            if (v) { for (let b = 0; b < v.length; b++) v[b] *= factor; await writeChunk(h.arrays[0], coords, v); }
            if (w2) { for (let b = 0; b < w2.length; b++) w2[b] *= f2; await writeChunk(h.arrays[1], coords, w2); }
          });
        }
      }
    }
  }

  async updateDatasets(datasets: Record<string, DatasetNorm>): Promise<void> {
    for (const h of this.spec.hists) {
      const dir = path.join(this.store, h.name);
      const meta = await openHistMeta(dir, "/");
      const old = (meta.metadata ?? {}) as Record<string, unknown>;
      const merged = { ...old, datasets: JSON.stringify({ ...readDatasetsMetadata(old), ...datasets }) };
      await writeDocument(meta.store, joinKey("/", "metadata"), groupDocument(merged));
    }
  }

  // Datasets scaled in the epoch under way (their last units land in it), and the chunks (values
  // files) of theirs already scaled in it: each chunk is scaled once, as it lands or by scale().
  private scaling = new Map<string, number>();
  private readonly scaled = new Set<string>();

  /** Lands these datasets' temporaries scaled by their factor: chunk x f (once per epoch) + delta x f. */
  scaleWhileLanding(factors: Map<string, number>): void {
    this.scaling = factors;
    this.scaled.clear();
  }

  async land(dataset: string, t: Temp, epoch: Epoch | null): Promise<void> {
    const h = this.hists[t.hist];
    const ds = h.datasets.indexOf(dataset);
    if (ds < 0) throw new Error(`${h.dir}: no dataset ${dataset} on the dataset axis`);
    const labels = comboIndices(t.combo, this.sizes);
    const nsys = t.data.length / (2 * h.extent);
    const factor = this.scaling.get(dataset);
    for (let syst = 0; syst < nsys; syst++) await this.landKey(h, [ds, ...labels, syst], t.data.subarray(syst * 2 * h.extent, (syst + 1) * 2 * h.extent), epoch, factor);
  }

  private async landKey(h: StoredOne, prefix: number[], data: Float64Array, epoch: Epoch | null, factor?: number): Promise<void> {
    const [values, variances] = h.arrays;
    for (let j = 0; j * h.chunk < h.extent; j++) {
      const lo = j * h.chunk;
      const hi = Math.min(h.extent, lo + h.chunk);
      let any = false;
      for (let b = 2 * lo; b < 2 * hi; b++) if (data[b] !== 0) { any = true; break; }
      if (!any) continue;
      const coords = [...prefix, j];
      const files = h.arrays.map((a) => a.store.pathOf(chunkKey(a, coords)));
      await withLock(files[0], async () => {
        const stored = [await readChunk(values, coords), await readChunk(variances, coords)];
        const v = stored[0] ?? new Float64Array(h.chunk);
        const w2 = stored[1] ?? new Float64Array(h.chunk);
        if (factor === undefined) for (let b = lo; b < hi; b++) { v[b - lo] += data[2 * b]; w2[b - lo] += data[2 * b + 1]; }
        else {
          const f = this.scaled.has(files[0]) ? 1 : factor;
          const f2 = factor * factor;
          for (let b = lo; b < hi; b++) { v[b - lo] = v[b - lo] * f + data[2 * b] * factor; w2[b - lo] = w2[b - lo] * f * f + data[2 * b + 1] * f2; }
          this.scaled.add(files[0]);
        }
        // Under the lock, a chunk just found missing is still missing: nothing to link for the undo.
        epoch?.preserve(files, stored.map((c) => c === null));
        await writeChunk(values, coords, v);
        await writeChunk(variances, coords, w2);
      });
    }
  }
}
