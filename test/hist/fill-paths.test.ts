// The fill paths (wasm kernel with and without SIMD, generated JS loop, general block-wise path) must give the same
// cells to the bit: random layouts with every flow-bin option, reversed axes, scalar labels,
// every storage and weight kind, growing labels, values on and next to edges, NaN and infinities, fills that
// add onto filled cells. Each path is forced in turn, whatever the sizes.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Hist, Integer, Regular, StrCategory } from "../../src/index.js";
import type { Axis } from "../../src/axis/index.js";
import { fillPaths } from "../../src/hist/fill.js";
import { wasmFill } from "../../src/hist/fill-wasm.js";
import { Rng, edgeValues, mixedValues, testSeed } from "../helpers/random.js";

const seed = testSeed(424242);
const saved = { ...wasmFill };
after(() => Object.assign(wasmFill, saved));

type Path = "wasm" | "wasm-scalar" | "js" | "general";
const paths: Path[] = ["general", "js", "wasm-scalar", "wasm"];
function usePath(p: Path): void {
  fillPaths.wasm = p.startsWith("wasm");
  fillPaths.js = p === "js";
  Object.assign(wasmFill, { minEntries: 0, maxWindowPerEntry: Infinity, simd: p === "wasm" });
}

function randomAxis(rng: Rng, k: number): Axis {
  const opts = { name: `a${k}`, underflow: rng.next() < 0.7, overflow: rng.next() < 0.7 };
  if (rng.next() < 0.3) {
    const lo = rng.int(-5, 5);
    return new Integer(lo, lo + rng.int(1, 12), opts);
  }
  const lo = rng.uniform(-3, 3);
  const width = rng.uniform(0.1, 5);
  return rng.next() < 0.2 ? new Regular(rng.int(1, 40), lo + width, lo, opts) : new Regular(rng.int(1, 40), lo, lo + width, opts);
}

function valuesFor(rng: Rng, axis: Axis, n: number): Float64Array {
  const edges = Array.from(axis instanceof Integer ? axis.edges : (axis as Regular).edges);
  const lo = Math.min(edges[0], edges[edges.length - 1]);
  const hi = Math.max(edges[0], edges[edges.length - 1]);
  return mixedValues(rng, n, lo, hi, edgeValues(edges), 0.3);
}

test(`wasm (SIMD and scalar), JS and general fill paths agree bit for bit (seed ${seed}; rerun with ZHIST_SEED=${seed})`, () => {
  const rng = new Rng(seed);
  try {
    for (let t = 0; t < 150; t++) {
      const dense = Array.from({ length: rng.int(1, 4) }, (_, k) => randomAxis(rng, k));
      const withLabel = rng.next() < 0.4;
      const growLabels = rng.next() < 0.5;
      const storage = rng.pick(["double", "int64", "weight"] as const);
      const n = rng.pick([1, 7, 1000, 20011]);
      const fills = [0, 1].map(() => {
        const record: Record<string, unknown> = {};
        dense.forEach((a) => (record[a.name] = valuesFor(rng, a, n)));
        if (withLabel) record.cat = rng.pick(["a", "b", "c", ...(growLabels ? ["d", "e"] : [])]);
        const wk = storage === "int64" ? "none" : rng.pick(["none", "scalar", "array"]);
        if (wk === "scalar") record.weight = rng.uniform(-2, 2);
        if (wk === "array") record.weight = Float64Array.from({ length: n }, () => rng.uniform(-1, 3));
        return record;
      });
      const results = paths.map((p) => {
        usePath(p);
        const axes: Axis[] = [...(withLabel ? [new StrCategory(["a", "b", "c"], { name: "cat", growth: growLabels })] : []), ...dense.map((a) => a.clone())];
        const h = new Hist(axes, storage);
        for (const f of fills) h.fill(f);
        return h.storage.fields.map((f) => Array.from(f));
      });
      const what = `case ${t}: ${storage}, n=${n}, axes ${dense.map((a) => JSON.stringify(a.toUHI())).join(" ")}`;
      for (let p = 1; p < paths.length; p++) assert.deepEqual(results[p], results[0], `${paths[p]} vs general path, ${what}`);
    }
  } finally {
    fillPaths.wasm = fillPaths.js = true;
  }
});
