// Decompressing a ROOT basket. Its payload is a sequence of blocks, each a 9-byte header (algorithm
// "ZL" zlib, "ZS" ZSTD, "L4" LZ4, "XZ" LZMA, "CS" ROOT's old zlib; a method byte; compressed and
// uncompressed sizes, 3 bytes each, little-endian) and the compressed bytes. zlib, ZSTD and LZMA
// blocks are decompressed natively (node:zlib, the zstd of the Zarr codec, @napi-rs/lzma's xz):
// jsroot's inflate is JavaScript (half of a fill's time over a zlib-compressed file), and its LZMA
// decoder rejects the level 9 that CMS NanoAOD is written with. Other blocks (LZ4, "CS"), or LZMA
// where @napi-rs/lzma has no build for the platform, send the basket to jsroot.
import { createRequire } from "node:module";
import * as zlib from "node:zlib";
import { R__unzip } from "jsroot/io";
import { zstdBackend } from "../../zarr/codec.js";

const HEADER = 9;

type Kind = "zlib" | "zstd" | "xz";
interface Block { kind: Kind; payload: Uint8Array; at: number; size: number }

interface Xz { decompressSync(input: Uint8Array): Buffer }
let xzModule: Xz | null | undefined;
/** @napi-rs/lzma's xz (an optional dependency with a prebuilt binary per platform), or null. */
function xz(): Xz | null {
  if (xzModule === undefined) {
    try {
      xzModule = (createRequire(import.meta.url)("@napi-rs/lzma") as { xz: Xz }).xz;
    } catch {
      xzModule = null;
    }
  }
  return xzModule;
}

function kindAt(bytes: Uint8Array, at: number): Kind | null {
  const [a, b, method] = [bytes[at], bytes[at + 1], bytes[at + 2]];
  if (a === 0x5a && b === 0x4c && method === 8) return "zlib"; // "ZL", deflate
  if (a === 0x5a && b === 0x53 && method === 1) return "zstd"; // "ZS"
  if (a === 0x58 && b === 0x5a && method === 0 && xz()) return "xz"; // "XZ"
  return null;
}

/** `size` bytes decompressed from the blocks that start at `start` in `blob`; null where they do not give them. */
export async function unzipBasket(blob: DataView, size: number, start: number): Promise<DataView | null> {
  const bytes = new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength);
  const blocks: Block[] = [];
  for (let at = start, total = 0; total < size;) {
    if (at + HEADER > bytes.length) return null;
    const kind = kindAt(bytes, at);
    if (!kind) return R__unzip(blob, size, true, start);
    const compressed = bytes[at + 3] | (bytes[at + 4] << 8) | (bytes[at + 5] << 16);
    const uncompressed = bytes[at + 6] | (bytes[at + 7] << 8) | (bytes[at + 8] << 16);
    if (at + HEADER + compressed > bytes.length || total + uncompressed > size) return null;
    blocks.push({ kind, payload: bytes.subarray(at + HEADER, at + HEADER + compressed), at: total, size: uncompressed });
    at += HEADER + compressed;
    total += uncompressed;
  }
  const out = new Uint8Array(size);
  try {
    for (const b of blocks) {
      const dst = out.subarray(b.at, b.at + b.size);
      if (b.kind === "zstd") {
        if ((await zstdBackend()).decompressInto(b.payload, dst) !== b.size) return null;
        continue;
      }
      // A whole zlib stream (its header and Adler-32 checked; the block's size bounds the output), or
      // a whole .xz stream (its CRC32 or CRC64 check verified by the decoder).
      const whole = b.kind === "zlib" ? zlib.inflateSync(b.payload, { maxOutputLength: Math.max(1, b.size) }) : xz()!.decompressSync(b.payload);
      if (whole.byteLength !== b.size) return null;
      dst.set(whole);
    }
  } catch {
    return null; // corrupt: the caller names the basket
  }
  return new DataView(out.buffer);
}
