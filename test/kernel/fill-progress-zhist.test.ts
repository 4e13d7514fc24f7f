// %fill's progress bar where the zhist front end is: the kernel opens a ProbeModel, the front end
// answers it (as widgets/src/progress.ts does), and the fill then shows zhist's ProgressModel; the
// probe is closed and asked only once per kernel.
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { KernelClient } from "./client.js";

const data = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "shared", "data");

test("%fill progress: a zhist ProgressModel when the front end answers the probe", { timeout: 90000 }, async () => {
  const k = await KernelClient.start();
  try {
    // The front end: answers the probe's comm_open with a custom message, as ProbeModel.initialize does.
    let answered = 0;
    const front = k.waitFor(() => k.iopubMsgs.some((m) => m.header.msg_type === "comm_open" && m.content.data?.state?._model_name === "ProbeModel"), 60000, "the probe").then(async () => {
      const probe = k.iopubMsgs.find((m) => m.header.msg_type === "comm_open" && m.content.data?.state?._model_name === "ProbeModel")!;
      assert.equal(probe.content.data.state._model_module, "zhist-widgets");
      // Parented to no cell: nbclient, which saves a cell's widget states even once closed, skips it.
      assert.equal(probe.parent_header.msg_id, undefined);
      await k.send("shell", "comm_msg", { comm_id: probe.content.comm_id, data: { method: "custom", content: { type: "present", version: "0.1.0" } } });
      answered++;
      return probe.content.comm_id as string;
    });
    const cell = [
      `%dataset dy ${path.join(data, "nano_dy.root")} --xsec 2 --lumi 3`,
      "%define goodMu = Muon[Muon.pt > 10]",
      "%hist n Int(0, 5) = count(goodMu)",
      "%fill --workers 1",
    ].join("\n");
    const { reply, out } = await k.execute(cell, 60000);
    assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
    const probeId = await front;
    assert.equal(answered, 1);
    // Closed while handling the answer (so parented to it, not to the cell).
    assert.ok(k.iopubMsgs.some((m) => m.header.msg_type === "comm_close" && m.content.comm_id === probeId), "the probe is closed");

    const shown = out.filter((m) => m.header.msg_type === "display_data" && m.content.transient?.display_id?.startsWith("zhist-fill-"));
    assert.equal(shown.length, 1, "one progress output");
    assert.match(shown[0].content.data["text/html"], /<progress /, "the text/HTML fallback stays");
    const view = shown[0].content.data["application/vnd.jupyter.widget-view+json"];
    const opened = out.find((m) => m.header.msg_type === "comm_open" && m.content.comm_id === view?.model_id);
    assert.equal(opened?.content.data.state._model_module, "zhist-widgets");
    assert.equal(opened?.content.data.state._model_name, "ProgressModel");
    assert.equal(opened?.content.data.state._view_name, "ProgressView");
    assert.ok(!out.some((m) => m.header.msg_type === "comm_open" && m.content.data?.state?._model_name === "IntProgressModel"), "no IntProgress");
    const moves = out.filter((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === view.model_id);
    const end = { ...opened!.content.data.state, ...Object.assign({}, ...moves.map((m) => m.content.data.state)) };
    assert.equal(end.value, 1000);
    assert.equal(end.max, 1000);
    assert.equal(end.bar_style, "success");
    assert.equal(end.description, "done");
    assert.match(end.text, /^fill: ([\d,]+) \/ \1 events \(100%\).*done in/);
    assert.equal(end.text, shown.concat(out.filter((m) => m.header.msg_type === "update_display_data")).at(-1)!.content.data["text/plain"], "the same line as the text fallback");

    // The answer is kept: a second fill shows the ProgressModel at once, without a new probe.
    const again = await k.execute("%fill --workers 1", 60000);
    assert.equal(again.reply.content.status, "ok", JSON.stringify(again.reply.content));
    assert.ok(!again.out.some((m) => m.header.msg_type === "comm_open" && m.content.data?.state?._model_name === "ProbeModel"), "no second probe");
    assert.ok(again.out.some((m) => m.header.msg_type === "comm_open" && m.content.data?.state?._model_name === "ProgressModel"));
  } finally {
    await k.stop();
  }
});
