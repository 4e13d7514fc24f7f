// The main thread's side of the cell compiler (compiler-worker.ts runs tslab's converter in a worker
// thread, so that its warm-up overlaps the rest of the kernel's start). tslab's executor calls the
// converter synchronously: each call posts a request and blocks on a shared flag until the answer.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";

/** What tslab's executor needs of its converter (tslab/dist/converter.js), answered by the worker. */
export interface RemoteConverter {
  convert(prevDecl: string, src: string): any;
  addModule(name: string, src: string, meta: unknown): any;
  inspect(prevDecl: string, src: string, pos: number): any;
  complete(prevDecl: string, src: string, pos: number): { start: number; end: number; candidates: string[] };
  close(): void;
}

interface RemoteError {
  name: string;
  message: string;
  stack?: string;
}

function toError(e: RemoteError): Error {
  return Object.assign(new Error(e.message), { name: e.name, stack: e.stack });
}

// A compile is a second or two at worst; this long without an answer means the worker is gone.
const NO_ANSWER_MS = 300_000;

/**
 * The cell compiler in a worker thread. Also answers what the main thread would otherwise load
 * TypeScript for (cell metadata, imports, completeness), so that only the worker loads it.
 * Synchronous calls come from tslab's executor; `prepare` is the asynchronous one, on its own port.
 */
export class CompilerThread implements RemoteConverter {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly done: Int32Array;
  private readonly asyncPort: MessagePort;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private closed = false;
  /** Why calls fail at once: the worker exited. */
  private gone?: string;

  /** Starts the worker at once: it parses the standard library while the caller goes on. */
  constructor(cwd = process.cwd()) {
    const flag = new SharedArrayBuffer(4);
    this.done = new Int32Array(flag);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const async = new MessageChannel();
    this.asyncPort = async.port1;
    this.asyncPort.on("message", ({ id, value, error }: { id: number; value?: unknown; error?: RemoteError }) => {
      const p = this.pending.get(id);
      this.pending.delete(id);
      if (!this.pending.size) this.asyncPort.unref();
      if (error) p?.reject(toError(error));
      else p?.resolve(value);
    });
    this.asyncPort.unref();
    this.worker = new Worker(new URL("./compiler-worker.js", import.meta.url), {
      workerData: { cwd, flag, port: port2, asyncPort: async.port2 },
      transferList: [port2, async.port2],
    });
    this.worker.unref();
    this.worker.on("error", (e) => process.stderr.write(`[zhist kernel] the compiler thread failed: ${e.stack ?? e}\n`));
    this.worker.on("exit", (code) => {
      this.gone = `the cell compiler thread exited (code ${code}); restart the kernel`;
      for (const p of this.pending.values()) p.reject(new Error(this.gone));
      this.pending.clear();
    });
  }

  /** Compiles a cell ahead without blocking this thread (interrupts and control messages are served meanwhile); tslab's executor then gets the result at once. Resolves with the cell's imports and the compile. */
  prepare(prevDecl: string, src: string): Promise<{ imports: string[]; result: unknown }> {
    if (this.closed || this.gone) return Promise.reject(new Error(this.gone ?? "the cell compiler is closed"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.asyncPort.ref();
      this.asyncPort.postMessage({ id, op: "prepare", args: [prevDecl, src] });
    });
  }

  private call(op: string, ...args: unknown[]): any {
    if (this.closed) throw new Error("the cell compiler is closed");
    if (this.gone) throw new Error(this.gone);
    Atomics.store(this.done, 0, 0);
    this.port.postMessage({ op, args });
    const deadline = Date.now() + NO_ANSWER_MS;
    for (;;) {
      Atomics.wait(this.done, 0, 0, 1000);
      const got = receiveMessageOnPort(this.port);
      if (got) {
        const { value, error } = got.message as { value?: unknown; error?: RemoteError };
        if (error) throw toError(error);
        return value;
      }
      if (Date.now() > deadline) throw new Error(`the cell compiler did not answer ${op} within ${NO_ANSWER_MS / 1000} s`);
    }
  }

  convert(prevDecl: string, src: string) {
    return this.call("convert", prevDecl, src);
  }
  addModule(name: string, src: string, meta: unknown) {
    return this.call("addModule", name, src, meta);
  }
  inspect(prevDecl: string, src: string, pos: number) {
    return this.call("inspect", prevDecl, src, pos);
  }
  complete(prevDecl: string, src: string, pos: number) {
    return this.call("complete", prevDecl, src, pos);
  }
  /** Whether a cell is complete (for is_complete_request), and the indent of its next line if not. */
  isComplete(code: string): { completed: boolean; indent?: string } {
    return this.call("isComplete", code);
  }
  /** tslab's cell metadata (JSDoc tags such as @module in the cell's leading comments). */
  metadata(src: string): Record<string, unknown> {
    // Only a leading JSDoc comment carries any: spare the other cells a round trip.
    return src.includes("/**") ? this.call("metadata", src) : {};
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    this.asyncPort.close();
    for (const p of this.pending.values()) p.reject(new Error("the cell compiler is closed"));
    this.pending.clear();
    void this.worker.terminate();
  }
}
