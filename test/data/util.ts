// Shared pieces of the reader tests: whole-column reads flattened to float64 for exact comparison.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EntryRange, EventSource, NumericArray } from "../../src/data/index.js";

/** ../shared/data relative to the project root (found from dist/test/data or test/data). */
export const DATA = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, "..", "shared", "data");
})();

export const ROOT_FILES = [
  ["nano_dy.root", "Events"],
  ["nano_dy.root", "Runs"],
  ["nano_dimuon.root", "Events"],
  ["nano_dy_empty.root", "Events"],
  ["nanoAOD_2015_CMS_Open_Data_ttbar.root", "Events"],
  ["uproot-HZZ.root", "events"],
  ["open-data-example.root", "Events"],
] as const;

export interface Flat {
  values: Float64Array;
  /** Per-event lengths for jagged columns. */
  counts?: Float64Array;
  events: number;
}

export function toF64(a: NumericArray): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number(a[i]);
  return out;
}

/** Reads columns through every batch and glues them back together, checking batch bookkeeping on the way. */
export async function readAll(src: EventSource, columns: readonly string[], range?: EntryRange, batchSize?: number) {
  const values: Record<string, number[]> = {};
  const counts: Record<string, number[]> = {};
  for (const c of columns) (values[c] = []), (counts[c] = []);
  let expect = range?.start ?? 0;
  let batches = 0;
  for await (const b of src.read(columns, range, batchSize)) {
    batches++;
    assert.equal(b.entryStart, expect, "batches are contiguous");
    assert.ok(b.length > 0, "no empty batch");
    expect += b.length;
    assert.deepEqual(Object.keys(b.columns).sort(), [...columns].sort(), "exactly the requested columns");
    for (const c of columns) {
      const col = b.columns[c];
      for (const v of col.values) values[c].push(Number(v));
      if (col.kind === "jagged") {
        assert.equal(col.offsets.length, b.length + 1);
        assert.equal(col.offsets[0], 0);
        assert.equal(col.offsets[b.length], col.values.length);
        for (let i = 0; i < b.length; i++) counts[c].push(col.offsets[i + 1] - col.offsets[i]);
      } else assert.equal(col.values.length, b.length);
    }
  }
  const out: Record<string, Flat> = {};
  for (const c of columns)
    out[c] = {
      values: Float64Array.from(values[c]),
      counts: src.schema.fields.get(c)!.kind === "jagged" ? Float64Array.from(counts[c]) : undefined,
      events: expect - (range?.start ?? 0),
    };
  return { columns: out, batches, stop: expect };
}

/** Exact equality, NaN equal to NaN, with the first differing index in the message. */
export function assertSameValues(actual: Float64Array, expected: Float64Array, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++)
    if (!Object.is(actual[i], expected[i]) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i])))
      assert.fail(`${what}: index ${i}: ${actual[i]} != ${expected[i]}`);
}
