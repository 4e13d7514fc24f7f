import type { Axis } from "../axis/index.js";
import type { StorageKind } from "../storage/index.js";
import type { SumResult } from "./algorithm/sum.js";
import type { Hist } from "./hist.js";
import type { Selection } from "./indexing.js";
import type { View } from "./view.js";
import type { WidgetOptions } from "./widget-hook.js";

/** A histogram in a store: the methods of Hist, asynchronous; results of project/slice are in memory. */
export interface StoredHistogram {
  readonly path: string;
  readonly axes: Axis[];
  readonly kind: StorageKind;
  readonly ndim: number;
  readonly shape: number[];
  fill(...args: unknown[]): Promise<StoredHistogram>;
  values(opts?: { flow?: boolean }): Promise<View>;
  variances(opts?: { flow?: boolean }): Promise<View | null>;
  counts(opts?: { flow?: boolean }): Promise<View>;
  sum(opts?: { flow?: boolean }): Promise<SumResult>;
  project(...keys: (string | number)[]): Promise<Hist>;
  slice(selection: Selection): Promise<Hist>;
  add(other: Hist): Promise<StoredHistogram>;
  toHist(): Promise<Hist>;
  /** The interactive widget in the notebook (zhist kernel only). */
  widget(opts?: WidgetOptions): Promise<void>;
}

/**
 * Where `Hist.save` and `Hist.open` find the Zarr store. The hist room may not import the zarr room
 * (zarr builds on hist), so src/zarr registers itself here and the package entry point loads it.
 */
export interface Persistence {
  save(h: Hist, path: string, name: string): Promise<void>;
  open(path: string): Promise<StoredHistogram>;
}

let backend: Persistence | undefined;

export function registerPersistence(p: Persistence): void {
  backend = p;
}

export function persistence(): Persistence {
  if (!backend) throw new Error("no Zarr backend registered: import from \"zhist\" (its entry point registers src/zarr)");
  return backend;
}
