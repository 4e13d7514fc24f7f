// Out-of-core algorithms on a stored histogram: every result is built chunk by chunk, so memory
// holds one chunk per field plus the (small) result, whatever the size of the store.
import { type AxisMap, cellMap } from "../hist/algorithm/remap.js";
import { type Storage, type StorageKind, makeStorage, storageFromUHI } from "../storage/index.js";
import type { UhiStorage, UhiStorageType } from "../uhi.js";
import { chunkElements, chunkGridShape, type StoredArray } from "./array.js";
import { gridPoints } from "./block.js";
import { readChunk } from "./chunks.js";

export const STORAGE_KIND: Record<UhiStorageType, StorageKind> = { double: "double", int: "int64", weighted: "weight", mean: "mean" };

/** The cells of one chunk of every field as a storage, or null when no field chunk was ever written. */
export async function readChunkStorage(arrays: readonly StoredArray[], fields: readonly string[], type: UhiStorageType, coords: readonly number[]): Promise<Storage | null> {
  const chunks = await Promise.all(arrays.map((a) => readChunk(a, coords)));
  if (chunks.every((c) => c === null)) return null;
  const n = chunkElements(arrays[0]);
  const uhi: Record<string, unknown> = { type };
  fields.forEach((f, i) => { uhi[f] = chunks[i] ?? new Float64Array(n); });
  return storageFromUHI(uhi as unknown as UhiStorage);
}

/** The part of each axis map that covers one chunk; cells past the array's edge map nowhere. */
function chunkMaps(maps: readonly AxisMap[], start: readonly number[], chunkShape: readonly number[]): AxisMap[] | null {
  const out: AxisMap[] = [];
  for (let k = 0; k < maps.length; k++) {
    const to = new Int32Array(chunkShape[k]).fill(-1);
    let any = false;
    for (let i = 0; i < chunkShape[k] && start[k] + i < maps[k].to.length; i++) {
      to[i] = maps[k].to[start[k] + i];
      any ||= to[i] >= 0;
    }
    if (!any) return null; // nothing of this chunk is wanted: it is not even read
    out.push({ to, dstAxis: maps[k].dstAxis });
  }
  return out;
}

/**
 * The stored cells sent through per-axis maps (the plans of project, slice and sum) into a new
 * in-memory storage of `dstExtents`. Chunks that no map wants are skipped unread: a selection of one
 * category reads only that category's chunks; summing categorical axes reduces every chunk into one
 * accumulator (map-reduce).
 */
export async function streamRemap(
  arrays: readonly StoredArray[], fields: readonly string[], type: UhiStorageType, shape: readonly number[],
  maps: readonly AxisMap[], dstExtents: readonly number[],
): Promise<Storage> {
  const dst = makeStorage(STORAGE_KIND[type], dstExtents.reduce((a, b) => a * b, 1));
  const { chunkShape } = arrays[0];
  const grid = chunkGridShape({ shape: [...shape], chunkShape });
  for (const coords of gridPoints(grid.map(() => 0), grid)) {
    const start = coords.map((c, k) => c * chunkShape[k]);
    const m = chunkMaps(maps, start, chunkShape);
    if (!m) continue;
    const chunk = await readChunkStorage(arrays, fields, type, coords);
    if (chunk) dst.scatterAdd(chunk, cellMap(m, dstExtents));
  }
  return dst;
}
