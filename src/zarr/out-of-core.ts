// Out-of-core algorithms on a stored histogram: every result is built chunk by chunk, so memory
// holds a few chunks per field (those in flight) plus the (small) result, whatever the size of the store.
import { type AxisMap, cellMap } from "../hist/algorithm/remap.js";
import { stridesOf } from "../hist/view.js";
import { DoubleStorage, Int64Storage, MeanStorage, type Storage, type StorageKind, WeightStorage, makeStorage, storageFromUHI } from "../storage/index.js";
import type { UhiStorage, UhiStorageType } from "../uhi.js";
import { chunkElements, chunkGridShape, chunkKey, type StoredArray } from "./array.js";
import { gridPoints } from "./block.js";
import { corruptChunk, readChunk } from "./chunks.js";
import { FrameError } from "./codec-jobs.js";
import { decodeConcurrency, decodeFrame, frameBuffer, releaseDecoded } from "./codec-pool.js";
import { yieldToEventLoop } from "./store.js";

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
 * One chunk of every field, decoded in the codec workers (decodeFrame): the frames are read here, one after
 * the other, and sent off as they come, all before this returns (no turn of the event loop in between, so
 * that the workers have them while the caller goes on adding). null for a field whose chunk was never
 * written. A frame that does not decode fails naming the chunk and its file, as readChunk does; the other
 * fields' buffers go back.
 */
function decodeChunkFields(arrays: readonly StoredArray[], coords: readonly number[], n: number): Promise<(Float64Array | null)[]> {
  const jobs: Promise<Float64Array | null>[] = [];
  let readError: { err: unknown } | null = null;
  for (const a of arrays) {
    const key = chunkKey(a, coords);
    try {
      const frame = a.store.getWithSync(key, (size) => frameBuffer(size, n));
      jobs.push(frame ? decodeFrame(frame, a.codecs, n).catch((err: Error) => Promise.reject(err instanceof FrameError ? corruptChunk(a, key, err) : err)) : Promise.resolve(null));
    } catch (err) {
      readError = { err };
      break;
    }
  }
  return settleChunk(jobs, readError);
}

async function settleChunk(jobs: Promise<Float64Array | null>[], readError: { err: unknown } | null): Promise<(Float64Array | null)[]> {
  const settled = await Promise.allSettled(jobs);
  const failed = readError ?? settled.map((r) => (r.status === "rejected" ? { err: r.reason as unknown } : null)).find((f) => f !== null);
  const out = settled.map((r) => (r.status === "fulfilled" ? r.value : null));
  if (!failed) return out;
  releaseChunk(out);
  throw failed.err;
}

function releaseChunk(fields: readonly (Float64Array | null)[]): void {
  for (const f of fields) if (f) releaseDecoded(f);
}

/**
 * cellMap of each chunk's maps as a map and an offset, reusing the last map: chunks that differ only along
 * axes one cell thick (typically the categorical ones) map their cells alike up to a constant offset of
 * the destination cell (cellMap costs several passes over the chunk). The offset is applied by adding
 * into a view of the destination that starts there (offsetView), so cell i lands in map[i] + offset: cell
 * indices are integers well below 2^53, so that is exactly the cell cellMap computes.
 */
class ChunkCellMaps {
  private inner: Float64Array | null = null;
  private innerTo: (Int32Array | null)[] = [];
  private innerAxes: (number | null)[] = [];
  private readonly strides: number[];

  constructor(private readonly dstExtents: readonly number[]) {
    this.strides = stridesOf(dstExtents);
  }

  of(m: readonly AxisMap[]): { map: Float64Array; offset: number } {
    // Axes one cell thick: each sends its one cell to a fixed destination index (chunkMaps left none at -1).
    let offset = 0;
    let reuse = this.inner !== null && this.innerTo.length === m.length;
    for (let k = 0; k < m.length; k++) {
      const { to, dstAxis } = m[k];
      if (to.length === 1) {
        if (dstAxis !== null) offset += to[0] * this.strides[dstAxis];
        reuse &&= this.innerTo[k] === null;
      } else {
        reuse &&= this.innerTo[k] !== null && this.innerAxes[k] === dstAxis && sameValues(this.innerTo[k]!, to);
      }
    }
    if (!reuse) {
      const flat = m.map(({ to, dstAxis }) => (to.length === 1 ? { to: new Int32Array(1), dstAxis } : { to, dstAxis }));
      this.inner = cellMap(flat, this.dstExtents);
      this.innerTo = m.map(({ to }) => (to.length === 1 ? null : to));
      this.innerAxes = m.map(({ dstAxis }) => dstAxis);
    }
    return { map: this.inner!, offset };
  }
}

/** The cells of `dst` from `offset` on, sharing its buffers: adding into cell j adds into cell offset + j. */
function offsetView(dst: Storage, offset: number): Storage {
  const f = dst.fields.map((a) => a.subarray(offset));
  switch (dst.kind) {
    case "double": return new DoubleStorage(f[0].length, f[0]);
    case "int64": return new Int64Storage(f[0].length, f[0]);
    case "weight": return new WeightStorage(f[0].length, f[0], f[1]);
    case "mean": return new MeanStorage(f[0].length, f);
  }
}

function sameValues(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The stored cells sent through per-axis maps (the plans of project, slice and sum) into a new
 * in-memory storage of `dstExtents`. Chunks that no map wants are skipped unread: a selection of one
 * category reads only that category's chunks; summing categorical axes reduces every chunk into one
 * accumulator (map-reduce).
 *
 * Pipelined: while this thread adds one chunk into the result, the next ones (at most
 * decodeConcurrency() decode jobs, one per field of a chunk) are read here and decoded in the codec
 * workers (on this thread when there are none: ZHIST_CODEC_WORKERS=0). Chunks are added in
 * the order of the chunk grid whatever order their decodes finish in, so that the result is
 * bit-identical to a sequential read (floating-point sums of chunks that land on the same cells,
 * e.g. a summed categorical axis, depend on their order). Memory: the chunks in flight, one being
 * added, and the result.
 */
export async function streamRemap(
  arrays: readonly StoredArray[], fields: readonly string[], type: UhiStorageType, shape: readonly number[],
  maps: readonly AxisMap[], dstExtents: readonly number[],
): Promise<Storage> {
  const dst = makeStorage(STORAGE_KIND[type], dstExtents.reduce((a, b) => a * b, 1));
  const cellMaps = new ChunkCellMaps(dstExtents);
  const { chunkShape } = arrays[0];
  const n = chunkElements(arrays[0]);
  const grid = chunkGridShape({ shape: [...shape], chunkShape });
  function* wanted(): Generator<{ coords: number[]; m: AxisMap[] }> {
    for (const coords of gridPoints(grid.map(() => 0), grid)) {
      const m = chunkMaps(maps, coords.map((c, k) => c * chunkShape[k]), chunkShape);
      if (m) yield { coords, m };
    }
  }
  const chunks = wanted();
  // Decode jobs in flight (one per field of a chunk) kept to decodeConcurrency(), so that the buffers in
  // circulation stay within what the pool recycles.
  const limit = Math.max(1, Math.floor(decodeConcurrency() / arrays.length));
  // In grid order: the head is added first, whichever decode finishes first.
  const inFlight: { m: AxisMap[]; fields: Promise<(Float64Array | null)[]> }[] = [];
  const topUp = () => {
    while (inFlight.length < limit) {
      const next = chunks.next();
      if (next.done) return;
      const fieldsOf = decodeChunkFields(arrays, next.value.coords, n);
      fieldsOf.catch(() => {}); // handled when it reaches the head (or drained on an earlier failure)
      inFlight.push({ m: next.value.m, fields: fieldsOf });
    }
  };
  try {
    topUp();
    while (inFlight.length > 0) {
      const head = inFlight.shift()!;
      const decoded = await head.fields;
      topUp(); // the next chunk is read and decoding while this one is added
      if (decoded.every((c) => c === null)) continue;
      const uhi: Record<string, unknown> = { type };
      fields.forEach((f, i) => { uhi[f] = decoded[i] ?? new Float64Array(n); });
      const cm = cellMaps.of(head.m);
      const into = cm.offset === 0 ? dst : offsetView(dst, cm.offset);
      into.scatterAdd(storageFromUHI(uhi as unknown as UhiStorage), cm.map);
      if (!into.varianceKnown) dst.varianceKnown = false;
      releaseChunk(decoded); // the chunk's storage is dropped: its buffers serve the next chunks
      await yieldToEventLoop(); // as store.get does: timers and events run during a long read (the reads here do not yield)
    }
  } catch (err) {
    // No further chunk starts; the ones in flight finish and give their buffers back.
    for (const rest of inFlight.splice(0)) await rest.fields.then(releaseChunk, () => {});
    throw err;
  }
  return dst;
}
