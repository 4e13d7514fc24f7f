// The resume journal of a store, and exactly-once landing.
//
// Why undo logs: landing a unit adds its temporaries into many chunk files, and no file system makes
// a set of renames atomic. A journal line written after landing would double-count a unit killed
// between the two; one written before would lose it. So landing happens in epochs: before a chunk is
// overwritten for the first time in an epoch, its current file is hard-linked into the epoch's
// directory (chunk writes are temp-file-plus-rename, so the link keeps the old bytes at no cost) and
// the link is listed in the epoch's manifest. The epoch commits by appending ONE journal line listing
// all its units (with a checksum, so a torn line is ignored); then its directory goes. On the next
// run, an epoch directory without its commit line is rolled back chunk by chunk (links renamed back,
// chunks that did not exist removed) and its units run again; one with its commit line is just
// removed. Rollback is idempotent, so a crash during recovery is recovered the same way.
//
// Only whole units enter an epoch (the accumulator lands a unit only once all its temporaries are in;
// temporaries a task hands over early are staged on disk under .zhist/staging until then), so an
// epoch never mixes a committed unit with half of another. This needs one filling process per store at
// a time: an undo log cannot restore a chunk that another process also changed since. The engine takes
// an exclusive, stale-aware lock on the store for the whole fill.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { acquireLock, type HeldLock } from "../zarr/lock.js";
import { sha } from "../analysis/index.js";

const checksum = (s: string) => sha(s, 16);

export class Journal {
  readonly done = new Set<string>();
  /** Sums of generator weights of the done units that summed them while filling, journaled with them. */
  readonly sums = new Map<string, number>();
  private committed = new Set<string>();
  private readonly cleanups: Promise<void>[] = [];

  private constructor(readonly dir: string, private readonly lock: HeldLock) {}

  static async open(storeRoot: string): Promise<Journal> {
    const dir = path.join(storeRoot, ".zhist");
    fs.mkdirSync(dir, { recursive: true });
    const lock = await acquireLock(path.join(dir, "fill"), { timeoutMs: 5_000 }).catch((e) => {
      throw new Error(`${storeRoot}: another fill holds this store (${(e as Error).message})`);
    });
    const j = new Journal(dir, lock);
    try {
      j.read();
      j.recover();
    } catch (e) {
      await lock.release();
      throw e;
    }
    return j;
  }

  get file(): string { return path.join(this.dir, "journal"); }
  get stagingDir(): string { return path.join(this.dir, "staging"); }

  private read(): void {
    let text = "";
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    for (const line of text.split("\n")) {
      const m = /^C (\S+) (\S*) ([0-9a-f]{16})$/.exec(line);
      if (!m || checksum(`C ${m[1]} ${m[2]}`) !== m[3]) continue; // a torn last line
      this.committed.add(m[1]);
      for (const entry of m[2].split(",")) {
        if (!entry) continue;
        const [k, sum] = entry.split("=");
        this.done.add(k);
        if (sum !== undefined) this.sums.set(k, Number(sum));
      }
    }
  }

  private recover(): void {
    for (const name of fs.readdirSync(this.dir)) {
      if (!name.startsWith("epoch-")) continue;
      const dir = path.join(this.dir, name);
      if (!this.committed.has(name.slice("epoch-".length))) rollBack(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Staged temporaries belong to units that were not committed (rerun) or were (already landed).
    fs.rmSync(this.stagingDir, { recursive: true, force: true });
  }

  begin(): Epoch {
    return new Epoch(this, `${Date.now().toString(36)}${randomBytes(4).toString("hex")}`);
  }

  /**
   * Appends the commit line; the units count as done from here on. A unit's sum of generator weights
   * goes on the same line (`key=sum`, the shortest text that reads back to the same double).
   */
  commit(epoch: Epoch, units: string[], sums: ReadonlyMap<string, number> = new Map()): void {
    const entries = units.map((u) => (sums.has(u) ? `${u}=${sums.get(u)}` : u));
    const body = `C ${epoch.id} ${entries.join(",")}`;
    const fd = fs.openSync(this.file, "a");
    try {
      // A torn earlier line (killed mid-write) must not swallow this one.
      fs.writeSync(fd, `\n${body} ${checksum(body)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    for (const u of units) {
      this.done.add(u);
      if (sums.has(u)) this.sums.set(u, sums.get(u)!);
    }
    epoch.close();
    // The committed epoch's undo links are garbage now: removed in the background (thousands of
    // unlinks), awaited by close(); a kill before that leaves them to the next open's recovery.
    this.cleanups.push(fs.promises.rm(epoch.dir, { recursive: true, force: true }).catch(() => {}));
  }

  async close(): Promise<void> {
    await Promise.all(this.cleanups);
    await this.lock.release();
  }
}

export class Epoch {
  private readonly preserved = new Set<string>();
  private manifest: number | null = null;
  private count = 0;

  constructor(private readonly journal: Journal, readonly id: string) {}

  get dir(): string { return path.join(this.journal.dir, `epoch-${this.id}`); }

  /**
   * Call before chunk files are replaced: keeps their current bytes (or their absence) for a rollback.
   * `absent[i]`: the caller knows (under the chunk's lock) that files[i] does not exist.
   */
  preserve(files: readonly string[], absent: readonly boolean[] = []): void {
    let lines = "";
    for (const [i, file] of files.entries()) {
      if (this.preserved.has(file)) continue;
      let entry = "-";
      if (!absent[i]) {
        const undo = `u${this.count++}`;
        try {
          if (this.manifest === null) this.openManifest();
          fs.linkSync(file, path.join(this.dir, undo));
          entry = undo;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        }
      }
      lines += `${entry}\t${file}\n`;
      this.preserved.add(file);
    }
    if (!lines) return;
    if (this.manifest === null) this.openManifest();
    // Listed before the chunks change (one write for all); a line torn by a kill belongs to a chunk not yet changed.
    fs.writeSync(this.manifest!, lines);
  }

  private openManifest(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    this.manifest = fs.openSync(path.join(this.dir, "manifest"), "a");
  }

  /** Undoes every chunk change of this epoch (a unit of it failed while landing). */
  rollBack(): void {
    this.closeManifest();
    if (fs.existsSync(this.dir)) rollBack(this.dir);
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.preserved.clear();
  }

  /** Committed: no more changes (the journal removes the directory). */
  close(): void {
    this.closeManifest();
  }

  private closeManifest(): void {
    if (this.manifest !== null) fs.closeSync(this.manifest);
    this.manifest = null;
  }
}

function rollBack(dir: string): void {
  let text = "";
  try {
    text = fs.readFileSync(path.join(dir, "manifest"), "utf8");
  } catch {
    return; // nothing was changed yet
  }
  for (const line of text.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const [entry, file] = [line.slice(0, tab), line.slice(tab + 1)];
    if (entry === "-") fs.rmSync(file, { force: true });
    else {
      try {
        fs.renameSync(path.join(dir, entry), file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e; // restored by an earlier recovery
      }
    }
  }
}
