// What a front end asks besides execution: completion, inspection (with the library's doc comments,
// which the compiler reads on the first inspect), completeness; and interrupts at awkward moments:
// while idle, while a cell awaits a plain promise, during the first compile.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { KernelClient } from "./client.js";

describe("zhist kernel introspection", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start();
  });
  after(async () => {
    await k?.stop();
  });
  const ask = async (type: string, content: Record<string, unknown>) => (await k.reply(await k.send("shell", type, content), 60000)).content;

  test("complete_request: names of earlier cells, members, with the range they replace; magic lines keep positions", async () => {
    await k.execute("const abcdef = 1;");
    const own = await ask("complete_request", { code: "abc", cursor_pos: 3 });
    assert.equal(own.status, "ok");
    assert.ok(own.matches.includes("abcdef"), JSON.stringify(own));
    assert.deepEqual([own.cursor_start, own.cursor_end], [0, 3]);
    const code = "%hist n Int(0, 5) = count(Muon)\nMath.ma";
    const member = await ask("complete_request", { code, cursor_pos: code.length });
    assert.deepEqual(member.matches, ["max"]);
    assert.deepEqual([member.cursor_start, member.cursor_end], [code.length - 2, code.length]);
  });

  test("inspect_request: signature and documentation, from the standard library, @types/node and zhist", async () => {
    const max = await ask("inspect_request", { code: "Math.max(1, 2)", cursor_pos: 6, detail_level: 0 });
    assert.equal(max.found, true);
    assert.match(max.data["text/plain"], /^\(method\) Math\.max\(\.\.\.values: number\[\]\): number/);
    assert.match(max.data["text/plain"], /Returns the larger of a set of supplied numeric expressions/);
    const fsCode = "import * as fs from 'node:fs';\nfs.readFileSync";
    const read = await ask("inspect_request", { code: fsCode, cursor_pos: fsCode.length - 3, detail_level: 0 });
    assert.match(read.data["text/plain"], /function readFileSync/);
    assert.match(read.data["text/plain"], /Returns the contents of the `path`/);
    const histCode = "import { Hist } from 'zhist';\nHist.new";
    const hist = await ask("inspect_request", { code: histCode, cursor_pos: histCode.length - 6, detail_level: 0 });
    assert.match(hist.data["text/plain"], /class Hist/);
    assert.match(hist.data["text/plain"], /N-D histogram/);
    const nothing = await ask("inspect_request", { code: "   ", cursor_pos: 1, detail_level: 0 });
    assert.equal(nothing.found, false);
    // Reading the doc comments changed the compiler's program: cells still compile and check.
    const typed = await k.execute("const n: number = 'x';");
    assert.equal(typed.reply.content.ename, "TypeScriptError");
    const fine = await k.execute("Math.max(abcdef, 2)");
    assert.equal(fine.out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "2");
  });

  test("is_complete_request: open blocks are incomplete with the next line's indent; magic lines are complete", async () => {
    assert.deepEqual(await ask("is_complete_request", { code: "function f() {" }), { status: "incomplete", indent: "  " });
    assert.deepEqual(await ask("is_complete_request", { code: "if (x) {\n  foo(" }), { status: "incomplete", indent: "    " });
    assert.deepEqual(await ask("is_complete_request", { code: "const x = 1;" }), { status: "complete" });
    assert.deepEqual(await ask("is_complete_request", { code: "%hist n Int(0, 5) = count(Muon)" }), { status: "complete" });
  });

  test("interrupt_request while idle: answered, and the next cell runs normally", async () => {
    const id = await k.send("control", "interrupt_request", {});
    assert.equal((await k.reply(id)).content.status, "ok");
    const next = await k.execute("await new Promise((r) => setTimeout(r, 200));\n'ran'");
    assert.equal(next.reply.content.status, "ok", JSON.stringify(next.reply.content));
    assert.equal(next.out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "'ran'");
  });

  test("interrupt_request while a cell awaits a plain promise: Interrupted, and the kernel goes on", async () => {
    const id = await k.sendExecute("await new Promise(() => {});");
    await k.waitFor(() => k.iopubMsgs.some((m) => m.parent_header.msg_id === id && m.header.msg_type === "execute_input"), 10000, "the cell to start");
    await new Promise((r) => setTimeout(r, 500));
    await k.send("control", "interrupt_request", {});
    const reply = await k.reply(id, 10000);
    assert.equal(reply.content.status, "error");
    assert.equal(reply.content.ename, "Interrupted");
    const next = await k.execute("abcdef + 1");
    assert.equal(next.out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "2");
  });
});

test("an interrupt during the first compile (the compiler still warming up) ends that cell at once", { timeout: 60000 }, async () => {
  const k = await KernelClient.start();
  try {
    // Sent right after kernel_info: the compiler thread is most likely still building its first program.
    const id = await k.sendExecute("let spins = 0;\nwhile (true) { spins++; }");
    await k.waitFor(() => k.iopubMsgs.some((m) => m.parent_header.msg_id === id && m.header.msg_type === "execute_input"), 10000, "the cell to start");
    k.proc.kill("SIGINT");
    const reply = await k.reply(id, 20000);
    assert.equal(reply.content.ename, "Interrupted");
    const next = await k.execute("6 * 7");
    assert.equal(next.out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "42");
  } finally {
    await k.stop();
  }
});
