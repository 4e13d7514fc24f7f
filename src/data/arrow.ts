// Arrow tables (from Arrow IPC, or decoded Parquet) to column batches: numeric and boolean columns become
// scalar columns, lists (and large lists) of them become jagged offsets + values.
import { Type, type Data, type Field, type Table } from "apache-arrow";
import { DataError } from "./errors.js";
import { allocate } from "./typed.js";
import type { Column, ElementType, FieldInfo, Schema } from "./types.js";

function elementType(type: any): ElementType | undefined {
  switch (type.typeId as Type) {
    case Type.Bool:
      return "bool";
    case Type.Float:
      return type.precision === 2 ? "f64" : type.precision === 1 ? "f32" : undefined;
    case Type.Int: {
      const bits: number = type.bitWidth;
      return `${type.isSigned ? "i" : "u"}${bits}` as ElementType;
    }
  }
  return undefined;
}

function isList(type: any): boolean {
  return type.typeId === Type.List || type.typeId === Type.LargeList;
}

/** Fields of numeric, boolean, or list-of-those type; NanoAOD naming gives the counter (`Jet_pt` -> `nJet`). */
export function schemaFromArrow(fields: readonly Field[]): Schema {
  const out = new Map<string, FieldInfo>();
  const names = new Set(fields.map((f) => f.name));
  for (const f of fields) {
    if (isList(f.type)) {
      const type = elementType(f.type.children[0].type);
      if (!type) continue;
      const prefix = f.name.split("_")[0];
      const counter = f.name.includes("_") && names.has(`n${prefix}`) ? `n${prefix}` : undefined;
      out.set(f.name, { name: f.name, kind: "jagged", type, ...(counter ? { counter } : {}) });
    } else {
      const type = elementType(f.type);
      if (type) out.set(f.name, { name: f.name, kind: "scalar", type });
    }
  }
  return { fields: out };
}

/**
 * Copies `n` values starting at element `at` of one leaf array into `out` at `to`. apache-arrow slices
 * value and offset buffers along with the Data, all but boolean bitmaps, which keep `offset`.
 */
function copyValues(d: Data, type: ElementType, at: number, n: number, out: any, to: number) {
  if (type === "bool") {
    const bits = d.values as Uint8Array;
    for (let i = 0; i < n; i++) {
      const k = d.offset + at + i;
      out[to + i] = (bits[k >> 3] >> (k & 7)) & 1;
    }
  } else {
    out.set((d.values as any).subarray(at, at + n), to);
  }
}

/** One column of a table (all its chunks) as a Column of the field's type. */
export function columnFromChunks(path: string, field: FieldInfo, chunks: readonly Data[]): Column {
  for (const d of chunks)
    if (d.nullCount > 0 || (isList(d.type) && d.children[0].nullCount > 0))
      throw new DataError(path, "holds null values, which event columns cannot", { column: field.name });
  const length = chunks.reduce((s, d) => s + d.length, 0);
  if (field.kind === "scalar") {
    const values = allocate(field.type, length);
    let to = 0;
    for (const d of chunks) {
      copyValues(d, field.type, 0, d.length, values, to);
      to += d.length;
    }
    return { kind: "scalar", values };
  }
  let total = 0;
  for (const d of chunks) total += Number(d.valueOffsets[d.length]) - Number(d.valueOffsets[0]);
  const offsets = new Int32Array(length + 1);
  const values = allocate(field.type, total);
  let to = 0, event = 0;
  for (const d of chunks) {
    const vo = d.valueOffsets as Int32Array | BigInt64Array;
    const first = Number(vo[0]);
    const last = Number(vo[d.length]);
    copyValues(d.children[0], field.type, first, last - first, values, to);
    for (let i = 1; i <= d.length; i++) offsets[event + i] = to + Number(vo[i]) - first;
    to += last - first;
    event += d.length;
  }
  return { kind: "jagged", offsets, values };
}

/** Events [a, b) of the requested columns of a table. */
export function columnsFromTable(path: string, schema: Schema, table: Table, columns: readonly string[], a: number, b: number): Record<string, Column> {
  const part = a === 0 && b === table.numRows ? table : table.slice(a, b);
  const out: Record<string, Column> = {};
  for (const c of columns) {
    const vector = part.getChild(c);
    if (!vector) throw new DataError(path, "missing from the data read", { column: c });
    out[c] = columnFromChunks(path, schema.fields.get(c)!, vector.data);
  }
  return out;
}
