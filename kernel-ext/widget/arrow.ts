// The rows of a spec's datasets as Arrow IPC streams, one per dataset: the binary buffers of the model
// (widgets/PROTOCOL.md, `data`). Numbers go as Float64 and labels as dictionary-encoded Utf8; null stays null.
import { createRequire } from "node:module";
import type * as ArrowModule from "apache-arrow";

type Row = Record<string, unknown>;

// apache-arrow loads on the first widget, not with zhist; synchronously (its CommonJS build) so that
// an in-memory h.widget() stays synchronous and its errors reach the cell that called it.
const require = createRequire(import.meta.url);
let arrow: typeof ArrowModule | undefined;
function lib(): typeof ArrowModule {
  return (arrow ??= require("apache-arrow") as typeof ArrowModule);
}

// Built from typed arrays in plain loops: apache-arrow's vectorFromArray (and Float64Array.from with
// a map function) go value by value through iterators, several times slower on 10^5-row heatmaps.
function column(rows: readonly Row[], key: string): ArrowModule.Vector {
  const A = lib();
  const n = rows.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  let numeric = true;
  for (let i = 0; i < n; i++) {
    const v = rows[i][key];
    if (v === null || v === undefined) nulls++;
    else {
      bitmap[i >> 3] |= 1 << (i & 7);
      if (typeof v !== "number") numeric = false;
    }
  }
  const nullBitmap = nulls ? bitmap : null;
  if (numeric) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = rows[i][key];
      if (typeof v === "number") values[i] = v;
    }
    return A.makeVector(A.makeData({ type: new A.Float64(), length: n, nullCount: nulls, nullBitmap, data: values }));
  }
  // Labels repeat (series names, bin labels): dictionary-encoded, each distinct string sent once.
  const index = new Map<string, number>();
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = rows[i][key];
    if (v === null || v === undefined) continue;
    const t = String(v);
    let c = index.get(t);
    if (c === undefined) index.set(t, (c = index.size));
    codes[i] = c;
  }
  const dictionary = A.vectorFromArray([...index.keys()], new A.Utf8());
  const type = new A.Dictionary(new A.Utf8(), new A.Int32());
  return A.makeVector(A.makeData({ type, length: n, nullCount: nulls, nullBitmap, data: codes, dictionary }));
}

/** One dataset as an Arrow IPC stream (columns in order of first appearance). */
export function rowsToArrow(rows: readonly Row[]): Uint8Array {
  const A = lib();
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); keys.push(k); }
  const columns: Record<string, ArrowModule.Vector> = {};
  for (const k of keys) columns[k] = column(rows, k);
  const table = keys.length ? new A.Table(columns) : new A.Table();
  return A.tableToIPC(table, "stream");
}

/** Every dataset of a spec: names in order and one buffer each. */
export function datasetsToArrow(datasets: Record<string, readonly Row[]>): { names: string[]; buffers: Buffer[] } {
  const names = Object.keys(datasets);
  const buffers = names.map((n) => {
    const bytes = rowsToArrow(datasets[n]);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  });
  return { names, buffers };
}

/** Decodes a stream back to rows (tests, and the static fallback of a saved model). */
export function arrowToRows(bytes: Uint8Array): Row[] {
  return lib().tableFromIPC(bytes).toArray().map((r) => ({ ...(r as { toJSON(): Row }).toJSON() }));
}
