// The chunk cache: a memo of decode(frame) per chunk file, used only when the file holds exactly the
// frame cached for it, so another writer's chunk is always decoded afresh.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ChunkCache } from "../../src/zarr/chunk-cache.js";
import { currentChunkCache } from "../../src/zarr/codec-pool.js";
import { accumulateChunk, readChunk, writeChunk } from "../../src/zarr/chunks.js";
import { openField } from "../../src/zarr/layout.js";
import { Hist } from "../../src/index.js";
import { tempStore } from "./tmp.js";

const bytes = (...b: number[]) => Uint8Array.from(b);

test("a cached chunk is given only for the very bytes it was cached with, and leaves the cache", () => {
  const evicted: Float64Array[] = [];
  const cache = new ChunkCache(1 << 20, (d) => { if (d) evicted.push(d); });
  const decoded = Float64Array.of(1, 2, 3);
  cache.put("/s/c/0", bytes(1, 2, 3), decoded);
  assert.equal(cache.take("/s/c/0", bytes(1, 2, 4)), null, "other bytes of the same length");
  assert.deepEqual(evicted, [decoded]);
  assert.equal(cache.size, 0);
  cache.put("/s/c/0", bytes(1, 2, 3), decoded);
  assert.equal(cache.take("/s/c/0", bytes(1, 2)), null, "a shorter file");
  cache.put("/s/c/0", bytes(1, 2, 3), decoded);
  assert.equal(cache.take("/s/c/1", bytes(1, 2, 3)), null, "another chunk");
  assert.equal(cache.take("/s/c/0", bytes(1, 2, 3)), decoded);
  assert.equal(cache.size, 0, "taken out: the caller adds into it");
  assert.deepEqual([cache.hits, cache.stale], [1, 2]);
});

test("the cache keeps to its budget, least recently stored first out", () => {
  const evicted: number[] = [];
  const chunk = () => new Float64Array(128); // 1 KiB each, plus a 1-byte frame
  const cache = new ChunkCache(3 * 1025, (d) => { if (d) evicted.push(d[0]); });
  for (let i = 0; i < 5; i++) {
    const d = chunk();
    d[0] = i;
    cache.put(`/c/${i}`, bytes(i), d);
  }
  assert.equal(cache.size, 3);
  assert.deepEqual(evicted, [0, 1]);
  assert.equal(cache.take("/c/2", bytes(2))?.[0], 2);
  const huge = new Float64Array(1024);
  cache.put("/c/9", bytes(9), huge);
  assert.equal(cache.take("/c/9", bytes(9)), null, "an entry larger than the budget is not kept");
  cache.clear();
  assert.equal(cache.size, 0);
});

test("accumulating again uses the cached chunk, and a chunk another writer changed is decoded afresh", async () => {
  const root = tempStore();
  const n = 50_000; // one chunk: 49 998 bins and the two flow bins
  await Hist.new.Reg(n - 2, 0, 1).Double().save(root, "h");
  const array = await openField(root, "h", "values");
  assert.deepEqual(array.chunkShape, [n]);
  const cache = currentChunkCache();
  assert.ok(cache, "the cache is on by default");
  const delta = Float64Array.from({ length: n }, (_, i) => (i % 7) + 0.25);
  const hits = cache.hits;
  // The first writes the chunk, the second decodes it (and caches the sum), the others use the cache.
  for (let r = 0; r < 4; r++) await accumulateChunk(array, [0], delta);
  assert.equal(cache.hits, hits + 2);
  const sum = (await readChunk(array, [0]))!;
  for (let i = 0; i < n; i += 997) assert.equal(sum[i], 4 * delta[i]);
  // Another writer replaces the chunk: the next accumulation adds into its bytes, not the cached sum.
  const other = Float64Array.from({ length: n }, (_, i) => i);
  await writeChunk(array, [0], other);
  const stale = cache.stale;
  await accumulateChunk(array, [0], delta);
  assert.equal(cache.stale, stale + 1);
  const got = (await readChunk(array, [0]))!;
  for (let i = 0; i < n; i += 997) assert.equal(got[i], other[i] + delta[i]);
  await accumulateChunk(array, [0], delta);
  const again = (await readChunk(array, [0]))!;
  for (let i = 0; i < n; i += 997) assert.equal(again[i], other[i] + 2 * delta[i]);
});
