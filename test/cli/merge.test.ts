// `zhist merge` streams store to store: merging stores far larger than memory stays within a few
// chunks (peak RSS of the command measured in a child process), the merged store holds the exact
// sum, and Python's zarr and hist read what it wrote.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { test } from "node:test";
import { Hist, StoredHist } from "../../src/index.js";
import type { UhiRegularAxis } from "../../src/uhi.js";
import { mergeStores } from "../../src/cli/merge.js";
import { accumulateRegion, openField, readChunk, writeEmptyHist } from "../../src/zarr/index.js";
import { runPython } from "../helpers/python.js";

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "cli.js");

/** Runs the zhist command in a child that reports its peak resident set size (bytes) at exit. */
function zhistWithPeakRss(args: string[]): { status: number | null; stdout: string; stderr: string; maxRss: number } {
  const wrapper = `process.on("exit", () => process.stderr.write("\\nmaxRSS " + process.resourceUsage().maxRSS + "\\n"));
process.argv = [process.argv[0], ${JSON.stringify(cli)}, ...process.argv.slice(1)];
await import(${JSON.stringify(pathToFileURL(cli).href)});`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", wrapper, ...args], { encoding: "utf8" });
  const m = /maxRSS (\d+)/.exec(r.stderr);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, maxRss: m ? Number(m[1]) * 1024 : NaN };
}

// dataset x 10000 x 20000 cells with flow: 2e8 cells per dataset, 3.2 GB of weighted bins.
const X_BINS = 9998;
const Y_BINS = 19998;

async function bigStore(store: string, labels: string[], blocks: { at: number[]; shape: number[]; w: number }[]): Promise<void> {
  const ir = Hist.new.StrCat(labels, { name: "dataset", growth: true }).Reg(2, 0, 1, { name: "x" }).Reg(2, 0, 1, { name: "y" }).Weight().toUHI();
  (ir.axes[1] as UhiRegularAxis).bins = X_BINS;
  (ir.axes[2] as UhiRegularAxis).bins = Y_BINS;
  const dir = path.join(store, "big");
  await writeEmptyHist(dir, "/", { ...ir, metadata: { name: "big" }, storage: { type: "weighted" } });
  const [values, variances] = await Promise.all(["values", "variances"].map((f) => openField(dir, "/", f)));
  for (const b of blocks) {
    const n = b.shape.reduce((p, e) => p * e, 1);
    const v = Float64Array.from({ length: n }, (_, i) => b.w * (1 + (i % 7)));
    await accumulateRegion(values, b.at, v, b.shape);
    await accumulateRegion(variances, b.at, v.map((x) => x * x), b.shape);
  }
}

test("zhist merge of stores of a 2e8-bin histogram (3.2 GB per dataset) streams in a few chunks of memory", { timeout: 120000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-merge-big-"));
  try {
    const [one, two, out] = ["one.zarr", "two.zarr", "all.zarr"].map((s) => path.join(dir, s));
    await bigStore(one, ["a"], [
      { at: [0, 100, 7], shape: [1, 3, 4], w: 1 },
      { at: [0, 5000, 0], shape: [1, 2, Y_BINS + 2], w: 0.5 },
      { at: [0, X_BINS + 1, 19990], shape: [1, 1, 10], w: 2 }, // overflow row of x
    ]);
    await bigStore(two, ["b", "a"], [
      { at: [0, 100, 7], shape: [1, 3, 4], w: 3 },
      { at: [1, 101, 8], shape: [1, 2, 2], w: 5 },
      { at: [1, 7000, 100], shape: [1, 1, 5], w: 7 },
    ]);
    const r = zhistWithPeakRss(["merge", out, one, two]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /all\.zarr\/big: sum of 2/);
    const logical = 2 * 2e8 * 16; // two datasets, values and variances
    console.log(`zhist merge peak RSS ${(r.maxRss / 2 ** 20).toFixed(0)} MiB for ${(logical / 1e9).toFixed(1)} GB of bins`);
    assert.ok(r.maxRss < 500 * 2 ** 20, `peak RSS ${r.maxRss} bytes`);

    const merged = await StoredHist.open(path.join(out, "big"));
    assert.deepEqual([0, 1].map((i) => merged.axes[0].bin(i)), ["a", "b"]);
    const [h1, h2] = await Promise.all([one, two].map((s) => StoredHist.open(path.join(s, "big"))));
    const [p1, p2, pm] = await Promise.all([h1, h2, merged].map((h) => h.project("dataset")));
    assert.deepEqual(Array.from(pm.values({ flow: true }).data), [p1.values({ flow: true }).data[0] + p2.values({ flow: true }).data[1], p2.values({ flow: true }).data[0]]);
    assert.deepEqual(Array.from(pm.variances({ flow: true })!.data), [p1.variances({ flow: true })!.data[0] + p2.variances({ flow: true })!.data[1], p2.variances({ flow: true })!.data[0]]);
    // Bin by bin where both inputs wrote: dataset "a" is index 0 of one and index 1 of two.
    const fields = await Promise.all([one, two, out].map((s) => openField(path.join(s, "big"), "/", "values")));
    const row = Math.floor(100 / fields[2].chunkShape[1]);
    const [c1, c2, cm] = await Promise.all([readChunk(fields[0], [0, row, 0]), readChunk(fields[1], [1, row, 0]), readChunk(fields[2], [0, row, 0])]);
    assert.deepEqual(cm, c1!.map((v, i) => v + c2![i]));
    // Only the chunks some input wrote exist: no chunk of zeros for the 2 x 193 of the grid.
    const rows = (xs: number[]) => new Set(xs.map((x) => Math.floor(x / fields[2].chunkShape[1]))).size;
    const written = fs.readdirSync(path.join(out, "big", "storage", "values")).filter((f) => f.startsWith("c."));
    assert.equal(written.length, rows([100, 101, 102, 5000, 5001, X_BINS + 1, 7000]) + rows([100]));

    // Python's zarr reads the merged store (a slice: the whole is 6.4 GB).
    const { json } = await runPython<{ schema: number; categories: string[]; slice: number }>(`
import zarr, numpy as np
g = zarr.open_group(INPUT, mode="r")
v = g["storage/values"]
emit({"schema": g.attrs["uhi_schema"], "categories": list(g["axes/axis_0"].attrs["categories"]), "slice": float(np.asarray(v[0, 100:103, 7:11]).sum())})
`, { input: path.join(out, "big") });
    assert.deepEqual([json.schema, json.categories], [1, ["a", "b"]]);
    const cellsOf = (c: Float64Array) => { let s = 0; for (let x = 100; x < 103; x++) for (let y = 7; y < 11; y++) s += c[(x % fields[2].chunkShape[1]) * fields[2].chunkShape[2] + y]; return s; };
    assert.equal(json.slice, cellsOf(cm!));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("zhist merge of Weight and Mean stores with different labels: Python's hist reads the sum", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-merge-py-"));
  try {
    for (const kind of ["Weight", "Mean"] as const) {
      const make = (datasets: string[]) => Hist.new.StrCat(datasets, { name: "dataset", growth: true }).Reg(5, 0, 5, { name: "x" })[kind]();
      const one = make(["dy", "ttbar"]);
      one.fill({ dataset: ["dy", "ttbar", "dy"], x: [0.5, 4.5, 9], weight: [1, 2, 3], ...(kind === "Mean" ? { sample: [1, 2, 3] } : {}) });
      const two = make(["wjets", "ttbar"]);
      two.fill({ dataset: ["wjets", "ttbar", "ttbar"], x: [-1, 4.5, 2.5], weight: [0.5, 2, 1], ...(kind === "Mean" ? { sample: [4, 6, 8] } : {}) });
      const name = kind.toLowerCase();
      await one.save(path.join(dir, "one.zarr"), name);
      await two.save(path.join(dir, "two.zarr"), name);
    }
    const report = await mergeStores(path.join(dir, "all.zarr"), [path.join(dir, "one.zarr"), path.join(dir, "two.zarr")]);
    assert.deepEqual(Object.keys(report.merged).sort(), ["mean", "weight"]);
    for (const name of ["weight", "mean"]) {
      const load = async (s: string) => (await Hist.open(path.join(dir, s, name))).toHist();
      const want = (await load("one.zarr")).add(await load("two.zarr"));
      const got = await load("all.zarr");
      const { json, arrays } = await runPython<{ categories: string[] }>(`
import zarr, hist, numpy as np
g = zarr.open_group(INPUT, mode="r")
def attrs(node): return {k: v for k, v in node.attrs.items()}
axes = []
for k in sorted(g["axes"].group_keys(), key=lambda k: int(k.split("_")[1])):
    a = attrs(g["axes"][k])
    if "metadata" in g["axes"][k]: a["metadata"] = attrs(g["axes"][k]["metadata"])
    if "writer_info" in g["axes"][k]: a["writer_info"] = {l: attrs(v) for l, v in g["axes"][k]["writer_info"].groups()}
    axes.append(a)
storage = {"type": g["storage"].attrs["type"]}
for key, arr in g["storage"].arrays(): storage[key] = arr[...]
h = hist.Hist({"uhi_schema": 1, "axes": axes, "storage": storage})
emit({"categories": list(h.axes[0])})
emit_array("values", h.values(flow=True))
`, { input: path.join(dir, "all.zarr", name) });
      assert.deepEqual(json.categories, ["dy", "ttbar", "wjets"]);
      const flat = (a: Float64Array) => Array.from(a, (v) => (Number.isNaN(v) ? 0 : v));
      assert.deepEqual(flat(arrays.values.data), flat(got.values({ flow: true }).data), name);
      assert.deepEqual(flat(got.values({ flow: true }).data), flat(want.values({ flow: true }).data), name);
      assert.deepEqual(Array.from(got.variances({ flow: true })!.data, (v) => Number.isNaN(v) ? 0 : v), Array.from(want.variances({ flow: true })!.data, (v) => Number.isNaN(v) ? 0 : v), name);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("zhist merge does not copy a writer's leftovers (a chunk lock, a temporary chunk) from the first input", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-merge-left-"));
  try {
    for (const [store, label] of [["one.zarr", "a"], ["two.zarr", "b"]]) {
      const h = Hist.new.StrCat([label], { name: "dataset", growth: true }).Reg(4, 0, 4, { name: "x" }).Weight();
      h.fill({ dataset: label, x: [0.5, 1.5, 1.5] });
      await h.save(path.join(dir, store), "h");
    }
    // A live holder's lock (this process) and a killed writer's temporary file beside the first input's chunk.
    const chunk = path.join(dir, "one.zarr", "h", "storage", "values", "c.0.0");
    assert.ok(fs.existsSync(chunk));
    fs.writeFileSync(`${chunk}.lock`, JSON.stringify({ host: os.hostname(), pid: process.pid, start: null, thread: 0, nonce: "x", since: 0 }));
    fs.writeFileSync(`${chunk}.12345-0-deadbeef0${".tmp"}`, "half a chunk");
    await mergeStores(path.join(dir, "all.zarr"), [path.join(dir, "one.zarr"), path.join(dir, "two.zarr")]);
    const files = (fs.readdirSync(path.join(dir, "all.zarr"), { recursive: true }) as string[]).filter((f) => /\.(lock|tmp)$/.test(f));
    assert.deepEqual(files, []);
    const got = await (await StoredHist.open(path.join(dir, "all.zarr", "h"))).toHist();
    assert.deepEqual(Array.from(got.values().data), [1, 2, 0, 0, 1, 2, 0, 0]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
