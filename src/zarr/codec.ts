// One chunk of float64 through the Zarr v3 codec pipeline zhist writes: `bytes` (an
// endianness) then optionally `zstd` (level, checksum). zstd runs natively through zstd-napi
// (an optional dependency built by node-gyp at install) when it loads, else through
// @bokuweb/zstd-wasm. Both bundle zstd 1.5.7 and call the same one-shot ZSTD_compress, so the
// bytes on disk are the same whichever runs (test/zarr/codec.test.ts encodes with both).
// numcodecs' WASM (the one zarrita loads) is not used: it bundles another zstd release whose
// frames differ from 1.5.7's on histogram chunks, and it refuses negative levels.
import { createRequire } from "node:module";
import { xxh64Low32 } from "./xxhash64.js";

export interface ZstdSettings {
  level: number;
  checksum: boolean;
}

/** The parsed codec list of one array: what encodeChunk/decodeChunk need to know. */
export interface ChunkCodecs {
  endian: "little" | "big";
  zstd: ZstdSettings | null;
}

export interface CodecMetadata {
  name: string;
  configuration?: Record<string, unknown>;
}

/** Level 1: on histogram-like float64 chunks it compresses as well as level 3 (counts: 14.0x vs
 * 12.9x) and the WASM encoder runs 1-3x faster (166-212 MB/s vs 60-199 MB/s). */
export const DEFAULT_ZSTD: ZstdSettings = { level: 1, checksum: false };

/** The `codecs` entry of a zarr.json zhist writes: always both, always explicit. */
export function codecMetadata(zstd: ZstdSettings = DEFAULT_ZSTD): CodecMetadata[] {
  return [
    { name: "bytes", configuration: { endian: "little" } },
    { name: "zstd", configuration: { level: zstd.level, checksum: zstd.checksum } },
  ];
}

/** Understand a zarr.json codec list; anything zhist cannot encode is refused by name. */
export function parseCodecs(codecs: CodecMetadata[], where: string): ChunkCodecs {
  const [first, ...rest] = codecs;
  if (!first || first.name !== "bytes") {
    throw new Error(`${where}: unsupported codec pipeline ${JSON.stringify(codecs.map((c) => c.name))}; zhist reads bytes[, zstd]`);
  }
  const endian = (first.configuration?.endian ?? "little") as string;
  if (endian !== "little" && endian !== "big") throw new Error(`${where}: bad bytes endian ${JSON.stringify(endian)}`);
  if (rest.length === 0) return { endian, zstd: null };
  const [second, ...more] = rest;
  if (second.name !== "zstd" || more.length > 0) {
    throw new Error(`${where}: unsupported codec pipeline ${JSON.stringify(codecs.map((c) => c.name))}; zhist reads bytes[, zstd]`);
  }
  const level = Number(second.configuration?.level ?? 0);
  const checksum = Boolean(second.configuration?.checksum ?? false);
  return { endian, zstd: { level, checksum } };
}

/** A zstd implementation: one-shot frames with the content size in the header, no checksum. */
export interface ZstdBackend {
  readonly name: "zstd-napi" | "zstd-wasm";
  compress(src: Uint8Array, level: number): Uint8Array;
  /** compress into `dst` (at least zstdCompressBound(src) bytes); returns the frame's length. */
  compressInto(src: Uint8Array, level: number, dst: Uint8Array): number;
  /** Decompress one frame into `dst` (exactly its capacity is allowed); returns the bytes written. */
  decompressInto(frame: Uint8Array, dst: Uint8Array): number;
}

const require = createRequire(import.meta.url);

// The parts of zstd-napi's low-level binding used here, declared locally: the package is optional, so
// the build must not need its type declarations.
interface NapiBinding {
  CCtx: new () => { compress(dst: Uint8Array, src: Uint8Array, level: number): number };
  DCtx: new () => { decompress(dst: Uint8Array, src: Uint8Array): number };
  compressBound(size: number): number;
  getFrameContentSize(frame: Uint8Array): number | null;
}

function loadNapi(): ZstdBackend {
  const z = require("zstd-napi/binding") as NapiBinding;
  const cctx = new z.CCtx();
  const dctx = new z.DCtx();
  return {
    name: "zstd-napi",
    compress(src, level) {
      // Not zero-filled and not pooled: the frame is a view of a buffer of its own, no copy.
      const dst = Buffer.allocUnsafeSlow(z.compressBound(src.byteLength));
      return dst.subarray(0, cctx.compress(dst, src, level));
    },
    compressInto: (src, level, dst) => cctx.compress(dst, src, level),
    decompressInto(frame, dst) {
      const size = z.getFrameContentSize(frame);
      if (size !== null && size > dst.byteLength) throw new Error(`decoded ${size} bytes, expected ${dst.byteLength}`);
      return dctx.decompress(dst, frame);
    },
  };
}

let wasm: Promise<ZstdBackend> | null = null;
function loadWasm(): Promise<ZstdBackend> {
  wasm ??= instantiateWasm();
  return wasm;
}

async function instantiateWasm(): Promise<ZstdBackend> {
  const z = require("@bokuweb/zstd-wasm") as typeof import("@bokuweb/zstd-wasm");
  await z.init();
  return {
    name: "zstd-wasm",
    compress: (src, level) => z.compress(src, level),
    compressInto(src, level, dst) {
      const frame = z.compress(src, level);
      dst.set(frame);
      return frame.byteLength;
    },
    decompressInto(frame, dst) {
      // Frames without a content size get a heap of the expected size (one byte more, to see overruns).
      const out = z.decompress(frame, { defaultHeapSize: dst.byteLength + 1 });
      if (out.byteLength > dst.byteLength) throw new Error(`decoded ${out.byteLength} bytes, expected ${dst.byteLength}`);
      dst.set(out);
      return out.byteLength;
    },
  };
}

let backend: Promise<ZstdBackend> | null = null;

/**
 * The zstd in use: native unless it failed to build or load, or ZHIST_ZSTD=wasm asks for the WASM
 * build (tests run both; ZHIST_ZSTD=napi makes a missing native build an error).
 */
export function zstdBackend(): Promise<ZstdBackend> {
  backend ??= (async () => {
    const wanted = process.env.ZHIST_ZSTD;
    if (wanted === "wasm") return loadWasm();
    try {
      return loadNapi();
    } catch (err) {
      if (wanted === "napi") throw new Error(`ZHIST_ZSTD=napi but zstd-napi does not load: ${(err as Error).message}`);
      return loadWasm();
    }
  })();
  return backend;
}

/** Both implementations, for tests that compare their frames. */
export async function allZstdBackends(): Promise<ZstdBackend[]> {
  const out = [await loadWasm()];
  try {
    out.unshift(loadNapi());
  } catch {
    /* no native build here */
  }
  return out;
}

// zarr-python's level 0 means "zstd default" (3): map it so that the same zarr.json yields the same
// bytes from either writer.
const effectiveLevel = (level: number) => (level === 0 ? 3 : level);

export async function encodeChunk(values: Float64Array, codecs: ChunkCodecs, zstd?: ZstdBackend): Promise<Uint8Array> {
  return encodeChunkWith(values, codecs, codecs.zstd ? (zstd ?? (await zstdBackend())) : null);
}

/** libzstd's ZSTD_COMPRESSBOUND: the most bytes a frame of `size` input bytes can take. */
export function zstdCompressBound(size: number): number {
  return size + (size >>> 8) + (size < 128 << 10 ? ((128 << 10) - size) >>> 11 : 0);
}

/**
 * encodeChunk with the backend at hand (null when the pipeline has no zstd): synchronous. With `dst`
 * (at least zstdCompressBound of the chunk's bytes), a zstd frame is written into it (a view is returned).
 */
export function encodeChunkWith(values: Float64Array, codecs: ChunkCodecs, zstd: ZstdBackend | null, dst?: Uint8Array): Uint8Array {
  let raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (codecs.endian === "big" || !HOST_LITTLE_ENDIAN) raw = byteswap64(raw);
  if (!codecs.zstd) return raw.slice();
  if (!zstd) throw new Error("encodeChunkWith: the pipeline has zstd, no backend given");
  const level = effectiveLevel(codecs.zstd.level);
  const frame = dst && dst.byteLength >= zstdCompressBound(raw.byteLength) ? dst.subarray(0, zstd.compressInto(raw, level, dst)) : zstd.compress(raw, level);
  return codecs.zstd.checksum ? addContentChecksum(frame, raw) : frame;
}

/**
 * Decode one chunk. `elements` is the chunk's element count: a chunk that decodes to any
 * other length is corrupt, and the error says so instead of returning misaligned data.
 */
export async function decodeChunk(bytes: Uint8Array, codecs: ChunkCodecs, elements: number, zstd?: ZstdBackend): Promise<Float64Array> {
  // A fresh, aligned buffer (not zero-filled: every byte is written or the chunk is refused), decoded into directly.
  const out = new Float64Array(elements === 0 ? new ArrayBuffer(0) : Buffer.allocUnsafeSlow(elements * 8).buffer, 0, elements);
  decodeChunkInto(bytes, codecs, out, codecs.zstd ? (zstd ?? (await zstdBackend())) : null);
  return out;
}

/** decodeChunk into `out` (its length is the chunk's element count), synchronous. */
export function decodeChunkInto(bytes: Uint8Array, codecs: ChunkCodecs, out: Float64Array, zstd: ZstdBackend | null): void {
  const elements = out.length;
  const dst = new Uint8Array(out.buffer, out.byteOffset, elements * 8);
  let size: number;
  if (codecs.zstd) {
    if (!zstd) throw new Error("decodeChunkInto: the pipeline has zstd, no backend given");
    size = zstd.decompressInto(bytes, dst);
  } else {
    size = bytes.byteLength;
    if (size === dst.byteLength) dst.set(bytes);
  }
  if (size !== elements * 8) {
    throw new Error(`decoded ${size} bytes, expected ${elements * 8} (${elements} float64)`);
  }
  if (codecs.endian === "big" || !HOST_LITTLE_ENDIAN) dst.set(byteswap64(dst));
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function byteswap64(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 8) {
    for (let j = 0; j < 8; j++) out[i + j] = bytes[i + 7 - j];
  }
  return out;
}

/**
 * The WASM build compresses without zstd's content checksum. A zstd frame's checksum is the
 * low 32 bits of XXH64(content, seed 0), appended after the last block and flagged by bit 2
 * of the frame header descriptor (byte 4, after the magic number), so it can be added after
 * the fact and gives exactly the frame libzstd writes with checksumFlag=1.
 */
function addContentChecksum(frame: Uint8Array, content: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length + 4);
  out.set(frame);
  out[4] |= 0x04;
  new DataView(out.buffer).setUint32(frame.length, xxh64Low32(content), true);
  return out;
}
