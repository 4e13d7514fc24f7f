// No allocation per event: a second evaluation of a 1e6-event batch writes into the same buffers
// and grows the heap by nothing proportional to the events (a rough check, not a benchmark).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ColumnBatch } from "../../src/data/types.js";
import { ExprScope } from "../../src/expr/index.js";
import { Rng } from "../helpers/random.js";
import { schema } from "./fixtures.js";

function bigBatch(events: number): ColumnBatch {
  const rng = new Rng(3);
  const offsets = new Int32Array(events + 1);
  for (let i = 0; i < events; i++) offsets[i + 1] = offsets[i] + rng.int(0, 10);
  const total = offsets[events];
  const pt = new Float32Array(total);
  const eta = new Float32Array(total);
  const btag = new Float32Array(total);
  for (let j = 0; j < total; j++) {
    pt[j] = rng.uniform(0, 100);
    eta[j] = rng.uniform(-3, 3);
    btag[j] = rng.next();
  }
  const met = new Float32Array(events).map(() => rng.uniform(0, 100));
  return {
    source: "big",
    entryStart: 0,
    length: events,
    columns: {
      Jet_pt: { kind: "jagged", offsets, values: pt },
      Jet_eta: { kind: "jagged", offsets, values: eta },
      Jet_btag: { kind: "jagged", offsets, values: btag },
      MET_pt: { kind: "scalar", values: met },
    },
  };
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

test("evaluating a 1e6-event batch twice reuses the buffers and allocates nothing per event", () => {
  const events = 1_000_000;
  const batch = bigBatch(events);
  const s = new ExprScope(schema());
  s.define("goodJet", "Jet[Jet.pt > 25 && abs(Jet.eta) < 2.4]");
  const exprs = ["count(goodJet) >= 2 && MET_pt > 20 ? sum(goodJet.pt) + max(goodJet.btag, 0) : first(goodJet.pt, -1)", "goodJet.pt * 1.5 + MET_pt"];
  for (const expr of exprs) {
    const c = s.compile(expr);
    const first = c.evaluate(batch);
    const bufs = first instanceof Float64Array ? [first.buffer] : [first.offsets.buffer, first.values.buffer];
    const copy = first instanceof Float64Array ? first.slice() : first.values.slice();
    const before = heapUsed();
    const second = c.evaluate(batch);
    const grown = heapUsed() - before;
    const again = second instanceof Float64Array ? [second.buffer] : [second.offsets.buffer, second.values.buffer];
    assert.deepEqual(again.map((b, k) => b === bufs[k]), bufs.map(() => true), `${expr}: same buffers`);
    assert.deepEqual(second instanceof Float64Array ? second : second.values, copy);
    // A per-event allocation of even 16 bytes would show as 16 MB here.
    assert.ok(grown < 1_000_000, `${expr}: heap grew by ${grown} bytes on the second evaluation`);
    if (second instanceof Float64Array) assert.equal(second, first, "the very same array for a batch of the same length");
  }
});

test("buffers grow only when a batch is larger than every one before", () => {
  const s = new ExprScope(schema());
  const c = s.compile("sum(Jet.pt) + MET_pt");
  const big = bigBatch(2000);
  const small = { ...bigBatch(500), source: "small" };
  const a = c.evaluateScalar(big);
  const b = c.evaluateScalar(small);
  assert.equal(b.buffer, a.buffer);
  assert.equal(b.length, 500);
  const d = c.evaluateScalar(bigBatch(3000));
  assert.notEqual(d.buffer, a.buffer);
  assert.equal(d.length, 3000);
});
