// `zhist merge OUT.zarr IN1.zarr IN2.zarr ...`: the histograms of several stores summed into one
// store, histogram by histogram (matched by name), categories merged by label (StoredHist.addStored,
// store to store chunk by chunk: memory holds a few chunks whatever the size of the histograms), so
// per-dataset batch outputs become one store with every dataset on its dataset axis. Each merged
// histogram is built in a temporary directory and renamed into place: a killed merge leaves either
// no histogram or a whole one, and never one counted twice.
import * as fs from "node:fs";
import * as path from "node:path";
import { readDatasetsMetadata, metadataAttributes } from "../exec/targets.js";
import { StoredHist } from "../zarr/persist.js";
import { AtomicFileStore, joinKey } from "../zarr/index.js";
import { TEMP_SUFFIX } from "../zarr/store.js";
import { groupDocument, readGroupAttributes, writeDocument } from "../zarr/array.js";

/** The histograms a store holds: its subdirectories that are UHI groups. */
export function histogramsIn(store: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(store, { withFileTypes: true });
  } catch {
    throw new Error(`no store at ${store}`);
  }
  return entries
    .filter((d) => d.isDirectory() && !d.name.startsWith("."))
    .filter((d) => {
      try {
        const doc = JSON.parse(fs.readFileSync(path.join(store, d.name, "zarr.json"), "utf8"));
        return doc?.attributes?.uhi_schema === 1;
      } catch {
        return false;
      }
    })
    .map((d) => d.name)
    .sort();
}

/**
 * Files a writer leaves beside chunks (its lock, a temporary chunk) are no part of the histogram: a copied
 * lock would hold the merged store's chunk for as long as its holder lives.
 */
function notLeftover(file: string): boolean {
  return !/\.lock(\.break)?$/.test(file) && !file.endsWith(TEMP_SUFFIX);
}

export interface MergeReport {
  /** histogram name -> the inputs it was summed from */
  merged: Record<string, string[]>;
  warnings: string[];
}

export async function mergeStores(out: string, inputs: readonly string[]): Promise<MergeReport> {
  if (!inputs.length) throw new Error("merge needs at least one input store");
  const resolvedOut = path.resolve(out);
  for (const i of inputs) if (path.resolve(i) === resolvedOut) throw new Error(`${i} is both the output and an input`);
  const names = new Map<string, string[]>();
  for (const store of inputs) {
    const hists = histogramsIn(store);
    if (!hists.length) throw new Error(`${store} holds no histograms`);
    for (const h of hists) names.set(h, [...(names.get(h) ?? []), store]);
  }
  fs.mkdirSync(out, { recursive: true });
  for (const name of names.keys()) {
    if (fs.existsSync(path.join(out, name))) throw new Error(`${path.join(out, name)} exists: merging into it would count it twice; remove it or merge into a new store`);
  }
  const report: MergeReport = { merged: {}, warnings: [] };
  for (const [name, stores] of names) {
    const tmp = path.join(out, `.${name}.merging-${process.pid}`);
    fs.rmSync(tmp, { recursive: true, force: true });
    try {
      fs.cpSync(path.join(stores[0], name), tmp, { recursive: true, filter: notLeftover });
      const target = await StoredHist.open(tmp);
      for (const store of stores.slice(1)) {
        const other = await StoredHist.open(path.join(store, name));
        try {
          await target.addStored(other);
        } catch (e) {
          throw new Error(`${path.join(store, name)} does not add to ${path.join(stores[0], name)}: ${(e as Error).message}`);
        }
      }
      report.warnings.push(...(await mergeMetadata(tmp, stores.map((s) => path.join(s, name)))));
      fs.renameSync(tmp, path.join(out, name));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    report.merged[name] = stores;
  }
  return report;
}

/** The per-dataset normalizations of every input, as one `datasets` record. */
async function mergeMetadata(dir: string, inputs: string[]): Promise<string[]> {
  const warnings: string[] = [];
  const metas = await Promise.all(inputs.map(async (i) => (await StoredHist.open(i)).metadata));
  if (!metas.some((m) => m.datasets !== undefined)) return warnings;
  const analyses = new Set(metas.map((m) => m.analysis).filter((a) => a !== undefined));
  if (analyses.size > 1) warnings.push(`${path.basename(dir)}: the inputs were filled by different analysis definitions (${[...analyses].join(", ")})`);
  const datasets: ReturnType<typeof readDatasetsMetadata> = {};
  metas.forEach((m, k) => {
    for (const [name, norm] of Object.entries(readDatasetsMetadata(m))) {
      if (datasets[name]) warnings.push(`dataset ${name} is in more than one input (${inputs[k]}): its bins were summed, its normalization record is the first one's`);
      else datasets[name] = norm;
    }
  });
  const store = new AtomicFileStore(dir);
  const key = joinKey("/", "metadata");
  const old = (await readGroupAttributes(store, key)) ?? {};
  const analysis = String(metas[0].analysis ?? "");
  await writeDocument(store, key, groupDocument({ ...old, ...metadataAttributes({ analysis, datasets }) }));
  return warnings;
}
