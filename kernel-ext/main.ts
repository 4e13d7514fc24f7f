#!/usr/bin/env node
// The kernel binary: `node dist/kernel-ext/main.js CONNECTION_FILE` (what the kernelspec's argv runs).
import { Kernel } from "./kernel.js";

async function loadPlugins(): Promise<void> {
  // The magics register their cell transform when imported (kernel-ext/magics, built by another part of the house).
  for (const spec of ["./magics/index.js", ...(process.env.ZHIST_KERNEL_PLUGINS ?? "").split(",").filter(Boolean)]) {
    try {
      await import(spec);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === "ERR_MODULE_NOT_FOUND" && spec.startsWith("./magics/") && err.message.includes("magics")) continue;
      process.stderr.write(`[zhist kernel] plugin ${spec} failed to load: ${err.stack ?? err}\n`);
    }
  }
}

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: zhist-kernel CONNECTION_FILE\n");
  process.exit(2);
}
process.on("uncaughtException", (e) => process.stderr.write(`[zhist kernel] uncaught exception: ${e.stack ?? e}\n`));
process.on("unhandledRejection", (e) => process.stderr.write(`[zhist kernel] unhandled rejection: ${(e as Error)?.stack ?? e}\n`));
const kernel = Kernel.fromFile(file);
await loadPlugins();
await kernel.start();
