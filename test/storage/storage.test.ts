// boost-histogram tests/test_storage.py, ported: Weight (sum w, sum w^2) and Mean (count, mean,
// spread) cells, sums over cells, rebinning weighted cells and empty histograms of every storage.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Hist, Integer, Regular, StrCategory, rebin } from "../../src/index.js";
import { cell } from "../hist/util.js";

const arr = (a: ArrayLike<number>) => Array.from(a);

test("weight storage sums and adds (test_storage.py::test_sum_weight)", () => {
  const h = new Hist([new Integer(0, 10)], "weight").fill([1, 2, 3, 3, 3, 4, 5]);
  assert.deepEqual(h.sum(), { value: 7, variance: 7 });
  const v = arr(h.values().data);
  const h2 = h.clone().add(h);
  assert.deepEqual(arr(h2.values().data), v.map((x) => 2 * x));
  assert.deepEqual(arr(h2.variances()!.data), v.map((x) => 2 * x));
});

test("weight cells hold value and variance (test_storage.py::test_setting_weight)", () => {
  const h = new Hist([new Regular(10, 0, 10)], "weight").fill([0.3, 0.3, 0.4, 1.2]);
  assert.deepEqual(cell(h, 0), { value: 3, variance: 3 });
  assert.deepEqual(cell(h, 1), { value: 1, variance: 1 });
  const view = h.view();
  assert.deepEqual(Object.keys(view), ["values", "variances"]);
  assert.equal(view.values.data[0], 3);
  assert.equal(view.variances.data[0], 3);
  h.fill(0.5, { weight: 2 });
  assert.deepEqual(cell(h, 0), { value: 5, variance: 7 });
});

test("weight storage scales variances by c^2 (GUIDE 3.2; test_histogram_indexing.py::test_scale_flowbins)", () => {
  const h = new Hist([new Integer(0, 2)], "weight").fill([0, 0, 1, 5], { weight: [1, 2, 3, 4] });
  h.scale(3);
  assert.deepEqual(arr(h.values({ flow: true }).data), [0, 9, 9, 12]);
  assert.deepEqual(arr(h.variances({ flow: true })!.data), [0, 45, 81, 144]);
});

test("mean cells: count, mean and sample variance (test_storage.py::test_setting_profile)", () => {
  const h = new Hist([new Regular(10, 0, 10)], "mean").fill([0.3, 0.3, 0.4, 1.2, 1.6], { sample: [1, 2, 3, 4, 4] });
  assert.deepEqual(cell(h, 0), { count: 3, value: 2, variance: 1 });
  assert.deepEqual(cell(h, 1), { count: 2, value: 4, variance: 0 });
  const view = h.view();
  assert.deepEqual(Object.keys(view), ["count", "value", "sum_of_deltas_squared"]);
  assert.deepEqual(arr(view.count.data).slice(0, 3), [3, 2, 0]);
  assert.deepEqual(arr(view.value.data).slice(0, 3), [2, 4, 0]);
  assert.deepEqual(arr(view.sum_of_deltas_squared.data).slice(0, 3), [2, 0, 0]);
  // hist's Plottable view: counts, and the variance of the mean (NaN where it is undefined)
  assert.deepEqual(arr(h.counts().data).slice(0, 3), [3, 2, 0]);
  const variances = arr(h.variances()!.data);
  assert.deepEqual(variances.slice(0, 2), [1 / 3, 0]);
  assert.ok(Number.isNaN(variances[2]));
  assert.deepEqual(h.sum(), { count: 5, value: 2.8, variance: 1.7 });
});

test("mean storage needs a sample (test_storage.py::test_mean_storage_rejects_string_sample)", () => {
  const h = new Hist([new Regular(10, 0, 10)], "mean");
  assert.throws(() => h.fill([0.3]), { name: "TypeError", message: /Mean storage needs a sample/ });
  assert.throws(() => h.fill([0.3, 0.4], { sample: [1] }), { name: "RangeError", message: /sample has 1 entries, the axes have 2/ });
});

test("mean storage scales the samples (boost accumulators::mean operator*=, h * 2 in Python)", () => {
  const h = new Hist([new Regular(10, 0, 10)], "mean").fill([0.3, 0.3, 0.4, 1.2, 1.6], { sample: [1, 2, 3, 4, 4] });
  h.scale(2);
  assert.deepEqual(cell(h, 0), { count: 3, value: 4, variance: 4 });
  assert.deepEqual(cell(h, 1), { count: 2, value: 8, variance: 0 });
});

test("adding mean histograms pools the cells (test_storage.py::test_setting_profile, h + h)", () => {
  const h = new Hist([new Regular(10, 0, 10)], "mean").fill([0.3, 0.3, 0.4, 1.2, 1.6], { sample: [1, 2, 3, 4, 4] });
  const a = h.clone().add(h);
  const c0 = cell(a, 0) as { count: number; value: number; variance: number };
  assert.deepEqual([c0.count, c0.value], [6, 2]);
  assert.ok(Math.abs(c0.variance - 0.8) < 1e-15);
  assert.deepEqual(cell(a, 1), { count: 4, value: 4, variance: 0 });
});

/** numpy's np.random.seed(42); normal(1.3, 0.1) stands here as a fixed pseudo-random series. */
function series(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return Array.from({ length: n }, () => 1.3 + 0.1 * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

test("summing mean cells equals one wide cell (test_storage.py::test_summing_mean_storage)", () => {
  const values = series(1000, 42);
  const samples = series(1000, 43);
  const h1 = new Hist([new Regular(20, -1, 3)], "mean").fill(values, { sample: samples });
  const h2 = new Hist([new Regular(1, -1, 3)], "mean").fill(values, { sample: samples });
  const s1 = h1.sum() as { count: number; value: number; variance: number };
  const s2 = h2.sum() as { count: number; value: number; variance: number };
  assert.equal(s1.count, s2.count);
  assert.equal(s1.count, 1000);
  assert.ok(Math.abs(s1.value - s2.value) <= 1e-12 * Math.abs(s2.value), `${s1.value} vs ${s2.value}`);
  assert.ok(Math.abs(s1.variance - s2.variance) <= 1e-9 * s2.variance, `${s1.variance} vs ${s2.variance}`);
});

for (const kind of ["int64", "double", "weight", "mean"] as const) {
  test(`empty category axis sums to an empty cell, ${kind} (test_storage.py::test_empty_axis_histogram[${kind}])`, () => {
    const h = new Hist([new Regular(10, 0, 10), new StrCategory([], { growth: true })], kind);
    const empty = { int64: 0, double: 0, weight: { value: 0, variance: 0 }, mean: { count: 0, value: 0, variance: NaN } }[kind];
    assert.deepEqual(h.sum(), empty);
    assert.deepEqual(h.sum({ flow: true }), empty);
  });
}

test("rebinning weighted cells (test_storage.py::test_non_uniform_rebin_with_weights, factor part)", () => {
  const h = new Hist([new Regular(20, 1, 5)], "weight").fill([1.1, 2.2, 3.3, 4.4]);
  for (const hs of [h.slice({ 0: [null, null, rebin(4)] }), h.slice({ 0: rebin(4) })]) {
    assert.deepEqual(arr(hs.values().data), [1, 1, 1, 0, 1]);
    assert.deepEqual(arr(hs.variances()!.data), [1, 1, 1, 0, 1]);
  }
  const nd = new Hist([new Regular(20, 1, 3), new Regular(30, 1, 3), new Regular(40, 1, 3)], "weight");
  assert.deepEqual(nd.slice({ 0: rebin(2), 2: rebin(4) }).shape, [10, 30, 10]);
});

test("weight storage counts() is the plain sum of weights, as boost-histogram (histogram.py counts for WeightedSumView)", () => {
  const w = new Hist([new Regular(2, 0, 2)], "weight").fill([0.5, 0.5, 1.5], { weight: [1, 3, 2] });
  assert.deepEqual(arr(w.values().data), [4, 2]);
  assert.deepEqual(arr(w.variances()!.data), [10, 4]);
  assert.deepEqual(arr(w.counts().data), [4, 2]);
});

test("double storage loses its variance when weighted (boost: variances() is None after weighted fills)", () => {
  const h = new Hist([new Integer(0, 3)]).fill([0, 1, 1]);
  assert.deepEqual(arr(h.variances()!.data), [1, 2, 0]);
  h.fill(1, { weight: 2 });
  assert.equal(h.variances(), null);
  assert.deepEqual(arr(h.values().data), [1, 4, 0]);
});
