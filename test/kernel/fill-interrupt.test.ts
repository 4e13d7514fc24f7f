// Interrupting a cell that runs a fill: SIGINT aborts the cell's signal, which stops the fill's workers
// promptly; nothing is landed in the store after that, and the kernel goes on.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { KernelClient } from "./client.js";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

test("SIGINT during a fill stops its workers through cellSignal()", { timeout: 90000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-kfill-"));
  const k = await KernelClient.start();
  try {
    const store = path.join(dir, "store");
    const code = `import { makeFiles, fixtureAnalysis, modules } from ${JSON.stringify(path.join(dist, "test", "exec", "setup.js"))};
import ${JSON.stringify(path.join(dist, "src", "exec", "index.js"))};
import { cellSignal } from "zhist/kernel";
const files = makeFiles(${JSON.stringify(path.join(dir, "files"))}, 1, 30);
let told = false;
const run = fixtureAnalysis(files).fill({
  workers: 2, modules, store: ${JSON.stringify(store)}, unitEvents: 200, batchEvents: 50, landEveryUnits: 1, signal: cellSignal(),
  onProgress: (p) => { if (!told && p.eventsDone > 0) { told = true; console.log("filling"); } },
});
(globalThis as any).zhistTestFill = run.then(() => "finished", (e: Error) => e.name);
await run;`;
    const id = await k.send("shell", "execute_request", { code, silent: false });
    await k.waitFor(() => k.iopubMsgs.some((m) => m.parent_header.msg_id === id && m.header.msg_type === "stream" && /filling/.test(m.content.text)), 30000, "the fill to start");
    const t0 = Date.now();
    k.proc.kill("SIGINT");
    const reply = await k.reply(id, 10000);
    assert.equal(reply.content.status, "error");
    assert.equal(reply.content.ename, "Interrupted");
    // (tslab misses a top-level await whose operand is parenthesized: name the promise first.)
    const settled = await k.execute("const pending: Promise<string> = (globalThis as any).zhistTestFill;\nconst outcome = await pending;\noutcome", 10000);
    assert.equal(settled.out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "'AbortError'", JSON.stringify(settled.reply.content));
    assert.ok(Date.now() - t0 < 5000, `the fill took ${Date.now() - t0} ms to stop`);
    const journal = () => fs.readdirSync(store, { recursive: true }).length;
    const before = journal();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(journal(), before, "nothing lands after the abort");
    const alive = await k.execute("40 + 2");
    assert.equal(alive.out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "42");
  } finally {
    await k.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
