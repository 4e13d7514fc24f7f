// Landing through the codec workers writes exactly the bytes the synchronous path writes, with or
// without workers (ZHIST_CODEC_WORKERS=0 in a child process), and never keeps a process alive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { accumulateRegion, readChunk } from "../../src/zarr/chunks.js";
import { accumulateStorage } from "../../src/zarr/accumulate.js";
import { encodeChunk } from "../../src/zarr/codec.js";
import { codecWorkerCount } from "../../src/zarr/codec-pool.js";
import { openField, writeHist } from "../../src/zarr/layout.js";
import { WeightStorage } from "../../src/storage/weight.js";
import type { UhiHist } from "../../src/uhi.js";
import { filledArray } from "./fixtures.js";
import { listFiles, tempStore } from "./tmp.js";

const here = path.dirname(fileURLToPath(import.meta.url));

function grid(rows: number, bins: number, type: "double" | "weighted" = "double"): UhiHist {
  const n = rows * (bins + 2);
  return {
    uhi_schema: 1,
    axes: [
      { type: "category_int", categories: Array.from({ length: rows }, (_, i) => i), flow: false },
      { type: "regular", lower: 0, upper: 1, bins, underflow: true, overflow: true, circular: false },
    ],
    storage: type === "double" ? { type, values: new Float64Array(n) } : { type, values: new Float64Array(n), variances: new Float64Array(n) },
  } as UhiHist;
}

test("accumulateRegion over many chunks (concurrently, in workers) stores exactly stored + delta, encoded as encodeChunk does", async () => {
  const root = tempStore();
  const rows = 9;
  const bins = 3000;
  await writeHist(root, "h", grid(rows, bins));
  const values = await openField(root, "h", "values");
  const width = bins + 2;
  const first = filledArray(rows * width, 1);
  const second = filledArray(rows * width, 2, 2);
  await accumulateRegion(values, [0, 0], first, [rows, width]);
  await accumulateRegion(values, [0, 0], second, [rows, width]);
  for (let r = 0; r < rows; r++) {
    const expect = first.slice(r * width, (r + 1) * width);
    for (let i = 0; i < width; i++) expect[i] += second[r * width + i];
    const file = path.join(root, `h/storage/values/c.${r}.0`);
    assert.deepEqual(new Uint8Array(fs.readFileSync(file)), new Uint8Array(await encodeChunk(expect, values.codecs)), `chunk ${r}`);
  }
  assert.deepEqual(listFiles(root).filter((f) => f.endsWith(".lock") || f.endsWith(".tmp")), []);
});

test("accumulateStorage (weighted) lands both fields of many chunks; a corrupt chunk fails before writing and leaves others exact", async () => {
  const root = tempStore();
  const rows = 6;
  const bins = 1000;
  const width = bins + 2;
  await writeHist(root, "w", grid(rows, bins, "weighted"));
  const arrays = await Promise.all(["values", "variances"].map((f) => openField(root, "w", f)));
  const block = new WeightStorage(rows * width, filledArray(rows * width, 3), filledArray(rows * width, 4));
  const copy = () => new WeightStorage(rows * width, block.fields[0].slice(), block.fields[1].slice());
  await accumulateStorage(arrays, ["values", "variances"], "weighted", [0, 0], copy(), [rows, width]);
  await accumulateStorage(arrays, ["values", "variances"], "weighted", [0, 0], copy(), [rows, width]);
  for (let r = 0; r < rows; r++) {
    for (const [f, a] of arrays.entries()) {
      const got = await readChunk(a, [r, 0]);
      const src = block.fields[f].subarray(r * width, (r + 1) * width);
      assert.deepEqual(got, Float64Array.from(src, (x) => 0 + x + x), `row ${r} field ${f}`);
    }
  }
  const bad = path.join(root, "w/storage/variances/c.2.0");
  fs.writeFileSync(bad, "garbage");
  const before = fs.readFileSync(path.join(root, "w/storage/values/c.2.0"));
  await assert.rejects(accumulateStorage(arrays, ["values", "variances"], "weighted", [0, 0], copy(), [rows, width]), /corrupt chunk c\.2\.0 of array \/w\/storage\/variances/);
  assert.deepEqual(fs.readFileSync(path.join(root, "w/storage/values/c.2.0")), before, "the chunk's other field was not written");
  assert.equal(fs.readFileSync(bad, "utf8"), "garbage");
  assert.deepEqual(listFiles(root).filter((f) => f.endsWith(".lock") || f.endsWith(".tmp")), []);
});

test("without workers (ZHIST_CODEC_WORKERS=0) the same landing writes the same bytes, and a process with workers exits by itself", async () => {
  if (codecWorkerCount() === 0) return; // nothing to compare on one core
  const script = `
    import { accumulateRegion } from ${JSON.stringify(path.join(here, "../../src/zarr/chunks.js"))};
    import { openField, writeHist } from ${JSON.stringify(path.join(here, "../../src/zarr/layout.js"))};
    import { filledArray } from ${JSON.stringify(path.join(here, "fixtures.js"))};
    const [root] = process.argv.slice(-1);
    const rows = 5, width = 2002;
    await writeHist(root, "h", { uhi_schema: 1, axes: [
      { type: "category_int", categories: [0, 1, 2, 3, 4], flow: false },
      { type: "regular", lower: 0, upper: 1, bins: 2000, underflow: true, overflow: true, circular: false }],
      storage: { type: "double", values: new Float64Array(rows * width) } });
    const values = await openField(root, "h", "values");
    for (let s = 1; s <= 3; s++) await accumulateRegion(values, [0, 0], filledArray(rows * width, s), [rows, width]);
  `;
  const run = (workers: string) => {
    const root = tempStore();
    execFileSync(process.execPath, ["--input-type=module", "-e", script, root], { env: { ...process.env, ZHIST_CODEC_WORKERS: workers }, timeout: 60_000 });
    return root;
  };
  // One job and nothing else to do: the process ends by itself (a worker's port once stayed ref'd here).
  const one = `
    import { accumulateFrame } from ${JSON.stringify(path.join(here, "../../src/zarr/codec-pool.js"))};
    const frame = await accumulateFrame({ frame: null, delta: new Float64Array(1000).fill(1), missing: "delta",
      codecs: { endian: "little", zstd: { level: 1, checksum: false } } }, false);
    if (!frame) throw new Error("no frame");
  `;
  execFileSync(process.execPath, ["--input-type=module", "-e", one], { env: { ...process.env, ZHIST_CODEC_WORKERS: "2" }, timeout: 20_000 });
  const a = run("0");
  const b = run("2");
  assert.deepEqual(listFiles(a), listFiles(b));
  for (const f of listFiles(a)) {
    if (f.endsWith("zarr.json")) continue;
    assert.deepEqual(fs.readFileSync(path.join(a, f)), fs.readFileSync(path.join(b, f)), f);
  }
});
