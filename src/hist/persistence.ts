import type { Hist } from "./hist.js";

/**
 * Where `Hist.save` and `Hist.open` find the Zarr store. The hist room may not import the zarr room
 * (zarr builds on hist), so src/zarr registers itself here and the package entry point loads it.
 */
export interface Persistence {
  save(h: Hist, path: string, name: string): Promise<void>;
  open(path: string): Promise<unknown>;
}

let backend: Persistence | undefined;

export function registerPersistence(p: Persistence): void {
  backend = p;
}

export function persistence(): Persistence {
  if (!backend) throw new Error("no Zarr backend registered: import from \"zhist\" (its entry point registers src/zarr)");
  return backend;
}
