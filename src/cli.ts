#!/usr/bin/env node
// The `zhist` command. `run` and `merge` load their modules on demand, so `info` stays quick.
import * as fs from "node:fs";
import { Hist, uhiToJSON } from "./index.js";

const USAGE = `usage: zhist <command> [args]

commands:
  info STORE/HIST              axes, storage and totals of a stored histogram (reads chunk by chunk)
  export STORE/HIST [OUT.json] write the histogram as UHI JSON (hist.Hist(ir) reads it); stdout if no OUT
  install [--user | --sys-prefix | --prefix DIR]
                               register the Jupyter kernel "TypeScript (zhist)" (default --user)
  run NOTEBOOK [OUTPUT] [-p NAME VALUE ...] [-f params.yaml] [-y YAML] ...
                               run a notebook headless with parameters, papermill's way, on the
                               zhist kernel (zhist run --help for every option)
  merge OUT.zarr IN.zarr [IN.zarr ...]
                               sum the histograms of several stores into one (matched by name,
                               categories merged by label)
`;

async function info(path: string): Promise<void> {
  const h = await Hist.open(path);
  console.log(`${path}: ${h.kind} storage, ${h.axes.reduce((n, a) => n * a.extent, 1)} bins with flow`);
  h.axes.forEach((a, k) => {
    const bins = a.traits.ordered ? `${a.size} bins` : `${a.size} categories ${JSON.stringify(Array.from({ length: Math.min(a.size, 8) }, (_, i) => a.bin(i)))}${a.size > 8 ? "…" : ""}`;
    console.log(`  axis ${k} ${a.name || "(unnamed)"}: ${a.kind}, ${bins}${a.label ? `, "${a.label}"` : ""}`);
  });
  console.log(`  sum: ${JSON.stringify(await h.sum())}, with flow: ${JSON.stringify(await h.sum({ flow: true }))}`);
}

async function exportJson(path: string, out?: string): Promise<void> {
  const h = await (await Hist.open(path)).toHist();
  const name = h.name || path.split("/").filter(Boolean).pop() || "hist";
  const text = JSON.stringify({ [name]: uhiToJSON(h.toUHI()) });
  if (out) fs.writeFileSync(out, text);
  else process.stdout.write(text + "\n");
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "info":
      if (args.length !== 1) break;
      await info(args[0]);
      return 0;
    case "export":
      if (args.length < 1 || args.length > 2) break;
      await exportJson(args[0], args[1]);
      return 0;
    case "install": {
      const { installKernelSpec, parseInstallArgs } = await import("../kernel-ext/install.js");
      let opts;
      try {
        opts = parseInstallArgs(args);
      } catch (e) {
        process.stderr.write(`zhist install: ${(e as Error).message}\n${USAGE}`);
        return 2;
      }
      console.log(`installed kernelspec zhist in ${installKernelSpec(opts)}`);
      return 0;
    }
    case "run": {
      const { runCommand } = await import("./batch/command.js");
      return runCommand(args);
    }
    case "merge": {
      if (args.length < 2) break;
      const { mergeStores } = await import("./cli/merge.js");
      const report = await mergeStores(args[0], args.slice(1));
      for (const w of report.warnings) process.stderr.write(`zhist merge: warning: ${w}\n`);
      for (const [name, from] of Object.entries(report.merged)) console.log(`${args[0]}/${name}: sum of ${from.length} (${from.join(", ")})`);
      return 0;
    }
    case undefined:
    case "-h":
    case "--help":
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
  }
  process.stderr.write(`zhist: unknown command or wrong arguments: ${argv.join(" ")}\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: Error) => {
    process.stderr.write(`zhist: ${err.message}\n`);
    process.exitCode = 1;
  },
);
