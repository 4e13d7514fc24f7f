// %fill shows its progress as one output of its own cell, updated in place by display id, and
// nothing of it reaches the cells that run after it.
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { KernelClient } from "./client.js";

const data = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "shared", "data");

test("%fill progress: an IntProgress widget and a text line in one output, updated by comm and display id, in the fill's cell only", { timeout: 90000 }, async () => {
  const k = await KernelClient.start();
  try {
    const cell = [
      `%dataset dy ${path.join(data, "nano_dy.root")} --xsec 2 --lumi 3`,
      `%dataset opendata ${path.join(data, "open-data-example.root")} --data`,
      "%define goodMu = Muon[Muon.pt > 10]",
      "%hist n Int(0, 5) = count(goodMu)",
      "%fill --workers 1",
    ].join("\n");
    const { reply, out } = await k.execute(cell, 60000);
    assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
    const shown = out.filter((m) => m.header.msg_type === "display_data" && m.content.transient?.display_id?.startsWith("zhist-fill-"));
    assert.equal(shown.length, 1, "one progress output");
    const id = shown[0].content.transient.display_id;
    assert.match(shown[0].content.data["text/html"], /<progress /);
    const updates = out.filter((m) => m.header.msg_type === "update_display_data" && m.content.transient?.display_id === id);
    const last = updates.at(-1) ?? shown[0];
    assert.match(last.content.data["text/plain"], /fill: 100,040 \/ 100,040 events \(100%\).*done in/);
    assert.match(last.content.data["text/plain"], /dy 100%, opendata 100%/);

    // The ipywidgets IntProgress behind the same output: opened over a jupyter.widget comm, moved to the end.
    const view = shown[0].content.data["application/vnd.jupyter.widget-view+json"];
    assert.ok(view?.model_id, "the output holds a widget view");
    const opened = out.find((m) => m.header.msg_type === "comm_open" && m.content.comm_id === view.model_id);
    assert.equal(opened?.content.target_name, "jupyter.widget");
    assert.equal(opened?.content.data.state._model_name, "IntProgressModel");
    assert.match(opened?.content.data.state.layout, /^IPY_MODEL_/);
    const moves = out.filter((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === view.model_id);
    assert.deepEqual(moves.at(-1)?.content.data.state, { value: 1000, bar_style: "success", description: "done" });

    const next = await k.execute("1 + 1");
    assert.equal(next.out.filter((m) => /display_data/.test(m.header.msg_type)).length, 0, "nothing leaks into the next cell");
  } finally {
    await k.stop();
  }
});
