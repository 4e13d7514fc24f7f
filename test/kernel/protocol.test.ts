// The kernel's Jupyter protocol, from a ZeroMQ client: signatures, execution, errors, display, comms,
// history, interrupt and shutdown. One kernel serves the whole file (start-up is the slow part).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { KernelClient, streamText, types } from "./client.js";

describe("zhist kernel protocol", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start();
  });
  after(async () => {
    await k?.stop();
  });

  test("kernel_info_reply names the language and the protocol", async () => {
    const id = await k.send("shell", "kernel_info_request", {});
    const r = await k.reply(id);
    assert.equal(r.header.msg_type, "kernel_info_reply");
    assert.equal(r.content.status, "ok");
    assert.equal(r.content.protocol_version, "5.3");
    assert.equal(r.content.implementation, "zhist");
    assert.equal(r.content.language_info.name, "typescript");
    assert.equal(r.content.language_info.file_extension, ".ts");
  });

  test("a message with a bad signature is rejected and never executed", async () => {
    const bad = await k.send("shell", "execute_request", { code: "(globalThis as any).__forged = 1;", silent: false }, { key: "not-the-key" });
    await k.waitFor(() => /rejected a message on shell: bad signature/.test(k.stderr), 5000, "the rejection in the kernel log");
    const { reply, out } = await k.execute("typeof (globalThis as any).__forged");
    assert.equal(reply.content.status, "ok");
    assert.equal(out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "'undefined'");
    assert.ok(!k.replies.some((m) => m.parent_header.msg_id === bad), "no reply to the forged message");
    assert.ok(!k.iopubMsgs.some((m) => m.parent_header.msg_id === bad), "no iopub output for the forged message");
    // The reply's own signature was checked by the client's decode (it throws on a mismatch).
  });

  test("execute: busy, execute_input, stream, execute_result with counts, idle, all parented to the request", async () => {
    const a = await k.execute("const a = 20 + 1;\nconsole.log('a is', a);\na * 2");
    assert.equal(a.reply.content.status, "ok");
    const n = a.reply.content.execution_count as number;
    assert.ok(n >= 1);
    assert.deepEqual(types(a.out), ["status", "execute_input", "stream", "execute_result", "status"]);
    assert.equal(a.out[0].content.execution_state, "busy");
    assert.equal(a.out[1].content.execution_count, n);
    assert.equal(streamText(a.out), "a is 21\n");
    const result = a.out[3].content;
    assert.equal(result.execution_count, n);
    assert.equal(result.data["text/plain"], "42");
    const b = await k.execute("a + 1");
    assert.equal(b.reply.content.execution_count, n + 1);
    assert.equal(b.out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "22");
    const silent = await k.send("shell", "execute_request", { code: "a", silent: true });
    const s = await k.reply(silent);
    assert.equal(s.content.execution_count, n + 1, "silent requests do not count");
    assert.ok(!(await k.outputs(silent)).some((m) => m.header.msg_type === "execute_input" || m.header.msg_type === "execute_result"));
    const e = await k.execute("console.error('to stderr'); undefined");
    assert.equal(streamText(e.out, "stderr"), "to stderr\n");
    assert.ok(!types(e.out).includes("execute_result"), "undefined shows nothing");
  });

  test("errors carry ename, evalue and a traceback with the cell line; type errors point at the column", async () => {
    const r = await k.execute("const ok = 1;\n\nfunction f(x: number): number {\n  throw new RangeError(`bad x ${x}`);\n}\nf(ok + 2);");
    assert.equal(r.reply.content.status, "error");
    const err = r.out.find((m) => m.header.msg_type === "error")!.content;
    assert.equal(err.ename, "RangeError");
    assert.equal(err.evalue, "bad x 3");
    assert.equal(err.traceback[0], "RangeError: bad x 3");
    assert.ok(err.traceback.some((l: string) => /line 4:/.test(l)), err.traceback.join("\n"));
    assert.ok(err.traceback.some((l: string) => l.includes("throw new RangeError(`bad x ${x}`);")), err.traceback.join("\n"));
    assert.equal(r.reply.content.ename, "RangeError");

    const t = await k.execute("let n: number = 1;\nn = 'text';");
    const te = t.out.find((m) => m.header.msg_type === "error")!.content;
    assert.equal(te.ename, "TypeScriptError");
    assert.match(te.evalue, /^2:1 - Type 'string' is not assignable to type 'number'/);
    assert.deepEqual(te.traceback.slice(1), ["    n = 'text';", "    ^"]);

    const thrown = await k.execute("throw 'plain'");
    assert.equal(thrown.out.find((m) => m.header.msg_type === "error")!.content.evalue, "plain");
    const magic = await k.execute("%datasett ttbar a.root\n1");
    assert.equal(magic.reply.content.ename, "MagicError", "the magics' cell transform is installed");
    assert.match(magic.reply.content.evalue, /did you mean %dataset/);
    assert.ok(magic.reply.content.traceback.some((l: string) => l.includes("^")));
    const after = await k.execute("1 + 1");
    assert.equal(after.reply.content.status, "ok", "the kernel goes on after errors");
  });

  test("rich display: Jupyter.display bundles, display ids and updates", async () => {
    const r = await k.execute(`({ [Symbol.for("Jupyter.display")]() { return { "text/html": "<b>h</b>", "text/plain": "h" }; } })`);
    const res = r.out.find((m) => m.header.msg_type === "execute_result")!.content;
    assert.deepEqual(res.data, { "text/html": "<b>h</b>", "text/plain": "h" });
    const d = await k.execute(`import { display, updateDisplay } from "zhist/kernel";
const thing = (n: number) => ({ [Symbol.for("Jupyter.display")]: () => ({ "text/plain": "n=" + n, "image/svg+xml": "<svg/>" }) });
display(thing(1), { displayId: "p1" });
updateDisplay("p1", thing(2));`);
    assert.equal(d.reply.content.status, "ok", JSON.stringify(d.reply.content));
    const shown = d.out.find((m) => m.header.msg_type === "display_data")!.content;
    assert.deepEqual(shown.data, { "text/plain": "n=1", "image/svg+xml": "<svg/>" });
    assert.equal(shown.transient.display_id, "p1");
    const upd = d.out.find((m) => m.header.msg_type === "update_display_data")!.content;
    assert.equal(upd.data["text/plain"], "n=2");
    assert.equal(upd.transient.display_id, "p1");
  });

  test("cells import ESM-only packages and zhist itself, with types", async () => {
    const r = await k.execute(`import * as zarr from "zarrita";
import { Hist } from "zhist";
const h = Hist.new.Reg(4, 0, 4, { name: "x" }).Weight();
h.fill({ x: [0.5, 1.5, 1.5], weight: 2 });
[typeof zarr.open, h.sum()]`);
    assert.equal(r.reply.content.status, "ok", JSON.stringify(r.reply.content));
    assert.equal(r.out.find((m) => m.header.msg_type === "execute_result")!.content.data["text/plain"], "[ 'function', { value: 6, variance: 12 } ]");
    const bad = await k.execute(`import { Hist } from "zhist";\nconst q: string = Hist.new;`);
    assert.match(bad.reply.content.evalue, /not assignable to type 'string'/, "zhist's declarations reach the compiler");
  });

  test("comms: open, msg (binary buffers), info, widget control request_states, close; busy/idle parented to each", async () => {
    const state = { _model_name: "IntProgressModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0", value: 3 };
    const open = await k.send("shell", "comm_open", { comm_id: "w1", target_name: "jupyter.widget", data: { state, buffer_paths: [["data"]] } }, { buffers: [Buffer.from([1, 2, 3])] });
    const openOut = await k.outputs(open);
    assert.deepEqual(types(openOut), ["status", "status"]);
    assert.deepEqual(openOut.map((m) => m.content.execution_state), ["busy", "idle"]);

    const info = await k.reply(await k.send("shell", "comm_info_request", { target_name: "jupyter.widget" }));
    assert.deepEqual(info.content.comms, { w1: { target_name: "jupyter.widget" } });

    const upd = await k.send("shell", "comm_msg", { comm_id: "w1", data: { method: "update", state: { value: 7 }, buffer_paths: [] } });
    assert.deepEqual((await k.outputs(upd)).map((m) => m.content.execution_state), ["busy", "idle"]);

    const ask = await k.send("shell", "comm_msg", { comm_id: "w1", data: { method: "request_state" } });
    const askOut = await k.outputs(ask);
    assert.deepEqual(types(askOut), ["status", "comm_msg", "status"]);
    assert.equal(askOut[1].content.data.method, "update");
    assert.equal(askOut[1].content.data.state.value, 7);
    assert.deepEqual([...askOut[1].buffers[0]], [1, 2, 3]);

    const ctl = await k.send("shell", "comm_open", { comm_id: "c1", target_name: "jupyter.widget.control", data: {} });
    await k.outputs(ctl);
    const states = await k.send("shell", "comm_msg", { comm_id: "c1", data: { method: "request_states" } });
    const statesOut = await k.outputs(states);
    const reply = statesOut.find((m) => m.header.msg_type === "comm_msg")!;
    assert.equal(reply.content.comm_id, "c1");
    assert.equal(reply.content.data.method, "update_states");
    assert.equal(reply.content.data.states.w1.model_name, "IntProgressModel");
    assert.equal(reply.content.data.states.w1.state.value, 7);
    assert.deepEqual(reply.content.data.buffer_paths, [["w1", "state", "data"]]);
    assert.deepEqual([...reply.buffers[0]], [1, 2, 3]);

    const unknown = await k.send("shell", "comm_open", { comm_id: "u1", target_name: "no.such.target", data: {} });
    const unknownOut = await k.outputs(unknown);
    assert.equal(unknownOut.find((m) => m.header.msg_type === "comm_close")?.content.comm_id, "u1");

    const close = await k.send("shell", "comm_close", { comm_id: "w1", data: {} });
    assert.deepEqual((await k.outputs(close)).map((m) => m.content.execution_state), ["busy", "idle"]);
    const after = await k.reply(await k.send("shell", "comm_info_request", {}));
    assert.deepEqual(Object.keys(after.content.comms), ["c1"]);
  });

  test("history_request returns the executed cells", async () => {
    await k.execute("const historyMarker = 'hm';");
    const r = await k.reply(await k.send("shell", "history_request", { output: false, raw: true, hist_access_type: "tail", n: 2 }));
    assert.equal(r.content.status, "ok");
    assert.equal(r.content.history.length, 2);
    const last = r.content.history[1];
    assert.equal(last[2], "const historyMarker = 'hm';");
    const search = await k.reply(await k.send("shell", "history_request", { hist_access_type: "search", pattern: "*historyMarker*" }));
    assert.equal(search.content.history.length, 1);
  });

  test("SIGINT interrupts a waiting cell, a busy loop, and aborts cellSignal()", async () => {
    const interruptWhenRunning = async (code: string) => {
      const id = await k.send("shell", "execute_request", { code, silent: false });
      await k.waitFor(() => k.iopubMsgs.some((m) => m.parent_header.msg_id === id && m.header.msg_type === "execute_input"), 10000, "the cell to start");
      await new Promise((r) => setTimeout(r, 300));
      k.proc.kill("SIGINT");
      return { reply: await k.reply(id, 10000), out: await k.outputs(id, 10000) };
    };
    const wait = await interruptWhenRunning("await new Promise((r) => setTimeout(r, 60000));");
    assert.equal(wait.reply.content.status, "error");
    assert.equal(wait.reply.content.ename, "Interrupted");

    const loop = await interruptWhenRunning("let spins = 0;\nwhile (true) { spins++; }");
    assert.equal(loop.reply.content.ename, "Interrupted");

    const sig = await interruptWhenRunning(`import { cellSignal } from "zhist/kernel";
const s = cellSignal();
await new Promise((_, reject) => s.addEventListener("abort", () => reject(s.reason)));`);
    assert.equal(sig.reply.content.status, "error");

    const alive = await k.execute("1 + 1");
    assert.equal(alive.out.find((m) => m.header.msg_type === "execute_result")!.content.data["text/plain"], "2");
  });
});

test("shutdown_request on control: reply, then the kernel exits", async () => {
  const k = await KernelClient.start();
  try {
    const exited = new Promise<number | null>((r) => k.proc.once("exit", (code) => r(code)));
    const id = await k.send("control", "shutdown_request", { restart: false });
    const r = await k.reply(id);
    assert.equal(r.header.msg_type, "shutdown_reply");
    assert.equal(r.content.restart, false);
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r("timeout"), 5000))]);
    assert.equal(code, 0);
  } finally {
    await k.stop();
  }
});
