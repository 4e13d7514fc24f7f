// Store-to-store addition (StoredHist.addStored, behind `zhist merge`) against the in-memory sum,
// bin by bin, flow bins included: every storage, category labels that differ between the inputs
// (merged by label, in order of first appearance), sparse stores (chunks never written), and inputs
// chunked differently from the histogram they are added into.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { Hist, StoredHist } from "../../src/index.js";
import { writeHist } from "../../src/zarr/layout.js";
import { chunkGridShape } from "../../src/zarr/array.js";
import { listFiles, tempStore } from "./tmp.js";
import { makeRandom } from "../helpers/random.js";

type Kind = "Weight" | "Double" | "Int64" | "Mean";

const build = (kind: Kind, datasets: string[], systs: number[]) =>
  Hist.new.StrCat(datasets, { name: "dataset", growth: true }).StrCat(["sr", "cr"], { name: "region" })
    .IntCat(systs, { name: "syst", growth: true }).Reg(41, 0, 41, { name: "x" }).Var([0, 1, 2, 5], { name: "y" })[kind]();

/** Fills a few keys only, at a few x (flow bins included), so most chunks stay unwritten. */
function filled(kind: Kind, seed: number, datasets: string[], systs: number[], keys: [string, string, number][]): Hist {
  const h = build(kind, datasets, systs);
  const rnd = makeRandom(seed);
  const xs = [-3, 3.5, 33.2, 55, NaN];
  for (const [dataset, region, syst] of keys) {
    const n = 40;
    const x = Float64Array.from({ length: n }, () => xs[Math.floor(rnd() * xs.length)]);
    const y = Float64Array.from({ length: n }, () => rnd() * 7 - 1);
    const args: Record<string, unknown> = { dataset, region, syst, x, y };
    if (kind !== "Int64") args.weight = Float64Array.from({ length: n }, () => rnd() * 2 - 0.5);
    if (kind === "Mean") args.sample = Float64Array.from({ length: n }, () => rnd() * 10);
    h.fill(args);
  }
  return h;
}

/** Three inputs whose labels differ; the second is chunked differently (its dense axes whole). */
function inputs(kind: Kind): { hists: Hist[]; chunkBytes: (number | undefined)[] } {
  return {
    hists: [
      filled(kind, 1, ["ttbar", "dy"], [0, 1], [["ttbar", "sr", 0], ["dy", "other", 1]]),
      filled(kind, 2, ["wjets", "ttbar"], [2, 0], [["wjets", "sr", 2], ["ttbar", "sr", 0], ["ttbar", "cr", 2]]),
      filled(kind, 3, ["dy", "qcd"], [1], [["qcd", "cr", 1], ["dy", "sr", 1]]),
    ],
    chunkBytes: [8 * 16, undefined, 8 * 16],
  };
}

function assertSameHist(got: Hist, want: Hist, what: string): void {
  assert.deepEqual(got.axes.map((a) => a.toUHI()), want.axes.map((a) => a.toUHI()), what);
  const fields = (h: Hist) => [h.values({ flow: true }), h.variances({ flow: true }), h.counts({ flow: true })];
  const [fg, fw] = [fields(got), fields(want)];
  fg.forEach((g, f) => {
    const w = fw[f];
    assert.equal(g === null, w === null, `${what}: field ${f}`);
    if (!g || !w) return;
    assert.deepEqual(g.shape, w.shape);
    for (let i = 0; i < g.data.length; i++) {
      const [a, b] = [g.data[i], w.data[i]];
      if (Number.isNaN(a) && Number.isNaN(b)) continue;
      assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: field ${f} cell ${i}: ${a} vs ${b}`);
    }
  });
}

const chunkFiles = (dir: string) => listFiles(dir).filter((f) => /^storage\/values\/c\//.test(f));
/** Chunks in the grid of the values array (its shape is the axes' extents). */
function chunkCount(dir: string): number {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, "storage", "values", "zarr.json"), "utf8"));
  return chunkGridShape({ shape: doc.shape, chunkShape: doc.chunk_grid.configuration.chunk_shape }).reduce((n, e) => n * e, 1);
}

for (const kind of ["Weight", "Double", "Int64", "Mean"] as Kind[]) {
  test(`addStored of ${kind} stores equals the in-memory sum, categories merged by label, sparse and differently chunked`, async () => {
    const root = tempStore();
    const { hists, chunkBytes } = inputs(kind);
    const dirs = hists.map((_, i) => path.join(root, `in${i}`));
    for (const [i, h] of hists.entries()) await writeHist(dirs[i], "/", h.toUHI(), { maxChunkBytes: chunkBytes[i] });
    // The in-memory sum of what the stores hold (a Double store keeps no variances of its own).
    const loaded = await Promise.all(dirs.map(async (d) => (await StoredHist.open(d)).toHist()));
    const want = loaded[0].clone().add(loaded[1]).add(loaded[2]);
    const target = await StoredHist.open(dirs[0]);
    assert.ok(chunkFiles(dirs[0]).length < chunkCount(dirs[0]) / 4, "the input is sparse");

    for (const d of dirs.slice(1)) await target.addStored(await StoredHist.open(d));
    const got = await target.toHist();
    assert.deepEqual(Array.from({ length: got.axes[0].size }, (_, i) => got.axes[0].bin(i)), ["ttbar", "dy", "wjets", "qcd"]);
    assert.deepEqual(Array.from({ length: got.axes[2].size }, (_, i) => got.axes[2].bin(i)), [0, 1, 2]);
    assertSameHist(got, want, kind);
    // Still sparse: no chunk of zeros was written for the keys nobody filled.
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dirs[0], "storage", "values", "zarr.json"), "utf8")).shape, got.axes.map((a) => a.extent));
    assert.ok(chunkFiles(dirs[0]).length < chunkCount(dirs[0]) / 4, "the sum is sparse");
  });
}

test("addStored refuses different axes or storages with an error naming the axis; nothing is added", async () => {
  const root = tempStore();
  const a = filled("Weight", 4, ["ttbar"], [0], [["ttbar", "sr", 0]]);
  await writeHist(path.join(root, "a"), "/", a.toUHI());
  const target = await StoredHist.open(path.join(root, "a"));
  const other = async (name: string, h: Hist) => {
    await writeHist(path.join(root, name), "/", h.toUHI());
    return StoredHist.open(path.join(root, name));
  };
  const wider = Hist.new.StrCat(["ttbar"], { name: "dataset", growth: true }).StrCat(["sr", "cr"], { name: "region" })
    .IntCat([0], { name: "syst", growth: true }).Reg(42, 0, 42, { name: "x" }).Var([0, 1, 2, 5], { name: "y" }).Weight();
  await assert.rejects(target.addStored(await other("wider", wider)), /axis .*x.* differs/);
  const fixedRegion = Hist.new.StrCat(["ttbar"], { name: "dataset", growth: true }).StrCat(["sr", "vr"], { name: "region" })
    .IntCat([0], { name: "syst", growth: true }).Reg(41, 0, 41, { name: "x" }).Var([0, 1, 2, 5], { name: "y" }).Weight();
  await assert.rejects(target.addStored(await other("vr", fixedRegion)), /axis .*region.* lacks categories \["vr"\]/);
  await assert.rejects(target.addStored(await other("double", filled("Double", 5, ["ttbar"], [0], [["ttbar", "sr", 0]]))), /weighted storage, .* double/);
  assertSameHist(await target.toHist(), a, "unchanged");
});

/** Rewrites a store's arrays to the "/" chunk key separator of earlier zhist versions (a directory per level). */
function toNestedLayout(histDir: string): void {
  for (const field of ["values", "variances"]) {
    const dir = path.join(histDir, "storage", field);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, "zarr.json"), "utf8"));
    doc.chunk_key_encoding = { name: "default", configuration: { separator: "/" } };
    fs.writeFileSync(path.join(dir, "zarr.json"), JSON.stringify(doc));
    for (const f of fs.readdirSync(dir)) {
      if (!f.startsWith("c.")) continue;
      const nested = path.join(dir, ...f.split("."));
      fs.mkdirSync(path.dirname(nested), { recursive: true });
      fs.renameSync(path.join(dir, f), nested);
    }
  }
}

test("stores written with the \"/\" chunk key separator are read, filled and merged as they are", async () => {
  const root = tempStore();
  const [a, b] = [filled("Weight", 5, ["d1"], [0, 1], [["d1", "sr", 0], ["d1", "cr", 1]]), filled("Weight", 6, ["d1"], [0, 1], [["d1", "sr", 1]])];
  await a.save(root, "old");
  toNestedLayout(path.join(root, "old"));
  assert.ok(listFiles(path.join(root, "old", "storage", "values")).some((f) => f.startsWith("c/")));
  const old = await StoredHist.open(path.join(root, "old"));
  assert.deepEqual(Array.from((await old.values({ flow: true })).data), Array.from(a.values({ flow: true }).data));
  // Filling it lands in its own layout: no "c.*" file appears beside the nested chunks.
  await old.add(b);
  const sum = a.clone().add(b);
  assert.deepEqual(Array.from((await old.variances({ flow: true }))!.data), Array.from(sum.variances({ flow: true })!.data));
  assert.deepEqual(listFiles(path.join(root, "old", "storage", "values")).filter((f) => f.startsWith("c.")), []);
  // Merged into a new store (written with "."), chunk by chunk.
  await build("Weight", ["d1"], [0, 1]).save(root, "new");
  const merged = await (await StoredHist.open(path.join(root, "new"))).addStored(await StoredHist.open(path.join(root, "old")));
  assert.deepEqual(Array.from((await merged.values({ flow: true })).data), Array.from(sum.values({ flow: true }).data));
});
