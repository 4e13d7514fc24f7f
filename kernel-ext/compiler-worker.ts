// The cell compiler's thread: tslab's TypeScript converter, created and warmed (standard library and
// @types parsed, type checker built) as soon as the kernel starts, while the main thread loads the
// rest of the kernel. The main thread calls it synchronously (compiler.ts): a request on the port,
// the answer posted back, then the shared flag set and notified.
import { createRequire } from "node:module";
import * as path from "node:path";
import { workerData, type MessagePort } from "node:worker_threads";
import type * as TsNs from "@tslab/typescript-for-tslab";
import type { Converter } from "tslab/dist/converter.js";
import { patchCompilerHost } from "./compiler-host.js";
import { trace } from "./trace.js";

const { cwd, flag, port } = workerData as { cwd: string; flag: SharedArrayBuffer; port: MessagePort };
const require = createRequire(import.meta.url);
const tslabRequire = createRequire(path.join(path.dirname(require.resolve("tslab/package.json")), "package.json"));
const ts = tslabRequire("@tslab/typescript-for-tslab") as typeof TsNs;
patchCompilerHost(ts, cwd);
const { createConverter, isCompleteCode } = tslabRequire("./dist/converter.js") as typeof import("tslab/dist/converter.js");
const { getCodeMetadata } = tslabRequire("./dist/metadata.js") as { getCodeMetadata(src: string): unknown };

let converter: Converter | undefined;
function conv(): Converter {
  return (converter ??= createConverter({ isJS: false, isBrowser: false }));
}

const ops: Record<string, (...args: any[]) => unknown> = {
  convert: (prevDecl: string, src: string) => conv().convert(prevDecl, src),
  addModule: (name: string, src: string, meta: any) => conv().addModule(name, src, meta),
  inspect: (prevDecl: string, src: string, pos: number) => conv().inspect(prevDecl, src, pos),
  complete: (prevDecl: string, src: string, pos: number) => {
    // The candidates only: `original` (TypeScript's whole completion info) is large and unused.
    const { start, end, candidates } = conv().complete(prevDecl, src, pos);
    return { start, end, candidates };
  },
  // What the main thread would otherwise need TypeScript itself for (keeping its start short):
  isComplete: (code: string) => isCompleteCode(code),
  metadata: (src: string) => getCodeMetadata(src),
  imports: (code: string) => ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName),
};

const done = new Int32Array(flag);
port.on("message", ({ op, args }: { op: string; args: unknown[] }) => {
  let answer: { value?: unknown; error?: { name: string; message: string; stack?: string } };
  try {
    answer = { value: ops[op](...args) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    answer = { error: { name: err.name, message: err.message, stack: err.stack } };
  }
  port.postMessage(answer);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
});

// Warm-up: the first program (standard library, @types, the checker's globals) is most of the cost
// of the first cell; an empty cell builds it without computing anything else.
conv().convert("", "");
trace("compiler warmed (its thread)");
