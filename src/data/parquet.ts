// Parquet through parquet-wasm: only the requested columns are decoded, one row group at a time.
import { readFile } from "node:fs/promises";
import { tableFromIPC } from "apache-arrow";
import { ParquetFile, readSchema } from "parquet-wasm/node";
import { columnsFromTable, schemaFromArrow } from "./arrow.js";
import { DataError, causeText } from "./errors.js";
import { checkColumns, clampRange, DEFAULT_BATCH } from "./range.js";
import type { ColumnBatch, EntryRange, EventSource } from "./types.js";

export async function openParquetSource(path: string, bytes?: Uint8Array): Promise<EventSource> {
  try {
    bytes ??= await readFile(path);
  } catch (e) {
    throw new DataError(path, `cannot open: ${causeText(e)}`, {}, { cause: e });
  }
  let file: ParquetFile;
  let groupRows: number[];
  let schema;
  try {
    file = await ParquetFile.fromFile(new Blob([bytes]));
    const meta = file.metadata();
    groupRows = meta.rowGroups().map((g) => g.numRows());
    schema = schemaFromArrow(tableFromIPC(readSchema(bytes).intoIPCStream()).schema.fields);
  } catch (e) {
    throw new DataError(path, `not a readable Parquet file: ${causeText(e)}`, {}, { cause: e });
  }
  const entries = groupRows.reduce((s, n) => s + n, 0);
  return {
    path,
    entries,
    schema,
    read: (columns, range, batchSize) => readGroups(path, file, schema, groupRows, columns, range, batchSize),
    async close() {
      file.free();
    },
  };
}

async function* readGroups(
  path: string, file: ParquetFile, schema: ReturnType<typeof schemaFromArrow>, groupRows: number[],
  columns: readonly string[], range?: EntryRange, batchSize = DEFAULT_BATCH,
): AsyncGenerator<ColumnBatch> {
  checkColumns(path, columns, schema.fields.keys());
  const total = groupRows.reduce((s, n) => s + n, 0);
  const { start, stop } = clampRange(path, total, range);
  const step = Math.max(1, Math.floor(batchSize));
  let groupStart = 0;
  for (let g = 0; g < groupRows.length; groupStart += groupRows[g], g++) {
    const groupStop = groupStart + groupRows[g];
    if (groupStop <= start || groupStart >= stop || groupRows[g] === 0) continue;
    let table;
    try {
      const wasm = await file.read({ rowGroups: [g], columns: [...columns] });
      table = tableFromIPC(wasm.intoIPCStream());
    } catch (e) {
      throw new DataError(path, `cannot decode: ${causeText(e)}`, { rowGroup: g }, { cause: e });
    }
    // A row group is the reader's cluster; batches never straddle two of them.
    for (let a = Math.max(start, groupStart); a < Math.min(stop, groupStop); a += step) {
      const b = Math.min(stop, groupStop, a + step);
      const cols = columnsFromTable(path, schema, table, columns, a - groupStart, b - groupStart);
      yield { source: path, entryStart: a, length: b - a, columns: cols };
    }
  }
}
