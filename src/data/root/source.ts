// A ROOT TTree as an EventSource: jsroot opens the file and streams the TTree; baskets of the requested
// branches are read in file order, a batch at a time, and copied into flat column batches.
import { statSync, closeSync } from "node:fs";
import { openFile, type JsrootFile } from "jsroot/io";
import { DataError, causeText } from "../errors.js";
import { allocate } from "../typed.js";
import type { Column, ColumnBatch, EntryRange, EventSource, Schema } from "../types.js";
import { basketPlaces, readBaskets, type BasketPlace, type DecodedBasket, type ReadStats } from "./basket.js";
import { describeBranches, type BranchInfo } from "./branches.js";
import { checkColumns, clampRange, DEFAULT_BATCH } from "../range.js";

export interface RootEventSource extends EventSource {
  /** Counts of what reading did: evidence that only requested branches are decoded. */
  readonly stats: ReadStats;
  readonly treeName: string;
}

export async function openRootSource(path: string, treeName?: string): Promise<RootEventSource> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new DataError(path, `cannot open: ${causeText(e)}`, {}, { cause: e });
  }
  let file: JsrootFile;
  try {
    file = await openFile(path);
  } catch (e) {
    throw new DataError(path, `not a readable ROOT file: ${causeText(e)}`, {}, { cause: e });
  }
  if (!file) throw new DataError(path, "not a readable ROOT file");
  const keys: any[] = (file as any).fKeys ?? [];
  const trees = keys.filter((k) => k.fClassName === "TTree").map((k) => k.fName as string);
  const name = treeName ?? (trees.includes("Events") ? "Events" : trees[0]);
  if (!name || (treeName !== undefined && !trees.includes(treeName))) {
    closeQuietly(file);
    const have = trees.length ? `trees here: ${[...new Set(trees)].join(", ")}` : "the file holds no TTree";
    throw new DataError(path, `no tree ${JSON.stringify(treeName ?? "")} (${have})`);
  }
  let tree: any;
  try {
    tree = await file.readObject(name);
  } catch (e) {
    closeQuietly(file);
    throw new DataError(path, `cannot read tree ${JSON.stringify(name)}: ${causeText(e)}`, {}, { cause: e });
  }
  if (!tree || !tree.fBranches) {
    closeQuietly(file);
    throw new DataError(path, `cannot read tree ${JSON.stringify(name)} (truncated or corrupt file)`);
  }
  const branches = describeBranches(tree);
  const schema: Schema = { fields: new Map([...branches].map(([k, v]) => [k, v.field])) };
  const stats: ReadStats = { basketsDecoded: 0, bytesRead: 0, branchesDecoded: new Set() };
  const entries = Number(tree.fEntries);
  return {
    path,
    entries,
    schema,
    stats,
    treeName: name,
    read: (columns, range, batchSize) => readTree(path, file, size, branches, entries, stats, columns, range, batchSize),
    async close() {
      closeQuietly(file);
    },
  };
}

function closeQuietly(file: JsrootFile) {
  try {
    if (typeof file.fd === "number") closeSync(file.fd);
  } catch {
    // already closed
  }
  file.fd = undefined;
}

async function* readTree(
  path: string, file: JsrootFile, size: number, branches: Map<string, BranchInfo>, entries: number, stats: ReadStats,
  columns: readonly string[], range?: EntryRange, batchSize = DEFAULT_BATCH,
): AsyncGenerator<ColumnBatch> {
  checkColumns(path, columns, branches.keys());
  const { start, stop } = clampRange(path, entries, range);
  const step = Math.max(1, Math.floor(batchSize));
  const plans = columns.map((c) => {
    const info = branches.get(c)!;
    return { info, places: basketPlaces(info), cache: new Map<number, DecodedBasket>() };
  });
  for (const p of plans) {
    const covered = p.places.length ? p.places[p.places.length - 1].stop : 0;
    if (covered < entries)
      throw new DataError(path, `baskets cover ${covered} of ${entries} entries`, { column: p.info.field.name });
  }
  const reader = { file, path, size, stats };
  for (let a = start; a < stop; a += step) {
    const b = Math.min(stop, a + step);
    const wanted: { info: BranchInfo; place: BasketPlace; plan: (typeof plans)[number] }[] = [];
    for (const plan of plans)
      for (const place of plan.places)
        if (place.stop > a && place.start < b && place.stop > place.start && !plan.cache.has(place.index))
          wanted.push({ info: plan.info, place, plan });
    const decoded = await readBaskets(reader, wanted);
    decoded.forEach((d, i) => wanted[i].plan.cache.set(wanted[i].place.index, d));
    const cols: Record<string, Column> = {};
    for (const plan of plans) {
      const parts = [...plan.cache.values()].filter((d) => d.stop > a && d.start < b).sort((x, y) => x.start - y.start);
      cols[plan.info.field.name] = assemble(plan.info, parts, a, b);
      // Baskets that end inside this batch are not needed again.
      for (const [k, d] of plan.cache) if (d.stop <= b) plan.cache.delete(k);
    }
    yield { source: path, entryStart: a, length: b - a, columns: cols };
  }
}

/** Copies events [a, b) out of the baskets that hold them. */
function assemble(info: BranchInfo, parts: DecodedBasket[], a: number, b: number): Column {
  const { type, kind } = info.field;
  if (kind === "scalar") {
    const values = allocate(type, b - a);
    for (const p of parts) {
      const lo = Math.max(a, p.start), hi = Math.min(b, p.stop);
      (values as any).set((p.values as any).subarray(lo - p.start, hi - p.start), lo - a);
    }
    return { kind: "scalar", values };
  }
  let total = 0;
  for (const p of parts) {
    const o = p.offsets!;
    total += o[Math.min(b, p.stop) - p.start] - o[Math.max(a, p.start) - p.start];
  }
  const offsets = new Int32Array(b - a + 1);
  const values = allocate(type, total);
  let filled = 0;
  for (const p of parts) {
    const o = p.offsets!;
    const lo = Math.max(a, p.start) - p.start, hi = Math.min(b, p.stop) - p.start;
    (values as any).set((p.values as any).subarray(o[lo], o[hi]), filled);
    const shift = filled - o[lo], at = Math.max(a, p.start) - a;
    for (let j = lo + 1; j <= hi; j++) offsets[at + j - lo] = o[j] + shift;
    filled += o[hi] - o[lo];
  }
  return { kind: "jagged", offsets, values };
}
