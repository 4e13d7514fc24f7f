// The decoded contents of chunks this thread wrote last, so that landing into the same chunk again does
// not decode what it just encoded. An entry is a memo of decode(frame): it is used only when the file
// holds exactly the bytes of its frame (another writer's chunk, any other change, never matches), so it
// can never be stale. Bounded by ZHIST_CHUNK_CACHE_MB (default 128; 0 turns it off), least recently
// used first out, and emptied after a quiet spell so that an idle process keeps no chunk data.

interface Entry {
  frame: Uint8Array;
  decoded: Float64Array;
}

const IDLE_MS = 10_000;

export class ChunkCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private idle: NodeJS.Timeout | null = null;
  /** Lookups answered from the cache, and lookups of a cached file whose bytes had changed. */
  hits = 0;
  stale = 0;

  /**
   * `evicted` receives the buffers of entries that leave the cache (for reuse); `copy` makes the cache's
   * copy of a frame (default: a fresh buffer of its size).
   */
  constructor(
    readonly budget: number,
    private readonly evicted: (decoded: Float64Array | null, frame?: Uint8Array) => void,
    private readonly copy: (frame: Uint8Array, decoded: Float64Array) => Uint8Array = (f) => f.slice(),
  ) {}

  /** The decoded chunk of `file` if `frame` is the frame cached for it; the entry leaves the cache either way. */
  take(file: string, frame: Uint8Array): Float64Array | null {
    const e = this.entries.get(file);
    if (!e) return null;
    this.remove(file, e);
    const same = e.frame.byteLength === frame.byteLength && Buffer.from(e.frame.buffer, e.frame.byteOffset, e.frame.byteLength).equals(frame);
    if (same) this.hits++;
    else this.stale++;
    this.evicted(same ? null : e.decoded, e.frame); // on a hit the decoded chunk is the caller's
    return same ? e.decoded : null;
  }

  /** Remember that `frame` (copied) decodes to `decoded` (kept, not copied) for `file`. */
  put(file: string, frame: Uint8Array, decoded: Float64Array): void {
    const old = this.entries.get(file);
    if (old) {
      this.remove(file, old);
      this.evicted(old.decoded, old.frame);
    }
    if (frame.byteLength + decoded.buffer.byteLength > this.budget) {
      this.evicted(decoded);
      return;
    }
    const e = { frame: this.copy(frame, decoded), decoded };
    const size = sizeOf(e);
    for (const [k, old] of this.entries) {
      if (this.bytes + size <= this.budget) break;
      this.remove(k, old);
      this.evicted(old.decoded, old.frame);
    }
    this.entries.set(file, e);
    this.bytes += size;
    if (this.idle) this.idle.refresh();
    else {
      this.idle = setTimeout(() => this.clear(), IDLE_MS);
      this.idle.unref();
    }
  }

  clear(): void {
    for (const e of this.entries.values()) this.evicted(e.decoded, e.frame);
    this.entries.clear();
    this.bytes = 0;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(file: string, e: Entry): void {
    this.entries.delete(file);
    this.bytes -= sizeOf(e);
  }
}

function sizeOf(e: Entry): number {
  return e.frame.buffer.byteLength + e.decoded.buffer.byteLength;
}

/** The cache budget in bytes: ZHIST_CHUNK_CACHE_MB, default 128 MiB. */
export function chunkCacheBudget(): number {
  const env = process.env.ZHIST_CHUNK_CACHE_MB;
  const mb = env !== undefined && env !== "" && Number.isFinite(Number(env)) && Number(env) >= 0 ? Number(env) : 128;
  return mb * 2 ** 20;
}
