// Runs the benchmarks: every bench/<name>.bench.ts, or only those named on the command line
// (`node dist/bench/run.js fill`). Prints one JSON line per result on stdout; progress and
// notes go to stderr so that stdout stays machine-readable. A benchmark that exports
// `slow = true` runs only when named; `--flags` are left for the benchmarks to read.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchContext, BenchModule, BenchResult } from "./lib.js";

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith(".bench.js"))
  .map((f) => f.slice(0, -".bench.js".length))
  .sort();

const args = process.argv.slice(2);
const wanted = args.filter((a) => !a.startsWith("--"));
if (args.includes("--list")) {
  for (const name of available) {
    const mod = (await import(pathToFileURL(join(here, `${name}.bench.js`)).href)) as BenchModule;
    console.log(`${name}\t${mod.slow ? "(slow, run only when named) " : ""}${mod.about ?? ""}`);
  }
  process.exit(0);
}
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${available.join(", ")}`);
  process.exit(2);
}

const ctx: BenchContext = {
  reps: Number(process.env.BENCH_REPS ?? 5),
  scale: Number(process.env.BENCH_SCALE ?? 1),
  emit(result: BenchResult) {
    console.log(JSON.stringify(result));
  },
};

let failed = 0;
for (const name of wanted.length ? wanted : available) {
  console.error(`# bench ${name} (reps=${ctx.reps}, scale=${ctx.scale})`);
  try {
    const mod = (await import(pathToFileURL(join(here, `${name}.bench.js`)).href)) as BenchModule;
    if (mod.slow && !wanted.includes(name)) {
      console.error(`# bench ${name} skipped: slow, run it by name (node dist/bench/run.js ${name})`);
      continue;
    }
    await mod.run(ctx);
  } catch (e) {
    // One broken benchmark must not hide the others' figures.
    failed++;
    console.error(`# bench ${name} failed: ${e instanceof Error ? e.stack : e}`);
  }
}
process.exit(failed ? 1 : 0);
