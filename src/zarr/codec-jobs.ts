// The CPU work of landing a delta in one chunk: decode the stored frame, add, encode. Pure and
// synchronous, so it runs the same in a codec worker (codec-worker.ts) or, without workers, on the
// calling thread (codec-pool.ts). File I/O and locks stay with the caller.
import { isAllZero } from "./block.js";
import { type ChunkCodecs, type ZstdBackend, decodeChunkInto, encodeChunkWith } from "./codec.js";

export interface AccumulateJob {
  /** The chunk's stored bytes, or null when it was never written. */
  frame: Uint8Array | null;
  /** The stored chunk already decoded (from the chunk cache): the frame is not decoded again. */
  decoded?: Float64Array | null;
  delta: Float64Array;
  codecs: ChunkCodecs;
  /**
   * What a missing chunk means: "delta" stores the delta itself (accumulateChunk), "zeros" stores
   * 0 + delta (the sum a zeroed storage gives: -0 becomes +0; accumulateStorage). With "delta", a
   * missing chunk and an all-zero delta write nothing (the result is null).
   */
  missing: "delta" | "zeros";
  /** Where to encode the frame (at least zstdCompressBound of the chunk's bytes), if at hand. */
  out?: Uint8Array;
  /** Where to put stored + delta (to keep it: the result's `sum`); otherwise a scratch buffer of the thread. */
  sumInto?: Float64Array;
}

export interface AccumulateResult {
  /** The new frame of the chunk, or null when nothing is to be written. */
  frame: Uint8Array | null;
  /** stored + delta, when it is in `decoded` or `sumInto` (not in the thread's scratch). */
  sum: Float64Array | null;
}

/** A chunk that does not decode: the caller names the chunk in the error. */
export class FrameError extends Error {}

// One decode buffer per thread, reused: a fresh multi-megabyte buffer per chunk costs its page faults
// every time (the allocator maps and unmaps buffers that large).
let scratch = new Float64Array(0);

/** The new frame of the chunk (stored + delta), and the sum when the caller gave a place for it. */
export function runAccumulate(job: AccumulateJob, zstd: ZstdBackend | null): AccumulateResult {
  const { delta, codecs } = job;
  const n = delta.length;
  let sum: Float64Array;
  if (job.decoded) {
    sum = job.decoded;
  } else {
    if (!job.sumInto && scratch.length !== n) scratch = new Float64Array(n);
    sum = job.sumInto ?? scratch;
    if (job.frame) {
      try {
        decodeChunkInto(job.frame, codecs, sum, zstd);
      } catch (err) {
        throw new FrameError((err as Error).message);
      }
    } else if (job.missing === "delta") {
      if (isAllZero(delta)) return { frame: null, sum: null };
      return { frame: encodeChunkWith(delta, codecs, zstd, job.out), sum: null };
    } else {
      sum.fill(0);
    }
  }
  // stored + delta, in that order (as the landing paths always added).
  for (let i = 0; i < n; i++) sum[i] += delta[i];
  return { frame: encodeChunkWith(sum, codecs, zstd, job.out), sum: sum === scratch ? null : sum };
}
