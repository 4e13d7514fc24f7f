// The histogram widget (issue 5, "Speed"): round trip from a control change to new data for a
// 10^6-bin slice of a 10^9-bin store; target below 150 ms. The store is
//   dataset StrCat(10) x region StrCat(10) x syst StrCat(10) x eta Reg(998) x pt Reg(998)
// = 10 * 10 * 10 * 1000 * 1000 = 1e9 cells with flow, created empty (growing categories writes no
// chunk) and filled sparsely: 19 keys of 1e6 cells each (one chunk per field), the rest never written.
// A control change selects another systematic: the slice reads that key's 10^6 cells (eta summed
// in the same pass) and the answer carries the 998-bin pt view as Arrow.
//
// Measured twice: over the real kernel (a ZeroMQ client sends `update {controls, request}` on the
// widget's comm and waits for the comm_msg that answers it: wire, validation, out-of-core slice,
// spec, Arrow, wire back), and as the projection service call in this process (no wire). Also
// a 10-dataset stack (10 slabs, 10^7 cells read) and a 100 x 998 heatmap (10^5 cells drawn).
//   node dist/bench/run.js widget      (BENCH_REPS changes per case, default 5 -> at least 15)
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Hist } from "../src/index.js";
import { growCategory } from "../src/zarr/index.js";
import type { StoredHist } from "../src/zarr/stored-hist.js";
import { answerOf, histInfo, project, validateControls } from "../kernel-ext/widget/index.js";
import { KernelClient } from "../test/kernel/client.js";
import { type BenchContext, median, round4, rng } from "./lib.js";

export const about = "widget: control change -> new data for a 1e6-bin slice of a 1e9-bin store, over the kernel's comms and in process";

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "bench", "out");
const DATASETS = Array.from({ length: 10 }, (_, i) => (i === 9 ? "data" : `mc${i}`));
const REGIONS = Array.from({ length: 10 }, (_, i) => `sr${i}`);
const SYSTS = ["nominal", ...Array.from({ length: 9 }, (_, i) => `s${i}`)];

async function buildStore(dir: string, entries: number): Promise<string> {
  const empty = Hist.new
    .StrCat([], { name: "dataset", growth: true })
    .StrCat([], { name: "region", growth: true })
    .StrCat([], { name: "syst", growth: true })
    .Reg(998, -2.5, 2.5, { name: "eta" })
    .Reg(998, 0, 500, { name: "pt", label: "p_T [GeV]" })
    .Weight();
  await empty.save(dir, "big");
  const store = path.join(dir, "big");
  for (const [axis, labels] of [DATASETS, REGIONS, SYSTS].entries()) await growCategory(store, "/", axis, labels);
  const h = (await Hist.open(store)) as unknown as StoredHist;
  const cells = h.axes.reduce((n, a) => n * a.extent, 1);
  if (cells !== 1e9) throw new Error(`widget bench: ${cells} cells, expected 1e9`);
  // Sparse: every systematic of mc0 in sr0 (the keys the changes cycle through), and the nominal of every dataset.
  const keys = [...SYSTS.map((s) => ["mc0", "sr0", s]), ...DATASETS.slice(1).map((d) => [d, "sr0", "nominal"])];
  const eta = new Float64Array(entries);
  const pt = new Float64Array(entries);
  const weight = new Float64Array(entries);
  for (const [k, [dataset, region, syst]] of keys.entries()) {
    const next = rng(k + 1);
    for (let i = 0; i < entries; i++) {
      eta[i] = 2.6 * (next() - 0.5) * 2;
      pt[i] = 20 - (40 + 5 * k) * Math.log(1 - next());
      weight[i] = dataset === "data" ? 1 : 0.5 + next();
    }
    await h.fill({ dataset, region, syst, eta, pt, weight });
  }
  return store;
}

const controlsFor = (syst: string, extra: Record<string, unknown> = {}) => ({
  x: "pt", y: null, range: null, rebin: 1, log: false,
  modes: { dataset: { mode: "select", labels: ["mc0"] }, region: { mode: "select", labels: ["sr0"] }, syst: { mode: "select", labels: [syst] } },
  ...extra,
});
const stacked = (syst: string) => ({ ...controlsFor(syst), modes: { dataset: { mode: "stack", labels: [] }, region: { mode: "select", labels: ["sr0"] }, syst: { mode: "select", labels: [syst] } } });
const heatmap = (syst: string) => controlsFor(syst, { y: "eta", rebin: 10 });

const CASES: [string, (syst: string) => Record<string, unknown>, string[]][] = [
  ["1e6-bin slice, 998-bin view", (s) => controlsFor(s), SYSTS],
  ["1e6-bin slice, 100x998 heatmap", heatmap, SYSTS],
  ["10 datasets stacked (1e7 bins read)", () => stacked("nominal"), ["nominal"]],
];

export async function run(ctx: BenchContext): Promise<void> {
  const reps = Math.max(15, ctx.reps * 3);
  const entries = Math.round(1e5 * ctx.scale);
  const dir = path.join(OUT, `widget-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  try {
    const t0 = performance.now();
    const store = await buildStore(dir, entries);
    console.error(`# widget: 1e9-cell store with 19 filled keys x ${entries} entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // In process: the projection service's work for one change (slice + spec + Arrow), no wire.
    const z = (await Hist.open(store)) as unknown as StoredHist;
    const info = histInfo({ name: z.name, kind: z.kind, axes: z.axes });
    for (const [name, make, systs] of CASES) {
      const times: number[] = [];
      let bins = 0;
      for (let i = -1; i < reps; i++) {
        const c = validateControls(make(systs[(i + systs.length) % systs.length]), info);
        const t = performance.now();
        const a = answerOf(await project(z, c));
        if (i >= 0) times.push(performance.now() - t); // the first run warms V8
        bins = a.nBins;
      }
      ctx.emit({ name: `widget.service ${name}`, value: round4(median(times)), unit: "ms", target: 150, nBins: bins, reps, storeCells: 1e9, loadavg: round4(os.loadavg()[0]), cpus: os.cpus().length, measured: "projection service call in process (slice + spec + Arrow), no wire" });
    }

    // Over the real kernel: comm_msg update -> comm_msg answering that request.
    const k = await KernelClient.start({ cwd: dir });
    try {
      const cell = `import { Hist } from "zhist";\nconst z = await Hist.open(${JSON.stringify(store)});\nawait z.widget({ select: { dataset: "mc0", region: "sr0", syst: "nominal" } });`;
      const { reply, out } = await k.execute(cell, 120000);
      if (reply.content.status !== "ok") throw new Error(`widget cell failed: ${JSON.stringify(reply.content)}`);
      const open = out.find((m) => m.header.msg_type === "comm_open" && m.content.data?.state?._model_name === "HistModel");
      if (!open) throw new Error("no widget model opened");
      const id = open.content.comm_id as string;
      let request = 0;
      for (const [name, make, systs] of CASES) {
        const times: number[] = [];
        let bins = 0;
        for (let i = -1; i < reps; i++) {
          const req = ++request;
          const t = performance.now();
          await k.send("shell", "comm_msg", { comm_id: id, data: { method: "update", state: { controls: make(systs[(i + 1 + systs.length) % systs.length]), request: req }, buffer_paths: [] } });
          await k.waitFor(() => k.iopubMsgs.some((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === id && m.content.data.state.answered === req), 30000, `answer to ${req}`);
          const dt = performance.now() - t;
          const answer = k.iopubMsgs.find((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === id && m.content.data.state.answered === req)!;
          if (answer.content.data.state.error) throw new Error(`request ${req}: ${answer.content.data.state.error}`);
          if (!answer.buffers?.length) throw new Error(`request ${req}: answered without data`);
          bins = answer.content.data.state.n_bins;
          if (i >= 0) times.push(dt);
          k.iopubMsgs.length = 0; // keep the search short
        }
        ctx.emit({ name: `widget.roundtrip ${name}`, value: round4(median(times)), unit: "ms", target: 150, nBins: bins, reps, storeCells: 1e9, p90: round4([...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)]), loadavg: round4(os.loadavg()[0]), cpus: os.cpus().length, measured: "comm round trip over the real kernel (ZeroMQ client: update {controls, request} -> answering comm_msg with Arrow buffers)" });
      }
    } finally {
      await k.stop();
    }
    const duBytes = fs.readdirSync(store, { recursive: true }).map((f) => fs.statSync(path.join(store, String(f)))).filter((s) => s.isFile()).reduce((n, s) => n + s.size, 0);
    ctx.emit({ name: "widget.store.disk", value: duBytes, unit: "bytes", cells: 1e9, filledKeys: 19, entriesPerKey: entries });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
