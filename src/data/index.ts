// The readers' public face: open any event file and read column batches.
export type * from "./types.js";
export { openEventSource, detectFormat, type OpenOptions, type Format } from "./open.js";
export { openRootSource, type RootEventSource } from "./root/source.js";
export { openParquetSource } from "./parquet.js";
export { openArrowSource } from "./ipc.js";
export { DataError, type DataErrorWhere } from "./errors.js";
export type { ReadStats } from "./root/basket.js";
