// The 10^9-bin store (issue 2, "Speed and memory"): a Weight histogram of
//   dataset StrCat(10) x region StrCat(10) x syst StrCat(25) x eta Reg(398) x pt Reg(998)
// = 10 * 10 * 25 * 400 * 1000 = 1e9 cells with flow (16 GB logical: values + variances), created
// empty under bench/out/, filled through StoredHist.fill the way an analysis fills it (one call per
// categorical key and batch of events: scalar labels, arrays for eta and pt, per-entry weights), then
// projected to pt through the streaming project. Reports fill time and rate, project time, bytes on
// disk, chunk counts and the peak RSS of the whole process, and checks the projection exactly against
// an in-memory 1-D histogram of the same pt values and weights (weights are multiples of 1/256, so
// every sum is exact whatever the order of additions) and one key's 2-D slab against memory.
//
//   node dist/bench/run.js bigstore [--keep]
// Environment: BIGSTORE_ENTRIES entries per key and batch (default 1e5 x BENCH_SCALE),
// BIGSTORE_BATCHES batches (default 2: the second batch reads, adds and rewrites every chunk),
// BIGSTORE_SYSTS how many of the 25 systematics get fills (default all 25; the store and the
// projection always cover all 1e9 cells).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Hist } from "../src/index.js";
import type { StoredHist } from "../src/zarr/stored-hist.js";
import { growCategory } from "../src/zarr/index.js";
import { type BenchContext, round4, rng } from "./lib.js";

export const about = "1e9-bin Weight store (10x10x25 categories x 400x1000): fill, streaming project to 1-D, peak RSS, disk";
export const slow = true;

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "bench", "out");
const DATASETS = Array.from({ length: 10 }, (_, i) => (i === 9 ? "data" : `mc${i}`));
const REGIONS = Array.from({ length: 10 }, (_, i) => `sr${i}`);
const SYSTS = ["nominal", ...Array.from({ length: 12 }, (_, i) => [`s${i}_up`, `s${i}_down`]).flat()];
const ETA = [398, -2.5, 2.5] as const;
const PT = [998, 0, 500] as const;

function peakRssMB(): { maxRSS: number; vmHWM: number } {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
  return { maxRSS: process.resourceUsage().maxRSS / 1024, vmHWM: hwm ? Number(hwm[1]) / 1024 : NaN };
}

function countFiles(dir: string, want: (name: string) => boolean = () => true): number {
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(path.join(dir, e.name), want) : want(e.name) ? 1 : 0;
  return n;
}

export async function run(ctx: BenchContext): Promise<void> {
  const keep = process.argv.includes("--keep");
  const perCall = Number(process.env.BIGSTORE_ENTRIES ?? Math.round(1e5 * ctx.scale));
  const batches = Number(process.env.BIGSTORE_BATCHES ?? 2);
  const nSysts = Number(process.env.BIGSTORE_SYSTS ?? SYSTS.length);
  const dir = path.join(OUT, `bigstore-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const t00 = performance.now();
  try {
    // Created empty: growing categories rewrite only zarr.json, so a 1e9-cell store holds no chunk yet.
    const empty = Hist.new
      .StrCat([], { name: "dataset", growth: true })
      .StrCat([], { name: "region", growth: true })
      .StrCat([], { name: "syst", growth: true })
      .Reg(...ETA, { name: "eta" })
      .Reg(...PT, { name: "pt" })
      .Weight();
    await empty.save(dir, "big");
    const store = path.join(dir, "big");
    for (const [axis, labels] of [DATASETS, REGIONS, SYSTS].entries()) await growCategory(store, "/", axis, labels);
    const h = (await Hist.open(store)) as unknown as StoredHist;
    const cells = h.axes.reduce((n, a) => n * a.extent, 1);
    if (cells !== 1e9) throw new Error(`bigstore: ${cells} cells, expected 1e9`);
    console.error(`# bigstore: ${store}, ${cells} cells, ${batches} batch(es) x ${DATASETS.length * REGIONS.length * nSysts} keys x ${perCall} entries`);

    // Independent references, filled in memory from the same arrays.
    const ref1d = Hist.new.Reg(...PT, { name: "pt" }).Weight();
    const refKey = [DATASETS[3], REGIONS[7], SYSTS[Math.min(5, nSysts - 1)]];
    const ref2d = Hist.new.Reg(...ETA, { name: "eta" }).Reg(...PT, { name: "pt" }).Weight();
    let totalW = 0;
    let totalW2 = 0;

    const eta = new Float64Array(perCall);
    const pt = new Float64Array(perCall);
    const weight = new Float64Array(perCall);
    let fillSecs = 0;
    let entries = 0;
    let calls = 0;
    const keysTotal = batches * DATASETS.length * REGIONS.length * nSysts;
    for (let b = 0; b < batches; b++) {
      for (const [d, dataset] of DATASETS.entries()) {
        const isData = dataset === "data";
        for (const [r, region] of REGIONS.entries()) {
          for (let s = 0; s < nSysts; s++) {
            const syst = SYSTS[s];
            const next = rng(((b * 997 + d) * 991 + r) * 983 + s + 1);
            const slope = 40 + 8 * d + 3 * r; // each process and region has its own spectrum
            const shift = s === 0 ? 1 : 1 + (s % 2 ? 0.02 : -0.02) * Math.ceil(s / 2); // shape systematics move pt
            for (let i = 0; i < perCall; i++) {
              const u1 = next() || 1e-12;
              const u2 = next();
              eta[i] = 1.3 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
              pt[i] = 20 - slope * shift * Math.log(1 - next());
              // MC: weights k/256 in [0.25, 2): exact sums whatever the order; data: 1.
              weight[i] = isData ? 1 : (64 + Math.floor(next() * 448)) / 256;
            }
            const t0 = performance.now();
            await h.fill({ dataset, region, syst, eta, pt, weight });
            fillSecs += (performance.now() - t0) / 1000;
            entries += perCall;
            ref1d.fill({ pt, weight });
            if (dataset === refKey[0] && region === refKey[1] && syst === refKey[2]) ref2d.fill({ eta, pt, weight });
            for (let i = 0; i < perCall; i++) {
              totalW += weight[i];
              totalW2 += weight[i] * weight[i];
            }
            if (++calls % 250 === 0) {
              const { vmHWM } = peakRssMB();
              console.error(`# bigstore fill ${calls}/${keysTotal} calls, ${fillSecs.toFixed(1)} s in fill, peak RSS ${vmHWM.toFixed(0)} MB`);
            }
          }
        }
      }
    }
    const filledKeys = DATASETS.length * REGIONS.length * nSysts;
    const extra = { cells, entries, calls, filledKeys, keysTotal: 2500, batches, entriesPerCall: perCall, systs: nSysts };
    ctx.emit({ name: "bigstore.fill.time", value: round4(fillSecs), unit: "s", ...extra });
    ctx.emit({ name: "bigstore.fill.rate", value: round4(entries / fillSecs), unit: "entries/s", ...extra });

    const t1 = performance.now();
    const projected = await h.project("pt");
    const projectSecs = (performance.now() - t1) / 1000;

    // Checks: the full-store projection equals the in-memory 1-D fill bin by bin (flow included),
    // its total is the total weight filled, and one key's slab equals its in-memory 2-D fill.
    const got = projected.values({ flow: true }).data;
    const gotVar = projected.variances({ flow: true })!.data;
    const want = ref1d.values({ flow: true }).data;
    const wantVar = ref1d.variances({ flow: true })!.data;
    for (let i = 0; i < want.length; i++) {
      if (got[i] !== want[i] || gotVar[i] !== wantVar[i]) {
        throw new Error(`bigstore: projected pt bin ${i} holds ${got[i]} (var ${gotVar[i]}), in-memory fill ${want[i]} (var ${wantVar[i]})`);
      }
    }
    const sumV = got.reduce((a, x) => a + x, 0);
    const sumV2 = gotVar.reduce((a, x) => a + x, 0);
    if (sumV !== totalW || sumV2 !== totalW2) throw new Error(`bigstore: projected total ${sumV} / ${sumV2}, filled ${totalW} / ${totalW2}`);
    const slab = await h.slice({ dataset: refKey[0], region: refKey[1], syst: refKey[2] });
    const sv = slab.values({ flow: true }).data;
    const rv = ref2d.values({ flow: true }).data;
    for (let i = 0; i < rv.length; i++) {
      if (sv[i] !== rv[i]) throw new Error(`bigstore: slice [${refKey}] cell ${i} holds ${sv[i]}, in-memory ${rv[i]}`);
    }
    ctx.emit({ name: "bigstore.project.time", value: round4(projectSecs), unit: "s", axis: "pt", cells, checked: "exact vs in-memory 1-D fill and total weight; one key's slab vs in-memory 2-D" });

    const chunkFile = (f: string) => f.startsWith("c.");
    const values = countFiles(path.join(store, "storage", "values"), chunkFile);
    const variances = countFiles(path.join(store, "storage", "variances"), chunkFile);
    const leftovers = countFiles(store, (f) => f.endsWith(".tmp") || f.endsWith(".lock"));
    const duBytes = Number(execFileSync("du", ["-sb", store], { encoding: "utf8" }).split(/\s/)[0]);
    const duBlocks = Number(execFileSync("du", ["-sk", store], { encoding: "utf8" }).split(/\s/)[0]) * 1024;
    ctx.emit({ name: "bigstore.disk", value: duBytes, unit: "bytes", GB: round4(duBytes / 1e9), allocatedBytes: duBlocks, logicalBytes: cells * 16, compression: round4((cells * 16) / duBytes) });
    ctx.emit({ name: "bigstore.chunks", value: values + variances, unit: "files", values, variances, chunkShape: [1, 1, 1, 400, 1000], gridChunksPerField: 2500, leftoverTmpOrLock: leftovers });
    const rss = peakRssMB();
    ctx.emit({ name: "bigstore.peakRSS", value: round4(rss.vmHWM), unit: "MB", maxRSS: round4(rss.maxRSS), target: "< 2048 MB", wallSeconds: round4((performance.now() - t00) / 1000) });
  } finally {
    if (keep) console.error(`# bigstore kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}
