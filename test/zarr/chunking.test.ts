import { test } from "node:test";
import assert from "node:assert/strict";
import { chunkShapeFor, DEFAULT_CHUNK_BYTES } from "../../src/zarr/chunking.js";
import type { UhiAxis } from "../../src/uhi.js";

const reg = (bins: number, flow = true): UhiAxis => ({ type: "regular", lower: 0, upper: 1, bins, underflow: flow, overflow: flow, circular: false });
const cat = (n: number): UhiAxis => ({ type: "category_str", categories: Array.from({ length: n }, (_, i) => `c${i}`), flow: false });
const icat = (n: number): UhiAxis => ({ type: "category_int", categories: Array.from({ length: n }, (_, i) => i), flow: true });
const bool: UhiAxis = { type: "boolean" };
const bytes = (shape: number[]) => shape.reduce((n, e) => n * e, 8);

test("categorical axes get chunk 1, boolean and small dense axes stay whole", () => {
  assert.deepEqual(chunkShapeFor([cat(50), icat(4), bool, reg(100)]), [1, 1, 2, 102]);
  assert.deepEqual(chunkShapeFor([reg(10), cat(3), reg(20, false)]), [12, 1, 20]);
  assert.deepEqual(chunkShapeFor([]), []);
});

test("dense axes past the budget are split, outermost first, into near-equal pieces", () => {
  const axes = [cat(10), reg(2000, false), reg(1000, false)]; // 16 MB per category: split
  const shape = chunkShapeFor(axes);
  assert.deepEqual(shape, [1, 1000, 1000]);
  assert.ok(bytes(shape) <= DEFAULT_CHUNK_BYTES);
  // One huge inner axis: the inner one is split and the outer ones get 1.
  assert.deepEqual(chunkShapeFor([reg(3, false), reg(3_000_000, false)]), [1, 1_000_000]);
  // A custom budget of 100 doubles: 98 bins + 2 flow fit exactly; 101 split in 51 + 50,
  // not 100 + a sliver of 1.
  assert.deepEqual(chunkShapeFor([reg(98)], 800), [100]);
  assert.deepEqual(chunkShapeFor([reg(99)], 800), [51]);
});

test("every chunk stays within the budget across many shapes", () => {
  for (const n of [1, 7, 100, 1023, 4097]) {
    for (const m of [1, 13, 999, 70_000]) {
      const shape = chunkShapeFor([cat(2), bool, reg(n), reg(m)]);
      assert.ok(bytes(shape) <= DEFAULT_CHUNK_BYTES, `[${shape}] for ${n}x${m}`);
      assert.equal(shape[0], 1);
    }
  }
});
