// The `data` buffers: one Arrow IPC stream per dataset, decoded into the plain rows Vega-Lite reads.
import { tableFromIPC } from "apache-arrow";

export type Row = Record<string, number | string | boolean | null>;

/** Rows of one Arrow IPC stream; 64-bit integers become numbers, nulls stay null. */
export function rowsOfIPC(bytes: Uint8Array): Row[] {
  const table = tableFromIPC(bytes);
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => table.getChild(n)!);
  const rows: Row[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Row = {};
    for (let k = 0; k < names.length; k++) {
      const v = columns[k].get(i);
      row[names[k]] = typeof v === "bigint" ? Number(v) : (v ?? null);
    }
    rows[i] = row;
  }
  return rows;
}

/** A buffer as ipywidgets hands it over (DataView, ArrayBuffer or typed array) as bytes. */
export function bytesOf(b: DataView | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The spec with its datasets put back (the kernel sends it without them, PROTOCOL.md "spec"). */
export function withDatasets(spec: Record<string, unknown>, names: string[], data: Uint8Array[]): Record<string, unknown> {
  if (names.length !== data.length) throw new Error(`zhist widget: ${names.length} dataset names but ${data.length} data buffers`);
  const datasets: Record<string, Row[]> = {};
  names.forEach((name, i) => (datasets[name] = rowsOfIPC(data[i])));
  return { ...spec, datasets };
}
