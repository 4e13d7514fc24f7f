// One entry point for every event file: the format is told by the first bytes, the extension only breaks ties.
import { open } from "node:fs/promises";
import { extname } from "node:path";
import { DataError, causeText } from "./errors.js";
import type { EventSource } from "./types.js";

export interface OpenOptions {
  /** The TTree of a ROOT file; default "Events" when present, else the first tree. */
  tree?: string;
}

export type Format = "root" | "parquet" | "arrow";

export async function detectFormat(path: string): Promise<Format> {
  const head = Buffer.alloc(8);
  try {
    const fh = await open(path, "r");
    try {
      await fh.read(head, 0, 8, 0);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new DataError(path, `cannot open: ${causeText(e)}`, {}, { cause: e });
  }
  if (head.subarray(0, 4).toString("latin1") === "root") return "root";
  if (head.subarray(0, 4).toString("latin1") === "PAR1") return "parquet";
  if (head.subarray(0, 6).toString("latin1") === "ARROW1") return "arrow";
  // An Arrow IPC stream starts with a message: the continuation marker 0xFFFFFFFF.
  if (head.readUInt32LE(0) === 0xffffffff) return "arrow";
  const ext = extname(path).toLowerCase();
  if (ext === ".root") return "root";
  if (ext === ".parquet" || ext === ".parq") return "parquet";
  if ([".arrow", ".arrows", ".feather", ".ipc"].includes(ext)) return "arrow";
  throw new DataError(path, "unknown format: not ROOT, Parquet or Arrow IPC (by content or extension)");
}

export async function openEventSource(path: string, options: OpenOptions = {}): Promise<EventSource> {
  const format = await detectFormat(path);
  // Each reader (jsroot, parquet-wasm, apache-arrow) loads on first use: importing zhist stays cheap.
  if (format === "root") return (await import("./root/source.js")).openRootSource(path, options.tree);
  if (format === "parquet") return (await import("./parquet.js")).openParquetSource(path);
  return (await import("./ipc.js")).openArrowSource(path);
}
