// Adding one stored histogram into another chunk by chunk (StoredHist.addStored, `zhist merge`):
// only the chunks the source ever wrote are read, each is remapped (category indices of the source
// to the destination's) and landed with accumulateStorage under the destination chunk's lock. Memory
// holds a few chunks (those in flight), whatever the size of either histogram.
import * as fs from "node:fs";
import * as path from "node:path";
import type { UhiStorageType } from "../uhi.js";
import { chunkGridShape, joinKey, type StoredArray } from "./array.js";
import { accumulateStorage } from "./accumulate.js";
import { copyBlock, gridPoints } from "./block.js";
import { forEachBounded, landingConcurrency } from "./codec-pool.js";
import { readChunkStorage } from "./out-of-core.js";

export interface ChunkedStorage {
  arrays: readonly StoredArray[];
  fields: readonly string[];
  type: UhiStorageType;
}

/** A run of consecutive source indices on one axis that land on consecutive destination indices. */
interface Run { src: number; dst: number; len: number }

/**
 * Adds every written chunk of `src` (cells over `srcExtents`, the extents of its axes) into `dst`.
 * `maps[k][i]` is the destination index of source index i on axis k, or -1 for a cell that lands
 * nowhere. Where the chunk shapes agree and each chunk maps onto one destination box (equal dense
 * axes, chunk size 1 on categories), a source chunk is landed as it was read; otherwise (other chunk
 * shapes, scattered categories within a chunk, edge chunks) it is cut into the boxes that map
 * contiguously, which accumulateStorage spreads over the destination chunks they overlap.
 */
export async function addStoredChunks(dst: ChunkedStorage, src: ChunkedStorage, srcExtents: readonly number[], maps: readonly Int32Array[]): Promise<void> {
  if (dst.type !== src.type) throw new TypeError(`cannot add ${src.type} storage into ${dst.type} storage`);
  const { chunkShape } = src.arrays[0];
  const grid = chunkGridShape({ shape: [...srcExtents], chunkShape });
  const land = async (coords: number[]) => {
    const start = coords.map((c, k) => c * chunkShape[k]);
    const extent = start.map((s, k) => Math.min(chunkShape[k], srcExtents[k] - s));
    if (extent.some((e) => e <= 0)) return;
    const runs = extent.map((e, k) => axisRuns(maps[k], start[k], e));
    if (runs.some((r) => r.length === 0)) return; // nothing of this chunk lands anywhere: not even read
    const chunk = await readChunkStorage(src.arrays, src.fields, src.type, coords);
    if (!chunk) return;
    for (const pick of gridPoints(runs.map(() => 0), runs.map((r) => r.length))) {
      const parts = pick.map((p, k) => runs[k][p]);
      const origin = parts.map((r) => r.dst);
      if (parts.every((r, k) => r.src === start[k] && r.len === chunkShape[k])) {
        await accumulateStorage(dst.arrays, dst.fields, dst.type, origin, chunk, chunkShape);
        continue;
      }
      const shape = parts.map((r) => r.len);
      const block = chunk.like(shape.reduce((n, e) => n * e, 1));
      chunk.fields.forEach((f, i) => copyBlock({
        src: f, srcShape: chunkShape, srcOrigin: parts.map((r, k) => r.src - start[k]),
        dst: block.fields[i], dstShape: shape, dstOrigin: shape.map(() => 0), extent: shape, mode: "set",
      }));
      await accumulateStorage(dst.arrays, dst.fields, dst.type, origin, block, shape);
    }
  };
  // A few source chunks at once (each also lands its destination chunks concurrently).
  const lanes = Math.max(1, Math.ceil(landingConcurrency() / 2));
  for await (const batch of writtenChunks(src.arrays, grid)) await forEachBounded(batch, lanes, land);
}

/** The source indices [start, start + length) of one axis cut into runs that land contiguously. */
function axisRuns(to: Int32Array, start: number, length: number): Run[] {
  const runs: Run[] = [];
  let run: Run | null = null;
  for (let i = start; i < start + length; i++) {
    const d = to[i];
    if (d < 0) {
      run = null;
    } else if (run && d === run.dst + run.len) {
      run.len++;
    } else {
      run = { src: i, dst: d, len: 1 };
      runs.push(run);
    }
  }
  return runs;
}

/**
 * The coordinates of the chunks that have a file in any of the arrays (a field's chunk may be
 * missing where its cells are all zero), within `grid`, in C order: one batch per directory of the
 * innermost axis, so a store of many chunks is never listed at once. Chunks never written are zero
 * and are not visited; temporaries and locks beside the chunk files are not chunk names.
 */
export async function* writtenChunks(arrays: readonly StoredArray[], grid: readonly number[]): AsyncGenerator<number[][]> {
  if (arrays.every((a) => a.separator === ".")) {
    yield* writtenFlatChunks(arrays, grid);
    return;
  }
  const roots = arrays.map((a) => a.store.pathOf(joinKey(a.path, "c")));
  const ndim = grid.length;
  if (ndim === 0) {
    if (roots.some((r) => fs.existsSync(r))) yield [[]];
    return;
  }
  async function* walk(prefix: number[]): AsyncGenerator<number[][]> {
    const level = prefix.length;
    const found = new Set<number>();
    for (const root of roots) {
      let entries: string[];
      try {
        entries = await fs.promises.readdir(path.join(root, ...prefix.map(String)));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") continue;
        throw err;
      }
      for (const e of entries) {
        if (!/^\d+$/.test(e)) continue;
        const i = Number(e);
        if (i < grid[level]) found.add(i);
      }
    }
    const sorted = [...found].sort((a, b) => a - b);
    if (level === ndim - 1) {
      if (sorted.length) yield sorted.map((i) => [...prefix, i]);
      return;
    }
    for (const i of sorted) yield* walk([...prefix, i]);
  }
  yield* walk([]);
}

/** writtenChunks for arrays whose chunk files sit beside their zarr.json (`c.i.j`): one listing each. */
async function* writtenFlatChunks(arrays: readonly StoredArray[], grid: readonly number[]): AsyncGenerator<number[][]> {
  const found = new Map<string, number[]>();
  for (const a of arrays) {
    let entries: string[];
    try {
      entries = await fs.promises.readdir(a.store.pathOf(a.path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw err;
    }
    for (const e of entries) {
      if (e !== "c" && !e.startsWith("c.")) continue;
      const coords = e === "c" ? [] : e.slice(2).split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
      if (coords.length !== grid.length || coords.some((c, k) => !(c < grid[k]))) continue; // not a chunk name (a lock, a temporary)
      found.set(coords.join("."), coords);
    }
  }
  const sorted = [...found.values()].sort((x, y) => {
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return x[k] - y[k];
    return 0;
  });
  // In batches of one row of the innermost axis, as the nested walk gives them.
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[j].slice(0, -1).every((c, k) => c === sorted[i][k])) j++;
    yield sorted.slice(i, j);
    i = j;
  }
}
