// Parquet and Arrow IPC against the ROOT twin files: same events, same values, column by column.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { openEventSource, type EventSource } from "../../src/data/index.js";
import { runPython } from "../helpers/python.js";
import { assertSameValues, DATA, readAll } from "./util.js";

const dir = mkdtempSync(join(tmpdir(), "zhist-data-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function sameAsRoot(src: EventSource, rootFile: string, batch: number, range?: { start: number; stop: number }) {
  const root = await openEventSource(join(DATA, rootFile));
  try {
    assert.equal(src.entries, root.entries);
    const common = [...src.schema.fields.keys()].filter((c) => root.schema.fields.has(c));
    assert.ok(common.length > 1000, `${common.length} columns in common`);
    for (const c of common) {
      const a = src.schema.fields.get(c)!, b = root.schema.fields.get(c)!;
      assert.equal(a.kind, b.kind, `${c}: kind`);
      assert.equal(a.type, b.type, `${c}: type`);
      if (a.kind === "jagged" && /^[A-Za-z0-9]+_/.test(c) && root.schema.fields.has(b.counter!)) assert.equal(a.counter, b.counter, `${c}: counter`);
    }
    const got = await readAll(src, common, range, batch);
    const want = await readAll(root, common, range);
    for (const c of common) {
      assertSameValues(got.columns[c].values, want.columns[c].values, `${c} values`);
      if (want.columns[c].counts) assertSameValues(got.columns[c].counts!, want.columns[c].counts!, `${c} counts`);
    }
  } finally {
    await root.close();
  }
}

for (const name of ["nano_dy", "nano_dimuon"]) {
  test(`${name}.parquet equals ${name}.root`, async () => {
    const src = await openEventSource(join(DATA, name + ".parquet"));
    try {
      await sameAsRoot(src, name + ".root", 7);
      await sameAsRoot(src, name + ".root", 5, { start: 3, stop: 31 });
    } finally {
      await src.close();
    }
  });
}

test("Arrow IPC file and stream written by pyarrow (several record batches) equal the ROOT twin", async () => {
  await runPython(`
import pyarrow.parquet as pq, pyarrow as pa
t = pq.read_table(INPUT["parquet"])
with pa.ipc.new_file(INPUT["dir"] + "/nano_dy.arrow", t.schema) as w:
    w.write_table(t, max_chunksize=9)
with pa.ipc.new_stream(INPUT["dir"] + "/nano_dy.arrows", t.schema) as w:
    w.write_table(t, max_chunksize=16)
`, { input: { parquet: join(DATA, "nano_dy.parquet"), dir } });
  for (const file of ["nano_dy.arrow", "nano_dy.arrows"]) {
    const src = await openEventSource(join(dir, file));
    try {
      await sameAsRoot(src, "nano_dy.root", 6);
    } finally {
      await src.close();
    }
  }
});
