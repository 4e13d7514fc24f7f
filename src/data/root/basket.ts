// Baskets: where each one sits, reading them in one sequential request, decompressing (zlib, LZ4, LZMA,
// ZSTD: unzip.ts) and turning their big-endian payload into native typed arrays.
import { TBuffer, clTBasket, type JsrootFile } from "jsroot/io";
import { unzipBasket } from "./unzip.js";
import { DataError, causeText } from "../errors.js";
import { elementSize, fromBigEndian } from "../typed.js";
import type { NumericArray } from "../types.js";
import type { BranchInfo } from "./branches.js";

/** One basket of one branch, decoded: event j of the basket owns values[offsets[j] .. offsets[j+1]). */
export interface DecodedBasket {
  start: number;
  stop: number;
  values: NumericArray;
  /** Element offsets (length events + 1) for jagged layouts; absent for scalars. */
  offsets?: Int32Array;
}

export interface BasketPlace {
  index: number;
  start: number;
  stop: number;
  /** An on-disk basket: its key's position and size. Absent for a basket stored inside the tree object. */
  seek?: number;
  bytes?: number;
  embedded?: any;
}

/** Where the baskets of a branch are, in entry order (the last may live inside the TTree object itself). */
export function basketPlaces(info: BranchInfo): BasketPlace[] {
  const b = info.branch;
  const embedded: any[] = b.fBaskets?.arr ?? [];
  // A basket still in memory when the tree was written is stored inside the TTree object; with no data
  // (every entry empty) it carries no buffer at all.
  const count = b.fWriteBasket + (embedded[b.fWriteBasket]?._typename === "TBasket" ? 1 : 0);
  const places: BasketPlace[] = [];
  for (let i = 0; i < count; i++) {
    const start = Number(b.fBasketEntry[i]);
    const stop = i + 1 < count ? Number(b.fBasketEntry[i + 1]) : Number(b.fEntries);
    const e = embedded[i];
    if (e?._typename === "TBasket") places.push({ index: i, start, stop, embedded: e });
    else places.push({ index: i, start, stop, seek: Number(b.fBasketSeek[i]), bytes: Number(b.fBasketBytes[i]) });
  }
  return places;
}

interface RawBasket {
  /** The data part of the payload (fLast - fKeylen bytes). */
  data: Uint8Array;
  /** Byte offsets of each entry within data, when the branch writes them. */
  entryOffsets?: Int32Array;
  entries: number;
}

function bytesOf(view: DataView, start = 0, end = view.byteLength): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + start, end - start);
}

function readEntryOffsets(content: DataView, at: number, keylen: number): Int32Array | undefined {
  if (at + 4 > content.byteLength) return undefined;
  const n = content.getInt32(at);
  if (n < 0 || at + 4 + 4 * n > content.byteLength) throw new Error(`corrupt entry offsets (${n} entries)`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = content.getInt32(at + 4 + 4 * i) - keylen;
  return out;
}

async function rawFromKey(file: JsrootFile, blob: DataView, place: BasketPlace): Promise<RawBasket> {
  const key = new TBuffer(blob, 0, file).classStreamer({}, clTBasket);
  if (key.fNbytes !== place.bytes) throw new Error(`key size ${key.fNbytes} differs from the branch's ${place.bytes}`);
  const keylen: number = key.fKeylen;
  let content: DataView;
  if (keylen + key.fObjlen === key.fNbytes) {
    content = new DataView(blob.buffer, blob.byteOffset + keylen, key.fObjlen);
  } else {
    const unzipped = await unzipBasket(blob, key.fObjlen, keylen);
    if (!unzipped) throw new Error(`cannot decompress ${key.fNbytes - keylen} bytes into ${key.fObjlen}`);
    content = unzipped;
  }
  const dataLen = key.fLast - keylen;
  if (dataLen < 0 || dataLen > content.byteLength) throw new Error(`corrupt basket header (fLast ${key.fLast})`);
  return { data: bytesOf(content, 0, dataLen), entryOffsets: readEntryOffsets(content, dataLen, keylen), entries: key.fNevBuf };
}

function rawFromEmbedded(basket: any): RawBasket {
  const keylen: number = basket.fKeylen;
  if (!basket.fBufferRef) return { data: new Uint8Array(0), entryOffsets: new Int32Array(basket.fNevBuf), entries: basket.fNevBuf };
  const content: DataView = basket.fBufferRef.arr;
  const dataLen = basket.fLast - keylen;
  let entryOffsets: Int32Array | undefined;
  if (basket.fEntryOffset) entryOffsets = Int32Array.from(basket.fEntryOffset as ArrayLike<number>, (o) => o - keylen);
  else entryOffsets = readEntryOffsets(content, dataLen, keylen);
  return { data: bytesOf(content, 0, dataLen), entryOffsets, entries: basket.fNevBuf };
}

function decodeRaw(info: BranchInfo, raw: RawBasket, place: BasketPlace): DecodedBasket {
  const { type } = info.field;
  const size = elementSize(type);
  const n = place.stop - place.start;
  if (raw.entries !== n) throw new Error(`holds ${raw.entries} entries, the branch says ${n}`);
  const base = { start: place.start, stop: place.stop };
  switch (info.layout.kind) {
    case "scalar":
      if (raw.data.byteLength !== n * size) throw new Error(`holds ${raw.data.byteLength} bytes for ${n} entries`);
      return { ...base, values: fromBigEndian(raw.data, type) };
    case "fixed": {
      const len = info.layout.length;
      const offsets = new Int32Array(n + 1);
      for (let j = 0; j <= n; j++) offsets[j] = j * len;
      return { ...base, values: fromBigEndian(raw.data.subarray(0, n * len * size), type), offsets };
    }
    case "counted": {
      const eo = raw.entryOffsets;
      if (!eo || eo.length < n) throw new Error("has no entry offsets for a jagged branch");
      const offsets = new Int32Array(n + 1);
      for (let j = 0; j < n; j++) offsets[j] = eo[j] / size;
      offsets[n] = raw.data.byteLength / size;
      if (offsets[0] !== 0) throw new Error("entry offsets do not start at the data");
      return { ...base, values: fromBigEndian(raw.data, type), offsets };
    }
    case "vector": {
      const eo = raw.entryOffsets;
      if (!eo || eo.length < n) throw new Error("has no entry offsets for a std::vector branch");
      const view = new DataView(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
      const offsets = new Int32Array(n + 1);
      const packed = new Uint8Array(raw.data.byteLength);
      let filled = 0;
      for (let j = 0; j < n; j++) {
        // 4-byte byte count (with the 0x40000000 flag), 2-byte class version, int32 size, then the values.
        const count = view.getInt32(eo[j] + 6);
        const bytes = count * size;
        packed.set(raw.data.subarray(eo[j] + 10, eo[j] + 10 + bytes), filled);
        filled += bytes;
        offsets[j + 1] = offsets[j] + count;
      }
      return { ...base, values: fromBigEndian(packed.subarray(0, filled), type), offsets };
    }
  }
}

export interface BasketReader {
  file: JsrootFile;
  path: string;
  /** Bytes on disk, to refuse baskets past the end of a truncated file. */
  size: number;
  stats: ReadStats;
}

export interface ReadStats {
  basketsDecoded: number;
  bytesRead: number;
  /** Names of the branches whose baskets were decoded. */
  branchesDecoded: Set<string>;
}

/** Reads and decodes the given baskets; on-disk ones in one request, in file order. */
export async function readBaskets(r: BasketReader, wanted: { info: BranchInfo; place: BasketPlace }[]): Promise<DecodedBasket[]> {
  const fail = (w: { info: BranchInfo; place: BasketPlace }, msg: string, cause?: unknown) =>
    new DataError(r.path, msg, { column: w.info.field.name, basket: w.place.index }, { cause });
  const onDisk = wanted.filter((w) => w.place.seek !== undefined).sort((a, b) => a.place.seek! - b.place.seek!);
  const segments: number[] = [];
  for (const w of onDisk) {
    const { seek, bytes } = w.place;
    if (!(seek! > 0) || !(bytes! > 0) || seek! + bytes! > r.size)
      throw fail(w, `lies outside the file (bytes ${seek}..${seek! + bytes!} of ${r.size}): truncated or corrupt file`);
    segments.push(seek!, bytes!);
  }
  const blobs = new Map<(typeof wanted)[number], DataView>();
  if (segments.length) {
    let got: DataView | DataView[];
    try {
      got = await r.file.readBuffer(segments);
    } catch (e) {
      throw new DataError(r.path, `cannot read baskets: ${causeText(e)}`, {}, { cause: e });
    }
    const list = Array.isArray(got) ? got : [got];
    onDisk.forEach((w, i) => blobs.set(w, list[i]));
    r.stats.bytesRead += segments.reduce((s, v, i) => (i % 2 ? s + v : s), 0);
  }
  const out: DecodedBasket[] = [];
  for (const w of wanted) {
    let raw: RawBasket;
    try {
      raw = w.place.embedded ? rawFromEmbedded(w.place.embedded) : await rawFromKey(r.file, blobs.get(w)!, w.place);
      out.push(decodeRaw(w.info, raw, w.place));
    } catch (e) {
      if (e instanceof DataError) throw e;
      throw fail(w, causeText(e), e);
    }
    r.stats.basketsDecoded++;
    r.stats.branchesDecoded.add(w.info.field.name);
  }
  return out;
}
