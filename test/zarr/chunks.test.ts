import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { accumulateChunk, accumulateRegion, readChunk } from "../../src/zarr/chunks.js";
import { openField, readHist, writeHist } from "../../src/zarr/layout.js";
import type { UhiHist } from "../../src/uhi.js";
import { listFiles, tempStore } from "./tmp.js";

function grid(rows: number, bins: number): UhiHist {
  return {
    uhi_schema: 1,
    axes: [
      { type: "category_int", categories: Array.from({ length: rows }, (_, i) => i), flow: false },
      { type: "regular", lower: 0, upper: 1, bins, underflow: true, overflow: true, circular: false },
    ],
    storage: { type: "double", values: new Float64Array(rows * (bins + 2)) },
  };
}

test("readChunk returns null for a never-written chunk; accumulateChunk creates then adds", async () => {
  const root = tempStore();
  await writeHist(root, "h", grid(2, 8), { maxChunkBytes: 5 * 8 });
  const values = await openField(root, "h", "values");
  assert.deepEqual(values.chunkShape, [1, 5]);
  assert.equal(await readChunk(values, [1, 1]), null);
  await accumulateChunk(values, [1, 1], Float64Array.from([1, 2, 3, 4, 5]));
  await accumulateChunk(values, [1, 1], Float64Array.from([1, 1, 1, 1, 1]));
  assert.deepEqual(Array.from((await readChunk(values, [1, 1]))!), [2, 3, 4, 5, 6]);
  await accumulateChunk(values, [0, 0], new Float64Array(5)); // zeros into nothing: no file
  assert.equal(await readChunk(values, [0, 0]), null);
  await assert.rejects(accumulateChunk(values, [1, 1], new Float64Array(4)), /needs 5 values/);
  await assert.rejects(accumulateChunk(values, [5, 0], new Float64Array(5)), /outside array/);
});

test("accumulateRegion spreads a block over the chunks it overlaps, clipped at the edges", async () => {
  const root = tempStore();
  await writeHist(root, "h", grid(3, 8), { maxChunkBytes: 4 * 8 }); // extent 10 -> chunks of 4,4,2(+pad)
  const values = await openField(root, "h", "values");
  const block = Float64Array.from({ length: 2 * 7 }, (_, i) => i + 1); // rows 1-2, bins 3..9
  await accumulateRegion(values, [1, 3], block, [2, 7]);
  await accumulateRegion(values, [1, 3], block, [2, 7]);
  const back = await readHist(root, "h");
  const expected = new Float64Array(30);
  for (let r = 0; r < 2; r++) for (let c = 0; c < 7; c++) expected[(1 + r) * 10 + 3 + c] = 2 * block[r * 7 + c];
  assert.deepEqual(Array.from(back.storage.values), Array.from(expected));
  assert.deepEqual(listFiles(path.join(root, "h/storage/values")).filter((f) => f.startsWith("c.")),
    ["c.1.0", "c.1.1", "c.1.2", "c.2.0", "c.2.1", "c.2.2"]);
  await assert.rejects(accumulateRegion(values, [2, 5], block, [2, 7]), /exceeds shape/);
});

test("a corrupt chunk is an error naming the chunk key and store path, and is left as it was", async () => {
  const root = tempStore();
  const ir = grid(2, 3);
  ir.storage.values.fill(1);
  await writeHist(root, "h", ir);
  const chunkFile = path.join(root, "h/storage/values/c.1.0");
  const goodFile = path.join(root, "h/storage/values/c.0.0");
  const good = fs.readFileSync(goodFile);
  fs.writeFileSync(chunkFile, "not zstd at all");
  const message = new RegExp(`corrupt chunk c\\.1\\.0 of array /h/storage/values in store ${root.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
  await assert.rejects(readHist(root, "h"), message);
  const values = await openField(root, "h", "values");
  await assert.rejects(accumulateChunk(values, [1, 0], new Float64Array(5).fill(1)), message);
  assert.equal(fs.readFileSync(chunkFile, "utf8"), "not zstd at all", "failed accumulate did not overwrite");
  assert.deepEqual(fs.readFileSync(goodFile), good, "other chunks untouched");
  assert.deepEqual(listFiles(root).filter((f) => f.endsWith(".lock") || f.endsWith(".tmp")), []);
});
