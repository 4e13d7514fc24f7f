// A filesystem store with zarrita's store interface (get/getRange/has/set/delete over
// "/"-rooted keys) whose writes are atomic: bytes go to a temporary file in the same
// directory and are renamed over the key. rename(2) within one filesystem is atomic, so a
// concurrent reader sees either the old file or the new one, never half a chunk.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { threadId } from "node:worker_threads";

export type StoreKey = `/${string}`;

export type RangeQuery = { offset: number; length: number } | { suffixLength: number };

/** The subset of zarrita's AsyncMutable store interface zhist relies on. */
export interface MutableStore {
  get(key: StoreKey): Promise<Uint8Array | undefined>;
  getRange(key: StoreKey, range: RangeQuery): Promise<Uint8Array | undefined>;
  has(key: StoreKey): Promise<boolean>;
  set(key: StoreKey, value: Uint8Array): Promise<void>;
  delete(key: StoreKey): Promise<boolean>;
}

export interface AtomicFileStoreOptions {
  /**
   * fsync the temporary file before the rename (and the directory after it). Off by default:
   * rename already gives readers atomicity; fsync only adds durability across a power loss.
   * Measured on this machine (ext4, 400 kB chunk, median of 40): 1.05 ms per atomic set without
   * fsync, 1.6-1.7 ms with it, 0.4 ms for a plain fs.writeFileSync of the same bytes.
   */
  fsync?: boolean;
}

/** Suffix of in-flight temporary files; a crash can leave one behind, never a torn chunk. */
export const TEMP_SUFFIX = ".tmp";

// Random bytes once per thread, not per write (they cost 20-30 us a call here).
const TEMP_TAG = randomBytes(4).toString("hex");
let tempCount = 0;

export class AtomicFileStore implements MutableStore {
  readonly root: string;
  readonly fsync: boolean;

  constructor(root: string, options: AtomicFileStoreOptions = {}) {
    this.root = path.resolve(root);
    this.fsync = options.fsync ?? false;
  }

  /** Absolute filesystem path of a key; refuses keys that would escape the root. */
  pathOf(key: string): string {
    const relative = key.replace(/^\/+/, "");
    const full = path.resolve(this.root, relative);
    if (full !== this.root && !full.startsWith(this.root + path.sep)) {
      throw new Error(`store key ${JSON.stringify(key)} escapes the store root ${this.root}`);
    }
    return full;
  }

  async get(key: StoreKey): Promise<Uint8Array | undefined> {
    try {
      // Synchronous: a chunk is read from the page cache in well under a millisecond, while the
      // promise API's round trips through the thread pool (open, fstat, 512 kB reads, close) left
      // the accumulate loop idle for a quarter of its time. Codecs block the same way. One turn of
      // the event loop afterwards, so that a caller looping on get still lets timers and events run.
      const bytes = fs.readFileSync(this.pathOf(key));
      await yieldToEventLoop();
      return bytes;
    } catch (err) {
      if (isNoEntry(err)) return undefined;
      throw err;
    }
  }

  /** get, reading into the buffer `alloc(size)` gives (e.g. a recycled one); the result is a view of it. */
  async getWith(key: StoreKey, alloc: (size: number) => Uint8Array): Promise<Uint8Array | undefined> {
    const out = this.getWithSync(key, alloc);
    await yieldToEventLoop();
    return out;
  }

  /** getWith without the turn of the event loop: for a caller that sends the bytes on before it yields. */
  getWithSync(key: StoreKey, alloc: (size: number) => Uint8Array): Uint8Array | undefined {
    let fd: number;
    try {
      fd = fs.openSync(this.pathOf(key), "r");
    } catch (err) {
      if (isNoEntry(err)) return undefined;
      throw err;
    }
    let out: Uint8Array;
    try {
      const size = fs.fstatSync(fd).size;
      out = alloc(size);
      let done = 0;
      for (let got = 1; done < size && got > 0; done += got) got = fs.readSync(fd, out, done, size - done, done);
      out = out.subarray(0, done);
    } finally {
      fs.closeSync(fd);
    }
    return out;
  }

  async getRange(key: StoreKey, range: RangeQuery): Promise<Uint8Array | undefined> {
    let handle: fs.promises.FileHandle | undefined;
    try {
      handle = await fs.promises.open(this.pathOf(key), "r");
      let offset: number;
      let length: number;
      if ("suffixLength" in range) {
        const { size } = await handle.stat();
        length = Math.min(range.suffixLength, size);
        offset = size - length;
      } else {
        ({ offset, length } = range);
      }
      const out = Buffer.alloc(length);
      const { bytesRead } = await handle.read(out, 0, length, offset);
      return out.subarray(0, bytesRead);
    } catch (err) {
      if (isNoEntry(err)) return undefined;
      throw err;
    } finally {
      await handle?.close();
    }
  }

  async has(key: StoreKey): Promise<boolean> {
    try {
      await fs.promises.access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async set(key: StoreKey, value: Uint8Array): Promise<void> {
    await writeFileAtomic(this.pathOf(key), value, this.fsync);
  }

  async delete(key: StoreKey): Promise<boolean> {
    try {
      await fs.promises.unlink(this.pathOf(key));
      return true;
    } catch (err) {
      if (isNoEntry(err)) return false;
      throw err;
    }
  }
}

/**
 * Write `bytes` to `target` through a uniquely named temporary file in the same directory
 * (same filesystem, so the rename is atomic). On any failure the temporary file is removed
 * and the previous content of `target`, if any, is untouched.
 */
export async function writeFileAtomic(target: string, bytes: Uint8Array, fsync = false): Promise<void> {
  const temp = tempPathOf(target);
  try {
    writeTemp(temp, bytes, fsync);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
  await commitTemp(temp, target, fsync);
}

/** A temporary file name beside `target` that no other writer uses (see writeFileAtomic). */
export function tempPathOf(target: string): string {
  // pid + thread id + this thread's random tag + a count: unique across processes, worker threads,
  // retries, and the temporary files a killed process with the same pid may have left.
  return `${target}.${process.pid}-${threadId}-${TEMP_TAG}${(tempCount++).toString(36)}${TEMP_SUFFIX}`;
}

/**
 * The first half of an atomic write, which a codec worker may do: `bytes` into the new file `temp`
 * (its directory is made if missing). The caller renames it over the target, or removes it; or, given
 * `target`, it is renamed over it here (a single file's update: nothing to wait for).
 */
export function writeTemp(temp: string, bytes: Uint8Array, fsync = false, target?: string): void {
  // Synchronous system calls (the same ones, in the same order): each async one cost a thread-pool
  // round trip, and a chunk write made five of them.
  let fd: number;
  try {
    fd = fs.openSync(temp, "wx");
  } catch (err) {
    if (!isNoEntry(err)) throw err;
    fs.mkdirSync(path.dirname(temp), { recursive: true }); // first write into this directory
    fd = fs.openSync(temp, "wx");
  }
  try {
    for (let done = 0; done < bytes.byteLength; ) done += fs.writeSync(fd, bytes, done, bytes.byteLength - done);
    if (fsync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (target) fs.renameSync(temp, target);
}

/** The second half: the temporary file replaces the target (and, with fsync, the rename is made durable). */
export async function commitTemp(temp: string, target: string, fsync = false): Promise<void> {
  try {
    fs.renameSync(temp, target);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
  await yieldToEventLoop();
  if (fsync) await syncDirectory(path.dirname(target));
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable. Some filesystems refuse fsync on a directory; that only
  // weakens durability, never atomicity, so it is not an error.
  try {
    const handle = await fs.promises.open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

// A macrotask turn costs 10-15 us; one every few milliseconds is enough for timers and I/O callbacks.
const YIELD_EVERY_MS = 4;
let lastYield = 0;

/**
 * Let pending timers and I/O callbacks run (a macrotask turn: microseconds, no thread pool) when this
 * thread has not let them for a few milliseconds: a loop of synchronous reads and writes stays responsive.
 */
export function yieldToEventLoop(): Promise<void> {
  const now = performance.now();
  if (now - lastYield < YIELD_EVERY_MS) return Promise.resolve();
  lastYield = now;
  return new Promise((resolve) => setImmediate(resolve));
}

export function isNoEntry(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "ENOENT";
}
