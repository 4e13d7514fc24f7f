import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { allZstdBackends, codecMetadata, decodeChunk, encodeChunk, parseCodecs } from "../../src/zarr/codec.js";
import { xxh64 } from "../../src/zarr/xxhash64.js";
import { filledArray } from "./fixtures.js";
import { runPython } from "./python.js";

test("xxh64 matches the reference test vectors", () => {
  assert.equal(xxh64(new Uint8Array(0)), 0xef46db3751d8e999n);
  assert.equal(xxh64(new TextEncoder().encode("a")), 0xd24ec4f1a98c6e5bn);
  assert.equal(xxh64(new TextEncoder().encode("abc")), 0x44bc2cf5ad770999n);
});

test("bytes+zstd round trip, both endians, with and without checksum", async () => {
  const data = filledArray(5000, 3);
  for (const endian of ["little", "big"] as const) {
    for (const checksum of [false, true]) {
      const codecs = { endian, zstd: { level: 1, checksum } };
      const back = await decodeChunk(await encodeChunk(data, codecs), codecs, data.length);
      assert.deepEqual(back, data);
    }
  }
  const raw = { endian: "little" as const, zstd: null };
  assert.deepEqual(await decodeChunk(await encodeChunk(data, raw), raw, data.length), data);
});

/** Chunk kinds a store holds: sparse counts, a filled slab, weights and their squares, dense noise, zeros. */
function chunkKinds(): Record<string, Float64Array> {
  const n = 400 * 1000;
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const counts = new Float64Array(n);
  for (let i = 0; i < 60_000; i++) counts[Math.floor(rnd() * n)] += 1;
  const slab = new Float64Array(n);
  for (let i = 0; i < 100_000; i++) {
    const eta = Math.min(399, Math.max(0, Math.floor(200 + 80 * (rnd() + rnd() + rnd() - 1.5))));
    const pt = Math.min(999, Math.floor(-120 * Math.log(1 - rnd())));
    slab[eta * 1000 + pt] += 0.5 + rnd();
  }
  return {
    counts, slab, squares: slab.map((v) => v * v * 0.7), dense: Float64Array.from({ length: n }, () => 100 * rnd()),
    zeros: new Float64Array(n), small: filledArray(3000, 9),
  };
}

test("native (zstd-napi) and WASM zstd write byte-identical chunks at every level zhist may write", async (t) => {
  const backends = await allZstdBackends();
  assert.equal(backends.at(-1)!.name, "zstd-wasm");
  if (backends.length < 2) {
    t.skip("zstd-napi is not built here: only the WASM fallback runs");
    return;
  }
  const [native, wasm] = backends;
  for (const [kind, data] of Object.entries(chunkKinds())) {
    for (const level of [0, 1, 3, -1, -5]) {
      for (const checksum of [false, true]) {
        const codecs = { endian: "little" as const, zstd: { level, checksum } };
        const a = await encodeChunk(data, codecs, native);
        const b = await encodeChunk(data, codecs, wasm);
        assert.ok(Buffer.from(a).equals(Buffer.from(b)), `${kind} at level ${level} checksum ${checksum}: ${a.length} vs ${b.length} bytes`);
        // Each decodes the other's frame.
        assert.deepEqual(await decodeChunk(a, codecs, data.length, wasm), data);
        assert.deepEqual(await decodeChunk(b, codecs, data.length, native), data);
      }
    }
  }
});

test("the codec in use is native when zstd-napi loads; ZHIST_ZSTD=wasm selects the fallback", async () => {
  const expected = (await allZstdBackends()).length > 1 ? "zstd-napi" : "zstd-wasm";
  const which = (env: Record<string, string>) => execFileSync(process.execPath, ["--input-type=module", "-e",
    `const c = await import(${JSON.stringify(new URL("../../src/zarr/codec.js", import.meta.url).href)}); process.stdout.write((await c.zstdBackend()).name);`],
  { env: { ...process.env, ...env }, encoding: "utf8" });
  assert.equal(which({ ZHIST_ZSTD: "" }), expected);
  assert.equal(which({ ZHIST_ZSTD: "wasm" }), "zstd-wasm");
});

test("numcodecs (Python) decodes our frames at every level and checksum to the same values", async () => {
  const data = filledArray(3000, 9);
  const frames: Record<string, string> = {};
  for (const level of [0, 1, 3, -1]) {
    for (const checksum of [false, true]) {
      frames[`${level}-${checksum}`] = Buffer.from(await encodeChunk(data, { endian: "little", zstd: { level, checksum } })).toString("hex");
    }
  }
  const decoded = runPython<Record<string, number[]>>(
    String.raw`
import json, sys, numpy as np
from numcodecs import Zstd
frames = json.load(sys.stdin)
print(json.dumps({k: np.frombuffer(Zstd().decode(bytes.fromhex(v)), dtype="<f8").tolist() for k, v in frames.items()}))`,
    frames,
  );
  for (const [k, values] of Object.entries(decoded)) assert.deepEqual(Float64Array.from(values), data, k);
});

test("a chunk that decodes to the wrong size is an error, not misaligned data", async () => {
  const codecs = { endian: "little" as const, zstd: { level: 1, checksum: false } };
  const encoded = await encodeChunk(new Float64Array(10), codecs);
  await assert.rejects(decodeChunk(encoded, codecs, 12), /decoded 80 bytes, expected 96/);
  await assert.rejects(decodeChunk(Uint8Array.from([1, 2, 3, 4, 5]), codecs, 10));
});

test("codec lists: ours are explicit; foreign pipelines are refused by name", () => {
  assert.deepEqual(parseCodecs(codecMetadata(), "x"), { endian: "little", zstd: { level: 1, checksum: false } });
  assert.deepEqual(parseCodecs([{ name: "bytes" }], "x"), { endian: "little", zstd: null });
  assert.throws(() => parseCodecs([{ name: "bytes" }, { name: "gzip" }], "arr"), /arr: unsupported codec pipeline \["bytes","gzip"\]/);
  assert.throws(() => parseCodecs([{ name: "sharding_indexed" }], "arr"), /sharding_indexed/);
});
