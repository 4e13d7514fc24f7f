// End to end: events/s per core of a fill (input decoding included) of the workload shape over
// synthetic NanoAOD-like Arrow IPC files (bench/nanogen.ts, at least 10 million events at scale 1), with
// 1 and 2 workers; peak RSS of the filling process; and events/s over open-data-example.root.
// The anchor: an RDataFrame framework at about 3.1 kHz per thread; the target is 100 times that.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchContext, median, rateResult, round4 } from "./lib.js";
import { ensureSample } from "./nanogen.js";

export const about = "end-to-end fill events/s per core (3 datasets x 5 x 5 categories x 23 systematics x 5 variables), 1 vs 2 workers, peak RSS; open-data-example.root";
export const slow = true;

const here = dirname(fileURLToPath(import.meta.url));
// The issue states the anchor as about 3.1 kHz per thread (2.38 million events in 763 s) and sets the target
// at 100 times that per core.
const ANCHOR_HZ = 3100;

function child(args: unknown): { events: number; seconds: number; maxRssBytes: number } {
  const out = execFileSync(process.execPath, [join(here, "e2e-child.js"), JSON.stringify(args)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

export async function run(ctx: BenchContext): Promise<void> {
  const perFile = 250_000;
  const nfiles = Math.max(3, Math.round(40 * ctx.scale));
  const sample = ensureSample(nfiles, perFile);
  // Three datasets: ttbar, wjets (MC) and data, files dealt round-robin.
  const datasets: Record<string, string[]> = { ttbar: [], wjets: [], data: [] };
  const names = Object.keys(datasets);
  sample.files.forEach((f, i) => datasets[names[i % 3]].push(f));
  const reps = Math.max(1, Math.min(ctx.reps, Number(process.env.BENCH_E2E_REPS ?? 3)));
  const perCore: Record<number, number> = {};
  for (const workers of [1, 2]) {
    const rates: number[] = [];
    const rss: number[] = [];
    for (let r = 0; r < reps; r++) {
      const res = child({ datasets, workers });
      rates.push(res.events / res.seconds);
      rss.push(res.maxRssBytes);
      process.stderr.write(`# e2e workers=${workers} rep ${r}: ${res.events} events in ${res.seconds.toFixed(1)} s, peak RSS ${(res.maxRssBytes / 2 ** 20).toFixed(0)} MiB\n`);
    }
    const rate = median(rates);
    perCore[workers] = rate / workers;
    ctx.emit(rateResult(`e2e fill events/s per core, ${workers} worker(s), ${sample.events} events`, rate / workers, "events/s", ANCHOR_HZ, { total: round4(rate), note: "baseline: RDataFrame anchor 3.1 kHz per thread; target ratio >= 100" }));
    ctx.emit({ name: `e2e fill peak RSS, ${workers} worker(s)`, value: round4(Math.max(...rss) / 2 ** 20), unit: "MiB", note: "target < 2048" });
  }
  ctx.emit({ name: "e2e scaling 1 -> 2 workers (total rate ratio)", value: round4((2 * perCore[2]) / perCore[1]), unit: "x" });
  // The same into a Zarr store: landing, journal and chunk writes included. Each rep fills a fresh store;
  // the stores are removed after the last rep, so that a rep does not pay for the removal of the one
  // before (tens of thousands of files whose freeing the filesystem finishes in the background).
  {
    const rates: number[] = [];
    const rss: number[] = [];
    const stores: string[] = [];
    try {
      for (let r = 0; r < reps; r++) {
        const store = mkdtempSync(join(tmpdir(), "zhist-e2e-"));
        stores.push(store);
        const res = child({ datasets, workers: 2, store });
        rates.push(res.events / res.seconds);
        rss.push(res.maxRssBytes);
        process.stderr.write(`# e2e store workers=2 rep ${r}: ${res.events} events in ${res.seconds.toFixed(1)} s, peak RSS ${(res.maxRssBytes / 2 ** 20).toFixed(0)} MiB\n`);
      }
    } finally {
      for (const store of stores) rmSync(store, { recursive: true, force: true });
    }
    ctx.emit(rateResult(`e2e fill into a Zarr store events/s per core, 2 workers, ${sample.events} events`, median(rates) / 2, "events/s", ANCHOR_HZ, { total: round4(median(rates)), peakRssMiB: round4(Math.max(...rss) / 2 ** 20) }));
  }
  const open = join(here, "..", "..", "..", "shared", "data", "open-data-example.root");
  if (existsSync(open)) {
    const rates: number[] = [];
    for (let r = 0; r < reps; r++) {
      const res = child({ opendata: open, workers: 1, datasets: {} });
      rates.push(res.events / res.seconds);
    }
    ctx.emit(rateResult("e2e fill events/s, open-data-example.root (100k events, 1 worker, ROOT decoding included)", median(rates), "events/s"));
  }
}
