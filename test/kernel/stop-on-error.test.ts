// stop_on_error as ipykernel does it: after a failed cell, the execute_requests already sent are answered
// "aborted" without running; other requests in the queue are served; requests sent after the error run.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { KernelClient, types } from "./client.js";

describe("zhist kernel stop_on_error", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start();
  });
  after(async () => {
    await k?.stop();
  });

  test("a run-all sent at once stops at the failing cell: later cells are aborted, then new requests run", async () => {
    // All sent without waiting, as a front end's "run all" does.
    const ok = await k.sendExecute("(globalThis as any).__ran = ['first'];\n1");
    const bad = await k.sendExecute("(globalThis as any).__ran.push('bad');\nthrow new Error('boom');");
    const queued1 = await k.sendExecute("(globalThis as any).__ran.push('queued1');\n2");
    const info = await k.send("shell", "kernel_info_request", {});
    const queued2 = await k.sendExecute("(globalThis as any).__ran.push('queued2');\n3", { stop_on_error: false });
    const silent = await k.sendExecute("(globalThis as any).__ran.push('silent');", { silent: true });

    const okReply = await k.reply(ok);
    assert.equal(okReply.content.status, "ok");
    const badReply = await k.reply(bad);
    assert.equal(badReply.content.status, "error");
    assert.equal(badReply.content.evalue, "boom");
    assert.equal(badReply.content.execution_count, okReply.content.execution_count + 1);
    for (const id of [queued1, queued2, silent]) {
      const r = await k.reply(id);
      assert.equal(r.header.msg_type, "execute_reply");
      assert.deepEqual(r.content, { status: "aborted" });
      // Busy and idle, nothing in between: the code was not even announced.
      assert.deepEqual(types(await k.outputs(id)), ["status", "status"]);
    }
    assert.equal((await k.reply(info)).content.status, "ok", "other requests in the queue are still served");

    const after = await k.execute("(globalThis as any).__ran.join(',')");
    assert.equal(after.reply.content.status, "ok");
    assert.equal(after.out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "'first,bad'");
    assert.equal(after.reply.content.execution_count, badReply.content.execution_count + 1, "aborted cells take no execution count");
  });

  test("a failing cell with stop_on_error false leaves the queued cells to run", async () => {
    const bad = await k.sendExecute("throw new Error('tolerated');", { stop_on_error: false });
    const next = await k.sendExecute("40 + 2");
    assert.equal((await k.reply(bad)).content.status, "error");
    const r = await k.reply(next);
    assert.equal(r.content.status, "ok");
    assert.equal((await k.outputs(next)).find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "42");
  });

  test("a failing silent cell aborts nothing", async () => {
    const bad = await k.sendExecute("throw new Error('quiet');", { silent: true });
    const next = await k.sendExecute("'still runs'");
    assert.equal((await k.reply(bad)).content.status, "error");
    assert.equal((await k.reply(next)).content.status, "ok");
  });

  test("a type error stops the queue too, and the cell sent right after its reply runs", async () => {
    const bad = await k.sendExecute("const s: number = 'text';");
    const queued = await k.sendExecute("'aborted'");
    assert.equal((await k.reply(bad)).content.ename, "TypeScriptError");
    assert.equal((await k.reply(queued)).content.status, "aborted");
    const fresh = await k.execute("'runs'");
    assert.equal(fresh.reply.content.status, "ok");
  });
});
