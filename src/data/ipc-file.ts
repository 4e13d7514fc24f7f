// Arrow IPC files read column by column: the footer lists the record batches, each batch's metadata
// gives the places of its buffers, and only the buffers of the requested columns, only over the
// requested events, are read (positional reads; a file is never loaded whole). Layouts this does not
// cover (streams, compressed bodies, dictionaries, other field types) return null: ipc.ts then uses
// apache-arrow's whole-file reader.
import { open, type FileHandle } from "node:fs/promises";
import { Type, type Field } from "apache-arrow";
import { Footer } from "apache-arrow/ipc/metadata/file";
import { Message, type RecordBatch } from "apache-arrow/ipc/metadata/message";
import { schemaFromArrow } from "./arrow.js";
import { DataError, causeText } from "./errors.js";
import { checkColumns, clampRange, DEFAULT_BATCH } from "./range.js";
import { allocate, elementSize } from "./typed.js";
import type { Column, ColumnBatch, ElementType, EntryRange, EventSource, FieldInfo, NumericArray, Schema } from "./types.js";

const MAGIC = "ARROW1";

/** Where a top-level field's nodes and buffers start in a record batch (depth-first order). */
interface FieldPlace { node: number; buffer: number; largeOffsets: boolean }

interface Batch { start: number; length: number; body: number; meta: RecordBatch }

export async function openArrowFile(path: string): Promise<EventSource | null> {
  let fh: FileHandle;
  try {
    fh = await open(path, "r");
  } catch (e) {
    throw new DataError(path, `cannot open: ${causeText(e)}`, {}, { cause: e });
  }
  try {
    const layout = await readLayout(fh);
    if (!layout) {
      await fh.close();
      return null;
    }
    const { schema, places, batches, entries } = layout;
    return {
      path,
      entries,
      schema,
      read: (columns, range, batchSize, options) => readColumns(path, fh, schema, places, batches, entries, columns, range, batchSize, options?.recycle),
      close: () => fh.close(),
    };
  } catch (e) {
    await fh.close();
    if (e instanceof DataError) throw e;
    throw new DataError(path, `not a readable Arrow IPC file: ${causeText(e)}`, {}, { cause: e });
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const out = Buffer.allocUnsafe(length);
  await readInto(fh, out, position);
  return out;
}

async function readLayout(fh: FileHandle) {
  const size = (await fh.stat()).size;
  if (size < 2 * MAGIC.length + 4) return null;
  const head = await readAt(fh, 0, MAGIC.length);
  if (head.toString("latin1") !== MAGIC) return null; // a stream
  const tail = await readAt(fh, size - MAGIC.length - 4, MAGIC.length + 4);
  if (tail.subarray(4).toString("latin1") !== MAGIC) throw new Error("no Arrow footer at the end (truncated?)");
  const footerLength = tail.readInt32LE(0);
  if (footerLength <= 0 || footerLength > size) throw new Error(`bad footer length ${footerLength}`);
  const footer = Footer.decode(await readAt(fh, size - MAGIC.length - 4 - footerLength, footerLength));
  if (footer.numDictionaries > 0) return null;
  const places = fieldPlaces(footer.schema.fields);
  if (!places) return null;
  const batches: Batch[] = [];
  let entries = 0;
  for (const block of footer.recordBatches()) {
    const meta = await readBatchMeta(fh, block.offset, block.metaDataLength);
    if (!meta || meta.compression) return null;
    batches.push({ start: entries, length: meta.length, body: block.offset + block.metaDataLength, meta });
    entries += meta.length;
  }
  return { schema: schemaFromArrow(footer.schema.fields), places, batches, entries };
}

async function readBatchMeta(fh: FileHandle, offset: number, length: number): Promise<RecordBatch | null> {
  const bytes = await readAt(fh, offset, length);
  // An encapsulated message: [0xFFFFFFFF] int32 length, then the flatbuffer (older files lack the marker).
  const at = bytes.readInt32LE(0) === -1 ? 4 : 0;
  const len = bytes.readInt32LE(at);
  const message = Message.decode(bytes.subarray(at + 4, at + 4 + len));
  return message.isRecordBatch() ? message.header() : null;
}

/** Buffers of a field of this type, itself only (children add theirs); null: a layout not handled here. */
function ownBuffers(type: any): number | null {
  switch (type.typeId as Type) {
    case Type.Null: return 0;
    case Type.Int: case Type.Float: case Type.Bool: case Type.Date: case Type.Time: case Type.Timestamp:
    case Type.Decimal: case Type.FixedSizeBinary: case Type.Interval: case Type.Duration:
      return 2;
    case Type.Utf8: case Type.Binary: case Type.LargeUtf8: case Type.LargeBinary: return 3;
    case Type.List: case Type.LargeList: case Type.Map: return 2;
    case Type.FixedSizeList: case Type.Struct: return 1;
    default: return null;
  }
}

function fieldPlaces(fields: readonly Field[]): Map<string, FieldPlace> | null {
  const places = new Map<string, FieldPlace>();
  let node = 0, buffer = 0;
  const walk = (f: Field): boolean => {
    const own = ownBuffers(f.type);
    if (own === null || (f.type as any).dictionary) return false;
    node += 1;
    buffer += own;
    return (f.type.children ?? []).every(walk);
  };
  for (const f of fields) {
    if (!places.has(f.name)) places.set(f.name, { node, buffer, largeOffsets: f.type.typeId === Type.LargeList });
    if (!walk(f)) return null;
  }
  return places;
}

async function* readColumns(
  path: string, fh: FileHandle, schema: Schema, places: Map<string, FieldPlace>, batches: Batch[], entries: number,
  columns: readonly string[], range?: EntryRange, batchSize = DEFAULT_BATCH, recycle = false,
): AsyncGenerator<ColumnBatch> {
  checkColumns(path, columns, schema.fields.keys());
  const { start, stop } = clampRange(path, entries, range);
  const step = Math.max(1, Math.floor(batchSize));
  // Recycling: batch i is read into set i % 2. Its read starts when the caller asks for batch i - 1,
  // so the caller is done with batch i - 2, the set's last user. The sets go back to the thread's
  // pool when the caller asks for the batch after the last: the next read (a fill's next work unit)
  // starts with arrays of the right sizes.
  const sets = recycle ? [takeSet(), takeSet()] : [];
  let count = 0;
  const read = async (b: Batch, a: number, e: number): Promise<ColumnBatch> => {
    const alloc = recycle ? sets[count++ % 2].alloc : allocate;
    // The columns' reads are all in flight at once (the thread pool serves them side by side).
    const cols = await Promise.all(columns.map((c) => readColumn(path, fh, b, places.get(c)!, schema.fields.get(c)!, a - b.start, e - b.start, alloc)));
    return { source: path, entryStart: a, length: e - a, columns: Object.fromEntries(columns.map((c, i) => [c, cols[i]])) };
  };
  // One batch is read ahead: its reads proceed while the caller works on the one yielded.
  let ahead: Promise<ColumnBatch> | null = null;
  try {
    for (const b of batches) {
      const lo = Math.max(start, b.start);
      const hi = Math.min(stop, b.start + b.length);
      for (let a = lo; a < hi; a += step) {
        const next = read(b, a, Math.min(hi, a + step));
        next.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
        const current = ahead;
        ahead = next;
        if (current) yield await current;
      }
    }
    const last = ahead;
    ahead = null;
    if (last) yield await last;
  } finally {
    // Stopped early (an error, or the caller broke off): let the read in flight finish before the file closes.
    await ahead?.catch(() => undefined);
    for (const set of sets) giveSet(set);
  }
}

type Alloc = (type: ElementType, n: number, key: string) => NumericArray;

/**
 * Typed arrays kept from one batch to the one after next, by column part: reading into them spares
 * the garbage collector (fresh arrays for every batch, tens of MB, forced a full collection about
 * every second batch in each worker). An array grows by a quarter more than it needs.
 */
class ArraySet {
  private readonly arrays = new Map<string, NumericArray>();

  readonly alloc: Alloc = (type, n, key) => {
    const k = `${key}:${type}`;
    let a = this.arrays.get(k);
    if (!a || a.length < n) this.arrays.set(k, (a = allocate(type, Math.ceil(n * 1.25))));
    return a.subarray(0, n) as NumericArray;
  };
}

const pool: ArraySet[] = [];
const takeSet = () => pool.pop() ?? new ArraySet();
const giveSet = (set: ArraySet) => {
  if (pool.length < 4) pool.push(set); // two reads recycling at once at most keep theirs
};

/** Events [a, b) (within the batch) of one column. */
async function readColumn(path: string, fh: FileHandle, b: Batch, place: FieldPlace, field: FieldInfo, a: number, e: number, alloc: Alloc): Promise<Column> {
  const { nodes, buffers } = b.meta;
  if (nodes[place.node].nullCount > 0 || (field.kind === "jagged" && nodes[place.node + 1].nullCount > 0))
    throw new DataError(path, "holds null values, which event columns cannot", { column: field.name });
  if (field.kind === "scalar") {
    return { kind: "scalar", values: await readValues(fh, b.body + buffers[place.buffer + 1].offset, field.type, a, e - a, alloc, field.name) };
  }
  const offsetType = place.largeOffsets ? "i64" : "i32";
  const raw = await readValues(fh, b.body + buffers[place.buffer + 1].offset, offsetType, a, e - a + 1, alloc, `${field.name}:raw`);
  const first = Number(raw[0]);
  const offsets = alloc("i32", e - a + 1, `${field.name}:offsets`) as Int32Array;
  for (let i = 0; i <= e - a; i++) offsets[i] = Number(raw[i]) - first;
  const n = offsets[e - a];
  const values = await readValues(fh, b.body + buffers[place.buffer + 3].offset, field.type, first, n, alloc, field.name);
  return { kind: "jagged", offsets, values };
}

/** `n` elements of a value buffer starting at element `at`, into an array of the type from `alloc`. */
async function readValues(fh: FileHandle, buffer: number, type: ElementType, at: number, n: number, alloc: Alloc, key: string) {
  if (type === "bool") {
    const firstByte = at >> 3;
    const bits = await readAt(fh, buffer + firstByte, ((at + n + 7) >> 3) - firstByte);
    const out = alloc("bool", n, key) as Uint8Array;
    for (let i = 0; i < n; i++) {
      const k = at - firstByte * 8 + i;
      out[i] = (bits[k >> 3] >> (k & 7)) & 1;
    }
    return out;
  }
  const size = elementSize(type);
  const out = alloc(type, n, key);
  await readInto(fh, new Uint8Array(out.buffer, out.byteOffset, n * size), buffer + at * size);
  return out;
}

async function readInto(fh: FileHandle, out: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < out.length) {
    const { bytesRead } = await fh.read(out, done, out.length - done, position + done);
    if (!bytesRead) throw new Error(`truncated: ${out.length - done} bytes missing at offset ${position + done}`);
    done += bytesRead;
  }
}
