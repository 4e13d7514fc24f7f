// input() of "zhist/kernel" over the stdin channel: input_request to the front end that sent the cell,
// its input_reply as the value; a clear error when the request did not allow stdin; interrupt while waiting.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as zmq from "zeromq";
import { decode, encode, newHeader } from "../../kernel-ext/wire.js";
import { KernelClient } from "./client.js";

describe("zhist kernel stdin", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start();
  });
  after(async () => {
    await k?.stop();
  });

  test("input() sends input_request (prompt, password) parented to the cell and resolves with the input_reply", async () => {
    const id = await k.sendExecute(
      [
        'import { input } from "zhist/kernel";',
        "const who = await input('Name? ');",
        "const secret = await input('Secret: ', { password: true });",
        "`${who} typed ${secret.length} characters`",
      ].join("\n"),
      { allow_stdin: true },
    );
    const first = await k.inputRequest(id);
    assert.deepEqual(first.content, { prompt: "Name? ", password: false });
    // A reply to some other request is ignored: the cell keeps waiting for the right one.
    await k.send("stdin", "input_reply", { value: "Mallory" }, { parent: { ...first, header: { ...first.header, msg_id: "not-the-request" } } });
    await k.send("stdin", "input_reply", { value: "Ada" }, { parent: first });
    await k.waitFor(() => k.stdinMsgs.filter((m) => m.parent_header.msg_id === id).length === 2, 15000, "the second input_request");
    const second = k.stdinMsgs.filter((m) => m.parent_header.msg_id === id)[1];
    assert.deepEqual(second.content, { prompt: "Secret: ", password: true });
    await k.send("stdin", "input_reply", { value: "xyzzy" }, { parent: second });
    const reply = await k.reply(id);
    assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
    const result = (await k.outputs(id)).find((m) => m.header.msg_type === "execute_result");
    assert.equal(result?.content.data["text/plain"], "'Ada typed 5 characters'");
  });

  test("with allow_stdin false, input() rejects with StdinNotImplementedError and asks nothing", async () => {
    const asked = k.stdinMsgs.length;
    const r = await k.execute('import { input } from "zhist/kernel";\nawait input("never shown: ");');
    assert.equal(r.reply.content.status, "error");
    const err = r.out.find((m) => m.header.msg_type === "error")!.content;
    assert.equal(err.ename, "StdinNotImplementedError");
    assert.match(err.evalue, /does not support stdin.*allow_stdin false/);
    const caught = await k.execute(
      'import { input, StdinNotImplementedError } from "zhist/kernel";\nawait input("x").then(() => "answered", (e) => e instanceof StdinNotImplementedError)',
    );
    assert.equal(caught.out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "true");
    assert.equal(k.stdinMsgs.length, asked, "no input_request was sent");
  });

  test("an interrupt while input() waits fails the cell; a late reply is dropped and the kernel goes on", async () => {
    const id = await k.sendExecute('import { input } from "zhist/kernel";\nawait input("waiting: ")', { allow_stdin: true });
    const req = await k.inputRequest(id);
    const intr = await k.send("control", "interrupt_request", {});
    assert.equal((await k.reply(intr)).content.status, "ok");
    const reply = await k.reply(id);
    assert.equal(reply.content.status, "error");
    assert.match(String(reply.content.evalue), /interrupted/);
    await k.send("stdin", "input_reply", { value: "too late" }, { parent: req });
    await k.waitFor(() => /dropped an unexpected input_reply on stdin/.test(k.stderr), 5000, "the dropped reply in the kernel log");
    const next = await k.execute("2 + 3");
    assert.equal(next.out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "5");
  });

  test("a front end that allows stdin but has no stdin socket gets an error, not a cell waiting forever", async () => {
    const lone = new zmq.Dealer({ routingId: "no-stdin-here" });
    lone.connect(`tcp://127.0.0.1:${k.conn.shell_port}`);
    try {
      const header = newHeader("execute_request", "lone-session", "test");
      const code = 'import { input } from "zhist/kernel";\nawait input("anyone? ")';
      await lone.send(encode({ header, parent_header: {}, content: { code, silent: false, allow_stdin: true } }, k.conn.key));
      const [frames] = await Promise.race([lone.receive().then((f) => [f]), new Promise<never>((_, rej) => setTimeout(() => rej(new Error("no execute_reply")), 15000))]);
      const reply = decode(frames, k.conn.key);
      assert.equal(reply.header.msg_type, "execute_reply");
      assert.equal(reply.content.status, "error");
      assert.match(String(reply.content.evalue), /stdin channel cannot be reached/);
    } finally {
      lone.close();
    }
  });
});
