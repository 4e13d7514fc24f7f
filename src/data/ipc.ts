// Arrow IPC files (column by column, ipc-file.ts) and streams (through apache-arrow, whole).
import { readFile } from "node:fs/promises";
import { tableFromIPC, type Table } from "apache-arrow";
import { columnsFromTable, schemaFromArrow } from "./arrow.js";
import { DataError, causeText } from "./errors.js";
import { checkColumns, clampRange, DEFAULT_BATCH } from "./range.js";
import { openArrowFile } from "./ipc-file.js";
import type { ColumnBatch, EntryRange, EventSource, Schema } from "./types.js";

export async function openArrowSource(path: string, bytes?: Uint8Array): Promise<EventSource> {
  if (!bytes) {
    const file = await openArrowFile(path);
    if (file) return file;
  }
  try {
    bytes ??= await readFile(path);
  } catch (e) {
    throw new DataError(path, `cannot open: ${causeText(e)}`, {}, { cause: e });
  }
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new DataError(path, `not a readable Arrow IPC file or stream: ${causeText(e)}`, {}, { cause: e });
  }
  const schema = schemaFromArrow(table.schema.fields);
  return {
    path,
    entries: table.numRows,
    schema,
    read: (columns, range, batchSize) => readTable(path, table, schema, columns, range, batchSize),
    async close() {},
  };
}

async function* readTable(
  path: string, table: Table, schema: Schema, columns: readonly string[], range?: EntryRange, batchSize = DEFAULT_BATCH,
): AsyncGenerator<ColumnBatch> {
  checkColumns(path, columns, schema.fields.keys());
  const { start, stop } = clampRange(path, table.numRows, range);
  const step = Math.max(1, Math.floor(batchSize));
  for (let a = start; a < stop; a += step) {
    const b = Math.min(stop, a + step);
    yield { source: path, entryStart: a, length: b - a, columns: columnsFromTable(path, schema, table, columns, a, b) };
  }
}
