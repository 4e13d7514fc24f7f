// boost-histogram tests/test_axis.py, ported: construction errors, traits, equality, sizes, bin
// edges and value -> index for every axis kind. Indices follow boost's C++ axes: -1 is the
// underflow, `size` the overflow (and "not found" for a category, where Python raises KeyError).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Boolean, Integer, IntCategory, Regular, StrCategory, Variable } from "../../src/index.js";

const traits = (t: Partial<{ underflow: boolean; overflow: boolean; growth: boolean; circular: boolean; ordered: boolean }>) =>
  ({ underflow: false, overflow: false, growth: false, circular: false, ordered: false, ...t });
const arr = (a: ArrayLike<number>) => Array.from(a);

describe("Regular", () => {
  test("construction and its errors (test_axis.py::TestRegular::test_init)", () => {
    new Regular(1, 1.0, 2.0);
    new Regular(1, 1.0, 2.0, { label: "ra" });
    new Regular(1, 1.0, 2.0, { underflow: false });
    new Regular(1, 1.0, 2.0, { underflow: false, overflow: false, label: "ra" });
    assert.throws(() => new Regular(0, 1.0, 2.0), { name: "RangeError", message: /number of bins must be a positive integer, got 0/ });
    assert.throws(() => new Regular(-1, 1.0, 2.0), { name: "RangeError", message: /got -1/ });
    assert.throws(() => new Regular(1.5, 1.0, 2.0), { name: "RangeError", message: /got 1.5/ });
    assert.throws(() => new Regular(1, 1.0, 1.0), { name: "RangeError", message: /start and stop must differ/ });
    assert.throws(() => new Regular(1, 1.0, Infinity), { name: "RangeError", message: /must be finite/ });
  });

  test("traits (test_axis.py::TestRegular::test_traits)", () => {
    assert.deepEqual(new Regular(1, 2, 3).traits, traits({ underflow: true, overflow: true, ordered: true }));
    assert.deepEqual(new Regular(1, 2, 3, { overflow: false }).traits, traits({ underflow: true, ordered: true }));
    assert.deepEqual(new Regular(1, 2, 3, { underflow: false }).traits, traits({ overflow: true, ordered: true }));
    assert.deepEqual(new Regular(1, 2, 3, { underflow: false, overflow: false }).traits, traits({ ordered: true }));
    assert.deepEqual(new Regular(1, 2, 3, { growth: true }).traits, traits({ underflow: true, overflow: true, growth: true, ordered: true }));
  });

  test("equality (test_axis.py::TestRegular::test_equal)", () => {
    const a = new Regular(4, 1.0, 2.0);
    assert.ok(a.equals(new Regular(4, 1.0, 2.0)));
    assert.ok(!a.equals(new Regular(3, 1.0, 2.0)));
    assert.ok(!a.equals(new Regular(4, 1.1, 2.0)));
    assert.ok(!a.equals(new Regular(4, 1.0, 2.1)));
    assert.ok(!a.equals(new Variable([1.0, 1.25, 1.5, 1.75, 2.0])));
    assert.ok(new Regular(1, 2, 3, { name: "x" }).equals(new Regular(1, 2, 3, { name: "x" })));
    assert.ok(!new Regular(1, 2, 3, { name: "x" }).equals(new Regular(1, 2, 3, { name: "y" })));
  });

  test("size and extent (test_axis.py::TestRegular::test_len)", () => {
    const a = new Regular(4, 1.0, 2.0);
    assert.equal(a.size, 4);
    assert.equal(a.extent, 6);
  });

  test("bins and flow bins (test_axis.py::TestRegular::test_getitem)", () => {
    const a = new Regular(2, 1.0, 2.0);
    assert.deepEqual(a.bin(0), [1.0, 1.5]);
    assert.deepEqual(a.bin(1), [1.5, 2.0]);
    assert.deepEqual(a.bin(-1), [-Infinity, 1.0]);
    assert.deepEqual(a.bin(2), [2.0, Infinity]);
  });

  test("bin outside the flow bins raises (test_axis.py::TestRegular::test_getitem a.bin(-2))", () => {
    const a = new Regular(2, 1.0, 2.0);
    assert.throws(() => a.bin(-2), RangeError);
    assert.throws(() => a.bin(3), RangeError);
  });

  test("value to index, edges inclusive below (test_axis.py::TestRegular::test_index)", () => {
    const a = new Regular(4, 1.0, 2.0);
    const cases: [number, number][] = [[-1, -1], [0.99, -1], [1.0, 0], [1.249, 0], [1.25, 1], [1.499, 1], [1.5, 2], [1.749, 2], [1.75, 3], [1.999, 3], [2.0, 4], [20, 4]];
    for (const [x, i] of cases) assert.equal(a.index(x), i, `index(${x})`);
    assert.equal(a.index(NaN), 4);
    assert.equal(a.index(Infinity), 4);
    assert.equal(a.index(-Infinity), -1);
  });

  test("upper edge inclusive without overflow (GUIDE 3.2, boost regular::index)", () => {
    const a = new Regular(4, 1.0, 2.0, { overflow: false });
    assert.equal(a.index(2.0), 3);
    assert.equal(a.index(2.0000001), 4);
  });

  test("reversed axis (test_axis.py::TestRegular::test_reversed_index)", () => {
    const a = new Regular(4, 2.0, 1.0);
    const cases: [number, number][] = [[-1, 4], [0.99, 4], [1.0, 4], [1.249, 3], [1.25, 3], [1.499, 2], [1.5, 2], [1.749, 1], [1.75, 1], [1.999, 0], [2.0, 0], [20, -1]];
    for (const [x, i] of cases) assert.equal(a.index(x), i, `index(${x})`);
  });

  test("edges (test_axis.py::TestRegular::test_edges_centers_widths)", () => {
    assert.deepEqual(arr(new Regular(2, 0, 1).edges), [0, 0.5, 1]);
    assert.deepEqual(arr(new Regular(3, 0, 1).edges), [0, 1 / 3, 2 / 3, 1]);
  });
});

describe("Regular, circular", () => {
  test("traits (test_axis.py::TestCircular::test_traits)", () => {
    assert.deepEqual(new Regular(1, 2, 3, { circular: true }).traits, traits({ overflow: true, circular: true, ordered: true }));
    assert.throws(() => new Regular(1, 2, 3, { circular: true, growth: true }), /both circular and growing/);
  });

  test("equality and size (test_axis.py::TestCircular::test_equal, test_len)", () => {
    const a = new Regular(4, 0.0, 1.0, { circular: true });
    assert.ok(a.equals(new Regular(4, 0, 1, { circular: true })));
    assert.ok(!a.equals(new Regular(2, 0, 1, { circular: true })));
    assert.ok(!a.equals(new Regular(4, 0, 1)));
    assert.equal(a.size, 4);
    assert.equal(a.extent, 5);
  });

  test("bins (test_axis.py::TestCircular::test_getitem)", () => {
    const a = new Regular(2, 1, 1 + Math.PI * 2, { circular: true });
    assert.deepEqual(a.bin(0), [1.0, 1.0 + Math.PI]);
    assert.deepEqual(a.bin(1)[0], 1.0 + Math.PI);
    assert.ok(Math.abs((a.bin(1) as number[])[1] - (1 + 2 * Math.PI)) < 1e-15);
  });

  test("values wrap around (test_axis.py::TestCircular::test_index)", () => {
    const a = new Regular(4, 1, 1 + Math.PI * 2, { circular: true });
    const d = 0.5 * Math.PI;
    const cases: [number, number][] = [
      [0.99 - 4 * d, 3], [0.99 - 3 * d, 0], [0.99 - 2 * d, 1], [0.99 - d, 2], [0.99, 3], [1.0, 0], [1.01, 0],
      [0.99 + d, 0], [1.0 + d, 1], [1.0 + 2 * d, 2], [1.0 + 3 * d, 3], [1.0 + 4 * d, 0], [1.0 + 5 * d, 1],
    ];
    for (const [x, i] of cases) assert.equal(a.index(x), i, `index(${x})`);
    assert.equal(a.index(NaN), 4);
  });

  test("edges (test_axis.py::TestCircular::test_edges_centers_widths)", () => {
    assert.deepEqual(arr(new Regular(2, 0, 1, { circular: true }).edges), [0, 0.5, 1]);
  });
});

describe("Variable", () => {
  test("construction and its errors (test_axis.py::TestVariable::test_init)", () => {
    new Variable([0, 1]);
    new Variable([0, 1, 2, 3, 4]);
    new Variable(Float64Array.from([0, 1]), { label: "va" });
    assert.throws(() => new Variable([1]), { name: "RangeError", message: /at least two edges/ });
    assert.throws(() => new Variable([1, -1]), { name: "RangeError", message: /strictly increasing/ });
    assert.throws(() => new Variable([1, 1]), { name: "RangeError", message: /strictly increasing/ });
    assert.throws(() => new Variable([0, NaN]), RangeError);
  });

  test("traits (test_axis.py::TestVariable::test_traits)", () => {
    assert.deepEqual(new Variable([1, 2, 3]).traits, traits({ underflow: true, overflow: true, ordered: true }));
    assert.deepEqual(new Variable([1, 2, 3], { overflow: false }).traits, traits({ underflow: true, ordered: true }));
    assert.deepEqual(new Variable([1, 2, 3], { underflow: false }).traits, traits({ overflow: true, ordered: true }));
    assert.deepEqual(new Variable([1, 2, 3], { underflow: false, overflow: false }).traits, traits({ ordered: true }));
  });

  test("equality (test_axis.py::TestVariable::test_equal)", () => {
    const a = new Variable([-0.1, 0.2, 0.3]);
    assert.ok(a.equals(new Variable([-0.1, 0.2, 0.3])));
    assert.ok(!a.equals(new Variable([0, 0.2, 0.3])));
    assert.ok(!a.equals(new Variable([-0.1, 0.1, 0.3])));
    assert.ok(!a.equals(new Variable([-0.1, 0.1])));
  });

  test("size and extent (test_axis.py::TestVariable::test_len)", () => {
    const a = new Variable([-0.1, 0.2, 0.3]);
    assert.equal(a.size, 2);
    assert.equal(a.extent, 4);
  });

  test("bins and flow bins (test_axis.py::TestVariable::test_getitem)", () => {
    const a = new Variable([-0.1, 0.2, 0.3]);
    assert.deepEqual(a.bin(0), [-0.1, 0.2]);
    assert.deepEqual(a.bin(1), [0.2, 0.3]);
    assert.deepEqual(a.bin(-1), [-Infinity, -0.1]);
    assert.deepEqual(a.bin(2), [0.3, Infinity]);
  });

  test("value to index (test_axis.py::TestVariable::test_index)", () => {
    const a = new Variable([-0.1, 0.2, 0.3]);
    const cases: [number, number][] = [[-10.0, -1], [-0.11, -1], [-0.1, 0], [0.0, 0], [0.19, 0], [0.2, 1], [0.21, 1], [0.29, 1], [0.3, 2], [0.31, 2], [10, 2]];
    for (const [x, i] of cases) assert.equal(a.index(x), i, `index(${x})`);
    assert.equal(a.index(NaN), 2);
    assert.equal(new Variable([-0.1, 0.2, 0.3], { overflow: false }).index(0.3), 1);
  });

  test("edges (test_axis.py::TestVariable::test_edges_centers_widths)", () => {
    assert.deepEqual(arr(new Variable([0, 1, 3]).edges), [0, 1, 3]);
  });
});

describe("Integer", () => {
  test("construction and its errors (test_axis.py::TestInteger::test_init)", () => {
    new Integer(-1, 2);
    new Integer(-1, 2, { label: "foo" });
    new Integer(-1, 2, { underflow: false });
    new Integer(-1, 2, { underflow: false, overflow: false });
    new Integer(-1, 2, { growth: true });
    assert.throws(() => new Integer(2, -1), { name: "RangeError", message: /stop \(-1\) must be greater than start \(2\)/ });
    assert.throws(() => new Integer(0.5, 2), { name: "RangeError", message: /must be integers/ });
  });

  test("traits (test_axis.py::TestInteger::test_traits)", () => {
    assert.deepEqual(new Integer(1, 3).traits, traits({ underflow: true, overflow: true, ordered: true }));
    assert.deepEqual(new Integer(1, 3, { overflow: false }).traits, traits({ underflow: true, ordered: true }));
    assert.deepEqual(new Integer(1, 3, { underflow: false }).traits, traits({ overflow: true, ordered: true }));
    assert.deepEqual(new Integer(1, 3, { underflow: false, overflow: false }).traits, traits({ ordered: true }));
    assert.deepEqual(new Integer(1, 3, { growth: true }).traits, traits({ growth: true, ordered: true }));
  });

  test("equality (test_axis.py::TestInteger::test_equal)", () => {
    assert.ok(new Integer(-1, 2).equals(new Integer(-1, 2)));
    assert.ok(!new Integer(-1, 2).equals(new Integer(-1, 2, { name: "Other" })));
    assert.ok(!new Integer(-1, 2, { underflow: true }).equals(new Integer(-1, 2, { underflow: false })));
    assert.ok(!new Integer(-1, 2).equals(new Regular(3, -1, 2)));
  });

  for (const underflow of [true, false]) for (const overflow of [true, false]) {
    test(`size and extent, underflow=${underflow} overflow=${overflow} (test_axis.py::TestInteger::test_len)`, () => {
      const a = new Integer(-1, 3, { underflow, overflow });
      assert.equal(a.size, 4);
      assert.equal(a.extent, 4 + Number(underflow) + Number(overflow));
    });
  }

  test("bin values (test_axis.py::TestInteger::test_getitem)", () => {
    const a = new Integer(-1, 3);
    [-1, 0, 1, 2].forEach((r, i) => assert.equal(a.value(i), r));
    assert.equal(a.value(-1), -2);
    assert.equal(a.value(4), 3);
    assert.deepEqual(a.bin(0), [-1, 0]);
  });

  test("value to index (test_axis.py::TestInteger::test_index)", () => {
    const a = new Integer(-1, 3);
    const cases: [number, number][] = [[-3, -1], [-2, -1], [-1, 0], [0, 1], [1, 2], [2, 3], [3, 4], [4, 4]];
    for (const [x, i] of cases) assert.equal(a.index(x), i, `index(${x})`);
  });

  test("edges (test_axis.py::TestInteger::test_edges_centers_widths)", () => {
    assert.deepEqual(arr(new Integer(1, 3).edges), [1, 2, 3]);
  });
});

describe("Category", () => {
  test("construction and its errors (test_axis.py::TestCategory::test_init)", () => {
    new IntCategory([1, 2]);
    new IntCategory(new Set([1, 2]));
    new IntCategory([1, 2], { label: "foo" });
    new StrCategory(["A", "B"]);
    new StrCategory(new Set(["A", "B"]));
    assert.deepEqual(new StrCategory("AB").categories, ["A", "B"]);
    assert.throws(() => new IntCategory(["A", "B"] as unknown as number[]), { name: "TypeError", message: /labels must be integers/ });
    assert.throws(() => new StrCategory([1, 2] as unknown as string[]), { name: "TypeError", message: /labels must be strings/ });
    assert.throws(() => new StrCategory([1, "2"] as unknown as string[]), TypeError);
    assert.throws(() => new IntCategory([1, "2"] as unknown as number[]), TypeError);
    assert.throws(() => new IntCategory([1, 2, 3], { underflow: true }), { message: /no underflow bin/ });
    assert.throws(() => new IntCategory([1, 1]), { message: /duplicate label 1/ });
  });

  test("traits (test_axis.py::TestCategory::test_traits)", () => {
    assert.deepEqual(new IntCategory([1, 2, 3]).traits, traits({ overflow: true }));
    assert.deepEqual(new IntCategory([1, 2, 3], { growth: true }).traits, traits({ growth: true }));
    assert.deepEqual(new StrCategory(["1", "2", "3"]).traits, traits({ overflow: true }));
    assert.deepEqual(new StrCategory(["1", "2", "3"], { growth: true }).traits, traits({ growth: true }));
  });

  test("equality follows label order (test_axis.py::TestCategory::test_equal)", () => {
    assert.ok(new IntCategory([1, 2, 3]).equals(new IntCategory([1, 2, 3])));
    assert.ok(!new IntCategory([1, 2, 3]).equals(new IntCategory([1, 3, 2])));
    assert.ok(new StrCategory(["A", "B"]).equals(new StrCategory("AB")));
    assert.ok(!new StrCategory(["A", "B"]).equals(new StrCategory("BA")));
    assert.ok(!new StrCategory(["1"]).equals(new IntCategory([1]) as never));
  });

  for (const growth of [false, true]) {
    test(`size and extent, growth=${growth} (test_axis.py::TestCategory::test_len)`, () => {
      for (const a of [new IntCategory([1, 2, 3], { growth }), new StrCategory("ABC", { growth })]) {
        assert.equal(a.size, 3);
        assert.equal(a.extent, growth ? 3 : 4);
      }
    });

    test(`labels by bin, growth=${growth} (test_axis.py::TestCategory::test_getitem, test_value)`, () => {
      for (const ref of [[1, 2, 3], ["A", "B", "C"]] as const) {
        const a = typeof ref[0] === "string" ? new StrCategory(ref as readonly string[], { growth }) : new IntCategory(ref as readonly number[], { growth });
        for (let i = 0; i < 3; i++) assert.equal(a.bin(i), ref[i]);
        assert.equal(a.bin(3), undefined); // boost: None
        assert.deepEqual([...a.categories], [...ref]);
      }
    });

    test(`label to index, growth=${growth} (test_axis.py::TestCategory::test_index)`, () => {
      const ints = new IntCategory([1, 2, 3, 4], { growth });
      [1, 2, 3, 4].forEach((r, i) => assert.equal(ints.index(r), i));
      // Python raises KeyError; the C++ axis (and zhist) answer `size`, the flow bin or "no bin"
      assert.equal(ints.index(5), 4);
      assert.equal(ints.index(-2), 4);
      const strs = new StrCategory(["A", "B", "C", "D"], { growth });
      ["A", "B", "C", "D"].forEach((r, i) => assert.equal(strs.index(r), i));
      assert.equal(strs.index("E"), 4);
    });
  }

  test("growth appends labels in order of first appearance (GUIDE 3.2, test_axis.py::TestCategory growth)", () => {
    const a = new StrCategory([], { growth: true });
    assert.deepEqual(a.grow(["b", "a", "b", "c"], 0, 4), [0, 3]);
    assert.deepEqual(a.categories, ["b", "a", "c"]);
    assert.deepEqual(new StrCategory(["x"]).grow(["y"], 0, 1), [0, 0]);
  });
});

describe("Boolean", () => {
  test("traits (test_axis.py::TestBoolean::test_traits)", () => {
    assert.deepEqual(new Boolean().traits, traits({ ordered: true }));
  });

  test("equality (test_axis.py::TestBoolean::test_equal)", () => {
    assert.ok(new Boolean().equals(new Boolean()));
    assert.ok(new Boolean({ name: "hi" }).equals(new Boolean({ name: "hi" })));
    assert.ok(!new Boolean({ name: "hi" }).equals(new Boolean()));
    assert.ok(!new Boolean({ name: "hi" }).equals(new Boolean({ name: "ho" })));
  });

  test("size and extent (test_axis.py::TestBoolean::test_len)", () => {
    const a = new Boolean();
    assert.equal(a.size, 2);
    assert.equal(a.extent, 2);
  });

  test("bins (test_axis.py::TestBoolean::test_getitem)", () => {
    const a = new Boolean();
    assert.equal(a.bin(0), false);
    assert.equal(a.bin(1), true);
  });

  test("value to index (test_axis.py::TestBoolean::test_index)", () => {
    const a = new Boolean();
    assert.equal(a.index(false), 0);
    assert.equal(a.index(true), 1);
  });
});
