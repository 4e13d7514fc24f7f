// zhist's Zarr layer: the on-disk layout of histograms and the out-of-core primitives.
export { AtomicFileStore, writeFileAtomic, TEMP_SUFFIX, type MutableStore, type StoreKey, type AtomicFileStoreOptions } from "./store.js";
export { acquireLock, withLock, LockTimeoutError, type LockOptions, type HeldLock } from "./lock.js";
export { encodeChunk, decodeChunk, parseCodecs, codecMetadata, DEFAULT_ZSTD, type ChunkCodecs, type ZstdSettings } from "./codec.js";
export { openArray, refreshArray, chunkKey, chunkGridShape, joinKey, type StoredArray } from "./array.js";
export { readChunk, writeChunk, accumulateChunk, accumulateRegion, readArray, writeArray, CorruptChunkError } from "./chunks.js";
export { chunkShapeFor, isCategorical, DEFAULT_CHUNK_BYTES } from "./chunking.js";
export { writeHist, writeEmptyHist, readHist, openHistMeta, openField, type HistMeta, type WriteHistOptions } from "./layout.js";
export { growCategory, type GrowResult } from "./grow.js";
