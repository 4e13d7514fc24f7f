// The on-disk layout of one histogram (GUIDE 3.3): a Zarr v3 group mirroring UHI's HDF5
// layout (uhi.io.hdf5), so Python can rebuild the histogram from plain zarr reads.
//
//   <hist>/                      {"uhi_schema": 1}
//   <hist>/metadata/             histogram metadata as attributes
//   <hist>/writer_info/<lib>/    one group per writer; zhist adds {"version"}
//   <hist>/axes/axis_<i>/        the UHI axis dict as attributes (categories included), an
//                                "edges" array for variable axes, metadata/ and writer_info/
//   <hist>/storage/              {"type"}; arrays values, variances, counts over the full
//                                extents (flow bins included), float64, bytes+zstd
import * as fs from "node:fs";
import { uhiAxisExtent, uhiStorageFields, type UhiAxis, type UhiHist, type UhiMetadata, type UhiStorage, type UhiStorageType, type UhiWriterInfo } from "../uhi.js";
import {
  arrayDocument, groupDocument, joinKey, openArray, readDocument, readGroupAttributes, writeDocument, type StoredArray,
} from "./array.js";
import { readArray, writeArray } from "./chunks.js";
import { chunkShapeFor, DEFAULT_CHUNK_BYTES } from "./chunking.js";
import { DEFAULT_ZSTD, type ZstdSettings } from "./codec.js";
import { AtomicFileStore, type StoreKey } from "./store.js";
import { ZHIST_VERSION } from "./version.js";

export interface WriteHistOptions {
  zstd?: ZstdSettings;
  maxChunkBytes?: number;
  /** Replace an existing group at groupPath (its old chunks are removed first). */
  overwrite?: boolean;
  fsync?: boolean;
}

export interface HistMeta {
  store: AtomicFileStore;
  group: StoreKey;
  axes: UhiAxis[];
  storageType: UhiStorageType;
  fields: string[];
  /** Extents from the axes (flow included): the authoritative shape while a category grows. */
  shape: number[];
  chunkShape: number[];
  metadata?: UhiMetadata;
  writer_info?: UhiWriterInfo;
}

export async function writeHist(storeRoot: string, groupPath: string, ir: UhiHist, opts: WriteHistOptions = {}): Promise<void> {
  await writeLayout(storeRoot, groupPath, ir, ir.storage as unknown as Record<string, Float64Array>, opts);
}

/**
 * The layout of a histogram with every bin 0 and no chunk written: any size, no memory for its
 * bins (a store a fill or merge then lands chunks into). `ir.storage` needs only its type.
 */
export async function writeEmptyHist(
  storeRoot: string, groupPath: string, ir: Omit<UhiHist, "storage"> & { storage: { type: UhiStorageType } }, opts: WriteHistOptions = {},
): Promise<void> {
  await writeLayout(storeRoot, groupPath, ir as UhiHist, null, opts);
}

async function writeLayout(storeRoot: string, groupPath: string, ir: UhiHist, data: Record<string, Float64Array> | null, opts: WriteHistOptions): Promise<void> {
  const store = new AtomicFileStore(storeRoot, { fsync: opts.fsync });
  const group = joinKey(groupPath);
  const groupDir = store.pathOf(group);
  if (fs.existsSync(`${groupDir}/zarr.json`)) {
    if (!opts.overwrite) throw new Error(`a Zarr node already exists at ${groupDir}; pass overwrite: true to replace it`);
    await fs.promises.rm(groupDir, { recursive: true, force: true });
  }
  // Without a directory there are no old chunks to remove where the new bins are zero. (One left by
  // a write killed before its root zarr.json may hold some: those are removed chunk by chunk.)
  const fresh = !fs.existsSync(groupDir);
  const shape = ir.axes.map(uhiAxisExtent);
  const fields = uhiStorageFields(ir.storage.type);
  const size = shape.reduce((n, e) => n * e, 1);
  for (const field of data ? fields : []) {
    const values = data![field];
    if (!values || values.length !== size) {
      throw new Error(`writeHist ${groupDir}: storage.${field} has ${values?.length ?? "no"} values, axes need ${size}`);
    }
  }
  const chunkShape = chunkShapeFor(ir.axes, opts.maxChunkBytes ?? DEFAULT_CHUNK_BYTES);
  const dimensionNames = ir.axes.map((axis) => axisName(axis));

  // Children first, the root's uhi_schema last: a reader finding the root finds a whole tree.
  await writeMetadataAndWriterInfo(store, group, ir.metadata, { ...ir.writer_info, zhist: { ...ir.writer_info?.zhist, version: ZHIST_VERSION } });
  await writeDocument(store, joinKey(group, "axes"), groupDocument());
  for (const [i, axis] of ir.axes.entries()) await writeAxis(store, joinKey(group, "axes", `axis_${i}`), axis, opts.zstd);
  const storageGroup = joinKey(group, "storage");
  await writeDocument(store, storageGroup, groupDocument({ type: ir.storage.type }));
  for (const field of fields) {
    const arrayPath = joinKey(storageGroup, field);
    await writeDocument(store, arrayPath, arrayDocument(shape, chunkShape, dimensionNames, opts.zstd ?? DEFAULT_ZSTD));
    if (data) await writeArray(await openArray(store, arrayPath), data[field], fresh);
  }
  await writeDocument(store, group, groupDocument({ uhi_schema: ir.uhi_schema }));
}

export async function openHistMeta(storeRoot: string, groupPath: string): Promise<HistMeta> {
  const store = new AtomicFileStore(storeRoot);
  const group = joinKey(groupPath);
  const root = await readGroupAttributes(store, group);
  if (!root) throw new Error(`no histogram at ${store.pathOf(group)} (no zarr.json)`);
  if (root.uhi_schema !== 1) {
    throw new Error(`${store.pathOf(group)}: uhi_schema ${JSON.stringify(root.uhi_schema)}, zhist reads 1`);
  }
  const axes: UhiAxis[] = [];
  for (const name of await axisGroupNames(store, group)) axes.push(await readAxis(store, joinKey(group, "axes", name)));
  const storageAttrs = await readGroupAttributes(store, joinKey(group, "storage"));
  const storageType = storageAttrs?.type as UhiStorageType;
  if (!["int", "double", "weighted", "mean"].includes(storageType)) {
    throw new Error(`${store.pathOf(joinKey(group, "storage"))}: unknown storage type ${JSON.stringify(storageType)}`);
  }
  const fields = uhiStorageFields(storageType);
  const first = await openArray(store, joinKey(group, "storage", fields[0]));
  const shape = axes.map(uhiAxisExtent);
  const meta: HistMeta = { store, group, axes, storageType, fields, shape, chunkShape: first.chunkShape };
  const { metadata, writer_info } = await readMetadataAndWriterInfo(store, group);
  if (metadata) meta.metadata = metadata;
  if (writer_info) meta.writer_info = writer_info;
  return meta;
}

/** Handle on one storage field ("values", "variances", "counts") for the chunk primitives. */
export async function openField(storeRoot: string, groupPath: string, field: string): Promise<StoredArray> {
  return openArray(new AtomicFileStore(storeRoot), joinKey(groupPath, "storage", field));
}

export async function readHist(storeRoot: string, groupPath: string): Promise<UhiHist> {
  const meta = await openHistMeta(storeRoot, groupPath);
  const storage: Record<string, unknown> = { type: meta.storageType };
  for (const field of meta.fields) {
    const array = await openArray(meta.store, joinKey(meta.group, "storage", field));
    if (array.shape.length !== meta.shape.length || array.shape.some((e, a) => e < meta.shape[a])) {
      throw new Error(`${meta.store.pathOf(array.path)}: shape [${array.shape}] is smaller than the axes' [${meta.shape}]`);
    }
    // Read over the axes' extents: a category grown by another writer may already have
    // widened the array while its axis is still being rewritten.
    storage[field] = await readArray(array, meta.shape);
  }
  const ir: UhiHist = { uhi_schema: 1, axes: meta.axes, storage: storage as unknown as UhiStorage };
  if (meta.metadata) ir.metadata = meta.metadata;
  if (meta.writer_info) ir.writer_info = meta.writer_info;
  return ir;
}

/** axis_<i> names sorted by number (axis_10 after axis_9), checked to be 0..n-1. */
export async function axisGroupNames(store: AtomicFileStore, group: StoreKey): Promise<string[]> {
  const dir = store.pathOf(joinKey(group, "axes"));
  let entries: string[];
  try {
    entries = await fs.promises.readdir(dir);
  } catch {
    return [];
  }
  const numbers = entries.map((e) => /^axis_(\d+)$/.exec(e)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1]));
  numbers.sort((a, b) => a - b);
  numbers.forEach((n, i) => {
    if (n !== i) throw new Error(`${dir}: axis groups are not numbered 0..${numbers.length - 1} (found axis_${n} at position ${i})`);
  });
  return numbers.map((n) => `axis_${n}`);
}

function axisName(axis: UhiAxis): string | null {
  const name = axis.metadata?.name;
  return typeof name === "string" && name !== "" ? name : null;
}

async function writeAxis(store: AtomicFileStore, axisPath: StoreKey, axis: UhiAxis, zstd?: ZstdSettings): Promise<void> {
  const { metadata, writer_info, ...attributes } = axis;
  let edges: number[] | undefined;
  if ("edges" in attributes) {
    ({ edges } = attributes);
    delete (attributes as { edges?: number[] }).edges;
  }
  await writeMetadataAndWriterInfo(store, axisPath, metadata, writer_info);
  if (edges) {
    const edgesPath = joinKey(axisPath, "edges");
    await writeDocument(store, edgesPath, arrayDocument([edges.length], [Math.max(1, edges.length)], null, zstd ?? DEFAULT_ZSTD));
    await writeArray(await openArray(store, edgesPath), Float64Array.from(edges), true);
  }
  await writeDocument(store, axisPath, groupDocument(attributes));
}

async function readAxis(store: AtomicFileStore, axisPath: StoreKey): Promise<UhiAxis> {
  const attributes = await readGroupAttributes(store, axisPath);
  if (!attributes) throw new Error(`missing axis metadata ${store.pathOf(joinKey(axisPath, "zarr.json"))}`);
  const axis = { ...attributes } as Record<string, unknown>;
  if (axis.type === "variable") {
    const edges = await openArray(store, joinKey(axisPath, "edges"));
    axis.edges = Array.from(await readArray(edges));
  }
  const { metadata, writer_info } = await readMetadataAndWriterInfo(store, axisPath);
  if (metadata) axis.metadata = metadata;
  if (writer_info) axis.writer_info = writer_info;
  return axis as unknown as UhiAxis;
}

async function writeMetadataAndWriterInfo(
  store: AtomicFileStore, nodePath: StoreKey, metadata: UhiMetadata | undefined, writerInfo: UhiWriterInfo | undefined,
): Promise<void> {
  if (metadata) await writeDocument(store, joinKey(nodePath, "metadata"), groupDocument({ ...metadata }));
  if (writerInfo) {
    await writeDocument(store, joinKey(nodePath, "writer_info"), groupDocument());
    for (const [library, info] of Object.entries(writerInfo)) {
      await writeDocument(store, joinKey(nodePath, "writer_info", library), groupDocument({ ...info }));
    }
  }
}

async function readMetadataAndWriterInfo(
  store: AtomicFileStore, nodePath: StoreKey,
): Promise<{ metadata?: UhiMetadata; writer_info?: UhiWriterInfo }> {
  const out: { metadata?: UhiMetadata; writer_info?: UhiWriterInfo } = {};
  const metadata = await readGroupAttributes(store, joinKey(nodePath, "metadata"));
  if (metadata) out.metadata = metadata as UhiMetadata;
  if (await readDocument(store, joinKey(nodePath, "writer_info"))) {
    const dir = store.pathOf(joinKey(nodePath, "writer_info"));
    const libraries = (await fs.promises.readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    const info: UhiWriterInfo = {};
    for (const library of libraries) {
      const attributes = await readGroupAttributes(store, joinKey(nodePath, "writer_info", library));
      if (attributes) info[library] = attributes as Record<string, string | number | boolean>;
    }
    out.writer_info = info;
  }
  return out;
}
