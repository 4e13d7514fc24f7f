#!/usr/bin/env node
// The kernel binary: `node dist/kernel-ext/main.js CONNECTION_FILE` (what the kernelspec's argv runs).
import { CompilerThread } from "./compiler.js";
import { currentCellTransform, registerCellTransform, type CellTransform } from "./hooks.js";
import { trace } from "./trace.js";

trace("main");
const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: zhist-kernel CONNECTION_FILE\n");
  process.exit(2);
}
// First: the compiler thread parses the standard library while this thread loads the kernel and magics.
const compiler = new CompilerThread();
const { Kernel } = await import("./kernel.js");
trace("kernel module loaded");

let magics: Promise<void> | undefined;
/** The magics and the fill engine (a third of a second to import): loaded once, when first needed. */
function loadMagics(): Promise<void> {
  return (magics ??= (async () => {
    try {
      (await import("./plugins.js")).installMagics();
      trace("magics loaded");
    } catch (e) {
      // The kernel still runs plain TypeScript; the log says why magics are off.
      process.stderr.write(`[zhist kernel] magics not loaded: ${(e as Error).stack ?? e}\n`);
    }
  })());
}

/**
 * Until the magics are loaded, cells pass through this transform: a cell with a magic line, or one
 * importing zhist (whose analysis the magics fill, with the fill engine they register), waits for
 * them; any other cell (a first `1 + 1`) runs without them.
 */
const lazyMagics: CellTransform = async (code, ctx) => {
  if (!/^[ \t]*%|["']zhist(?:["'/])/m.test(code)) return { code };
  await loadMagics();
  const now = currentCellTransform();
  return now === lazyMagics ? { code } : now(code, ctx);
};

async function loadPlugins(): Promise<void> {
  // Extra plugins come after the magics, so that a transform they register wins.
  if (process.env.ZHIST_KERNEL_PLUGINS) await loadMagics();
  else registerCellTransform(lazyMagics);
  // Extra modules (comma-separated paths) imported at start, e.g. to register comm targets.
  for (const spec of (process.env.ZHIST_KERNEL_PLUGINS ?? "").split(",").filter(Boolean)) {
    try {
      await import(spec);
    } catch (e) {
      process.stderr.write(`[zhist kernel] plugin ${spec} failed to load: ${(e as Error).stack ?? e}\n`);
    }
  }
}

process.on("uncaughtException", (e) => process.stderr.write(`[zhist kernel] uncaught exception: ${e.stack ?? e}\n`));
process.on("unhandledRejection", (e) => process.stderr.write(`[zhist kernel] unhandled rejection: ${(e as Error)?.stack ?? e}\n`));
// Jupyter (and the tests) name the parent in JPY_PARENT_PID: a kernel whose parent died exits instead of lingering.
const parent = Number(process.env.JPY_PARENT_PID);
if (Number.isInteger(parent) && parent > 1) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 2000).unref();
}
const kernel = Kernel.fromFile(file, compiler);
await loadPlugins();
trace("plugins loaded");
await kernel.start();
trace("sockets bound");
// Otherwise the magics load after the first cell (or a few seconds in), once no cell has come for a
// second: importing them is a long synchronous stretch, which must not overlap a cell's start.
void Promise.race([kernel.afterFirstCell, new Promise((r) => setTimeout(r, 4000).unref())])
  .then(() => kernel.quiet(1000))
  .then(loadMagics);
