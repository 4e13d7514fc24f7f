// Zarr v3 metadata documents (zarr.json) for the float64 arrays and the groups zhist writes,
// and the handle (`StoredArray`) that the chunk primitives work on.
import { AtomicFileStore, type StoreKey } from "./store.js";
import { codecMetadata, parseCodecs, type ChunkCodecs, type CodecMetadata, type ZstdSettings } from "./codec.js";

export interface StoredArray {
  store: AtomicFileStore;
  /** Key prefix of the array inside the store, "/"-rooted, no trailing slash. */
  path: StoreKey;
  shape: number[];
  chunkShape: number[];
  codecs: ChunkCodecs;
  dimensionNames: (string | null)[] | null;
  /** The chunk key separator: "/" (a directory per level) or "." (every chunk file beside zarr.json). */
  separator: "/" | ".";
}

export interface ArrayDocument {
  zarr_format: 3;
  node_type: "array";
  shape: number[];
  data_type: string;
  chunk_grid: { name: "regular"; configuration: { chunk_shape: number[] } };
  chunk_key_encoding: { name: "default"; configuration: { separator: "/" | "." } };
  fill_value: number | string;
  codecs: CodecMetadata[];
  attributes: Record<string, unknown>;
  dimension_names?: (string | null)[];
  storage_transformers?: unknown[];
}

export interface GroupDocument {
  zarr_format: 3;
  node_type: "group";
  attributes: Record<string, unknown>;
}

/** Join store key parts into one "/"-rooted key. */
export function joinKey(...parts: string[]): StoreKey {
  const joined = parts.join("/").split("/").filter((p) => p !== "" && p !== ".").join("/");
  return `/${joined}`;
}

export function arrayDocument(
  shape: number[],
  chunkShape: number[],
  dimensionNames: (string | null)[] | null,
  zstd?: ZstdSettings,
): ArrayDocument {
  const doc: ArrayDocument = {
    zarr_format: 3,
    node_type: "array",
    shape,
    data_type: "float64",
    chunk_grid: { name: "regular", configuration: { chunk_shape: chunkShape } },
    // "." puts every chunk file beside the array's zarr.json: no directory per key (with chunk size 1
    // on categories, a directory per label combination, the costliest file operation of a landing).
    chunk_key_encoding: { name: "default", configuration: { separator: "." } },
    // Explicit: a missing chunk must read as 0 in every reader (zarr-python, zarrita, us).
    fill_value: 0,
    codecs: codecMetadata(zstd),
    attributes: {},
    storage_transformers: [],
  };
  if (dimensionNames) doc.dimension_names = dimensionNames;
  return doc;
}

export function groupDocument(attributes: Record<string, unknown> = {}): GroupDocument {
  return { zarr_format: 3, node_type: "group", attributes };
}

export async function writeDocument(store: AtomicFileStore, nodePath: StoreKey, doc: ArrayDocument | GroupDocument): Promise<void> {
  await store.set(joinKey(nodePath, "zarr.json"), new TextEncoder().encode(JSON.stringify(doc, null, 2)));
}

export async function readDocument(store: AtomicFileStore, nodePath: StoreKey): Promise<ArrayDocument | GroupDocument | undefined> {
  const key = joinKey(nodePath, "zarr.json");
  const bytes = await store.get(key);
  if (!bytes) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new Error(`corrupt metadata ${store.pathOf(key)}: ${(err as Error).message}`);
  }
  const node = doc as { zarr_format?: unknown; node_type?: unknown };
  if (node.zarr_format !== 3 || (node.node_type !== "array" && node.node_type !== "group")) {
    throw new Error(`${store.pathOf(key)} is not Zarr v3 array or group metadata`);
  }
  return doc as ArrayDocument | GroupDocument;
}

export async function readGroupAttributes(store: AtomicFileStore, nodePath: StoreKey): Promise<Record<string, unknown> | undefined> {
  const doc = await readDocument(store, nodePath);
  if (!doc) return undefined;
  if (doc.node_type !== "group") throw new Error(`${store.pathOf(nodePath)} is a Zarr array, expected a group`);
  return doc.attributes ?? {};
}

export async function openArray(store: AtomicFileStore, arrayPath: StoreKey): Promise<StoredArray> {
  const doc = await readDocument(store, arrayPath);
  const where = store.pathOf(joinKey(arrayPath, "zarr.json"));
  if (!doc) throw new Error(`no Zarr array at ${store.pathOf(arrayPath)} (missing ${where})`);
  if (doc.node_type !== "array") throw new Error(`${where} is a group, expected an array`);
  if (doc.data_type !== "float64") throw new Error(`${where}: data_type ${doc.data_type}, zhist stores float64`);
  if (doc.chunk_grid?.name !== "regular") throw new Error(`${where}: only regular chunk grids are supported`);
  const separator = doc.chunk_key_encoding?.configuration?.separator ?? "/";
  if (doc.chunk_key_encoding?.name !== "default" || (separator !== "/" && separator !== ".")) {
    throw new Error(`${where}: only the default chunk key encoding (separator "/" or ".") is supported`);
  }
  const fill = Number(doc.fill_value);
  if (fill !== 0) throw new Error(`${where}: fill_value ${doc.fill_value}; zhist needs 0 (missing chunks are empty bins)`);
  return {
    store,
    path: arrayPath,
    shape: doc.shape,
    chunkShape: doc.chunk_grid.configuration.chunk_shape,
    codecs: parseCodecs(doc.codecs, where),
    dimensionNames: doc.dimension_names ?? null,
    separator,
  };
}

/** Re-read an array's shape (it grows along categorical axes while others write). */
export async function refreshArray(array: StoredArray): Promise<StoredArray> {
  const fresh = await openArray(array.store, array.path);
  array.shape = fresh.shape;
  return array;
}

/** Store key of a chunk under the default v3 encoding: <array>/c.i.j.k, or <array>/c/i/j/k in stores written with "/" ("c" for 0-d). */
export function chunkKey(array: StoredArray, chunkCoords: readonly number[]): StoreKey {
  return joinKey(array.path, ["c", ...chunkCoords].join(array.separator));
}

/** Number of chunks along each axis. */
export function chunkGridShape(array: Pick<StoredArray, "shape" | "chunkShape">): number[] {
  return array.shape.map((extent, axis) => Math.ceil(extent / array.chunkShape[axis]));
}

export function chunkElements(array: Pick<StoredArray, "chunkShape">): number {
  return array.chunkShape.reduce((n, c) => n * c, 1);
}
