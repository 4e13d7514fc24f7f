import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { growCategory } from "../../src/zarr/grow.js";
import { accumulateRegion } from "../../src/zarr/chunks.js";
import { openField, openHistMeta, readHist, writeHist } from "../../src/zarr/layout.js";
import { makeHist } from "./fixtures.js";
import { runPython } from "./python.js";
import { listFiles, tempStore } from "./tmp.js";

function hashChunks(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of listFiles(root)) {
    if (file.endsWith("zarr.json")) continue;
    out.set(file, createHash("sha256").update(fs.readFileSync(path.join(root, file))).digest("hex"));
  }
  return out;
}

test("growing a category rewrites only zarr.json: every chunk file stays byte-identical", async () => {
  const root = tempStore();
  const ir = makeHist("weighted");
  await writeHist(root, "h", ir);
  const before = hashChunks(root);
  const result = await growCategory(root, "h", 0, ["zjets", "ttbar", "qcd", "zjets"]);
  assert.deepEqual(result, { categories: ["ttbar", "wjets", "zjets", "qcd"], added: ["zjets", "qcd"] });
  assert.deepEqual(hashChunks(root), before);

  const meta = await openHistMeta(root, "h");
  assert.deepEqual(meta.shape, [4, 7, 4, 4, 2, 5]);
  const back = await readHist(root, "h");
  const old = ir.storage.values;
  assert.deepEqual(Array.from(back.storage.values.subarray(0, old.length)), Array.from(old));
  assert.ok(back.storage.values.subarray(old.length).every((v) => v === 0), "new categories read as zero");
  // Adding labels that all exist changes nothing at all.
  assert.deepEqual((await growCategory(root, "h", 0, ["qcd"])).added, []);
});

test("a grown histogram fills its new category and zarr-python reads the grown arrays", async () => {
  const root = tempStore();
  await writeHist(root, "h", makeHist("double"));
  const { categories } = await growCategory(root, "h", 0, ["signal"]);
  const values = await openField(root, "h", "values");
  const slab = 7 * 4 * 4 * 2 * 5;
  const block = Float64Array.from({ length: slab }, (_, i) => i + 1);
  await accumulateRegion(values, [categories.indexOf("signal"), 0, 0, 0, 0, 0], block, [1, 7, 4, 4, 2, 5]);
  const seen = runPython<{ shape: number[]; categories: string[]; row: number[] }>(
    String.raw`
import json, sys, zarr
a = json.load(sys.stdin); g = zarr.open_group(a["root"], path="h", mode="r")
v = g["storage/values"]
print(json.dumps({"shape": list(v.shape), "categories": g["axes/axis_0"].attrs["categories"], "row": v[2].ravel().tolist()}))`,
    { root },
  );
  assert.deepEqual(seen.shape, [3, 7, 4, 4, 2, 5]);
  assert.deepEqual(seen.categories, ["ttbar", "wjets", "signal"]);
  assert.deepEqual(seen.row, Array.from(block));
});

test("growth is refused on axes where it would move chunks or mix label types", async () => {
  const root = tempStore();
  await writeHist(root, "h", makeHist("double"));
  await assert.rejects(growCategory(root, "h", 3, [99]), /has a flow bin; growing it would move chunks/);
  await assert.rejects(growCategory(root, "h", 1, ["x"]), /is not a category axis/);
  await assert.rejects(growCategory(root, "h", 0, [5]), /does not fit category_str/);
  await assert.rejects(growCategory(root, "h", 9, ["x"]), /axis 9 does not exist/);
});
