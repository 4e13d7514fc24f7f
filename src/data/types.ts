// Column batches: what every reader yields and what compiled expressions read. Plain typed arrays,
// so batches cross worker boundaries (postMessage, transfer) and loops over them stay monomorphic.

/** Numeric element types a column may hold; booleans arrive as Uint8Array (0/1). */
export type NumericArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | BigInt64Array | BigUint64Array;

export type ElementType = "f64" | "f32" | "i64" | "u64" | "i32" | "u32" | "i16" | "u16" | "i8" | "u8" | "bool";

/** One value per event (NanoAOD `nJet`, `MET_pt`). */
export interface ScalarColumn {
  kind: "scalar";
  values: NumericArray;
}

/** A variable number of values per event (`Jet_pt[nJet]`): event i owns values[offsets[i] .. offsets[i+1]). */
export interface JaggedColumn {
  kind: "jagged";
  /** length = events + 1, offsets[0] = 0 within the batch. */
  offsets: Int32Array;
  values: NumericArray;
}

export type Column = ScalarColumn | JaggedColumn;

export interface ColumnBatch {
  /** The file the events come from, for error messages and work-unit keys. */
  source: string;
  /** Entry number (in the file's tree) of the batch's first event. */
  entryStart: number;
  /** Events in the batch. */
  length: number;
  columns: Record<string, Column>;
}

export interface FieldInfo {
  name: string;
  kind: "scalar" | "jagged";
  type: ElementType;
  /** For jagged fields: the counter branch or list that gives the lengths (ROOT: the leaf's fLeafCount). */
  counter?: string;
  title?: string;
}

/** What a file offers: checked before any event is read. */
export interface Schema {
  fields: Map<string, FieldInfo>;
}

export interface EntryRange {
  start: number;
  stop: number;
}

export interface ReadOptions {
  /**
   * The caller keeps no array of a batch once it asks for the next batch, so a reader may read a
   * later batch into the same arrays (fewer allocations, less garbage collection).
   */
  recycle?: boolean;
}

/** An open event file (a ROOT tree, a Parquet file, an Arrow IPC file). */
export interface EventSource {
  readonly path: string;
  /** Events in the file (tree entries, Parquet rows). */
  readonly entries: number;
  readonly schema: Schema;
  /**
   * Reads only `columns`, events [range.start, range.stop), in batches of about `batchSize` events
   * (large sequential clusters; a reader may align batches to its clusters / row groups).
   */
  read(columns: readonly string[], range?: EntryRange, batchSize?: number, options?: ReadOptions): AsyncIterable<ColumnBatch>;
  close(): Promise<void>;
}
