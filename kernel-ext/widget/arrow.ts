// The rows of a spec's datasets as Arrow IPC streams, one per dataset: the binary buffers of the model
// (widgets/PROTOCOL.md, `data`). Numbers go as Float64 and labels as Utf8; null stays null.
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

function column(rows: readonly Row[], key: string): ArrowModule.Vector {
  const A = lib();
  let numeric = true;
  let nulls = false;
  for (const r of rows) {
    const v = r[key];
    if (v === null || v === undefined) nulls = true;
    else if (typeof v !== "number") numeric = false;
  }
  if (numeric && !nulls) return A.makeVector(Float64Array.from(rows, (r) => r[key] as number));
  if (numeric) return A.vectorFromArray(rows.map((r) => (r[key] ?? null) as number | null), new A.Float64());
  return A.vectorFromArray(rows.map((r) => (r[key] === null || r[key] === undefined ? null : String(r[key]))), new A.Utf8());
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
