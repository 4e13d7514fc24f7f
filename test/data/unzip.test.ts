// ROOT's compressed blocks ("ZL" zlib, "ZS" ZSTD) decompressed natively (src/data/root/unzip.ts),
// built here the way ROOT writes them: a 9-byte header (algorithm, method, compressed and uncompressed
// sizes, 3 bytes little-endian each) before each block's stream. Files of every algorithm are read
// against uproot in compression.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createRequire } from "node:module";
import * as zlib from "node:zlib";
import { unzipBasket } from "../../src/data/root/unzip.js";
import { zstdBackend } from "../../src/zarr/codec.js";
import { runPython } from "../helpers/python.js";
import { makeRandom } from "../helpers/random.js";

function header(tag: string, method: number, compressed: number, uncompressed: number): Uint8Array {
  const h = new Uint8Array(9);
  h.set([tag.charCodeAt(0), tag.charCodeAt(1), method]);
  for (let i = 0; i < 3; i++) h[3 + i] = (compressed >> (8 * i)) & 0xff;
  for (let i = 0; i < 3; i++) h[6 + i] = (uncompressed >> (8 * i)) & 0xff;
  return h;
}

const zl = (data: Uint8Array) => { const z = zlib.deflateSync(data); return [header("ZL", 8, z.length, data.length), z]; };
const zs = async (data: Uint8Array) => { const z = (await zstdBackend()).compress(data, 3); return [header("ZS", 1, z.length, data.length), z]; };

function blob(prefix: number, parts: Uint8Array[]): DataView {
  const out = new Uint8Array(prefix + parts.reduce((n, p) => n + p.length, 0));
  let at = prefix;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return new DataView(out.buffer);
}

const payload = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + (i >> 5)) & 0xff);

test("zlib and ZSTD blocks, one or several, after the key's bytes, decompress to the original bytes", async () => {
  const [a, b, c] = [payload(70_000, 1), payload(1_000, 2), payload(33_333, 3)];
  const cases: [string, Uint8Array[], Uint8Array][] = [
    ["one zlib block", zl(a), a],
    ["two zlib blocks", [...zl(a), ...zl(b)], Uint8Array.from([...a, ...b])],
    ["one ZSTD block", await zs(c), c],
    ["zlib then ZSTD", [...zl(b), ...(await zs(c))], Uint8Array.from([...b, ...c])],
  ];
  for (const [what, parts, want] of cases) {
    const got = await unzipBasket(blob(40, parts), want.length, 40);
    assert.ok(got, what);
    assert.deepEqual(new Uint8Array(got.buffer, got.byteOffset, got.byteLength), want, what);
  }
});

test("a corrupt, truncated or short block gives null (the caller names the basket)", async () => {
  const a = payload(5_000, 4);
  const [h, z] = zl(a);
  const bad = Uint8Array.from(z);
  bad[bad.length - 1] ^= 0xff; // the Adler-32 of the zlib stream
  assert.equal(await unzipBasket(blob(0, [h, bad]), a.length, 0), null, "checksum");
  assert.equal(await unzipBasket(blob(0, [h, z.subarray(0, z.length - 10)]), a.length, 0), null, "truncated");
  assert.equal(await unzipBasket(blob(0, [h, z]), a.length + 1, 0), null, "fewer bytes than the key says");
  assert.equal(await unzipBasket(blob(0, [h.subarray(0, 5)]), a.length, 0), null, "a cut header");
});

test("LZMA (xz) blocks, alone and after a zlib block, decompress natively with their check verified", async (t) => {
  try {
    createRequire(import.meta.url)("@napi-rs/lzma");
  } catch {
    t.skip("@napi-rs/lzma has no build for this platform (LZMA goes to jsroot)");
    return;
  }
  // Random bytes: LZMA2 stores them as they are, so a corrupt byte decodes to a wrong byte, not an error.
  const rnd = makeRandom(11);
  const [a, b] = [Uint8Array.from({ length: 50_000 }, () => Math.floor(rnd() * 256)), payload(7_000, 6)];
  // Streams as ROOT writes them (liblzma, CRC32 check) and as uproot does (CRC64), from Python's lzma.
  const { json } = await runPython<Record<string, number[]>>(`
import lzma
data = bytes(INPUT["a"])
emit({name: list(lzma.compress(data, preset=9, check=check)) for name, check in [("crc32", lzma.CHECK_CRC32), ("crc64", lzma.CHECK_CRC64)]})
`, { input: { a: Array.from(a) } });
  const xzBlock = (stream: number[], size: number) => [header("XZ", 0, stream.length, size), Uint8Array.from(stream)];
  for (const check of ["crc32", "crc64"]) {
    for (const [what, parts, want] of [["one xz block", xzBlock(json[check], a.length), a], ["zlib then xz", [...zl(b), ...xzBlock(json[check], a.length)], Uint8Array.from([...b, ...a])]] as const) {
      const got = await unzipBasket(blob(12, [...parts]), want.length, 12);
      assert.ok(got, `${what} (${check})`);
      assert.deepEqual(new Uint8Array(got.buffer, got.byteOffset, got.byteLength), want, `${what} (${check})`);
    }
    // A corrupt byte in the stored data: the decoder takes it, the check does not.
    for (const at of [100, Math.floor(json[check].length / 2)]) {
      const bad = [...json[check]];
      bad[at] ^= 0x55;
      assert.equal(await unzipBasket(blob(0, xzBlock(bad, a.length)), a.length, 0), null, `corrupt byte ${at} (${check})`);
    }
  }
});
