// Landing a temporary in-memory block of cells in the store. All fields of a chunk change under one
// lock (the lock of the chunk of the first field), so a reader of the store never pairs the values
// of one fill with the variances of another, and merges that are not plain sums (Mean) stay exact.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Storage } from "../storage/index.js";
import type { UhiStorageType } from "../uhi.js";
import { chunkElements, chunkKey, refreshArray, type StoredArray } from "./array.js";
import { copyBlock, gridPoints, isAllZero } from "./block.js";
import { writeChunk } from "./chunks.js";
import { withLock } from "./lock.js";
import { readChunkStorage } from "./out-of-core.js";

/** Adds `block` (cells over `blockShape`, its corner at `origin` of the full arrays) into the store. */
export async function accumulateStorage(
  arrays: readonly StoredArray[], fields: readonly string[], type: UhiStorageType,
  origin: readonly number[], block: Storage, blockShape: readonly number[],
): Promise<void> {
  const { chunkShape } = arrays[0];
  if (origin.some((o, a) => o + blockShape[a] > arrays[0].shape[a])) await Promise.all(arrays.map(refreshArray));
  const first = origin.map((o, a) => Math.floor(o / chunkShape[a]));
  const end = origin.map((o, a) => Math.ceil((o + blockShape[a]) / chunkShape[a]));
  const n = chunkElements(arrays[0]);
  for (const coords of gridPoints(first, end)) {
    const chunkStart = coords.map((c, a) => c * chunkShape[a]);
    const lo = chunkStart.map((s, a) => Math.max(s, origin[a]));
    const hi = chunkStart.map((s, a) => Math.min(s + chunkShape[a], origin[a] + blockShape[a]));
    const delta = block.like(n);
    block.fields.forEach((src, f) => copyBlock({
      src, srcShape: blockShape, srcOrigin: lo.map((l, a) => l - origin[a]),
      dst: delta.fields[f], dstShape: chunkShape, dstOrigin: lo.map((l, a) => l - chunkStart[a]),
      extent: hi.map((h, a) => h - lo[a]), mode: "set",
    }));
    if (delta.fields.every(isAllZero)) continue;
    const lockTarget = arrays[0].store.pathOf(chunkKey(arrays[0], coords));
    await fs.promises.mkdir(path.dirname(lockTarget), { recursive: true });
    await withLock(lockTarget, async () => {
      const current = (await readChunkStorage(arrays, fields, type, coords)) ?? delta.like(n);
      current.scatterAdd(delta, identity(n));
      const uhi = current.toUHI() as unknown as Record<string, Float64Array>;
      for (const [i, f] of fields.entries()) await writeChunk(arrays[i], coords, uhi[f]);
    });
  }
}

// The cell map of a chunk onto itself, built once per chunk size: building it per chunk (a callback per
// cell) took a tenth of the landing time of 3.2 MB chunks.
let identityCells = new Int32Array(0);
function identity(n: number): Int32Array {
  if (identityCells.length !== n) {
    identityCells = new Int32Array(n);
    for (let i = 0; i < n; i++) identityCells[i] = i;
  }
  return identityCells;
}
