// A stand-in event reader for engine tests: a file is a small JSON document ({entries, seed, delayMs})
// and its events are computed from the entry number, so any range of any file is known exactly
// without a reader. All values are dyadic (multiples of 1/8), so weighted sums are exact in any order.
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { ColumnBatch, EventSource, FieldInfo, Schema } from "../../src/data/types.js";

export interface FixtureFile { entries: number; seed: number; delayMs?: number; runs?: boolean }

export const fields: FieldInfo[] = [
  { name: "x", kind: "scalar", type: "f64" },
  { name: "y", kind: "scalar", type: "f64" },
  { name: "n", kind: "scalar", type: "i32" },
  { name: "sf", kind: "scalar", type: "f64" },
  { name: "genWeight", kind: "scalar", type: "f64" },
  { name: "Jet_pt", kind: "jagged", type: "f32", counter: "nJet" },
  { name: "nJet", kind: "scalar", type: "i32" },
];

export const event = {
  x: (seed: number, i: number) => ((i * 7919 + seed * 131) % 1000) / 8,
  y: (seed: number, i: number) => ((i * 31 + seed) % 200) / 4,
  n: (seed: number, i: number) => (i + seed) % 6,
  sf: (seed: number, i: number) => 1 + (((i + seed) % 3) - 1) * 0.125,
  genWeight: (seed: number, i: number) => [0.5, 1, 2, -1, 1][(i + seed) % 5],
  nJet: (seed: number, i: number) => (i * 3 + seed) % 4,
  jetPt: (seed: number, i: number, k: number) => (((i + k * 13 + seed) * 37) % 400) / 4,
};

export async function openEventSource(path: string, opts: { tree?: string } = {}): Promise<EventSource> {
  let f: FixtureFile;
  try {
    f = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new Error(`${path}: not a fixture file: ${(e as Error).message}`);
  }
  if (!Number.isInteger(f.entries)) throw new Error(`${path}: malformed fixture (no entries)`);
  if (opts.tree === "Runs") {
    if (!f.runs) throw new Error(`${path}: no tree Runs`);
    return runsSource(path, f);
  }
  const schema: Schema = { fields: new Map(fields.map((x) => [x.name, x])) };
  return {
    path, entries: f.entries, schema,
    async *read(columns, range = { start: 0, stop: f.entries }, batchSize = 1000) {
      for (let s = range.start; s < range.stop; s += batchSize) {
        const e = Math.min(range.stop, s + batchSize);
        if (f.delayMs) await sleep(f.delayMs);
        yield batch(path, f.seed, s, e, columns);
      }
    },
    async close() {},
  };
}

function runsSource(path: string, f: FixtureFile): EventSource {
  const schema: Schema = { fields: new Map([["genEventSumw", { name: "genEventSumw", kind: "scalar", type: "f64" }]]) };
  return {
    path, entries: 1, schema,
    async *read() {
      let s = 0;
      for (let i = 0; i < f.entries; i++) s += event.genWeight(f.seed, i);
      yield { source: path, entryStart: 0, length: 1, columns: { genEventSumw: { kind: "scalar", values: Float64Array.of(s) } } };
    },
    async close() {},
  };
}

function batch(path: string, seed: number, s: number, e: number, columns: readonly string[]): ColumnBatch {
  const n = e - s;
  const cols: ColumnBatch["columns"] = {};
  const scalar = (fn: (seed: number, i: number) => number, T: Float64ArrayConstructor | Int32ArrayConstructor) => {
    const v = new T(n);
    for (let j = 0; j < n; j++) v[j] = fn(seed, s + j);
    return { kind: "scalar" as const, values: v };
  };
  for (const c of columns) {
    if (c === "x" || c === "y" || c === "sf" || c === "genWeight") cols[c] = scalar(event[c], Float64Array);
    else if (c === "n" || c === "nJet") cols[c] = scalar(event[c], Int32Array);
    else if (c === "Jet_pt") {
      const offsets = new Int32Array(n + 1);
      for (let j = 0; j < n; j++) offsets[j + 1] = offsets[j] + event.nJet(seed, s + j);
      const values = new Float32Array(offsets[n]);
      for (let j = 0; j < n; j++) for (let k = 0; k < offsets[j + 1] - offsets[j]; k++) values[offsets[j] + k] = event.jetPt(seed, s + j, k);
      cols[c] = { kind: "jagged", offsets, values };
    } else throw new Error(`${path}: no column ${c}`);
  }
  return { source: path, entryStart: s, length: n, columns: cols };
}
