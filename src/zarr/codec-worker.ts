// A codec worker thread (codec-pool.ts starts them): runs accumulate jobs (decode + add + encode of one
// chunk, and the write of its temporary file) off the main thread, so that chunks are coded and written on
// every core while the caller reads, locks and renames.
import { parentPort } from "node:worker_threads";
import { type ZstdBackend, decodeChunkInto, zstdBackend } from "./codec.js";
import { FrameError, runAccumulate } from "./codec-jobs.js";
import type { DecodeRequest, WorkerReply, WorkerRequest } from "./codec-pool.js";
import { writeTemp } from "./store.js";

const port = parentPort!;
let zstd: ZstdBackend | null = null;
try {
  zstd = await zstdBackend();
  port.postMessage({ id: -1, ready: zstd.name } satisfies WorkerReply);
} catch (err) {
  port.postMessage({ id: -1, error: (err as Error).message, frameError: false } satisfies WorkerReply);
}

// A decode job (out-of-core reads): the frame comes back as a spare, the chunk in the buffer sent for it.
function decode(req: DecodeRequest): void {
  const out = new Float64Array(req.out, 0, req.elements);
  try {
    decodeChunkInto(new Uint8Array(req.frame, req.frameOffset, req.frameLength), req.codecs, out, zstd);
  } catch (err) {
    const spares = [req.frame, req.out];
    port.postMessage({ id: req.id, error: (err as Error).message, frameError: true, spares } satisfies WorkerReply, spares);
    return;
  }
  port.postMessage({ id: req.id, decoded: req.out, elements: req.elements, spares: [req.frame] } satisfies WorkerReply, [req.out, req.frame]);
}

port.on("message", (req: WorkerRequest | DecodeRequest) => {
  if ("decode" in req) {
    decode(req);
    return;
  }
  // Every buffer that came in goes back: as the frame, as the sum, or as a spare for the caller's next chunks.
  const spares = [req.delta];
  if (req.frame && req.frame !== req.delta) spares.push(req.frame);
  const sumIn = req.sum ? new Float64Array(req.sum, req.sumOffset, req.sumLength) : null;
  try {
    const { frame, sum } = runAccumulate({
      frame: req.frame ? new Uint8Array(req.frame, req.frameOffset, req.frameLength) : null,
      decoded: req.sumValid ? sumIn : null,
      sumInto: req.sumValid ? undefined : (sumIn ?? undefined),
      delta: new Float64Array(req.delta, req.deltaOffset, req.deltaLength),
      codecs: req.codecs,
      missing: req.missing,
      out: req.out ? new Uint8Array(req.out) : undefined,
    }, zstd);
    if (frame && req.temp) writeTemp(req.temp, frame, req.fsync, req.target ?? undefined);
    if (req.out && frame?.buffer !== req.out) spares.push(req.out);
    if (req.sum && !sum) spares.push(req.sum);
    const sumPart = sum ? { sum: sum.buffer as ArrayBuffer, sumOffset: sum.byteOffset, sumLength: sum.length } : { sum: null };
    if (!frame) {
      port.postMessage({ id: req.id, frame: null, ...sumPart, spares } satisfies WorkerReply, [...spares, ...(sum ? [sum.buffer as ArrayBuffer] : [])]);
      return;
    }
    // Small frames may be views of the shared allocation pool: copy those rather than detach the pool.
    const own = frame.buffer === req.out || frame.byteLength >= 4096 ? frame : frame.slice();
    port.postMessage(
      { id: req.id, frame: own.buffer as ArrayBuffer, frameOffset: own.byteOffset, frameLength: own.byteLength, ...sumPart, spares } satisfies WorkerReply,
      [own.buffer as ArrayBuffer, ...spares, ...(sum ? [sum.buffer as ArrayBuffer] : [])],
    );
  } catch (err) {
    if (req.out) spares.push(req.out);
    if (req.sum) spares.push(req.sum);
    port.postMessage({ id: req.id, error: (err as Error).message, frameError: err instanceof FrameError, spares } satisfies WorkerReply, spares);
  }
});
