// File locks that exclude writers across worker threads and OS processes alike.
//
// A lock is the name `<target>.lock`, and exactly one taker can create it: the lock is taken by
// hard-linking this thread's owner file to that name (link(2) fails with EEXIST when the name exists,
// whichever thread or process holds it), or, where no owner file can be linked (another filesystem
// than the temporary directory), by creating it with O_CREAT|O_EXCL ("wx") and writing the owner into
// it. Both ways exclude each other. The link costs no new inode and no write per lock: on this
// machine's ext4, 15-20 us against 40-320 us for create, write, close and read back. Waiters sleep
// with exponential backoff and jitter (never a busy spin). The lock's content says who holds it
// (host, pid, the process's start time, thread id, a random nonce) so that a lock left by a process
// that died (kill -9) can be recognised and broken.
//
// Breaking a stale lock is itself raced: two waiters may both see the dead holder, and the
// slower one must not delete the fresh lock the faster one has just taken. So breaking
// happens under a second exclusive file, `<target>.lock.break`, and deletes the lock only
// if it still carries the exact nonce that was judged stale.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { threadId } from "node:worker_threads";
import { setTimeout as sleep } from "node:timers/promises";

export interface LockOptions {
  /** Give up after this long waiting (ms). Default: 10 minutes, far beyond any chunk write. */
  timeoutMs?: number;
  /** First backoff (ms); doubles up to maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

interface LockOwner {
  host: string;
  pid: number;
  /** Process start time from /proc (Linux), so a recycled pid is not taken for the holder. */
  start: string | null;
  thread: number;
  nonce: string;
  since: number;
}

export class LockTimeoutError extends Error {}

const HOST = os.hostname();
const OWN_START = processStartTime(process.pid);

/** A held lock; call release() exactly once (use withLock to get that for free). */
export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

export async function acquireLock(target: string, options: LockOptions = {}): Promise<HeldLock> {
  const lockPath = `${target}.lock`;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const minDelay = options.minDelayMs ?? 1;
  const maxDelay = options.maxDelayMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let delay = minDelay;
  for (;;) {
    const held = await tryTake(lockPath);
    if (held) return held;
    const holder = await readOwner(lockPath);
    if (holder && isStale(holder)) {
      await breakStaleLock(lockPath, holder.nonce);
      continue;
    }
    if (Date.now() > deadline) {
      const who = holder ? `pid ${holder.pid} thread ${holder.thread} on ${holder.host}` : "an unknown holder";
      throw new LockTimeoutError(`timed out after ${timeoutMs} ms waiting for lock ${lockPath}, held by ${who}`);
    }
    await sleep(delay * (0.5 + Math.random()));
    delay = Math.min(maxDelay, delay * 2);
  }
}

function ownerRecord(): LockOwner {
  return { host: HOST, pid: process.pid, start: OWN_START, thread: threadId, nonce: randomBytes(8).toString("hex"), since: Date.now() };
}

/** The lock, if it is free: linked to this thread's owner file, or created exclusively where no link can be made. */
async function tryTake(lockPath: string): Promise<HeldLock | null> {
  const own = ownerFile();
  if (own) {
    const got = tryLink(own, lockPath);
    if (got === "taken") return { path: lockPath, release: () => releaseLinked(lockPath, own.ino) };
    if (got === "held") return null;
  }
  const record = ownerRecord();
  if (!(await tryCreateExclusive(lockPath, JSON.stringify(record)))) return null;
  return { path: lockPath, release: () => releaseLock(lockPath, record.nonce) };
}

function tryLink(own: OwnerFile, lockPath: string): "taken" | "held" | "cannot" {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.linkSync(own.path, lockPath);
      return "taken";
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST") return "held";
      if (code !== "ENOENT") return "cannot"; // EXDEV (another filesystem), EPERM, EMLINK: create instead
      if (!fs.existsSync(own.path)) {
        ownFile = undefined; // a cleaner removed the owner file: the next lock makes a new one
        return "cannot";
      }
      fs.mkdirSync(path.dirname(lockPath), { recursive: true }); // first lock in this chunk row
    }
  }
  return "cannot";
}

async function releaseLinked(lockPath: string, ino: number): Promise<void> {
  // Only remove our own lock (the link to our owner file): if it was (wrongly) broken and retaken,
  // deleting would free someone else's critical section.
  let now: number | null = null;
  try {
    now = fs.lstatSync(lockPath).ino;
  } catch {
    /* already gone: nothing to remove */
  }
  if (now === null) return;
  if (now !== ino) {
    const holder = await readOwner(lockPath);
    throw new Error(`lock ${lockPath} was taken over by pid ${holder?.pid ?? "unknown"} while held; the update may be lost`);
  }
  try {
    fs.unlinkSync(lockPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

interface OwnerFile {
  path: string;
  ino: number;
}

// This thread's owner file (its content is a LockOwner): made once, in a directory of this user's under
// the temporary directory; hard links to it are the locks this thread holds. undefined: not made yet.
let ownFile: OwnerFile | null | undefined;

function ownerFile(): OwnerFile | null {
  if (ownFile !== undefined) return ownFile;
  ownFile = null;
  try {
    const dir = path.join(os.tmpdir(), `zhist-locks-${process.getuid?.() ?? "user"}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    removeDeadOwners(dir);
    const record = ownerRecord();
    const file = path.join(dir, `${process.pid}-${OWN_START ?? "0"}-${threadId}-${record.nonce}`);
    fs.writeFileSync(file, JSON.stringify(record), { flag: "wx", mode: 0o600 });
    ownFile = { path: file, ino: fs.statSync(file).ino };
    process.once("exit", () => fs.rmSync(file, { force: true }));
  } catch {
    ownFile = null; // no owner file here: locks are created exclusively
  }
  return ownFile;
}

/** Owner files of processes that are gone (a kill -9 leaves them): named pid-start-thread-nonce. */
function removeDeadOwners(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const [pid, start] = name.split("-");
    if (!isStale({ host: HOST, pid: Number(pid) || -1, start: start === "0" ? null : start, thread: 0, nonce: "", since: 0 })) continue;
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Run `body` while holding the lock on `target`; the lock is released even if body throws. */
export async function withLock<T>(target: string, body: () => Promise<T>, options?: LockOptions): Promise<T> {
  const lock = await acquireLock(target, options);
  try {
    return await body();
  } finally {
    await lock.release();
  }
}

// Lock files are tiny: synchronous calls (the same system calls) spare a thread-pool round trip each,
// which was most of the cost of taking and releasing a lock around a chunk update.
async function tryCreateExclusive(lockPath: string, content: string): Promise<boolean> {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, "wx");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "ENOENT") throw err;
    // The chunk's directory does not exist yet (first write into this chunk row).
    await fs.promises.mkdir(path.dirname(lockPath), { recursive: true });
    return tryCreateExclusive(lockPath, content);
  }
  try {
    fs.writeSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

async function releaseLock(lockPath: string, nonce: string): Promise<void> {
  // Only remove our own lock: if it was (wrongly) broken and retaken, deleting would free
  // someone else's critical section.
  const holder = await readOwner(lockPath);
  if (holder && holder.nonce !== nonce) {
    throw new Error(`lock ${lockPath} was taken over by pid ${holder.pid} while held; the update may be lost`);
  }
  fs.rmSync(lockPath, { force: true });
}

async function readOwner(lockPath: string): Promise<LockOwner | null> {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, "utf8");
  } catch {
    return null;
  }
  try {
    return JSON.parse(text) as LockOwner;
  } catch {
    // The creator is between open("wx") and write: the lock is live and simply not yet
    // labelled. Returning null makes the caller wait rather than break it. A process that
    // died in that instant leaves an unlabelled file; treat it as stale once it is old.
    return unlabelledButOld(lockPath) ? { host: HOST, pid: -1, start: null, thread: 0, nonce: "", since: 0 } : null;
  }
}

function unlabelledButOld(lockPath: string): boolean {
  try {
    return Date.now() - fs.statSync(lockPath).mtimeMs > 30_000;
  } catch {
    return false;
  }
}

/** A lock is stale only when its holder process is provably gone from this host. */
function isStale(holder: LockOwner): boolean {
  if (holder.host !== HOST) return false; // cannot see other machines' processes
  if (holder.pid <= 0) return true;
  if (!processAlive(holder.pid)) return true;
  if (holder.start !== null) {
    const start = processStartTime(holder.pid);
    if (start !== null && start !== holder.start) return true; // pid recycled by another process
  }
  return false;
}

async function breakStaleLock(lockPath: string, staleNonce: string): Promise<void> {
  const breakPath = `${lockPath}.break`;
  const breaker: LockOwner = {
    host: HOST, pid: process.pid, start: OWN_START, thread: threadId, nonce: randomBytes(8).toString("hex"), since: Date.now(),
  };
  if (!(await tryCreateExclusive(breakPath, JSON.stringify(breaker)))) {
    // Someone else is breaking it; if that someone died mid-break, clear their marker.
    const other = await readOwner(breakPath);
    if (other && isStale(other)) await fs.promises.rm(breakPath, { force: true });
    await sleep(1);
    return;
  }
  try {
    const current = await readOwner(lockPath);
    if (current && current.nonce === staleNonce) await fs.promises.rm(lockPath, { force: true });
  } finally {
    await fs.promises.rm(breakPath, { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22 (starttime); the command name (field 2) may contain spaces, so split after ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}
