// Locks taken by hard-linking the thread's owner file (and, on another filesystem than the temporary
// directory, by exclusive creation): exclusion between both kinds, release, and locks of killed holders.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { acquireLock, LockTimeoutError } from "../../src/zarr/lock.js";
import { tempStore } from "./tmp.js";

const HOLDER = fileURLToPath(new URL("./lock-holder.js", import.meta.url));
const OWNERS = path.join(os.tmpdir(), `zhist-locks-${process.getuid?.() ?? "user"}`);

/** Runs lock-holder.js; resolves with the child and its first line of output. */
function holder(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ child: ReturnType<typeof spawn>; line: string }> {
  const child = spawn(process.execPath, [HOLDER, ...args], { env, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve({ child, line: out.trim() });
    });
    child.on("exit", (code) => (out.includes("\n") ? undefined : reject(new Error(`lock holder exited ${code} without a word`))));
  });
}

/** A directory on another filesystem than the store's, if this machine has one (tmpfs /dev/shm). */
function otherFilesystem(root: string): string | null {
  try {
    return fs.statSync("/dev/shm").dev !== fs.statSync(root).dev ? fs.mkdtempSync("/dev/shm/zhist-lock-test-") : null;
  } catch {
    return null;
  }
}

test("a lock is a hard link to the thread's owner file: no new inode, released by removing the link only", async () => {
  const root = tempStore();
  const target = path.join(root, "c/0/0");
  const lock = await acquireLock(target);
  const st = fs.statSync(`${target}.lock`);
  const owner = JSON.parse(fs.readFileSync(`${target}.lock`, "utf8"));
  assert.equal(owner.pid, process.pid);
  if (st.dev === fs.statSync(os.tmpdir()).dev) {
    assert.ok(st.nlink >= 2, `lock has ${st.nlink} link(s)`);
    const ownerFile = fs.readdirSync(OWNERS).map((n) => path.join(OWNERS, n)).find((f) => fs.statSync(f).ino === st.ino);
    assert.ok(ownerFile, "the lock's inode is an owner file");
    await lock.release();
    assert.ok(!fs.existsSync(`${target}.lock`));
    assert.ok(fs.existsSync(ownerFile), "the owner file stays for the next lock");
  } else {
    await lock.release(); // the temporary directory is elsewhere: an exclusively created lock
  }
  const again = await acquireLock(target, { timeoutMs: 100 });
  await again.release();
});

test("a linked lock and an exclusively created lock exclude each other", async (t) => {
  const root = tempStore();
  const elsewhere = otherFilesystem(root);
  if (!elsewhere) return t.skip("no second filesystem for the temporary directory");
  try {
    const target = path.join(root, "c/1/0");
    const created = { ...process.env, TMPDIR: elsewhere };
    // Held by a process whose owner files cannot be linked into the store: created exclusively.
    const held = await holder(["hold", target], created);
    assert.equal(held.line, "held 1");
    await assert.rejects(acquireLock(target, { timeoutMs: 150 }), LockTimeoutError);
    held.child.kill("SIGKILL");
    await new Promise((r) => held.child.once("exit", r));
    // The killed holder's lock is broken; now this process links, and the creating one waits.
    const lock = await acquireLock(target, { timeoutMs: 2000 });
    assert.ok(fs.statSync(`${target}.lock`).nlink >= 2);
    const waiter = await holder(["try", target, "150"], created);
    assert.equal(waiter.line, "timeout");
    await lock.release();
    const taker = await holder(["try", target, "2000"], created);
    assert.equal(taker.line, "took 1");
  } finally {
    fs.rmSync(elsewhere, { recursive: true, force: true });
  }
});

test("a linked lock of a killed process is broken, and its owner file removed by the next process", async () => {
  const root = tempStore();
  const target = path.join(root, "c/2/0");
  const held = await holder(["hold", target]);
  assert.match(held.line, /^held/);
  const pid = held.child.pid!;
  const before = fs.readdirSync(OWNERS).filter((n) => n.startsWith(`${pid}-`));
  assert.equal(before.length, 1, "the holder made one owner file");
  held.child.kill("SIGKILL");
  await new Promise((r) => held.child.once("exit", r));
  const lock = await acquireLock(target, { timeoutMs: 2000 });
  await lock.release();
  // A new process sweeps the owner files of dead ones when it makes its own.
  const next = await holder(["try", path.join(root, "c/3/0"), "2000"]);
  assert.match(next.line, /^took/);
  await new Promise((r) => next.child.once("exit", r));
  assert.deepEqual(fs.readdirSync(OWNERS).filter((n) => n.startsWith(`${pid}-`)), []);
  assert.deepEqual(fs.readdirSync(OWNERS).filter((n) => n.startsWith(`${next.child.pid}-`)), [], "a process removes its owner file at exit");
});
