import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { openHistMeta, readHist, writeHist } from "../../src/zarr/layout.js";
import { uhiAxisExtent, type UhiAxis, type UhiStorageType } from "../../src/uhi.js";
import { ALL_AXES, makeHist } from "./fixtures.js";
import { listFiles, tempStore } from "./tmp.js";
import { plain } from "./python.js";

const STORAGE_TYPES: UhiStorageType[] = ["double", "int", "weighted", "mean"];

for (const type of STORAGE_TYPES) {
  test(`round trip of every axis kind with ${type} storage`, async () => {
    const root = tempStore();
    const ir = makeHist(type);
    await writeHist(root, "analysis/mbjj", ir);
    const back = await readHist(root, "analysis/mbjj");
    const expected = plain(ir) as Record<string, unknown>;
    expected.writer_info = { zhist: { version: "0.1.0" } };
    assert.deepEqual(plain(back), expected);
  });
}

test("each axis kind alone round-trips, including its flow bins", async () => {
  for (const axis of ALL_AXES) {
    const root = tempStore();
    const ir = makeHist("weighted", [axis]);
    await writeHist(root, "h", ir);
    const back = await readHist(root, "h");
    assert.deepEqual(plain(back.axes), plain([axis]));
    assert.deepEqual(Array.from((back.storage as { variances: Float64Array }).variances), Array.from((ir.storage as { variances: Float64Array }).variances));
    assert.equal(back.storage.values.length, uhiAxisExtent(axis));
  }
});

test("a histogram with no axes stores its single bin", async () => {
  const root = tempStore();
  await writeHist(root, "h", { uhi_schema: 1, axes: [], storage: { type: "double", values: Float64Array.from([42]) } });
  const back = await readHist(root, "h");
  assert.deepEqual(Array.from(back.storage.values), [42]);
});

test("layout mirrors UHI: attributes, subgroups, explicit codecs and fill value, no zero chunks", async () => {
  const root = tempStore();
  const ir = makeHist("weighted");
  ir.storage.values.fill(0, ir.storage.values.length / 2); // dataset "wjets" left empty
  await writeHist(root, "h", ir);
  const json = (p: string) => JSON.parse(fs.readFileSync(path.join(root, "h", p, "zarr.json"), "utf8"));
  assert.deepEqual(json(".").attributes, { uhi_schema: 1 });
  assert.deepEqual(json("metadata").attributes, { name: "h", label: "test histogram" });
  assert.deepEqual(json("writer_info/zhist").attributes, { version: "0.1.0" });
  assert.equal(json("storage").attributes.type, "weighted");
  assert.deepEqual(json("axes/axis_0").attributes, { type: "category_str", categories: ["ttbar", "wjets"], flow: false });
  assert.deepEqual(json("axes/axis_0/writer_info/boost-histogram").attributes, { growth: true });
  assert.deepEqual(json("axes/axis_0/metadata").attributes, { name: "dataset", label: "Dataset" });
  assert.equal(json("axes/axis_2").attributes.edges, undefined, "edges live in an array, as in uhi.io.hdf5");
  assert.equal(json("axes/axis_2/edges").shape[0], 4);
  const values = json("storage/values");
  assert.deepEqual(values.shape, ALL_AXES.map(uhiAxisExtent));
  assert.deepEqual(values.chunk_grid.configuration.chunk_shape, [1, 7, 4, 1, 2, 5]);
  assert.equal(values.fill_value, 0);
  assert.equal(values.data_type, "float64");
  assert.deepEqual(values.codecs, [
    { name: "bytes", configuration: { endian: "little" } },
    { name: "zstd", configuration: { level: 1, checksum: false } },
  ]);
  assert.deepEqual(values.dimension_names, ["dataset", "mbjj", "pt", "njet", "pass", "phi"]);
  // Chunks are 1 x ... x 1 (njet) x whole: 2 datasets x 4 njet bins = 8 chunks; the empty
  // dataset's 4 must not exist on disk, the other 4 must.
  const chunkFiles = listFiles(path.join(root, "h/storage/values")).filter((f) => f.startsWith("c."));
  assert.deepEqual(chunkFiles, ["c.0.0.0.0.0.0", "c.0.0.0.1.0.0", "c.0.0.0.2.0.0", "c.0.0.0.3.0.0"]);
  assert.equal(listFiles(path.join(root, "h/storage/variances")).filter((f) => f.startsWith("c.")).length, 8);
});

test("openHistMeta reads axes, shape and chunk shape without touching storage chunks", async () => {
  const root = tempStore();
  await writeHist(root, "h", makeHist("mean"));
  const values = path.join(root, "h/storage/values");
  for (const f of fs.readdirSync(values)) if (f.startsWith("c.")) fs.writeFileSync(path.join(values, f), "garbage"); // would fail a chunk read
  const meta = await openHistMeta(root, "h");
  assert.equal(meta.storageType, "mean");
  assert.deepEqual(meta.fields, ["counts", "values", "variances"]);
  assert.deepEqual(meta.shape, [2, 7, 4, 4, 2, 5]);
  assert.deepEqual(meta.chunkShape, [1, 7, 4, 1, 2, 5]);
  assert.deepEqual(plain(meta.axes), plain(ALL_AXES));
});

test("axes are read in numeric order: axis_10 comes after axis_9", async () => {
  const root = tempStore();
  const axes: UhiAxis[] = Array.from({ length: 12 }, (_, i) => ({
    type: "regular", lower: 0, upper: 1, bins: 1, underflow: false, overflow: false, circular: false, metadata: { name: `a${i}` },
  }));
  await writeHist(root, "h", makeHist("double", axes));
  const back = await readHist(root, "h");
  assert.deepEqual(back.axes.map((a) => a.metadata?.name), axes.map((a) => a.metadata?.name));
});

test("writing over an existing histogram needs overwrite and leaves no stale chunk", async () => {
  const root = tempStore();
  await writeHist(root, "h", makeHist("double"));
  await assert.rejects(writeHist(root, "h", makeHist("double")), /already exists/);
  const empty = makeHist("double");
  empty.storage.values.fill(0);
  await writeHist(root, "h", empty, { overwrite: true });
  assert.deepEqual(listFiles(path.join(root, "h/storage/values")), ["zarr.json"]);
  assert.ok((await readHist(root, "h")).storage.values.every((v) => v === 0));
});

test("writing where an earlier write was killed before its root zarr.json leaves no stale chunk", async () => {
  const root = tempStore();
  await writeHist(root, "h", makeHist("double"));
  fs.rmSync(path.join(root, "h/zarr.json")); // the root document is written last
  const empty = makeHist("double");
  empty.storage.values.fill(0);
  await writeHist(root, "h", empty);
  assert.deepEqual(listFiles(path.join(root, "h/storage/values")), ["zarr.json"]);
  assert.ok((await readHist(root, "h")).storage.values.every((v) => v === 0));
});

test("a storage array of the wrong length is refused before anything is written", async () => {
  const root = tempStore();
  const bad = makeHist("double");
  bad.storage.values = new Float64Array(3);
  await assert.rejects(writeHist(root, "h", bad), /storage\.values has 3 values/);
  assert.deepEqual(listFiles(root), []);
});
