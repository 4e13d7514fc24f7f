// Landing a temporary in-memory block of cells in the store. All fields of a chunk change under one
// lock (the lock of the chunk of the first field), so a reader of the store never pairs the values
// of one fill with the variances of another, and merges that are not plain sums (Mean) stay exact.
import * as fs from "node:fs";
import { identityMap } from "../hist/algorithm/remap.js";
import type { Storage } from "../storage/index.js";
import type { UhiStorageType } from "../uhi.js";
import { chunkElements, chunkKey, refreshArray, type StoredArray } from "./array.js";
import { copyBlock, gridPoints, isAllZero } from "./block.js";
import { corruptChunk, writeChunk } from "./chunks.js";
import { FrameError } from "./codec-jobs.js";
import { accumulateFrame, deltaBuffer, forEachBounded, frameBuffer, landingConcurrency, releaseDelta, releaseFrame } from "./codec-pool.js";
import { withLock } from "./lock.js";
import { commitTemp, tempPathOf } from "./store.js";
import { readChunkStorage } from "./out-of-core.js";

/**
 * Adds `block` (cells over `blockShape`, its corner at `origin` of the full arrays) into the store.
 * Several chunks land at once (started in C order of the chunk grid, each holding only its own lock),
 * and for storages whose merge is a plain sum per field (double, int, weighted) the fields of a chunk
 * are decoded, added and encoded concurrently by the codec workers (codec-pool.ts). Mean cells merge
 * on the calling thread. On an error no further chunk starts; the ones in flight complete.
 */
export async function accumulateStorage(
  arrays: readonly StoredArray[], fields: readonly string[], type: UhiStorageType,
  origin: readonly number[], block: Storage, blockShape: readonly number[],
): Promise<void> {
  const { chunkShape } = arrays[0];
  if (origin.some((o, a) => o + blockShape[a] > arrays[0].shape[a])) await Promise.all(arrays.map(refreshArray));
  const first = origin.map((o, a) => Math.floor(o / chunkShape[a]));
  const end = origin.map((o, a) => Math.ceil((o + blockShape[a]) / chunkShape[a]));
  const n = chunkElements(arrays[0]);
  const plainSum = type !== "mean";
  // Storage field feeding each stored array (by name: the order of `fields` is the store's).
  const source = fields.map((f) => block.fieldNames.indexOf(f));
  if (plainSum && source.some((i) => i < 0)) throw new Error(`accumulateStorage: fields [${fields}] are not all in a ${block.kind} storage`);
  await forEachBounded(gridPoints(first, end), landingConcurrency(), async (coords) => {
    const chunkStart = coords.map((c, a) => c * chunkShape[a]);
    const lo = chunkStart.map((s, a) => Math.max(s, origin[a]));
    const hi = chunkStart.map((s, a) => Math.min(s + chunkShape[a], origin[a] + blockShape[a]));
    const whole = lo.every((l, a) => l === chunkStart[a] && hi[a] === l + chunkShape[a]);
    // Plain sums: one delta per stored field, in recycled buffers (they travel to the codec workers).
    const meanDelta = plainSum ? null : block.like(n);
    const deltas = meanDelta ? meanDelta.fields : source.map(() => deltaBuffer(n, !whole));
    const from = plainSum ? source.map((f) => block.fields[f]) : block.fields;
    from.forEach((src, f) => copyBlock({
      src, srcShape: blockShape, srcOrigin: lo.map((l, a) => l - origin[a]),
      dst: deltas[f], dstShape: chunkShape, dstOrigin: lo.map((l, a) => l - chunkStart[a]),
      extent: hi.map((h, a) => h - lo[a]), mode: "set",
    }));
    if (deltas.every(isAllZero)) {
      if (plainSum) deltas.forEach(releaseDelta);
      return;
    }
    const lockTarget = arrays[0].store.pathOf(chunkKey(arrays[0], coords));
    await withLock(lockTarget, async () => {
      if (meanDelta) {
        const current = (await readChunkStorage(arrays, fields, type, coords)) ?? meanDelta.like(n);
        current.scatterAdd(meanDelta, identityMap(n, 0).to);
        const uhi = current.toUHI() as unknown as Record<string, Float64Array>;
        for (const [i, f] of fields.entries()) await writeChunk(arrays[i], coords, uhi[f]);
        return;
      }
      // Every field is read, coded and written to its temporary file (by the codec workers) before any
      // replaces its chunk; a corrupt one fails the chunk before a rename.
      const keys = arrays.map((a) => chunkKey(a, coords));
      const files = arrays.map((a, i) => a.store.pathOf(keys[i]));
      const temps = files.map(tempPathOf);
      const frames = await Promise.all(arrays.map((a, i) => a.store.getWith(keys[i], (size) => frameBuffer(size, n))));
      // A single field's chunk is renamed into place by the worker that wrote it (nothing to wait for).
      const single = arrays.length === 1 && !arrays[0].store.fsync;
      const sums = await Promise.allSettled(arrays.map((a, i) => accumulateFrame({
        frame: frames[i] ?? null, delta: deltas[i], codecs: a.codecs, missing: "zeros", cacheKey: files[i], temp: temps[i], fsync: a.store.fsync,
        target: single ? files[i] : undefined,
      }, true)));
      for (const r of sums) if (r.status === "fulfilled" && r.value) releaseFrame(r.value);
      const failed = sums.findIndex((r) => r.status === "rejected");
      if (failed >= 0) {
        for (const t of temps) fs.rmSync(t, { force: true });
        const err = (sums[failed] as PromiseRejectedResult).reason;
        throw err instanceof FrameError ? corruptChunk(arrays[failed], keys[failed], err) : err;
      }
      if (single) return;
      for (const [i, a] of arrays.entries()) {
        if ((sums[i] as PromiseFulfilledResult<Uint8Array | null>).value) await commitTemp(temps[i], files[i], a.store.fsync);
      }
    });
  });
}

