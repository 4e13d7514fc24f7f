// zarrita.js itself opens our store through AtomicFileStore and reads the same numbers,
// and reads the empty (never written) chunks as the fill value 0.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { AtomicFileStore } from "../../src/zarr/store.js";
import { writeHist } from "../../src/zarr/layout.js";
import { makeHist } from "./fixtures.js";
import { tempStore } from "./tmp.js";

test("zarrita opens our arrays through AtomicFileStore and reads identical values", async () => {
  const root = tempStore();
  const ir = makeHist("weighted");
  ir.storage.values.fill(0, ir.storage.values.length / 2);
  await writeHist(root, "h", ir);
  const store = new AtomicFileStore(root);
  const group = await zarr.open(zarr.root(store).resolve("h"), { kind: "group" });
  assert.equal(group.attrs.uhi_schema, 1);
  const values = await zarr.open(zarr.root(store).resolve("h/storage/values"), { kind: "array" });
  const chunk = await zarr.get(values);
  assert.deepEqual(chunk.shape, [2, 7, 4, 4, 2, 5]);
  assert.deepEqual(Array.from(chunk.data as Float64Array), Array.from(ir.storage.values));
});
