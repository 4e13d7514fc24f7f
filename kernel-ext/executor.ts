// tslab's TypeScript compiler and executor, driven cell by cell with structured results: the value of
// the last expression, or an error with name, message and a traceback that shows the cell line.
// The compiling is done by the converter in its own thread (compiler.ts); running is done here.
import { createRequire } from "node:module";
import * as path from "node:path";
import { Module } from "node:module";
import type { Executor as TslabExecutor } from "tslab/dist/executor.js";
import type { CompilerThread } from "./compiler.js";
import { CellModules } from "./resolve.js";
import { trace } from "./trace.js";

const require = createRequire(import.meta.url);
// The CommonJS module object (writable), which tslab calls: a namespace import is read-only.
const vm = require("node:vm") as typeof import("node:vm");

export type CellResult =
  | { status: "ok"; hasValue: boolean; value?: unknown }
  | { status: "error"; ename: string; evalue: string; traceback: string[] };

const DIAG_FORMAT = "%s%d:%d - %s";

/** The result of a cell interrupted before its code ran. */
export const INTERRUPTED: CellResult = { status: "error", ename: "Interrupted", evalue: "the cell was interrupted", traceback: ["Interrupted: the cell was interrupted before it ran"] };

export interface CellRunner {
  run(code: string, executionCount: number): Promise<CellResult>;
  interrupt(): void;
  complete(code: string, pos: number): { start: number; end: number; candidates: string[] };
  inspect(code: string, pos: number): string | undefined;
  isComplete(code: string): { completed: boolean; indent?: string };
  close(): void;
}

/** A runner of cells compiled by `compiler`, on tslab's executor (loaded on first use). */
export function createCellRunner(compiler: CompilerThread, cwd = process.cwd()): CellRunner {
  const tslabRequire = createRequire(path.join(path.dirname(require.resolve("tslab/package.json")), "package.json"));
  serveMetadataFrom(compiler, tslabRequire);
  const { createExecutor } = tslabRequire("./dist/executor.js") as typeof import("tslab/dist/executor.js");
  const { printQuickInfo } = tslabRequire("./dist/inspect.js") as { printQuickInfo(i: unknown): string };
  // The declarations of earlier cells, as tslab's executor keeps them (it adopts a compile's declOutput
  // when the cell ran without error): needed to compile a cell ahead, as the executor will ask.
  let decls = "";
  let lastCompile: { declOutput?: string } | undefined;
  /** The compile done ahead for the cell about to run: handed to the executor without asking the thread again. */
  let ready: { prevDecl: string; src: string; result: any } | undefined;
  const converter = {
    convert(prevDecl: string, src: string) {
      const hit = ready && ready.prevDecl === prevDecl && ready.src === src ? ready.result : undefined;
      ready = undefined;
      const r = hit ?? compiler.convert(prevDecl, src);
      lastCompile = r;
      return r;
    },
    addModule: (name: string, src: string, meta: unknown) => compiler.addModule(name, src, meta),
    inspect: (prevDecl: string, src: string, pos: number) => compiler.inspect(prevDecl, src, pos),
    complete: (prevDecl: string, src: string, pos: number) => compiler.complete(prevDecl, src, pos),
    close: () => compiler.close(),
  };
  const convs = { node: converter, browser: converter, close: () => compiler.close() };
  /** Set while a cell compiles: an interrupt then ends the wait at once (the compile finishes unused). */
  let stopCompileWait: (() => void) | undefined;
  /** An interrupt that came after run() began but before the code started (tslab's executor would not see it). */
  let interruptedBeforeStart = false;
  let starting = false;

  // What tslab's executor reports through its console: diagnostics, a thrown value, the last value.
  let diagnostics: { line: number; col: number; text: string }[] = [];
  const got: { thrown?: { value: unknown }; last?: { value: unknown } } = {};
  const reset = () => {
    got.thrown = got.last = undefined;
  };
  const sink = {
    log(value: unknown) {
      got.last = { value };
    },
    error(first: unknown, ...rest: unknown[]) {
      if (first === DIAG_FORMAT) diagnostics.push({ line: rest[1] as number, col: rest[2] as number, text: String(rest[3]) });
      else got.thrown = { value: first };
    },
  };
  const executor: TslabExecutor = createExecutor(cwd, convs as any, sink);
  const modules = new CellModules(cwd);
  const tslabGlobal = (globalThis as any).__tslab__ as { require: (id: string) => unknown };
  tslabGlobal.require = modules.wrap(tslabGlobal.require);

  // Name the compiled cell in stack traces ("cell[3]:2:7") and keep its text to quote the failing line.
  let cellName = "cell";
  let compiled = "";
  const runInThisContext = vm.runInThisContext;
  (vm as any).runInThisContext = function (code: string, options?: import("node:vm").RunningScriptOptions) {
    if (typeof options === "object" && options?.breakOnSigint && code.includes("__tslab__.exports")) {
      compiled = code;
      return runInThisContext.call(vm, code, { ...options, filename: cellName });
    }
    return runInThisContext.call(vm, code, options);
  };

  async function run(code: string, executionCount: number): Promise<CellResult> {
    diagnostics = [];
    reset();
    cellName = `cell[${executionCount}]`;
    compiled = "";
    lastCompile = undefined;
    starting = true;
    interruptedBeforeStart = false;
    try {
      // Compiled in the compiler thread while this one stays free: an interrupt (SIGINT, which a
      // blocked thread would lose) or a control message during a long first compile is served.
      const interrupted = new Promise<undefined>((resolve) => {
        stopCompileWait = () => resolve(undefined);
      });
      const ahead = await Promise.race([compiler.prepare(decls, code), interrupted]);
      if (!ahead) return INTERRUPTED;
      stopCompileWait = undefined;
      ready = { prevDecl: decls, src: code, result: ahead.result };
      await modules.prepare(ahead.imports);
      // A SIGINT that came while this thread was busy waits in libuv's signal pipe, and tslab's
      // vm.runInThisContext(breakOnSigint) drops it by re-registering the SIGINT listeners: let the
      // event loop poll (twice: the first check phase may come before the poll that sees it) first.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      trace("cell starts");
      if (interruptedBeforeStart) return INTERRUPTED;
    } catch (e) {
      return errorResult(e, code);
    } finally {
      stopCompileWait = undefined;
      starting = false;
    }
    const ok = await executor.execute(code);
    const adopted = lastCompile as { declOutput?: string } | undefined;
    if (ok && !diagnostics.length && !got.thrown && adopted) decls = adopted.declOutput ?? "";
    if (diagnostics.length) {
      const lines = code.split("\n");
      const tb: string[] = [];
      for (const d of diagnostics) {
        tb.push(`${cellName} line ${d.line}, column ${d.col}: ${d.text}`);
        const src = lines[d.line - 1];
        if (src !== undefined) tb.push(`    ${src}`, `    ${" ".repeat(Math.max(0, d.col - 1))}^`);
      }
      return { status: "error", ename: "TypeScriptError", evalue: diagnostics.map((d) => `${d.line}:${d.col} - ${d.text}`).join("\n"), traceback: tb };
    }
    if (!ok || got.thrown) return errorResult(got.thrown ? got.thrown.value : new Error("cell failed"), code);
    return got.last ? { status: "ok", hasValue: true, value: got.last.value } : { status: "ok", hasValue: false };
  }

  function errorResult(e: unknown, code: string): CellResult {
    if (!(e instanceof Error)) {
      // A thrown string reads as itself; other values as Node prints them (not "[object Object]").
      return { status: "error", ename: "Thrown", evalue: typeof e === "string" ? e : inspectValue(e), traceback: [`Uncaught ${inspectValue(e)}`] };
    }
    const interrupted = /interrupted/i.test(e.message) && (e.message.includes("SIGINT") || e.message === "Interrupted asynchronously");
    const ename = interrupted ? "Interrupted" : e.name;
    const evalue = interrupted ? "the cell was interrupted" : e.message;
    const tb = [`${ename}: ${evalue}`];
    const where = cellLine(e, code);
    if (where) tb.push(`${cellName} line ${where.line}:`, `    ${where.text}`);
    const frames = (e.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l));
    const own = frames.findIndex((l) => l.includes(`${cellName}:`));
    // Frames from the cell and what it called; the kernel's own frames below it say nothing to the user.
    const shown = own >= 0 ? frames.slice(0, frames.findLastIndex((l) => l.includes(`${cellName}:`)) + 1) : frames.slice(0, 8);
    // Compiled line numbers do not match the cell's: name the cell alone, once per run of its frames.
    for (const l of shown.map((f) => f.replace(new RegExp(`\\(?${escapeRe(cellName)}:\\d+:\\d+\\)?`), `<${cellName}>`))) {
      if (tb[tb.length - 1] !== l) tb.push(l);
    }
    return { status: "error", ename, evalue, traceback: tb };
  }

  /** The cell line that threw: the compiled line from the stack, matched back to the cell source. */
  function cellLine(e: Error, code: string): { line: number; text: string } | undefined {
    const m = new RegExp(`${escapeRe(cellName)}:(\\d+):(\\d+)`).exec(e.stack ?? "");
    if (!m || !compiled) return undefined;
    const jsLine = compiled.split("\n")[Number(m[1]) - 1];
    if (jsLine === undefined) return undefined;
    return matchLine(jsLine, code);
  }

  return {
    run,
    interrupt: () => {
      if (starting) interruptedBeforeStart = true;
      stopCompileWait?.();
      executor.interrupt();
    },
    complete: (code, pos) => executor.complete(code, pos),
    inspect: (code, pos) => {
      const info = executor.inspect(code, pos);
      return info ? printQuickInfo(info) : undefined;
    },
    isComplete: (code) => compiler.isComplete(code),
    close: () => executor.close(),
  };
}

/**
 * tslab's executor reads cell metadata with TypeScript's scanner (tslab/dist/metadata.js); the compiler
 * thread answers instead, so that this thread never loads TypeScript (a quarter second of start-up).
 */
function serveMetadataFrom(compiler: CompilerThread, tslabRequire: NodeJS.Require): void {
  const file = tslabRequire.resolve("./dist/metadata.js");
  if (require.cache[file]) return;
  const m = new Module(file);
  m.filename = file;
  m.exports = { getCodeMetadata: (src: string) => compiler.metadata(src) };
  m.loaded = true;
  require.cache[file] = m;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function tokens(s: string): string[] {
  return s.match(/[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"[^"]*"|'[^']*'|`[^`]*`/g) ?? [];
}

/** The source line most like a compiled line (types are erased, so compare the tokens both keep). */
export function matchLine(jsLine: string, code: string): { line: number; text: string } | undefined {
  const want = tokens(jsLine.replace(/^\s*\(?(async )?function\(exports, require\) \{ /, "")).map((t) => t.replace(/^'(.*)'$/, '"$1"'));
  if (!want.length) return undefined;
  let best: { line: number; text: string; score: number } | undefined;
  code.split("\n").forEach((text, i) => {
    const have = new Set(tokens(text).map((t) => t.replace(/^'(.*)'$/, '"$1"')));
    if (!have.size) return;
    let hits = 0;
    for (const t of want) if (have.has(t)) hits++;
    const score = hits / Math.max(want.length, have.size);
    if (!best || score > best.score) best = { line: i + 1, text: text.trim(), score };
  });
  return best && best.score > 0 ? { line: best.line, text: best.text } : undefined;
}

export function inspectValue(v: unknown): string {
  return require("node:util").inspect(v, { depth: 4, maxArrayLength: 50, breakLength: 100 });
}
