// The column-by-column Arrow IPC file reader (ipc-file.ts) against apache-arrow's whole-file reader on
// the same bytes: booleans (bit-packed), 64-bit integers, lists and large lists, several record
// batches, ranges that start and end inside batches, and a column type it skips.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Bool, Field, Float32, Int64, LargeList, List, Table, Utf8, makeData, makeVector, tableToIPC, vectorFromArray } from "apache-arrow";
import { openArrowSource, type ColumnBatch, type EventSource } from "../../src/data/index.js";
import { openArrowFile } from "../../src/data/ipc-file.js";

const dir = mkdtempSync(join(tmpdir(), "zhist-arrow-file-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function part(events: number, seed: number): Table {
  const offsets = new Int32Array(events + 1);
  for (let e = 0; e < events; e++) offsets[e + 1] = offsets[e] + ((e * 7 + seed) % 4);
  const total = offsets[events];
  const pt = Float32Array.from({ length: total }, (_, i) => (i * 3 + seed) % 97);
  const flags = Array.from({ length: total }, (_, i) => (i + seed) % 3 === 0);
  const list = (child: ReturnType<typeof makeData>, type: Float32 | Bool) =>
    makeVector(makeData({ type: new List(new Field("item", type, false)), length: events, nullCount: 0, valueOffsets: offsets, child } as never));
  const large = makeVector(makeData({
    type: new LargeList(new Field("item", new Float32(), false)), length: events, nullCount: 0,
    valueOffsets: BigInt64Array.from(offsets, BigInt), child: makeData({ type: new Float32(), length: total, data: pt } as never),
  } as never));
  return new Table({
    name: vectorFromArray(Array.from({ length: events }, (_, e) => `ev${e}`), new Utf8()),
    nJet: makeVector(Int32Array.from({ length: events }, (_, e) => offsets[e + 1] - offsets[e])),
    Jet_pt: list(makeData({ type: new Float32(), length: total, data: pt } as never), new Float32()),
    Jet_tight: list(vectorFromArray(flags, new Bool()).data[0], new Bool()),
    Jet_ptLarge: large,
    run: makeVector(BigInt64Array.from({ length: events }, (_, e) => BigInt(e * 1_000_003 + seed))),
    pass: vectorFromArray(Array.from({ length: events }, (_, e) => (e + seed) % 5 < 2), new Bool()),
  } as never);
}

async function readAll(src: EventSource, columns: string[], range: { start: number; stop: number }, batch: number): Promise<ColumnBatch[]> {
  const out: ColumnBatch[] = [];
  for await (const b of src.read(columns, range, batch)) out.push(b);
  return out;
}

test("column-by-column reads equal the whole-file reader over batches and ranges", async () => {
  const table = part(37, 1).concat(part(50, 2), part(13, 3));
  assert.equal(table.batches.length, 3);
  const file = join(dir, "several.arrow");
  const bytes = tableToIPC(table, "file");
  writeFileSync(file, bytes);
  const fast = await openArrowFile(file);
  assert.ok(fast, "the file layout is handled column by column");
  const whole = await openArrowSource(file, bytes);
  try {
    assert.equal(fast.entries, 100);
    assert.deepEqual([...fast.schema.fields.keys()], [...whole.schema.fields.keys()]);
    const columns = ["Jet_pt", "Jet_tight", "Jet_ptLarge", "run", "pass", "nJet"];
    for (const [range, batch] of [[{ start: 0, stop: 100 }, 1000], [{ start: 5, stop: 95 }, 16], [{ start: 40, stop: 41 }, 7]] as const) {
      const got = await readAll(fast, columns, range, batch);
      const want = await readAll(whole, columns, range, batch);
      const flat = (bs: ColumnBatch[], c: string) => {
        const rows: unknown[] = [];
        for (const b of bs) {
          const col = b.columns[c];
          for (let e = 0; e < b.length; e++) rows.push(col.kind === "scalar" ? col.values[e] : Array.from(col.values.subarray(col.offsets[e], col.offsets[e + 1]) as ArrayLike<unknown>));
        }
        return rows;
      };
      assert.equal(got.reduce((n, b) => n + b.length, 0), range.stop - range.start);
      for (const c of columns) assert.deepEqual(flat(got, c), flat(want, c), `${c} over ${range.start}..${range.stop} in batches of ${batch}`);
      for (const b of got) if (b.columns.Jet_pt.kind === "jagged") assert.equal(b.columns.Jet_pt.offsets[0], 0);
    }
  } finally {
    await fast.close();
    await whole.close();
  }
});

test("a truncated Arrow file fails with an error naming it", async () => {
  const bytes = tableToIPC(part(20, 4), "file");
  const file = join(dir, "truncated.arrow");
  writeFileSync(file, bytes.subarray(0, bytes.length - 20));
  await assert.rejects(openArrowSource(file), (e: Error) => e.message.includes(file));
});

test("a read stopped early (the next batch already in flight) leaves the source readable and closable", async () => {
  const table = part(37, 1).concat(part(50, 2), part(13, 3));
  const file = join(dir, "early.arrow");
  writeFileSync(file, tableToIPC(table, "file"));
  const src = (await openArrowFile(file))!;
  try {
    const starts: number[] = [];
    for await (const b of src.read(["Jet_pt", "run"], { start: 0, stop: 100 }, 10)) {
      starts.push(b.entryStart);
      if (starts.length === 2) break;
    }
    assert.deepEqual(starts, [0, 10]);
    const again = await readAll(src, ["run"], { start: 90, stop: 100 }, 4);
    assert.deepEqual(again.map((b) => [b.entryStart, b.length]), [[90, 4], [94, 4], [98, 2]]);
  } finally {
    await src.close();
  }
});

test("recycled reads give the same values batch by batch, in arrays reused from the batch before last", async () => {
  const table = part(37, 1).concat(part(50, 2), part(13, 3));
  const file = join(dir, "recycled.arrow");
  const bytes = tableToIPC(table, "file");
  writeFileSync(file, bytes);
  const fast = (await openArrowFile(file))!;
  try {
    const columns = ["Jet_pt", "Jet_tight", "run", "pass"];
    // Each event's values, from a read that keeps its batches.
    const rows = (bs: ColumnBatch[], c: string) => bs.flatMap((b) => Array.from({ length: b.length }, (_, e) => {
      const col = b.columns[c];
      return col.kind === "scalar" ? [col.values[e]] : Array.from(col.values.subarray(col.offsets[e], col.offsets[e + 1]) as ArrayLike<unknown>);
    }));
    const kept = await readAll(fast, columns, { start: 3, stop: 97 }, 9);
    const want = Object.fromEntries(columns.map((c) => [c, rows(kept, c)]));
    const buffers: ArrayBufferLike[] = [];
    let events = 0;
    for await (const b of fast.read(columns, { start: 3, stop: 97 }, 9, { recycle: true })) {
      // Compared before the next batch is asked for: the contract of a recycled read.
      assert.equal(b.entryStart, 3 + events);
      for (const c of columns) assert.deepEqual(rows([b], c), want[c].slice(events, events + b.length), `${c} at entry ${b.entryStart}`);
      buffers.push(b.columns.run.values.buffer);
      events += b.length;
    }
    assert.equal(events, 94);
    assert.ok(buffers.length > 3);
    assert.equal(buffers[2], buffers[0], "batch 2 reuses the arrays of batch 0");
    assert.notEqual(buffers[1], buffers[0], "the batch read ahead has its own");
  } finally {
    await fast.close();
  }
});
