// The store-backed histogram against the same fills in memory: fills per categorical key,
// streaming project / slice / sum, growth that moves no chunk, reads limited to the chunks needed.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { Hist, loc, rebin, sum, type StoredHistogram } from "../../src/index.js";
import { listFiles, tempStore } from "./tmp.js";
import { makeRandom } from "../helpers/random.js";

const build = (kind: "Weight" | "Double" | "Mean") =>
  Hist.new.StrCat([], { name: "dataset", growth: true }).StrCat(["sr", "cr"], { name: "region" }).Reg(20, 0, 100, { name: "pt" }).Var([-2.5, -1, 0, 1, 2.5], { name: "eta" })[kind]();

/** The same fills into a stored and an in-memory histogram. */
async function fillBoth(stored: StoredHistogram, mem: Hist, seed: number, withSample = false): Promise<void> {
  const rnd = makeRandom(seed);
  for (const dataset of ["ttbar", "wjets", "ttbar", "data"]) {
    for (const region of ["sr", "cr", "other"]) {
      const n = 500;
      const pt = Float64Array.from({ length: n }, () => (rnd() < 0.02 ? NaN : rnd() * 120 - 10));
      const eta = Float64Array.from({ length: n }, () => rnd() * 6 - 3);
      const weight = Float64Array.from({ length: n }, () => rnd() * 2);
      const sample = withSample ? Float64Array.from({ length: n }, () => rnd() * 10) : undefined;
      const args = { dataset, region, pt, eta, weight, ...(sample ? { sample } : {}) };
      mem.fill(args);
      await stored.fill(args);
    }
  }
  // Per-entry category labels are grouped by key in the store.
  const labels = ["zz", "ttbar", "zz", "sr"];
  const byEntry = { dataset: labels, region: ["sr", "cr", "cr", "other"], pt: [10, 20, 30, 40], eta: [0.5, 0.5, -0.5, 3], weight: [1, 2, 3, 4], ...(withSample ? { sample: [1, 2, 3, 4] } : {}) };
  mem.fill(byEntry);
  await stored.fill(byEntry);
}

async function storedEmpty(kind: "Weight" | "Double" | "Mean"): Promise<[StoredHistogram, Hist, string]> {
  const dir = tempStore();
  await build(kind).save(dir, "h");
  return [await Hist.open(path.join(dir, "h")), build(kind), path.join(dir, "h")];
}

/**
 * Same axes and bins. A store adds each fill's temporary into the cell, (a + (b + c)) where memory
 * sums (a + b) + c, so weighted sums agree to rounding; unweighted counts agree exactly.
 */
function assertSameHist(a: Hist, b: Hist): void {
  assert.deepEqual(a.axes.map((x) => x.toUHI()), b.axes.map((x) => x.toUHI()));
  const fields = (h: Hist) => [h.values({ flow: true }), h.variances({ flow: true }), h.counts({ flow: true })];
  const [fa, fb] = [fields(a), fields(b)];
  fa.forEach((va, f) => {
    const vb = fb[f];
    // A Double storage filled with weights has unknown variances; UHI keeps no such flag.
    if (!va || !vb) return assert.equal(a.kind, "double");
    assert.deepEqual(va.shape, vb.shape);
    va.data.forEach((x, i) => {
      const y = vb.data[i];
      assert.ok(x === y || Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(y)) || (Number.isNaN(x) && Number.isNaN(y)), `field ${f} cell ${i}: ${x} vs ${y}`);
    });
  });
}

for (const kind of ["Weight", "Double"] as const) {
  test(`stored ${kind} fill equals the in-memory fill, bin by bin`, async () => {
    const [stored, mem] = await storedEmpty(kind);
    await fillBoth(stored, mem, 7);
    assertSameHist(await stored.toHist(), mem);
    assert.deepEqual(stored.axes[0].toUHI().type === "category_str" && (stored.axes[0].toUHI() as { categories: string[] }).categories, ["ttbar", "wjets", "data", "zz", "sr"]);
  });
}

test("stored Mean fill merges profiles as the in-memory one", async () => {
  const [stored, mem] = await storedEmpty("Mean");
  await fillBoth(stored, mem, 11, true);
  assertSameHist(await stored.toHist(), mem);
});

test("streaming project, slice and sum equal the in-memory algorithms", async () => {
  const [stored, mem] = await storedEmpty("Weight");
  await fillBoth(stored, mem, 3);
  assertSameHist(await stored.project("pt"), mem.project("pt"));
  assertSameHist(await stored.project("eta", "dataset"), mem.project("eta", "dataset"));
  const selections = [
    { dataset: "ttbar", region: sum },
    { dataset: sum, region: "sr", pt: [loc(20), loc(80), rebin(3)] },
    { dataset: ["wjets", "ttbar"], eta: sum },
    { region: [null, null, sum], pt: [2, 10, sum] },
  ] as const;
  for (const sel of selections) assertSameHist(await stored.slice(sel as never), mem.slice(sel as never));
  for (const flow of [false, true]) {
    const [got, want] = [await stored.sum({ flow }), mem.sum({ flow })] as { value: number; variance: number }[];
    assert.ok(Math.abs(got.value - want.value) < 1e-9 && Math.abs(got.variance - want.variance) < 1e-9, JSON.stringify({ got, want }));
  }
});

test("a single-category selection reads only that category's chunks", async () => {
  const [stored, mem, dir] = await storedEmpty("Double");
  await fillBoth(stored, mem, 5);
  // Spoil every chunk of dataset "wjets" (index 1): selections that avoid it must still work.
  const spoiled = listFiles(path.join(dir, "storage", "values")).filter((f) => /^c\.1\./.test(f));
  assert.ok(spoiled.length > 0);
  for (const f of spoiled) fs.writeFileSync(path.join(dir, "storage", "values", f), "not zstd");
  assertSameHist(await stored.slice({ dataset: "ttbar" }), mem.slice({ dataset: "ttbar" }));
  // A projection needs every chunk, so it meets the corrupt one and names it.
  await assert.rejects(stored.project("pt"), (err: Error) => /corrupt chunk c\.1\./.test(err.message) && err.message.includes(dir));
});

test("growing a category through fills leaves every existing chunk file byte-identical", async () => {
  const [stored, , dir] = await storedEmpty("Weight");
  await stored.fill({ dataset: "ttbar", region: "sr", pt: [5, 15, 25], eta: [0, 0, 0] });
  const hashes = () => Object.fromEntries(listFiles(dir).filter((f) => /\/c\./.test(f)).map((f) => [f, createHash("sha256").update(fs.readFileSync(path.join(dir, f))).digest("hex")]));
  const before = hashes();
  await stored.fill({ dataset: ["wjets", "qcd"], region: "cr", pt: [50, 60], eta: [1, -1] });
  const after = hashes();
  for (const [f, h] of Object.entries(before)) assert.equal(after[f], h, `${f} changed`);
  assert.ok(Object.keys(after).length > Object.keys(before).length);
  assert.equal(((await stored.project("dataset")).values().data).join(","), "3,1,1");
});

test("adding an in-memory histogram into the store merges categories by label", async () => {
  const [stored, mem] = await storedEmpty("Weight");
  await fillBoth(stored, mem, 9);
  const other = build("Weight");
  other.fill({ dataset: "signal", region: "sr", pt: [10, 10], eta: [0, 0], weight: 0.5 });
  other.fill({ dataset: "ttbar", region: "cr", pt: [90], eta: [2], weight: 3 });
  await stored.add(other);
  mem.add(other);
  assertSameHist(await stored.toHist(), mem);
});

test("a non-growing category axis sends unknown labels to its flow bin, in the store as in memory", async () => {
  const [stored, mem] = await storedEmpty("Double");
  const fill = { dataset: "x", region: ["nowhere", "sr"], pt: [1, 2], eta: [0, 0] };
  mem.fill(fill);
  await stored.fill(fill);
  assertSameHist(await stored.toHist(), mem);
  assert.equal((await stored.slice({ region: 2 as never }).catch(() => null)), null); // index 2 is the flow bin, not a category
});

test("a stored histogram displays as a summary of its axes and labels, without reading chunks", async () => {
  const [stored, , dir] = await storedEmpty("Weight");
  await stored.fill({ dataset: ["ttbar", "wjets"], region: "sr", pt: [5, 15], eta: [0, 0] });
  for (const f of listFiles(dir).filter((f) => /\/c\./.test(f))) fs.writeFileSync(path.join(dir, f), "unreadable"); // display must not read them
  const text = (stored as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]()["text/plain"];
  assert.match(text, /^StoredHist\(weight\) .*: 792 cells with flow/);
  assert.match(text, /"dataset" str_category \(2 bins\) \[ttbar, wjets\]/);
  assert.match(text, /"region" str_category \(2 bins\) \[sr, cr\]/);
});
