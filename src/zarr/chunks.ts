// Out-of-core primitives over one stored float64 array: read a chunk, add into a chunk under
// its lock, spread a dense block over the chunks it overlaps, and move a whole array in and
// out of memory (chunk by chunk, all-zero chunks never written).
import * as fs from "node:fs";
import { chunkElements, chunkGridShape, chunkKey, refreshArray, type StoredArray } from "./array.js";
import { copyBlock, gridPoints, isAllZero } from "./block.js";
import { decodeChunk, encodeChunk } from "./codec.js";
import { withLock, type LockOptions } from "./lock.js";
import { FrameError } from "./codec-jobs.js";
import { accumulateFrame, deltaBuffer, forEachBounded, frameBuffer, landingConcurrency, releaseDelta, releaseFrame } from "./codec-pool.js";
import { commitTemp, tempPathOf } from "./store.js";

export class CorruptChunkError extends Error {}

/** Decoded chunk, or null when it was never written (every bin of it is 0). */
export async function readChunk(array: StoredArray, chunkCoords: readonly number[]): Promise<Float64Array | null> {
  const key = chunkKey(array, chunkCoords);
  const bytes = await array.store.get(key);
  if (!bytes) return null;
  try {
    return await decodeChunk(bytes, array.codecs, chunkElements(array));
  } catch (err) {
    throw corruptChunk(array, key, err as Error);
  }
}

/** Write a whole chunk, no lock: for single writers that own the chunk (e.g. writeArray). */
export async function writeChunk(array: StoredArray, chunkCoords: readonly number[], data: Float64Array): Promise<void> {
  checkChunkLength(array, data);
  await array.store.set(chunkKey(array, chunkCoords), await encodeChunk(data, array.codecs));
}

/**
 * chunk += delta, safe against concurrent accumulators in other threads and processes: the
 * chunk's lock is held from read to atomic rename, so no update is lost. If the existing
 * chunk is corrupt this throws before writing anything, leaving the stored bytes as they are.
 * The decode, add and encode run in a codec worker when there is one (codec-pool.ts).
 */
export async function accumulateChunk(
  array: StoredArray,
  chunkCoords: readonly number[],
  delta: Float64Array,
  lockOptions?: LockOptions,
): Promise<void> {
  checkChunkLength(array, delta);
  await ensureInBounds(array, chunkCoords);
  await landChunk(array, chunkCoords, delta, false, lockOptions);
}

/** The locked read-add-write of one chunk; `owned` lets the delta's buffer move to a worker. */
async function landChunk(array: StoredArray, chunkCoords: readonly number[], delta: Float64Array, owned: boolean, lockOptions?: LockOptions): Promise<void> {
  const key = chunkKey(array, chunkCoords);
  await withLock(
    array.store.pathOf(key),
    async () => {
      const n = delta.length;
      const frame = (await array.store.getWith(key, (size) => frameBuffer(size, n))) ?? null;
      const file = array.store.pathOf(key);
      const temp = tempPathOf(file);
      let sum: Uint8Array | null;
      try {
        sum = await accumulateFrame({ frame, delta, codecs: array.codecs, missing: "delta", cacheKey: file, temp, fsync: array.store.fsync, target: file }, owned);
      } catch (err) {
        fs.rmSync(temp, { force: true });
        throw err instanceof FrameError ? corruptChunk(array, key, err) : err;
      }
      if (!sum) return; // zeros into a chunk never written
      releaseFrame(sum);
      if (array.store.fsync) await commitTemp(temp, file, true); // else renamed where it was written
    },
    lockOptions,
  );
}

export function corruptChunk(array: StoredArray, key: string, err: Error): CorruptChunkError {
  return new CorruptChunkError(
    `corrupt chunk ${key.slice(array.path.length + 1)} of array ${array.path} in store ${array.store.root} (${array.store.pathOf(key)}): ${err.message}`,
  );
}

/**
 * Add a dense block (C order, shape `blockShape`) whose corner sits at `origin` in the full
 * array into every chunk it overlaps. This is how a fill lands a small temporary histogram,
 * e.g. the slab of one categorical key: origin has the key's index on the category axis.
 * Chunks whose share of the block is all zero are skipped entirely. Several chunks land at once
 * (each under its own lock, one lock held per chunk, started in C order of the chunk grid) while
 * codec workers decode, add and encode them; on an error no further chunk starts, the ones in
 * flight complete, and the first error is thrown.
 */
export async function accumulateRegion(
  array: StoredArray,
  origin: readonly number[],
  block: Float64Array,
  blockShape: readonly number[],
  lockOptions?: LockOptions,
): Promise<void> {
  const ndim = array.chunkShape.length;
  if (origin.length !== ndim || blockShape.length !== ndim) {
    throw new Error(`accumulateRegion on ${array.path}: origin/blockShape need ${ndim} axes`);
  }
  if (block.length !== blockShape.reduce((n, e) => n * e, 1)) {
    throw new Error(`accumulateRegion on ${array.path}: block has ${block.length} values, shape ${blockShape} needs more or fewer`);
  }
  if (origin.some((o, a) => o < 0 || o + blockShape[a] > array.shape[a])) await refreshArray(array);
  origin.forEach((o, a) => {
    if (o < 0 || o + blockShape[a] > array.shape[a]) {
      throw new RangeError(`accumulateRegion on ${array.path}: block [${origin}]+[${blockShape}] exceeds shape [${array.shape}]`);
    }
  });
  const { chunkShape } = array;
  const firstChunk = origin.map((o, a) => Math.floor(o / chunkShape[a]));
  const endChunk = origin.map((o, a) => Math.ceil((o + blockShape[a]) / chunkShape[a]));
  await forEachBounded(gridPoints(firstChunk, endChunk), landingConcurrency(), async (coords) => {
    const chunkStart = coords.map((c, a) => c * chunkShape[a]);
    const lo = chunkStart.map((s, a) => Math.max(s, origin[a]));
    const hi = chunkStart.map((s, a) => Math.min(s + chunkShape[a], origin[a] + blockShape[a]));
    const whole = lo.every((l, a) => l === chunkStart[a] && hi[a] === l + chunkShape[a]);
    const delta = deltaBuffer(chunkElements(array), !whole);
    copyBlock({
      src: block, srcShape: blockShape, srcOrigin: lo.map((l, a) => l - origin[a]),
      dst: delta, dstShape: chunkShape, dstOrigin: lo.map((l, a) => l - chunkStart[a]),
      extent: hi.map((h, a) => h - lo[a]), mode: "set",
    });
    if (isAllZero(delta)) {
      releaseDelta(delta);
      return;
    }
    await landChunk(array, coords, delta, true, lockOptions);
  });
}

/** Whole array in memory, C order, over `shape` (default: the array's; may be smaller). */
export async function readArray(array: StoredArray, shape: readonly number[] = array.shape): Promise<Float64Array> {
  const out = new Float64Array(shape.reduce((n, e) => n * e, 1));
  const grid = chunkGridShape({ shape: [...shape], chunkShape: array.chunkShape });
  for (const coords of gridPoints(grid.map(() => 0), grid)) {
    const chunk = await readChunk(array, coords);
    if (!chunk) continue;
    const start = coords.map((c, a) => c * array.chunkShape[a]);
    copyBlock({
      src: chunk, srcShape: array.chunkShape, srcOrigin: start.map(() => 0),
      dst: out, dstShape: shape, dstOrigin: start,
      extent: start.map((s, a) => Math.min(array.chunkShape[a], shape[a] - s)), mode: "set",
    });
  }
  return out;
}

/**
 * Write a whole in-memory array chunk by chunk, skipping chunks that are all zero. `fresh`: the array
 * has no chunk files yet, so a zero chunk has no old file to remove (an unlink per chunk: 17,000 of
 * them took 3 s for a new analysis store).
 */
export async function writeArray(array: StoredArray, data: Float64Array, fresh = false): Promise<void> {
  const grid = chunkGridShape(array);
  for (const coords of gridPoints(grid.map(() => 0), grid)) {
    const start = coords.map((c, a) => c * array.chunkShape[a]);
    const chunk = new Float64Array(chunkElements(array));
    copyBlock({
      src: data, srcShape: array.shape, srcOrigin: start,
      dst: chunk, dstShape: array.chunkShape, dstOrigin: start.map(() => 0),
      extent: start.map((s, a) => Math.min(array.chunkShape[a], array.shape[a] - s)), mode: "set",
    });
    if (isAllZero(chunk)) {
      if (!fresh) await array.store.delete(chunkKey(array, coords)); // a rewrite must not leave old bins behind
      continue;
    }
    await writeChunk(array, coords, chunk);
  }
}

function checkChunkLength(array: StoredArray, data: Float64Array): void {
  const expected = chunkElements(array);
  if (data.length !== expected) {
    throw new Error(`chunk of ${array.path} needs ${expected} values (chunk shape [${array.chunkShape}]), got ${data.length}`);
  }
}

async function ensureInBounds(array: StoredArray, chunkCoords: readonly number[]): Promise<void> {
  const outside = () => chunkCoords.length !== array.shape.length || chunkCoords.some((c, a) => c < 0 || c >= chunkGridShape(array)[a]);
  if (!outside()) return;
  await refreshArray(array); // another writer may have grown a category since we opened it
  if (outside()) {
    throw new RangeError(`chunk [${chunkCoords}] is outside array ${array.path} of shape [${array.shape}] (chunks [${array.chunkShape}])`);
  }
}
