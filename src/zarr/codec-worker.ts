// A codec worker thread (codec-pool.ts starts them): runs accumulate jobs (decode + add + encode of one
// chunk) off the main thread, so that chunks are coded on every core while the caller does file I/O.
import { parentPort } from "node:worker_threads";
import { type ZstdBackend, zstdBackend } from "./codec.js";
import { FrameError, runAccumulate } from "./codec-jobs.js";
import type { WorkerReply, WorkerRequest } from "./codec-pool.js";

const port = parentPort!;
let zstd: ZstdBackend | null = null;
try {
  zstd = await zstdBackend();
  port.postMessage({ id: -1, ready: zstd.name } satisfies WorkerReply);
} catch (err) {
  port.postMessage({ id: -1, error: (err as Error).message, frameError: false } satisfies WorkerReply);
}

port.on("message", (req: WorkerRequest) => {
  // Every buffer that came in goes back: as the frame, or as a spare for the caller's next chunks.
  const spares = [req.delta];
  if (req.frame && req.frame !== req.delta) spares.push(req.frame);
  try {
    const frame = runAccumulate({
      frame: req.frame ? new Uint8Array(req.frame, req.frameOffset, req.frameLength) : null,
      delta: new Float64Array(req.delta, req.deltaOffset, req.deltaLength),
      codecs: req.codecs,
      missing: req.missing,
      out: req.out ? new Uint8Array(req.out) : undefined,
    }, zstd);
    if (req.out && frame?.buffer !== req.out) spares.push(req.out);
    if (!frame) {
      port.postMessage({ id: req.id, frame: null, spares } satisfies WorkerReply, spares);
      return;
    }
    // Small frames may be views of the shared allocation pool: copy those rather than detach the pool.
    const own = frame.buffer === req.out || frame.byteLength >= 4096 ? frame : frame.slice();
    port.postMessage(
      { id: req.id, frame: own.buffer as ArrayBuffer, frameOffset: own.byteOffset, frameLength: own.byteLength, spares } satisfies WorkerReply,
      [own.buffer as ArrayBuffer, ...spares],
    );
  } catch (err) {
    if (req.out) spares.push(req.out);
    port.postMessage({ id: req.id, error: (err as Error).message, frameError: err instanceof FrameError, spares } satisfies WorkerReply, spares);
  }
});
