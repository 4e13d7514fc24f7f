// Only the requested branches are read: counted by the reader's own statistics, not by timing.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { openRootSource } from "../../src/data/index.js";
import { DATA, readAll } from "./util.js";

test("asking for 2 of 1499 branches decodes only their baskets", async () => {
  const src = await openRootSource(join(DATA, "nano_dy.root"));
  try {
    assert.equal(src.schema.fields.size, 1499);
    assert.equal(src.stats.basketsDecoded, 0, "opening decodes nothing");
    const got = await readAll(src, ["nJet", "Jet_pt"]);
    assert.equal(got.columns.nJet.values.length, 40);
    assert.deepEqual([...src.stats.branchesDecoded].sort(), ["Jet_pt", "nJet"]);
    assert.equal(src.stats.basketsDecoded, 2, "one basket each");
    assert.ok(src.stats.bytesRead < 20_000, `read ${src.stats.bytesRead} bytes of a 350 kB file`);
  } finally {
    await src.close();
  }
});

test("a basket that spans several batches is decoded once", async () => {
  const src = await openRootSource(join(DATA, "open-data-example.root"));
  try {
    const got = await readAll(src, ["Muon_pt"], undefined, 10_000);
    assert.equal(got.batches, 10);
    assert.equal(src.stats.basketsDecoded, 1);
  } finally {
    await src.close();
  }
});
