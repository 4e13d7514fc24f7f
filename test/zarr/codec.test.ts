import { test } from "node:test";
import assert from "node:assert/strict";
import { codecMetadata, decodeChunk, encodeChunk, parseCodecs } from "../../src/zarr/codec.js";
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

test("our zstd frames are byte-identical to numcodecs (Python) at the same level and checksum", async () => {
  const data = filledArray(3000, 9);
  const ours: Record<string, string> = {};
  for (const level of [0, 1, 3]) {
    for (const checksum of [false, true]) {
      ours[`${level}-${checksum}`] = Buffer.from(await encodeChunk(data, { endian: "little", zstd: { level, checksum } })).toString("hex");
    }
  }
  const theirs = runPython<Record<string, string>>(
    String.raw`
import json, sys, numpy as np
from numcodecs import Zstd
a = np.asarray(json.load(sys.stdin), dtype="<f8")
print(json.dumps({f"{l}-{str(c).lower()}": Zstd(level=l, checksum=c).encode(a).hex() for l in (0, 1, 3) for c in (False, True)}))`,
    Array.from(data),
  );
  assert.deepEqual(ours, theirs);
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
