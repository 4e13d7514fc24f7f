// One error type for every reader, so that a caller (a fill task, a magic) can tell bad input from a bug
// and always knows which file, and where in it, to blame.

export interface DataErrorWhere {
  /** A branch (ROOT) or column (Parquet, Arrow). */
  column?: string;
  /** A ROOT basket index within its branch, or a Parquet row group. */
  basket?: number;
  rowGroup?: number;
}

export class DataError extends Error {
  override name = "DataError";
  constructor(
    readonly file: string,
    message: string,
    readonly where: DataErrorWhere = {},
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${describe(where)}${message}`, options);
  }
}

function describe(w: DataErrorWhere): string {
  const parts: string[] = [];
  if (w.column !== undefined) parts.push(`column ${JSON.stringify(w.column)}`);
  if (w.basket !== undefined) parts.push(`basket ${w.basket}`);
  if (w.rowGroup !== undefined) parts.push(`row group ${w.rowGroup}`);
  return parts.length ? parts.join(", ") + ": " : "";
}

export function causeText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
