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
  /** Sum of generator weights (MC): from Runs/genEventSumw, else summed over genWeight, else entries. */
  sumw: number;
  sumwSource: "Runs.genEventSumw" | "genWeight" | "entries" | "data";
}

export interface WorkUnit {
  key: string;
  dataset: string;
  file: string;
  tree: string;
  start: number;
  stop: number;
  /** The per-event weight factor: xsec x lumi / sum of generator weights (MC), 1 (data). */
  norm: number;
  data: boolean;
}

export interface DatasetNorm {
  xsec?: number;
  lumi?: number;
  sumw: number;
  norm: number;
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
  if (d.data) return { sumw: entries, norm: 1, data: true, label: d.label, files: files.length, entries, sumwSources };
  const sumw = files.reduce((s, f) => s + f.sumw, 0);
  const xsec = d.xsec ?? 1;
  const lumi = d.lumi ?? 1;
  // One float expression, written as Python writes it, so references agree to the last bit.
  const norm = sumw !== 0 ? (xsec * lumi) / sumw : 0;
  return { xsec, lumi, sumw, norm, data: false, label: d.label, files: files.length, entries, sumwSources };
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
        const key = sha({ definition, dataset: d.name, tree: d.tree, data: d.data, norm: n.norm, file: f.path, size: f.size, mtimeMs: f.mtimeMs, start, stop });
        units.push({ key, dataset: d.name, file: f.path, tree: d.tree, start, stop, norm: n.norm, data: d.data });
      }
    }
  }
  return { definition, units, norms, failures };
}
