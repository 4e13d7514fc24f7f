// The histogram widget over the real wire: a cell calls .widget() on a store-backed histogram, the
// front end (this client) receives comm_open with the model state and Arrow buffers and the display
// with the static fallback, sends an `update {controls, request}` comm_msg and decodes the new data.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { tableFromIPC } from "apache-arrow";
import { Hist, loc, rebin, sum } from "../../src/index.js";
import type { Message } from "../../kernel-ext/wire.js";
import { KernelClient } from "./client.js";

// The same histogram in the cell and here: deterministic fills, exact sums (weights in 1/4).
const FILL = `
const h = Hist.new.StrCat(["ttbar", "wjets", "data"], { name: "dataset" }).StrCat(["sr0", "sr1"], { name: "region" })
  .Reg(20, 0, 200, { name: "pt", label: "p_T [GeV]" }).Weight();
h.name = "pt";
for (const [d, dataset] of ["ttbar", "wjets", "data"].entries()) for (const [r, region] of ["sr0", "sr1"].entries()) {
  const pt = Array.from({ length: 400 }, (_, i) => (i * 37 + 11 * d + 5 * r) % 230);
  const weight = pt.map((_, i) => (dataset === "data" ? 1 : 0.25 * (1 + ((i + d) % 4))));
  h.fill({ dataset, region, pt, weight });
}`;

function referenceHist(): Hist {
  // eslint-disable-next-line no-new-func
  return new Function("Hist", `${FILL}\nreturn h;`)(Hist) as Hist;
}

function decode(buf: Buffer | Uint8Array): Record<string, unknown>[] {
  return tableFromIPC(buf).toArray().map((r) => ({ ...r.toJSON() }));
}

describe("histogram widget over the kernel's comms", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start();
  });
  after(async () => {
    await k?.stop();
  });

  const commMsgs = (id: string) => k.iopubMsgs.filter((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === id);

  async function change(id: string, controls: Record<string, unknown>, request: number): Promise<Message> {
    await k.send("shell", "comm_msg", { comm_id: id, data: { method: "update", state: { controls, request }, buffer_paths: [] } });
    await k.waitFor(() => commMsgs(id).some((m) => m.content.data.state.answered === request), 15000, `the answer to request ${request}`);
    return commMsgs(id).find((m) => m.content.data.state.answered === request)!;
  }

  test("z.widget(): comm_open with the first projection and its Arrow buffers, the display with the static fallback; a control change answers with new data", { timeout: 90000 }, async () => {
    const { reply, out } = await k.execute(`import { Hist } from "zhist";\n${FILL}\nawait h.save("store", "pt");\nconst z = await Hist.open("store/pt");\nawait z.widget({ select: { region: "sr1" } });`, 60000);
    assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
    const open = out.find((m) => m.header.msg_type === "comm_open" && m.content.data?.state?._model_name === "HistModel");
    assert.ok(open, "the widget model is opened");
    assert.equal(open.content.target_name, "jupyter.widget");
    const id = open.content.comm_id as string;
    const state = open.content.data.state;
    assert.equal(state._model_module, "zhist-widgets");
    assert.equal(state._view_name, "HistView");
    assert.deepEqual(state.controls, { x: "pt", y: null, modes: { dataset: { mode: "sum", labels: [] }, region: { mode: "select", labels: ["sr1"] } }, range: null, rebin: 1, log: false });
    assert.equal(state.n_bins, 20);
    assert.deepEqual(open.content.data.buffer_paths, state.data_names.map((_: string, i: number) => ["data", i]));
    assert.equal(open.buffers?.length, state.data_names.length);
    const ref = referenceHist();
    assert.deepEqual(state.data_names, ["steps", "band"]);
    const steps = decode(open.buffers![0]);
    const want0 = Array.from(ref.slice({ dataset: sum, region: "sr1" }).values().data);
    assert.deepEqual(steps.slice(0, 20).map((r) => r.value), want0, "the first view's data: all datasets summed, region sr1");

    const shown = out.find((m) => m.header.msg_type === "display_data" && m.content.data["application/vnd.jupyter.widget-view+json"]);
    assert.ok(shown, "the widget is displayed");
    assert.equal(shown.content.data["application/vnd.jupyter.widget-view+json"].model_id, id);
    assert.match(shown.content.data["image/svg+xml"], /^<svg/);
    assert.ok(shown.content.data["application/vnd.vegalite.v5+json"].datasets, "the fallback Vega-Lite spec carries its rows");
    assert.match(shown.content.data["text/plain"], /StoredHist/);

    // The front end changes the view: stack the datasets, x cut to [0, 100) in bins of 20.
    const controls = { x: "pt", y: null, modes: { dataset: { mode: "stack", labels: [] }, region: { mode: "select", labels: ["sr0"] } }, range: [0, 100], rebin: 2, log: false };
    const answer = await change(id, controls, 1);
    const s = answer.content.data.state;
    assert.equal(s.error, "");
    assert.equal(s.busy, false);
    assert.equal(s.n_bins, 3 * 5);
    assert.ok(!("datasets" in s.spec));
    assert.deepEqual(answer.content.data.buffer_paths, s.data_names.map((_: string, i: number) => ["data", i]));
    assert.equal(answer.buffers?.length, s.data_names.length);
    const mc = decode(answer.buffers![s.data_names.indexOf("mc")]);
    for (const dataset of ["ttbar", "wjets"]) {
      const rows = mc.filter((r) => r.series === dataset);
      assert.equal(rows.length, 5, "five bins of 20 GeV in [0, 100)");
      assert.deepEqual(rows.map((r) => r.value), Array.from(ref.slice({ dataset, region: "sr0", pt: [loc(0), loc(100), rebin(2)] }).values().data));
    }
    const data = decode(answer.buffers![s.data_names.indexOf("data")]);
    assert.deepEqual(data.map((r) => r.value), Array.from(ref.slice({ dataset: "data", region: "sr0", pt: [loc(0), loc(100), rebin(2)] }).values().data));
    assert.ok(commMsgs(id).some((m) => m.content.data.state.busy === true), "busy while projecting");

    // A bad change: an error for that request, no data.
    const bad = await change(id, { ...controls, modes: { region: { mode: "select", labels: ["sr7"] } } }, 2);
    assert.match(bad.content.data.state.error, /"sr7" is not a label of region \(labels: sr0, sr1\)/);
    assert.equal(bad.buffers?.length ?? 0, 0);

    // The widget manager's request_states returns the model with its newest buffers.
    const ctl = "ctl-" + Date.now();
    await k.send("shell", "comm_open", { comm_id: ctl, target_name: "jupyter.widget.control", data: {} });
    await k.send("shell", "comm_msg", { comm_id: ctl, data: { method: "request_states" } });
    await k.waitFor(() => k.iopubMsgs.some((m) => m.content.comm_id === ctl && m.content.data?.method === "update_states"), 10000, "update_states");
    const states = k.iopubMsgs.find((m) => m.content.comm_id === ctl && m.content.data?.method === "update_states")!;
    const mine = states.content.data.states[id];
    assert.equal(mine.model_name, "HistModel");
    assert.equal(mine.state.answered, 2);
    assert.equal(mine.state.n_bins, 15);
    const paths = (states.content.data.buffer_paths as (string | number)[][]).map((p, i) => [p, i] as const).filter(([p]) => p[0] === id);
    assert.equal(paths.length, mine.state.data_names.length);
    const mcAgain = paths.find(([p]) => p[3] === mine.state.data_names.indexOf("mc"))!;
    assert.deepEqual(decode(states.buffers![mcAgain[1]]), mc);
  });

  test("%plot STORE --stack dataset --widget shows the widget from the magic's view", { timeout: 60000 }, async () => {
    const { reply, out } = await k.execute(`%plot store/pt region=sr1 --stack dataset --log --widget`, 30000);
    assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
    const open = out.find((m) => m.header.msg_type === "comm_open" && m.content.data?.state?._model_name === "HistModel");
    assert.ok(open);
    assert.deepEqual(open.content.data.state.controls.modes, { dataset: { mode: "stack", labels: [] }, region: { mode: "select", labels: ["sr1"] } });
    assert.equal(open.content.data.state.controls.log, true);
    const shown = out.find((m) => m.header.msg_type === "display_data");
    assert.equal(shown?.content.data["application/vnd.jupyter.widget-view+json"]?.model_id, open.content.comm_id);
    assert.match(shown?.content.data["image/svg+xml"], /^<svg/);
  });

  test("h.widget() on an in-memory histogram: shown at once, answers changes", { timeout: 60000 }, async () => {
    const { reply, out } = await k.execute(`h.widget({ overlay: "region" })`, 30000);
    assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
    assert.ok(!out.some((m) => m.header.msg_type === "execute_result"), "widget() returns nothing to show twice");
    const open = out.find((m) => m.header.msg_type === "comm_open" && m.content.data?.state?._model_name === "HistModel")!;
    assert.deepEqual(open.content.data.state.controls.modes.region, { mode: "overlay", labels: [] });
    const answer = await change(open.content.comm_id, { ...open.content.data.state.controls, range: [50, 150] }, 1);
    const st = answer.content.data.state;
    const steps = decode(answer.buffers![st.data_names.indexOf("steps")]);
    // Step lines: one point per bin and the last bin's right edge, per region.
    assert.equal(steps.filter((r) => r.series === "sr0").length, 10 + 1);
    assert.deepEqual(steps.filter((r) => r.series === "sr1").slice(0, 10).map((r) => r.value), Array.from(referenceHist().slice({ dataset: sum, region: "sr1", pt: [loc(50), loc(150)] }).values().data));
  });
});
