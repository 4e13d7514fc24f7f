// The cell compiler's thread: tslab's TypeScript converter, created and warmed (standard library and
// @types parsed, type checker built) as soon as the kernel starts, while the main thread loads the
// rest of the kernel. The main thread calls it synchronously (compiler.ts): a request on the port,
// the answer posted back, then the shared flag set and notified.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { workerData, type MessagePort } from "node:worker_threads";
import type * as TsNs from "@tslab/typescript-for-tslab";
import type { Converter } from "tslab/dist/converter.js";
import { requireWithCodeCache } from "./code-cache.js";
import { patchCompilerHost, restoreDocs } from "./compiler-host.js";
import { rewriteExports } from "./exports.js";
import { expandShorthands } from "./shorthand.js";
import { trace } from "./trace.js";

const { cwd, flag, port, asyncPort } = workerData as { cwd: string; flag: SharedArrayBuffer; port: MessagePort; asyncPort: MessagePort };
const require = createRequire(import.meta.url);
const tslabRequire = createRequire(path.join(path.dirname(require.resolve("tslab/package.json")), "package.json"));
const tsFile = tslabRequire.resolve("@tslab/typescript-for-tslab");
const tsVersion = (JSON.parse(fs.readFileSync(path.join(path.dirname(tsFile), "..", "package.json"), "utf8")) as { version: string }).version;
// tslab's own require of TypeScript then finds this instance in require.cache.
const tsModule = requireWithCodeCache(tsFile, `typescript-for-tslab-${tsVersion}`);
const ts = tsModule.exports as typeof TsNs;
patchCompilerHost(ts, cwd);
const { createConverter, isCompleteCode } = tslabRequire("./dist/converter.js") as typeof import("tslab/dist/converter.js");
const { getCodeMetadata } = tslabRequire("./dist/metadata.js") as { getCodeMetadata(src: string): unknown };

let converter: Converter | undefined;
function conv(): Converter {
  return (converter ??= createConverter({ isJS: false, isBrowser: false }));
}

type Converted = ReturnType<Converter["convert"]>;
/** A cell compiled ahead (prepare), handed over when tslab's executor asks for the same compile. */
let prepared: { prevDecl: string; src: string; result: Converted } | undefined;

/**
 * tslab's compile of a cell, with the `export`s of its top-level statements blanked (exports.ts) and
 * shorthand properties naming earlier cells' values spelled out (shorthand.ts).
 */
function compile(prevDecl: string, cell: string): Converted {
  const rewritten = rewriteExports(ts, prevDecl, cell);
  if (rewritten?.diagnostics) return { diagnostics: rewritten.diagnostics } as Converted;
  // Blanked with spaces: positions are the cell's, nothing to map back.
  const src = rewritten?.src ?? cell;
  const expanded = expandShorthands(ts, prevDecl, src);
  if (!expanded) return conv().convert(prevDecl, src);
  return expanded.restore(conv().convert(prevDecl, expanded.src));
}

function convert(prevDecl: string, src: string): Converted {
  const ahead = prepared;
  prepared = undefined;
  if (ahead && ahead.src === src && ahead.prevDecl === prevDecl) return ahead.result;
  const result = compile(prevDecl, src);
  // Files a cell imports are emitted once, by whichever compile came first: keep them.
  if (ahead?.src === src && ahead.result.sideOutputs && !result.sideOutputs) result.sideOutputs = ahead.result.sideOutputs;
  return result;
}

const ops: Record<string, (...args: any[]) => unknown> = {
  convert,
  /** Compiles a cell before the executor asks (so the main thread waits for it without blocking); returns its imports and the compile. */
  prepare: (prevDecl: string, src: string) => {
    const imports = ts.preProcessFile(src, true, true).importedFiles.map((f) => f.fileName);
    prepared = { prevDecl, src, result: compile(prevDecl, src) };
    return { imports, result: prepared.result };
  },
  addModule: (name: string, src: string, meta: any) => conv().addModule(name, src, meta),
  inspect: (prevDecl: string, src: string, pos: number) => {
    // The first inspection reads the library's doc comments, left out at start (compiler-host.ts).
    restoreDocs(ts.FileWatcherEventKind.Changed);
    return conv().inspect(prevDecl, src, pos);
  },
  complete: (prevDecl: string, src: string, pos: number) => {
    // The candidates only: `original` (TypeScript's whole completion info) is large and unused.
    const { start, end, candidates } = conv().complete(prevDecl, src, pos);
    return { start, end, candidates };
  },
  // What the main thread would otherwise need TypeScript itself for (keeping its start short):
  isComplete: (code: string) => isCompleteCode(code),
  metadata: (src: string) => getCodeMetadata(src),
};

function answer(op: string, args: unknown[]): { value?: unknown; error?: { name: string; message: string; stack?: string } } {
  try {
    return { value: ops[op](...args) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { error: { name: err.name, message: err.message, stack: err.stack } };
  }
}

// Synchronous calls: the answer, then the shared flag the caller blocks on.
const done = new Int32Array(flag);
port.on("message", ({ op, args }: { op: string; args: unknown[] }) => {
  port.postMessage(answer(op, args));
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
});
// Asynchronous calls: answered by id on their own port.
asyncPort.on("message", ({ id, op, args }: { id: number; op: string; args: unknown[] }) => {
  asyncPort.postMessage({ id, ...answer(op, args) });
});

// Warm-up: the first program (standard library, @types, the checker's globals) is most of the cost
// of the first cell; an empty cell builds it without computing anything else.
conv().convert("", "");
trace("compiler warmed (its thread)");
// After the warm-up, so that the cache holds the functions it compiled; after a first cell's compile
// if one is waiting (its message comes first). Once per machine and TypeScript version.
setImmediate(() => tsModule.save());
