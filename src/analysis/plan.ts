// The plan: work units of dataset x file x entry range, as plain data with deterministic keys. A key
// hashes everything its result depends on (the definition of the histograms, the dataset's
// normalization, the file's identity and the range), so the same unit gets the same key on every run
// and on every machine, and a changed input never passes for a unit already done.
import { createHash } from "node:crypto";
import type { AnalysisSpec, DatasetSpec } from "./spec.js";

export interface FileInfo {
  /** As given in the dataset. */
  path: string;
  size: number;
  mtimeMs: number;
  entries: number;
  /**
   * Sum of generator weights (MC): from Runs/genEventSumw, else entries (no genWeight); null when it is
   * summed over genWeight while filling (no Runs tree: the file is read once).
   */
  sumw: number | null;
  sumwSource: "Runs.genEventSumw" | "genWeight" | "entries" | "data";
}

export interface WorkUnit {
  key: string;
  dataset: string;
  file: string;
  tree: string;
  start: number;
  stop: number;
  /**
   * The per-event weight factor: xsec x lumi / sum of generator weights (MC), 1 (data). 1 in a
   * dataset whose sum is known only after the fill (`DatasetNorm.deferred`): it is scaled at the end.
   */
  norm: number;
  data: boolean;
  /** Sums genWeight over its events while filling (its file has no Runs tree). */
  sumGenWeight: boolean;
}

export interface DatasetNorm {
  xsec?: number;
  lumi?: number;
  /** Null until every unit of a deferred dataset is filled. */
  sumw: number | null;
  norm: number | null;
  /**
   * The sum of generator weights is completed while filling: units fill unnormalized weights and the
   * dataset is scaled by xsec x lumi / sumw once all of them are in. `knownSumw` sums the files whose
   * sum was known before (Runs tree, or entries).
   */
  deferred?: { knownSumw: number };
  /** The dataset's files (path, size, mtime), xsec and lumi: a store filled from other inputs is refused. */
  fingerprint: string;
  data: boolean;
  label?: string;
  files: number;
  entries: number;
  sumwSources: string[];
}

export interface FileFailure {
  dataset: string;
  file: string;
  error: string;
}

export interface Plan {
  definition: string;
  units: WorkUnit[];
  norms: Record<string, DatasetNorm>;
  /** Files that could not be opened: their datasets get no units (and no normalization). */
  failures: FileFailure[];
}

export function sha(x: unknown, n = 32): string {
  return createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, n);
}

/** What every unit's result depends on besides its dataset and range. */
export function definitionHash(spec: AnalysisSpec): string {
  const { defines, categories, systematics, hists } = spec;
  return sha({ defines, categories, systematics, hists });
}

export function datasetNorm(d: DatasetSpec, files: FileInfo[]): DatasetNorm {
  const entries = files.reduce((n, f) => n + f.entries, 0);
  const sumwSources = [...new Set(files.map((f) => f.sumwSource))];
  const fingerprint = sha({ data: d.data, xsec: d.xsec, lumi: d.lumi, files: files.map((f) => [f.path, f.size, f.mtimeMs]) }, 16);
  if (d.data) return { sumw: entries, norm: 1, data: true, label: d.label, files: files.length, entries, sumwSources, fingerprint };
  const xsec = d.xsec ?? 1;
  const lumi = d.lumi ?? 1;
  const base = { xsec, lumi, data: false, label: d.label, files: files.length, entries, sumwSources, fingerprint };
  const knownSumw = files.reduce((s, f) => s + (f.sumw ?? 0), 0);
  if (files.some((f) => f.sumw === null)) return { ...base, sumw: null, norm: null, deferred: { knownSumw } };
  return { ...base, sumw: knownSumw, norm: normFactor(xsec, lumi, knownSumw) };
}

/** One float expression, written as Python writes it, so references agree to the last bit. */
export function normFactor(xsec: number, lumi: number, sumw: number): number {
  return sumw !== 0 ? (xsec * lumi) / sumw : 0;
}

/**
 * A deferred dataset's sum of generator weights: its known files' sum plus its units' sums, added in
 * plan order (not completion order), so that a resumed or parallel fill gets the same bits.
 */
export function completedSumw(n: DatasetNorm, unitKeys: string[], unitSums: ReadonlyMap<string, number>): number {
  let s = n.deferred?.knownSumw ?? 0;
  for (const k of unitKeys) s += unitSums.get(k) ?? 0;
  return s;
}

/**
 * Units for the datasets whose files all opened. A dataset with a failed file gets no units at all:
 * its normalization needs every file's sum of weights, and a partial dataset must not look complete.
 */
export function planUnits(spec: AnalysisSpec, infos: Map<string, FileInfo | Error>, unitEvents: number, only?: string[]): Plan {
  const definition = definitionHash(spec);
  const units: WorkUnit[] = [];
  const norms: Record<string, DatasetNorm> = {};
  const failures: FileFailure[] = [];
  for (const d of spec.datasets) {
    if (only && !only.includes(d.name)) continue;
    const got = d.files.map((f) => infos.get(f) ?? new Error(`${f}: not inspected`));
    const bad = got.map((g, i) => [g, d.files[i]] as const).filter(([g]) => g instanceof Error);
    if (bad.length) {
      for (const [e, file] of bad) failures.push({ dataset: d.name, file, error: (e as Error).message });
      continue;
    }
    const files = got as FileInfo[];
    const n = datasetNorm(d, files);
    norms[d.name] = n;
    for (const f of files) {
      for (let start = 0; start < f.entries; start += unitEvents) {
        const stop = Math.min(f.entries, start + unitEvents);
        // A deferred dataset's units fill unnormalized weights: they depend on their own file only.
        const key = sha({ definition, dataset: d.name, tree: d.tree, data: d.data, norm: n.deferred ? "deferred" : n.norm, file: f.path, size: f.size, mtimeMs: f.mtimeMs, start, stop });
        units.push({ key, dataset: d.name, file: f.path, tree: d.tree, start, stop, norm: n.norm ?? 1, data: d.data, sumGenWeight: !d.data && f.sumw === null });
      }
    }
  }
  return { definition, units, norms, failures };
}
