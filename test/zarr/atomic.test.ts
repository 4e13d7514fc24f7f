import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { AtomicFileStore } from "../../src/zarr/store.js";
import { acquireLock, LockTimeoutError } from "../../src/zarr/lock.js";
import { listFiles, tempStore } from "./tmp.js";

const WORKER = fileURLToPath(new URL("./accumulate-worker.js", import.meta.url));

test("set writes through a temporary file and leaves none behind", async () => {
  const root = tempStore();
  const store = new AtomicFileStore(root);
  await store.set("/a/b/c/0", Uint8Array.from([1, 2, 3]));
  await store.set("/a/b/c/0", Uint8Array.from([4, 5]));
  assert.deepEqual(listFiles(root), ["a/b/c/0"]);
  assert.deepEqual(Array.from((await store.get("/a/b/c/0"))!), [4, 5]);
  assert.deepEqual(Array.from((await store.getRange("/a/b/c/0", { suffixLength: 1 }))!), [5]);
  assert.equal(await store.get("/missing"), undefined);
  assert.throws(() => store.pathOf("/../outside"), /escapes the store root/);
});

test("a failed write removes its temporary file and keeps the old content", async () => {
  const root = tempStore();
  const store = new AtomicFileStore(root, { fsync: true });
  fs.mkdirSync(path.join(root, "target/child"), { recursive: true }); // rename onto a non-empty dir fails
  await assert.rejects(store.set("/target", Uint8Array.from([9])));
  assert.deepEqual(listFiles(root), []);
  await store.set("/kept", Uint8Array.from([7]));
  fs.mkdirSync(path.join(root, "kept.d/x"), { recursive: true });
  await assert.rejects(store.set("/kept.d", Uint8Array.from([8])));
  assert.deepEqual(Array.from((await store.get("/kept"))!), [7]);
  assert.ok(!listFiles(root).some((f) => f.endsWith(".tmp")));
});

test("a reader racing a writer in another process never sees a partial chunk", async () => {
  const root = tempStore();
  const size = 4 << 20; // 4 MiB: large enough that a non-atomic write would be seen half done
  const store = new AtomicFileStore(root);
  await store.set("/c/0", new Uint8Array(size));
  const child = fork(WORKER, [JSON.stringify({ mode: "rewrite", root, group: "", key: "/c/0", iterations: 40, chunkBytes: size })]);
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  let done = false;
  void exited.then(() => (done = true));
  let reads = 0;
  while (!done) {
    const bytes = (await store.get("/c/0"))!;
    assert.equal(bytes.length, size);
    const first = bytes[0];
    assert.ok(bytes.every((b) => b === first), `read ${reads} mixed two versions`);
    reads++;
  }
  assert.equal(await exited, 0);
  assert.ok(reads > 1, `only ${reads} reads raced the writer`);
  assert.deepEqual(listFiles(root), ["c/0"]);
});

test("a lock left by a dead process is broken; a live holder makes waiters time out by name", async () => {
  const root = tempStore();
  const target = path.join(root, "c/0");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const dead = fork(WORKER, [], { stdio: "ignore" }); // exits at once: its pid is free afterwards
  const deadPid = dead.pid!;
  await new Promise((resolve) => dead.on("exit", resolve));
  fs.writeFileSync(`${target}.lock`, JSON.stringify({ host: (await import("node:os")).hostname(), pid: deadPid, start: null, thread: 0, nonce: "dead", since: 0 }));
  const lock = await acquireLock(target, { timeoutMs: 2000 });
  assert.notEqual(JSON.parse(fs.readFileSync(`${target}.lock`, "utf8")).nonce, "dead");
  await assert.rejects(acquireLock(target, { timeoutMs: 100 }), (err: unknown) =>
    err instanceof LockTimeoutError && new RegExp(`held by pid ${process.pid}`).test((err as Error).message));
  await lock.release();
  assert.ok(!fs.existsSync(`${target}.lock`));
  const again = await acquireLock(target, { timeoutMs: 100 });
  await again.release();
});
