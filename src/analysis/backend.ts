// The fill engine lives in src/exec, which imports this room; it registers itself here (as the Zarr
// backend registers Hist.save/open with src/hist), so that `a.fill()` needs no upward import.
import type { Hist } from "../hist/index.js";
import type { AnalysisSpec } from "./spec.js";

export interface DatasetProgress {
  eventsDone: number;
  eventsTotal: number;
  unitsDone: number;
  unitsTotal: number;
  unitsFailed: number;
}

export interface FillProgress {
  eventsDone: number;
  eventsTotal: number;
  /** Events per second since the fill started (events of units skipped as already done are not counted). */
  eventsPerSecond: number;
  /** Seconds left at the current rate; null before any rate is known. */
  etaSeconds: number | null;
  elapsedSeconds: number;
  unitsDone: number;
  unitsTotal: number;
  unitsFailed: number;
  datasets: Record<string, DatasetProgress>;
  /** True on the last event of a fill. */
  done: boolean;
}

export interface FillOptions {
  /** Worker threads; 0 or 1 fill in the calling thread. Default 1. */
  workers?: number;
  /** A Zarr store directory: histograms are filled there and returned store-backed; resumes from its journal. */
  store?: string;
  /** Only these datasets (by name). */
  datasets?: string[];
  /** Called about 10 times per second, and once at the end with `done: true`. */
  onProgress?: (p: FillProgress) => void;
  /** Aborting terminates the workers; units already landed stay journaled, so a rerun continues. */
  signal?: AbortSignal;
  /** Events per work unit (a file is split into ranges of this size). Default 500 000. */
  unitEvents?: number;
  /** Events per batch read from a file. Default 100 000. */
  batchEvents?: number;
  /**
   * Bytes of temporaries held in memory: a worker hands its temporaries over when they reach a quarter
   * of it, the accumulator lands what it holds when it reaches it. Default 256 MiB.
   */
  memoryBytes?: number;
  /**
   * Land and journal finished units at least this often (ms): a fill killed and run again redoes at most
   * about this much. Default 30 000. (Each landing rewrites every chunk its units touched, thousands of
   * files for a large analysis; a dataset also lands as soon as its last unit is done.)
   */
  landEveryMs?: number;
  /** Land and journal after this many finished units. Default: no limit. */
  landEveryUnits?: number;
  /**
   * Modules the workers import: `source` exports `openEventSource(path, { tree })`, `expr` the
   * expression compiler. Defaults: zhist's src/data and src/expr. Given as file URLs or paths.
   */
  modules?: { source?: string; expr?: string };
}

export type FillBackend = (spec: AnalysisSpec, opts: FillOptions) => Promise<Record<string, unknown>>;

let backend: FillBackend | null = null;

export function registerFillBackend(b: FillBackend): void {
  backend = b;
}

export function fillBackend(): FillBackend {
  if (!backend) throw new Error("no fill engine registered: import zhist's src/exec (the package entry point does) before calling fill()");
  return backend;
}

export type { Hist };
