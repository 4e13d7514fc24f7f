// Decompressing a ROOT basket. Its payload is a sequence of blocks, each a 9-byte header (algorithm
// "ZL" zlib, "ZS" ZSTD, "L4" LZ4, "XZ" LZMA, "CS" ROOT's old zlib; a method byte; compressed and
// uncompressed sizes, 3 bytes each, little-endian) and the compressed bytes. zlib and ZSTD blocks are
// decompressed natively (node:zlib, the zstd of the Zarr codec): jsroot's inflate is JavaScript, and
// was half of a fill's time over a zlib-compressed file. Any other block sends the basket to jsroot.
import * as zlib from "node:zlib";
import { R__unzip } from "jsroot/io";
import { zstdBackend } from "../../zarr/codec.js";

const HEADER = 9;

interface Block { zstd: boolean; payload: Uint8Array; at: number; size: number }

/** `size` bytes decompressed from the blocks that start at `start` in `blob`; null where they do not give them. */
export async function unzipBasket(blob: DataView, size: number, start: number): Promise<DataView | null> {
  const bytes = new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength);
  const blocks: Block[] = [];
  for (let at = start, total = 0; total < size;) {
    if (at + HEADER > bytes.length) return null;
    const zl = bytes[at] === 0x5a && bytes[at + 1] === 0x4c && bytes[at + 2] === 8; // "ZL", deflate
    const zs = bytes[at] === 0x5a && bytes[at + 1] === 0x53 && bytes[at + 2] === 1; // "ZS"
    if (!zl && !zs) return R__unzip(blob, size, true, start);
    const compressed = bytes[at + 3] | (bytes[at + 4] << 8) | (bytes[at + 5] << 16);
    const uncompressed = bytes[at + 6] | (bytes[at + 7] << 8) | (bytes[at + 8] << 16);
    if (at + HEADER + compressed > bytes.length || total + uncompressed > size) return null;
    blocks.push({ zstd: zs, payload: bytes.subarray(at + HEADER, at + HEADER + compressed), at: total, size: uncompressed });
    at += HEADER + compressed;
    total += uncompressed;
  }
  const out = new Uint8Array(size);
  try {
    for (const b of blocks) {
      const dst = out.subarray(b.at, b.at + b.size);
      let written: number;
      if (b.zstd) written = (await zstdBackend()).decompressInto(b.payload, dst);
      else {
        // A whole zlib stream (its header and Adler-32 checked); the block's size bounds the output.
        const inflated = zlib.inflateSync(b.payload, { maxOutputLength: Math.max(1, b.size) });
        dst.set(inflated.subarray(0, b.size));
        written = inflated.byteLength;
      }
      if (written !== b.size) return null;
    }
  } catch {
    return null; // corrupt: the caller names the basket
  }
  return new DataView(out.buffer);
}
