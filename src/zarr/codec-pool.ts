// A small pool of codec worker threads for chunk landing: the caller reads the stored frame and holds
// the chunk's lock; a worker decodes (unless the chunk cache has the chunk), adds the delta, encodes
// (codec-jobs.ts) and writes the new frame to a temporary file; the caller renames it into place.
// Out-of-core reads (out-of-core.ts) send decode jobs: a frame in, the decoded chunk back (decodeFrame).
// Buffers are transferred, not copied. Workers start lazily on the first job, are unref'd while idle
// (they never keep a process alive), and when they cannot run (no worker file, a failed start,
// ZHIST_CODEC_WORKERS=0, a single core) the same job runs synchronously on the calling thread.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type ChunkCodecs, decodeChunkInto, zstdBackend, zstdCompressBound } from "./codec.js";
import { type AccumulateJob, type AccumulateResult, FrameError, runAccumulate } from "./codec-jobs.js";
import { ChunkCache, chunkCacheBudget } from "./chunk-cache.js";
import { writeTemp } from "./store.js";

export interface WorkerRequest {
  id: number;
  frame: ArrayBuffer | null;
  frameOffset: number;
  frameLength: number;
  delta: ArrayBuffer;
  deltaOffset: number;
  deltaLength: number;
  codecs: ChunkCodecs;
  missing: AccumulateJob["missing"];
  /** A buffer to encode into; it comes back as the frame or among the spares. */
  out: ArrayBuffer | null;
  /** The stored chunk decoded (sumValid) or room for stored + delta; it comes back as the sum. */
  sum: ArrayBuffer | null;
  sumOffset: number;
  sumLength: number;
  sumValid: boolean;
  /** Where to write the new frame (a temporary file the caller renames), if the worker is to write it. */
  temp: string | null;
  fsync: boolean;
  /** The chunk's file, if the worker is also to rename the temporary file over it. */
  target: string | null;
}

/** A decode job: `frame` decoded into `out` (room for `elements` float64), both buffers transferred. */
export interface DecodeRequest {
  id: number;
  decode: true;
  frame: ArrayBuffer;
  frameOffset: number;
  frameLength: number;
  codecs: ChunkCodecs;
  out: ArrayBuffer;
  elements: number;
}

type SumPart = { sum: null } | { sum: ArrayBuffer; sumOffset: number; sumLength: number };

export type WorkerReply =
  | { id: number; ready: string }
  | { id: number; error: string; frameError: false }
  | ({ id: number; frame: null; spares: ArrayBuffer[] } & SumPart)
  | ({ id: number; frame: ArrayBuffer; frameOffset: number; frameLength: number; spares: ArrayBuffer[] } & SumPart)
  | { id: number; error: string; frameError: boolean; spares: ArrayBuffer[] }
  | { id: number; decoded: ArrayBuffer; elements: number; spares: ArrayBuffer[] };

interface Pending {
  resolve(result: AccumulateResult | Float64Array): void;
  reject(err: Error): void;
}

class CodecWorker {
  readonly worker: Worker;
  readonly pending = new Map<number, Pending>();
  readonly ready: Promise<boolean>;

  constructor(onDead: (w: CodecWorker) => void) {
    this.worker = new Worker(new URL("./codec-worker.js", import.meta.url));
    let started: (ok: boolean) => void;
    this.ready = new Promise((r) => (started = r));
    this.worker.on("message", (reply: WorkerReply) => {
      if (reply.id === -1 || "ready" in reply) {
        // Ref'd while starting (someone awaits it), idle from here: it must not keep the process alive.
        // (Not unref'd before the listeners were added: a "message" listener refs the worker again.)
        this.worker.unref();
        started("ready" in reply);
        return;
      }
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if ("spares" in reply) reply.spares.forEach(recycleBuffer);
      if ("error" in reply) {
        p.reject(reply.frameError ? new FrameError(reply.error) : new Error(reply.error));
        return;
      }
      if ("decoded" in reply) {
        p.resolve(new Float64Array(reply.decoded, 0, reply.elements));
        return;
      }
      if (!("frame" in reply)) return;
      const sum = reply.sum ? new Float64Array(reply.sum, reply.sumOffset, reply.sumLength) : null;
      p.resolve({ frame: reply.frame === null ? null : new Uint8Array(reply.frame, reply.frameOffset, reply.frameLength), sum });
    });
    const fail = (err: Error) => {
      started(false);
      onDead(this);
      for (const p of this.pending.values()) p.reject(new Error(`codec worker failed: ${err.message}`));
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`exited with code ${code}`)));
  }

  run<T extends AccumulateResult | Float64Array>(id: number, req: WorkerRequest | DecodeRequest, transfer: ArrayBuffer[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending["resolve"], reject });
      this.worker.ref(); // a job in flight keeps the process alive until its answer
      this.worker.postMessage(req, transfer);
    });
  }
}

// Buffers come back from the workers and serve the next chunks (deltas, frames read, frames encoded):
// a fresh multi-megabyte buffer costs its page faults every time (measured: 1.9 ms to allocate and fill
// 3.2 MB, 0.15 ms to zero and fill a reused one). All have the capacity of a chunk's worst-case frame.
const spareBuffers: ArrayBuffer[] = [];
const MAX_SPARE = 12;
// Spares are dropped after a quiet spell, so an idle process does not keep tens of megabytes.
const SPARE_IDLE_MS = 2000;
let dropSpares: NodeJS.Timeout | null = null;

/** Capacity of the buffers for chunks of `n` float64: room for the delta and for any frame of it. */
function capacity(n: number): number {
  return Math.ceil(zstdCompressBound(n * 8) / 8) * 8;
}

function takeBuffer(bytes: number): ArrayBuffer | null {
  const i = spareBuffers.findIndex((b) => b.byteLength === bytes);
  return i < 0 ? null : spareBuffers.splice(i, 1)[0];
}

function recycleBuffer(buffer: ArrayBuffer | SharedArrayBuffer): void {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < 4096 || spareBuffers.includes(buffer)) return;
  if (spareBuffers.length >= MAX_SPARE) spareBuffers.shift(); // the oldest goes: sizes in use stay
  spareBuffers.push(buffer);
  if (dropSpares) dropSpares.refresh();
  else {
    dropSpares = setTimeout(() => {
      spareBuffers.length = 0;
      dropSpares = null;
    }, SPARE_IDLE_MS);
    dropSpares.unref();
  }
}

/** A Float64Array of `n` values for a delta given to accumulateFrame(…, true): zeroed unless `zero` is false. */
export function deltaBuffer(n: number, zero = true): Float64Array {
  const spare = takeBuffer(capacity(n));
  if (!spare) return new Float64Array(new ArrayBuffer(capacity(n)), 0, n);
  const out = new Float64Array(spare, 0, n);
  if (zero) out.fill(0);
  return out;
}

/** Room to read a stored frame of `size` bytes of a chunk of `n` values into (a recycled buffer when it fits). */
export function frameBuffer(size: number, n: number): Uint8Array {
  const spare = size <= capacity(n) ? takeBuffer(capacity(n)) : null;
  return spare ? new Uint8Array(spare, 0, size) : new Uint8Array(size);
}

/** Give back a delta that was not sent (e.g. all zero), or a frame once written. */
export function releaseDelta(data: Float64Array | Uint8Array): void {
  recycleBuffer(data.buffer);
}
export const releaseFrame = releaseDelta;

/** Workers wanted: ZHIST_CODEC_WORKERS, else up to 2 when there are several cores (0 = none). */
export function codecWorkerCount(): number {
  const env = process.env.ZHIST_CODEC_WORKERS;
  if (env !== undefined && env !== "") {
    const n = Number(env);
    if (Number.isInteger(n) && n >= 0) return Math.min(n, 16);
  }
  const cores = availableParallelism();
  return cores > 1 ? Math.min(2, cores) : 0;
}

let workers: CodecWorker[] | null = null;
let starting: Promise<CodecWorker[]> | null = null;
let nextId = 0;

/** The codec workers, started on first use (none where they cannot run: jobs then run on this thread). */
async function workerPool(): Promise<CodecWorker[]> {
  if (workers) return workers;
  starting ??= startWorkers();
  return starting;
}

function leastBusy(pool: CodecWorker[]): CodecWorker {
  let w = pool[0];
  for (const c of pool) if (c.pending.size < w.pending.size) w = c;
  return w;
}

async function startWorkers(): Promise<CodecWorker[]> {
  const n = codecWorkerCount();
  const all: CodecWorker[] = [];
  const drop = (w: CodecWorker) => {
    const i = workers?.indexOf(w) ?? -1;
    if (i >= 0) workers!.splice(i, 1);
  };
  for (let i = 0; i < n; i++) {
    try {
      all.push(new CodecWorker(drop));
    } catch {
      break; // no worker threads here: the synchronous path serves
    }
  }
  const ok = await Promise.all(all.map((w) => w.ready));
  const live = all.filter((w, i) => ok[i]);
  for (const w of all) if (!live.includes(w)) void w.worker.terminate();
  workers = live;
  return live;
}

/** Jobs that may usefully be in flight at once: enough to keep every worker busy while the caller does I/O. */
export function landingConcurrency(): number {
  const n = codecWorkerCount();
  return n === 0 ? 1 : 2 * n;
}

export interface LandingOptions {
  cacheKey?: string;
  temp?: string;
  fsync?: boolean;
  /** With temp (and no fsync): the new frame also replaces this file (the chunk's), renamed by the worker. */
  target?: string;
}

// Decoded chunks this thread wrote last (chunk-cache.ts): their buffers come back to the spares.
let cache: ChunkCache | null = null;
function chunkCache(): ChunkCache | null {
  const budget = chunkCacheBudget();
  if (cache?.budget !== budget) {
    cache?.clear();
    cache = budget > 0 ? new ChunkCache(budget, (d, f) => {
      if (d) recycleBuffer(d.buffer);
      if (f) recycleBuffer(f.buffer);
    }, copyFrame) : null;
  }
  return cache;
}

// A frame kept by the cache: in a recycled chunk-sized buffer when it fills more than half of one (a fresh
// multi-megabyte buffer costs its page faults), else in a buffer of its own size.
function copyFrame(frame: Uint8Array, decoded: Float64Array): Uint8Array {
  const cap = capacity(decoded.length);
  const spare = frame.byteLength > cap / 2 ? takeBuffer(cap) : null;
  if (!spare) return frame.slice();
  const out = new Uint8Array(spare, 0, frame.byteLength);
  out.set(frame);
  return out;
}

/** This thread's chunk cache, for tests and benches (null when ZHIST_CHUNK_CACHE_MB is 0). */
export function currentChunkCache(): ChunkCache | null {
  return chunkCache();
}

/**
 * The new frame of a chunk: `frame` (its stored bytes, or null) plus `delta`, encoded with `codecs`;
 * null when nothing is to be written. With `transfer`, the buffers of frame and delta move to the worker
 * (the caller must not use them afterwards); without it, delta is copied. A frame that does not decode
 * rejects with a FrameError. With `cacheKey` (the chunk's file), the sum is kept in the chunk cache, and a
 * frame that is the one last written there is not decoded again. With `temp`, the new frame is also
 * written to that temporary file (by the worker, beside the coding), for the caller to rename or remove.
 */
export async function accumulateFrame(job: AccumulateJob & LandingOptions, transfer: boolean): Promise<Uint8Array | null> {
  const pool = await workerPool();
  const n = job.delta.length;
  const cap = capacity(n);
  const memo = job.cacheKey ? chunkCache() : null;
  let { frame, delta } = job;
  const decoded = memo && frame ? memo.take(job.cacheKey!, frame) : null;
  if (decoded && frame) {
    if (transfer) releaseFrame(frame);
    frame = null; // not needed: the worker adds into the decoded chunk
  }
  // With fsync the caller renames (after syncing); otherwise the writer of the temporary file renames it.
  const target = job.fsync ? null : (job.target ?? null);
  const sumInto = memo && !decoded ? deltaBuffer(n, false) : null;
  const sumBuffer = decoded ?? sumInto;
  const remember = (r: AccumulateResult): Uint8Array | null => {
    if (r.sum && r.frame && memo) memo.put(job.cacheKey!, r.frame, r.sum);
    else if (r.sum) recycleBuffer(r.sum.buffer);
    return r.frame;
  };
  if (pool.length === 0) {
    const spare = takeBuffer(cap);
    const out = runAccumulate({ ...job, frame, decoded, sumInto: sumInto ?? undefined, out: spare ? new Uint8Array(spare) : undefined }, job.codecs.zstd ? await zstdBackend() : null);
    if (out.frame && job.temp) writeTemp(job.temp, out.frame, job.fsync, target ?? undefined);
    if (spare && out.frame?.buffer !== spare) recycleBuffer(spare);
    if (sumInto && !out.sum) recycleBuffer(sumInto.buffer);
    if (transfer) {
      releaseDelta(job.delta);
      if (frame) releaseFrame(frame);
    }
    return remember(out);
  }
  const w = leastBusy(pool);
  if (frame && (frame.byteLength < 4096 || frame.buffer instanceof SharedArrayBuffer)) frame = frame.slice(); // pooled small buffers are shared
  if (!transfer || delta.buffer instanceof SharedArrayBuffer) {
    const copy = deltaBuffer(delta.length, false);
    copy.set(delta);
    delta = copy;
  }
  const out = takeBuffer(cap) ?? new ArrayBuffer(cap);
  const transferList = [delta.buffer as ArrayBuffer, out];
  if (frame && frame.buffer !== delta.buffer) transferList.push(frame.buffer as ArrayBuffer);
  if (sumBuffer) transferList.push(sumBuffer.buffer as ArrayBuffer);
  const id = nextId++;
  return remember(await w.run<AccumulateResult>(id, {
    id,
    frame: frame ? (frame.buffer as ArrayBuffer) : null, frameOffset: frame?.byteOffset ?? 0, frameLength: frame?.byteLength ?? 0,
    delta: delta.buffer as ArrayBuffer, deltaOffset: delta.byteOffset, deltaLength: delta.length,
    codecs: job.codecs, missing: job.missing, out,
    sum: sumBuffer ? (sumBuffer.buffer as ArrayBuffer) : null, sumOffset: sumBuffer?.byteOffset ?? 0, sumLength: sumBuffer?.length ?? 0, sumValid: decoded !== null,
    temp: job.temp ?? null, fsync: job.fsync ?? false, target,
  }, transferList));
}

/**
 * The chunk of `elements` float64 that `frame` (a stored chunk's bytes) encodes, decoded in a codec worker
 * when there is one, else on this thread. The frame's buffer moves to the worker and is recycled: the
 * caller must not use it afterwards. The result lives in a recycled buffer: give it back with
 * releaseDecoded once done. A frame that does not decode (or decodes to another length) rejects with a
 * FrameError, for the caller to name the chunk (corruptChunk).
 */
export async function decodeFrame(frame: Uint8Array, codecs: ChunkCodecs, elements: number): Promise<Float64Array> {
  const pool = await workerPool();
  if (pool.length === 0) {
    const zstd = codecs.zstd ? await zstdBackend() : null;
    const out = deltaBuffer(elements, false);
    try {
      decodeChunkInto(frame, codecs, out, zstd);
    } catch (err) {
      recycleBuffer(out.buffer);
      throw new FrameError((err as Error).message);
    } finally {
      releaseFrame(frame);
    }
    return out;
  }
  const w = leastBusy(pool);
  if (frame.byteLength < 4096 || frame.buffer instanceof SharedArrayBuffer) {
    // Pooled small buffers are shared: a copy moves. A chunk-sized spare the frame was read into stays here.
    const own = frame.slice();
    if (frame.buffer.byteLength === capacity(elements)) recycleBuffer(frame.buffer);
    frame = own;
  }
  const out = deltaBuffer(elements, false);
  const id = nextId++;
  return w.run<Float64Array>(id, {
    id, decode: true,
    frame: frame.buffer as ArrayBuffer, frameOffset: frame.byteOffset, frameLength: frame.byteLength,
    codecs, out: out.buffer as ArrayBuffer, elements,
  }, [frame.buffer as ArrayBuffer, out.buffer as ArrayBuffer]);
}

/** Give back a chunk decodeFrame returned, once nothing refers to it any more. */
export const releaseDecoded = releaseDelta;

/** Decode jobs worth keeping in flight: every worker busy, one queued behind each; 1 without workers. */
export const decodeConcurrency = landingConcurrency;

/**
 * Run `task` over `items` with at most `limit` in flight, started in the order given. After the first
 * failure no new task starts; the ones in flight finish (each is atomic on its own), then it rethrows.
 */
export async function forEachBounded<T>(items: Iterable<T>, limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const it = items[Symbol.iterator]();
  let failed: { err: unknown } | null = null;
  const lane = async () => {
    for (;;) {
      if (failed) return;
      const next = it.next();
      if (next.done) return;
      try {
        await task(next.value);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, lane));
  if (failed) throw (failed as { err: unknown }).err;
}
