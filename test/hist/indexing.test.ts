// boost-histogram tests/test_histogram_indexing.py, ported to zhist's slice(). Where the Python
// test sets bins with `h[...] = v`, the same contents are filled with weights instead.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Hist, loc, overflow, pick, rebin, sum, underflow } from "../../src/index.js";
import { Integer, IntCategory, Regular, StrCategory, Variable } from "../../src/index.js";
import { arr, at, cell, valuesOf } from "./util.js";

function sameHist(a: Hist, b: Hist): boolean {
  return a.ndim === b.ndim && a.axes.every((ax, k) => ax.equals(b.axes[k])) &&
    a.storage.fields.every((f, i) => f.length === b.storage.fields[i].length && f.every((v, j) => Object.is(v, b.storage.fields[i][j])));
}

/** A 10x10 grid filled so that bin (i, j) of the first two axes holds 10 i + j (np.arange(100)). */
function gridFill(h: Hist, third: number | string | boolean): void {
  const xs: number[] = [], ys: number[] = [], w: number[] = [];
  for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) { xs.push(i + 0.5); ys.push(j + 0.5); w.push(10 * i + j); }
  h.fill(xs, ys, third, { weight: w });
}
const grid = Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => 10 * i + j));
const zeros = Array.from({ length: 10 }, () => new Array(10).fill(0));

test("1-D bin access by index and loc (test_histogram_indexing.py::test_1D_get_bin)", () => {
  const h = new Hist([new Regular(10, 0, 0.99)]).fill([0.25, 0.25, 0.25, 0.15]);
  assert.equal(cell(h, 0), 0);
  assert.equal(cell(h, 1), 1);
  assert.equal(cell(h, 2), 3);
  assert.equal(cell(h, loc(0)), 0);
  assert.equal(cell(h, loc(0.1)), 1);
  assert.equal(cell(h, loc(0.1, 1)), 3);
  assert.equal(cell(h, loc(0.2)), 3);
  assert.equal(h.values().data[2], cell(h, 2));
  assert.throws(() => h.slice([1, 2]), { name: "RangeError", message: /2 selections for 1 axes/ });
});

test("2-D bin access by index and loc (test_histogram_indexing.py::test_2D_get_bin)", () => {
  const h = new Hist([new Regular(10, 0, 0.99), new Regular(10, 0, 0.99)]).fill(0.15, [0.25, 0.25, 0.25, 0.15]);
  assert.equal(cell(h, 0, 0), 0);
  assert.equal(cell(h, 0, 1), 0);
  assert.equal(cell(h, 1, 1), 1);
  assert.equal(cell(h, 1, 2), 3);
  assert.equal(cell(h, loc(0.1), loc(0.2)), 3);
  assert.equal(cell(h, loc(0, 1), loc(0.3, -1)), 3);
  assert.equal(h.values().data[1 * 10 + 2], cell(h, 1, 2));
});

test("full slice is a copy (test_histogram_indexing.py::test_get_1D_histogram)", () => {
  const h = new Hist([new Regular(10, 0, 1)]).fill([0.25, 0.25, 0.25, 0.15]);
  const h2 = h.slice([[null, null]]);
  assert.ok(sameHist(h, h2));
  h.fill(0.75);
  assert.ok(!sameHist(h, h2));
});

test("1-D slices equal the matching smaller histogram (test_histogram_indexing.py::test_get_1D_slice)", () => {
  const h1 = new Hist([new Regular(10, 0, 1)], "double", { metadata: { that: 3 } });
  const h2 = new Hist([new Regular(5, 0, 0.5)]);
  h1.fill([0.25, 0.25, 0.25, 0.15]);
  h2.fill([0.25, 0.25, 0.25, 0.15]);
  assert.ok(!sameHist(h1, h2));
  // Python compares flow bins too: h1[:5] folds bins 5..9 (empty) into the overflow.
  assert.ok(sameHist(h1.slice([[null, 5]]), h2));
  assert.ok(sameHist(h1.slice([[null, loc(0.5)]]), h2));
  assert.ok(sameHist(h1.slice([[2, 4]]), h2.slice([[2, 4]])));
  assert.ok(sameHist(h1.slice([[loc(0.2), loc(0.4)]]), h2.slice([[loc(0.2), loc(0.4)]])));
  assert.equal(h1.slice([[2, 4]]).values().data.length, 2);
  assert.equal(h1.slice([[2, 4, rebin(2)]]).values().data.length, 1);
  assert.equal(h1.slice([[null, null, rebin(2)]]).values().data.length, 5);
  assert.equal(h1.slice([rebin(2)]).values().data.length, 5);
  assert.deepEqual(h1.slice([[2, 4]]).metadata, { that: 3 });
});

test("missing selections keep the axis, too many raise (test_histogram_indexing.py::test_ellipsis)", () => {
  const h = new Hist([new Regular(10, 0, 1), new Regular(10, 0, 1)]);
  assert.ok(sameHist(h, h.slice([])));
  assert.ok(sameHist(h, h.slice([[null, null]])));
  assert.ok(sameHist(h, h.slice([undefined, [null, null]])));
  assert.throws(() => h.slice([[null, null], [null, null], [null, null]]), /3 selections for 2 axes/);
  assert.ok(sameHist(h.slice([[2, 4]]), h.slice([[2, 4], [null, null]])));
});

test("sum projects axes out, flow included (test_histogram_indexing.py::test_basic_projection)", () => {
  const h2 = new Hist([new Regular(10, 0, 10), new Regular(10, 0, 10), new Regular(10, 0, 10)]);
  const h1 = new Hist([new Regular(10, 0, 10)]);
  const contents = [[2, 2, 2, 3, 4, 5, 6], [1, 2, 2, 3, 2, 1, 2], [-12, 33, 4, 9, 2, 4, 9]];
  h1.fill(contents[0]);
  h2.fill(contents[0], contents[1], contents[2]);
  assert.ok(sameHist(h1, h2.slice([undefined, [null, null, sum], [null, null, sum]])));
  assert.ok(sameHist(h1, h2.slice([undefined, sum, sum])));
  assert.ok(sameHist(h1, h2.project(0)));
  assert.equal(h2.slice([sum, sum, sum]).sum(), h2.sum({ flow: true }));
  assert.equal(h2.sum({ flow: true }), 7);
  assert.equal(h2.sum(), 5);
});

test("ranged sums and bins on a 3-D grid (test_histogram_indexing.py::test_slicing_projection)", () => {
  const h1 = new Hist([new Regular(10, 0, 10), new Regular(10, 0, 10), new Regular(10, 0, 10)]);
  const pts = Array.from({ length: 12 }, (_, i) => -0.5 + i); // np.mgrid[-0.5:10.5:12j]
  const X: number[] = [], Y: number[] = [], Z: number[] = [];
  for (const x of pts) for (const y of pts) for (const z of pts) { X.push(x); Y.push(y); Z.push(z); }
  h1.fill(X, Y, Z);
  const all = [null, null, sum] as const;
  const inner = [0, overflow, sum] as const;
  assert.equal(h1.slice([[...all], [...all], [...all]]).sum(), 12 ** 3);
  assert.equal(h1.slice([[...inner], [...inner], [...inner]]).sum(), 10 ** 3);
  assert.equal(h1.slice([[0, overflow, sum], [...inner], [...all]]).sum(), 10 * 10 * 12);
  assert.equal(h1.slice([[...all], [...inner], [...all]]).sum(), 10 * 12 * 12);
  assert.equal(h1.sum(), 10 ** 3);
  assert.equal(h1.sum({ flow: true }), 12 ** 3);
  const h2 = h1.slice([[0, 3, sum]]);
  assert.equal(cell(h2, 1, 2), 3);
  const h3 = h2.slice([undefined, [5, 7, sum]]);
  assert.equal(cell(h3, 1), 6);
  assert.equal(h1.slice([2, sum, sum]).sum(), 12 * 12);
  assert.equal(h1.slice([2, 7, sum]).sum(), 12);
});

test("bins and ranges mixed, rebin shape (test_histogram_indexing.py::test_mix_value_with_slice_2)", () => {
  const h = new Hist([new Regular(10, 0, 10), new Regular(10, 0, 10), new Integer(0, 2)]);
  gridFill(h, 1); // h[:, :, True] = vals: the Integer bin 1
  assert.equal(cell(h, 0, 1, 1), 1);
  assert.equal(cell(h, 1, 0, 1), 10);
  assert.equal(cell(h, 1, 1, 1), 11);
  assert.equal(cell(h, 3, 4, 0), 0);
  assert.deepEqual(valuesOf(h.slice([undefined, undefined, 1])), grid);
  assert.deepEqual(valuesOf(h.slice([undefined, undefined, 0])), zeros);
  assert.deepEqual(h.slice([rebin(2), rebin(5)]).shape, [5, 2, 2]);
});

test("one-sided ranges and flow bins (test_histogram_indexing.py::test_one_sided_slice)", () => {
  const h = new Hist([new Regular(4, 1, 5)]).fill([0, 1.5, 2.5, 3.5, 4.5, 6]); // every bin 1, flow too
  assert.deepEqual(arr(h.values({ flow: true }).data), [1, 1, 1, 1, 1, 1]);
  const total = (s: Parameters<Hist["slice"]>[0]) => h.slice(s).sum();
  assert.equal(total([sum]), 6);
  assert.equal(total([[at(-1), at(5), sum]]), 6);
  assert.deepEqual(arr(h.slice([[1, 3]]).values({ flow: true }).data), [2, 1, 1, 2]);
  assert.equal(total([[0, null, sum]]), 5);
  assert.equal(total([[null, 4, sum]]), 5);
  assert.equal(total([[0, 4, sum]]), 4);
  assert.equal(total([[loc(1), null, sum]]), 5);
  assert.equal(total([[null, loc(5), sum]]), 5);
  assert.equal(total([[loc(1), loc(5), sum]]), 4);
  assert.equal(total([[loc(0), null, sum]]), 6);
  assert.equal(total([[null, loc(10, 1), sum]]), 6);
  assert.equal(total([[loc(0), loc(10, 1), sum]]), 6);
});

test("negative indices count from the end (test_histogram_indexing.py::test_negative_index_access)", () => {
  const h = new Hist([new Regular(10, 0, 10)]).fill([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((x) => x * 1.0 + 0.5).map((x, i) => (i === 9 ? 9 : x)));
  assert.equal(cell(h, -1), cell(h, 9));
  assert.equal(cell(h, -2), cell(h, 8));
  assert.ok(sameHist(h.slice([[1, -2]]), h.slice([[1, 8]])));
  assert.ok(sameHist(h.slice([[-3, -1]]), h.slice([[7, 9]])));
  assert.ok(sameHist(h.slice([[-3, null]]), h.slice([[7, null]])));
  assert.ok(sameHist(h.slice([[null, -2]]), h.slice([[null, 8]])));
  assert.equal(h.slice({ 0: -2 }).sum(), cell(h, 8));
  assert.ok(sameHist(h.slice({ 0: [1, -2] }), h.slice([[1, 8]])));
  const h2 = new Hist([new Regular(10, 0, 10), new Regular(4, 0, 4)]);
  assert.equal(h2.slice([[1, -2]]).axes[0].size, h2.slice([[1, 8]]).axes[0].size);
  assert.ok(sameHist(h2.slice([undefined, -1]), h2.slice([undefined, 3])));
});

test("out-of-range range bounds clamp like NumPy (test_histogram_indexing.py::test_out_of_range_slice_clamps_like_numpy)", () => {
  const h = new Hist([new Regular(10, 0, 10)]).fill([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5]);
  // sizes and flow views as boost-histogram 1.8.1 gives them
  const cases: [number | null, number | null, number, number[]][] = [
    [-15, null, 10, [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]],
    [-15, 5, 5, [0, 1, 1, 1, 1, 1, 5]],
    [5, 100, 5, [5, 1, 1, 1, 1, 1, 0]],
    [null, 100, 10, [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]],
    [-100, 8, 8, [0, 1, 1, 1, 1, 1, 1, 1, 1, 2]],
    [2, 100, 8, [2, 1, 1, 1, 1, 1, 1, 1, 1, 0]],
  ];
  for (const [a, b, size, flowView] of cases) {
    const s = h.slice([[a, b]]);
    assert.equal(s.axes[0].size, size, `[${a}:${b}]`);
    assert.deepEqual(arr(s.values({ flow: true }).data), flowView, `[${a}:${b}]`);
  }
});

test("empty ranges raise (test_histogram_indexing.py::test_empty_slice_raises)", () => {
  const h = new Hist([new Regular(10, 0, 10)]).fill([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5]);
  for (const [a, b] of [[5, 2], [3, 3], [1, -15], [null, -15], [100, null]] as [number | null, number | null][]) {
    assert.throws(() => h.slice([[a, b]]), { name: "RangeError", message: /selects no bins/ }, `[${a}:${b}]`);
  }
  assert.throws(() => h.slice([[5, 2, sum]]), { name: "RangeError", message: /selects no bins/ });
});

test("axes without flow bins (test_histogram_indexing.py::test_noflow_slicing)", () => {
  const noflow = { underflow: false, overflow: false };
  const h = new Hist([new Regular(10, 0, 10), new Regular(10, 0, 10, noflow), new Integer(0, 2, noflow)]);
  gridFill(h, 1);
  assert.equal(cell(h, 0, 1, 1), 1);
  assert.equal(cell(h, 1, 0, 1), 10);
  assert.equal(cell(h, 1, 1, 1), 11);
  assert.equal(cell(h, 3, 4, 0), 0);
  assert.equal(h.slice({ 0: 3, 1: 4, 2: 0 }).sum(), 0);
  assert.deepEqual(valuesOf(h.slice([undefined, undefined, 1])), grid);
  assert.deepEqual(valuesOf(h.slice([undefined, undefined, 0])), zeros);
  assert.deepEqual(h.values({ flow: true }).shape, [12, 10, 2]);
});

test("axes with one flow bin (test_histogram_indexing.py::test_singleflow_slicing)", () => {
  const h = new Hist([new Integer(0, 4, { underflow: false }), new Integer(0, 4, { overflow: false })]);
  const xs: number[] = [], ys: number[] = [], w: number[] = [];
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) { xs.push(i); ys.push(j); w.push(4 * i + j); }
  h.fill(xs, ys, { weight: w });
  assert.equal(cell(h, 0, 0), 0);
  assert.equal(cell(h, 0, 1), 1);
  assert.equal(cell(h, 1, 0), 4);
  assert.equal(cell(h, 1, 1), 5);
  assert.deepEqual(arr(h.slice([undefined, [1, 3, sum]]).values().data), [3, 11, 19, 27]);
  assert.deepEqual(arr(h.slice({ 1: [1, 3, sum] }).values().data), [3, 11, 19, 27]);
  assert.deepEqual(arr(h.slice([[1, 3, sum]]).values().data), [12, 14, 16, 18]);
});

test("pick a string category by loc (test_histogram_indexing.py::test_pick_str_category)", () => {
  const noflow = { underflow: false, overflow: false };
  const h = new Hist([new Regular(10, 0, 10), new Regular(10, 0, 10, noflow), new StrCategory(["on", "off", "maybe"])]);
  gridFill(h, "on");
  assert.equal(cell(h, 0, 1, loc("on")), 1);
  assert.equal(cell(h, 1, 0, loc("on")), 10);
  assert.equal(cell(h, 1, 1, loc("on")), 11);
  assert.equal(cell(h, 3, 4, loc("maybe")), 0);
  assert.deepEqual(valuesOf(h.slice([undefined, undefined, loc("on")])), grid);
  assert.deepEqual(valuesOf(h.slice({ 2: loc("on") })), grid);
  assert.deepEqual(valuesOf(h.slice({ 2: "on" })), grid);
  assert.deepEqual(valuesOf(h.slice([undefined, undefined, loc("off")])), zeros);
});

test("loc of the wrong type raises (test_histogram_indexing.py::test_string_requirement)", () => {
  const h = new Hist([new Integer(0, 10), new StrCategory(["1", "a", "hello"])], "int64");
  assert.throws(() => cell(h, loc("1"), loc(1)), TypeError);
  assert.throws(() => cell(h, loc(1), loc(1)), TypeError);
  assert.throws(() => cell(h, loc("1"), loc("1")), TypeError);
  assert.equal(cell(h, loc(1), loc("1")), 0);
});

test("pick an int category by loc or index (test_histogram_indexing.py::test_pick_int_category)", () => {
  const noflow = { underflow: false, overflow: false };
  const h = new Hist([new Regular(10, 0, 10), new Regular(10, 0, 10, noflow), new IntCategory([3, 5, 7, 12, 13])]);
  gridFill(h, 3);
  const xs: number[] = [], ys: number[] = [], w: number[] = [];
  for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) { xs.push(i + 0.5); ys.push(j + 0.5); w.push(10 * i + j + 1); }
  h.fill(xs, ys, 5, { weight: w });
  h.fill(xs, ys, 12, { weight: w.map((v) => v - 1 + 100) }); // h[:, :, 3] = vals + 100: index 3 is label 12
  assert.equal(cell(h, 0, 1, loc(3)), 1);
  assert.equal(cell(h, 1, 0, loc(5)), 11);
  assert.equal(cell(h, 1, 1, loc(5)), 12);
  assert.equal(cell(h, 3, 4, loc(7)), 0);
  assert.equal(cell(h, 3, 4, loc(12)), 134);
  assert.equal(cell(h, 3, 4, 3), 134);
  assert.deepEqual(valuesOf(h.slice([undefined, undefined, loc(3)])), grid);
  assert.deepEqual(valuesOf(h.slice({ 2: loc(3) })), grid);
  assert.deepEqual(valuesOf(h.slice([undefined, undefined, loc(5)])), grid.map((r) => r.map((v) => v + 1)));
  assert.deepEqual(valuesOf(h.slice([undefined, undefined, loc(7)])), zeros);
});

for (const [name, make] of [["regular", () => new Regular(3, 0, 1)], ["variable", () => new Variable([0, 0.3, 0.6, 1])]] as const) {
  test(`select the underflow bin of a ${name} axis (test_histogram_indexing.py::test_pick_flowbin[${name}])`, () => {
    const w = 1e-2;
    const h = new Hist([make(), make()], "weight");
    h.fill([-0.1, -0.1, 0.1, 0.1, 0.1], [-0.1, 0.1, -0.1, -0.1, 0.1], { weight: w });
    assert.deepEqual(arr(h.slice([underflow]).values({ flow: true }).data), [1, 1, 0, 0, 0].map((k) => k * w));
    assert.deepEqual(arr(h.slice([undefined, underflow]).values({ flow: true }).data), [w, w + w, 0, 0, 0]);
    assert.deepEqual(arr(h.slice([undefined, underflow]).variances({ flow: true })!.data), [w * w, w * w + w * w, 0, 0, 0]);
  });
}

test("category flow bin only in a full sum (test_histogram_indexing.py::test_single_flow_bin)", () => {
  const c = new Hist([new IntCategory([0, 1, 2])]).fill([0, 1, 2, 3]); // every bin and the flow bin 1
  assert.equal(c.slice([sum]).sum(), 4);
  assert.equal(c.slice([[null, null, sum]]).sum(), 4);
  assert.equal(c.slice([[0, null, sum]]).sum(), 3);
  assert.equal(c.slice([[1, null, sum]]).sum(), 2);
  assert.equal(c.slice([[2, null, sum]]).sum(), 1);
  assert.throws(() => c.slice([[3, null, sum]]), /selects no bins/);
  assert.deepEqual(arr(c.slice([[1, 2]]).values({ flow: true }).data), [1, 3]);
  assert.equal(c.slice([[1, 2]]).slice([sum]).sum(), 4);

  const i = new Hist([new Integer(0, 3)]).fill([-1, 0, 1, 2, 3]);
  assert.equal(i.slice([[null, null, sum]]).sum(), 5);
  assert.equal(i.slice([[0, null, sum]]).sum(), 4);
  assert.equal(i.slice([[1, null, sum]]).sum(), 3);
  assert.equal(i.slice([[2, null, sum]]).sum(), 2);
  assert.equal(i.slice([[3, null, sum]]).sum(), 1);
  assert.equal(i.slice([[1, 2]]).slice([sum]).sum(), 5);
});

test("scaling keeps flow bins (test_histogram_indexing.py::test_scale_flowbins)", () => {
  const h = new Hist([new Variable([0, 0.5, 1])], "weight");
  const x = [-0.3, 0.1, 0.2, 0.4, 0.6, 0.9, 1.2, 1.5, 0.5, 0];
  h.fill(x, { weight: 0.1 });
  const ref = arr(h.values({ flow: true }).data).map((v) => v * 5);
  const refVar = arr(h.variances({ flow: true })!.data).map((v) => v * 25);
  const scaled = h.clone().scale(5);
  assert.deepEqual(arr(scaled.values({ flow: true }).data), ref);
  assert.deepEqual(arr(scaled.variances({ flow: true })!.data), refVar);
  assert.equal(ref[0], 0.1 * 5);
  assert.equal(ref[3], (0.1 + 0.1) * 5);
});

test("large int category labels (test_histogram_indexing.py::test_large_index)", () => {
  const a = new IntCategory([4, 8, 15, 16, 23, 42, 99_999_001, 1_000_010_020]);
  assert.equal(a.bin(6), 99_999_001);
  assert.equal(a.index(99_999_001), 6);
  const h = new Hist([a]).fill([1_000_010_020, 99_999_001, 99_999_001]);
  assert.deepEqual(arr(h.values().data), [0, 0, 0, 0, 0, 0, 2, 1]);
});

test("rebin leftover bins go to overflow (test_histogram_indexing.py::test_rebin_group_mapping_factor)", () => {
  const h = new Hist([new Regular(5, 0, 5)]).fill([-1, 0.5, 1.5, 2.5, 3.5, 4.5, 6], { weight: [100, 1, 2, 3, 4, 5, 200] });
  const hs = h.slice([[null, null, rebin(2)]]);
  assert.deepEqual(arr(hs.values({ flow: true }).data), [100, 3, 7, 205]);
  assert.deepEqual(arr((hs.axes[0] as Regular).edges), [0, 2, 4]);
});

test("index -size is bin 0 (test_histogram_indexing.py::test_negative_size_index)", () => {
  const h = new Hist([new Regular(10, 0, 1)]).fill(0.05, { weight: 7 });
  assert.equal(cell(h, -10), 7);
  assert.equal(cell(h, -10), cell(h, 0));
  assert.throws(() => cell(h, -11), /index -11 is out of range/);
  assert.throws(() => cell(h, 10), /index 10 is out of range/);
});

test("pick lists keep the flow bin (test_histogram_indexing.py::test_pick_str_category list form)", () => {
  const h = new Hist([new StrCategory(["a", "b", "c"])]).fill(["a", "a", "b", "c", "c", "c", "z"]);
  const p = h.slice([["c", "a"]]);
  assert.deepEqual((p.axes[0] as StrCategory).categories, ["c", "a"]);
  // boost-histogram: bins not picked are dropped, the flow bin stays as it was
  assert.deepEqual(arr(p.values({ flow: true }).data), [3, 2, 1]);
  assert.deepEqual(arr(h.slice([pick(loc("b"), 0)]).values({ flow: true }).data), [1, 2, 1]);
});
