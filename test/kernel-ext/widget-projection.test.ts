// The widget's projection service on a store-backed histogram: the projected data (decoded from the
// Arrow buffers) equal in-memory slices of the same histogram, and only the chunks the view needs
// are read (all others are corrupted first).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { Hist, loc, rebin, sum } from "../../src/index.js";
import type { StoredHist } from "../../src/zarr/stored-hist.js";
import { CommRegistry } from "../../kernel-ext/comms.js";
import { HistWidget, arrowToRows, defaultControls, histInfo, validateControls, answerOf, project, type Controls } from "../../kernel-ext/widget/index.js";
import { listFiles, tempStore } from "../zarr/tmp.js";

const DATASETS = ["ttbar", "wjets", "data"];
const REGIONS = ["sr0", "sr1", "sr2"];
const SYSTS = ["nominal", "jes_up"];

/** Weights are multiples of 1/8: every sum is exact whatever the order of additions. */
function filled(): Hist {
  const h = Hist.new
    .StrCat(DATASETS, { name: "dataset" })
    .StrCat(REGIONS, { name: "region" })
    .StrCat(SYSTS, { name: "systematic" })
    .Reg(4, -2, 2, { name: "eta" })
    .Reg(20, 0, 200, { name: "pt", label: "p_T [GeV]" })
    .Weight();
  h.name = "ptHist";
  h.metadata = { analysis: "test", datasets: JSON.stringify({ ttbar: { data: false }, wjets: { data: false }, data: { data: true } }) };
  let s = 7;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const [d, dataset] of DATASETS.entries()) for (const region of REGIONS) for (const systematic of SYSTS) {
    const n = 300;
    const eta = Float64Array.from({ length: n }, () => -2.5 + 5 * next());
    const pt = Float64Array.from({ length: n }, () => 230 * next() * next());
    const weight = Float64Array.from({ length: n }, () => (dataset === "data" ? 1 : (1 + Math.floor(next() * 16)) / 8 + d));
    h.fill({ dataset, region, systematic, eta, pt, weight });
  }
  return h;
}

async function stored(h: Hist): Promise<{ z: StoredHist; dir: string }> {
  const root = tempStore();
  await h.save(root, "ptHist");
  const dir = path.join(root, "ptHist");
  return { z: (await Hist.open(dir)) as unknown as StoredHist, dir };
}

function rowsByName(a: { dataNames: string[]; data: Buffer[] }): Record<string, Record<string, unknown>[]> {
  return Object.fromEntries(a.dataNames.map((n, i) => [n, arrowToRows(a.data[i])]));
}

test("a stacked, range-cut, rebinned view of a stored histogram equals in-memory slices of it", async () => {
  const h = filled();
  const { z } = await stored(h);
  const info = histInfo(h);
  const controls = validateControls({
    x: "pt", y: null, range: [20, 160], rebin: 2, log: false,
    modes: { dataset: { mode: "stack", labels: [] }, region: { mode: "select", labels: ["sr1"] }, systematic: { mode: "select", labels: ["jes_up"] } },
  }, info);
  const answer = answerOf(await project(z, controls));
  assert.ok(!("datasets" in answer.spec), "the spec travels without its rows");
  assert.deepEqual(answer.dataNames, ["mc", "band", "data", "ratio", "ratioBand"]);
  const rows = rowsByName(answer);
  // The same view in memory, through the same code: identical rows.
  assert.deepEqual(rows, rowsByName(answerOf(await project(h, controls))));
  // And against hist's own slicing, written out by hand: [20, 160) in bins of 20 GeV.
  for (const dataset of ["ttbar", "wjets"]) {
    const want = h.slice({ dataset, region: "sr1", systematic: "jes_up", eta: sum, pt: [loc(20), loc(160), rebin(2)] });
    const got = rows.mc.filter((r) => r.series === dataset);
    assert.equal(got.length, 7);
    assert.deepEqual(got.map((r) => r.value), Array.from(want.values().data));
    assert.deepEqual(got.map((r) => r.variance), Array.from(want.variances()!.data));
    assert.deepEqual(got.map((r) => [Math.round(r.lo as number), Math.round(r.hi as number)]), [[20, 40], [40, 60], [60, 80], [80, 100], [100, 120], [120, 140], [140, 160]]);
  }
  const data = h.slice({ dataset: "data", region: "sr1", systematic: "jes_up", eta: sum, pt: [loc(20), loc(160), rebin(2)] });
  assert.deepEqual(rows.data.map((r) => r.value), Array.from(data.values().data));
  assert.equal(answer.nBins, 3 * 7, "n_bins: datasets x x-bins of the projected histogram");
});

test("several selected labels are summed; an overlay keeps only its listed labels", async () => {
  const h = filled();
  const { z } = await stored(h);
  const c = validateControls({
    x: "eta", y: null, range: null, rebin: 1, log: false,
    modes: { dataset: { mode: "overlay", labels: ["wjets", "ttbar"] }, region: { mode: "select", labels: ["sr0", "sr2"] }, systematic: { mode: "select", labels: ["nominal"] } },
  }, histInfo(h));
  const rows = rowsByName(answerOf(await project(z, c)));
  assert.deepEqual([...new Set(rows.steps.map((r) => r.series))], ["wjets", "ttbar"]);
  for (const dataset of ["wjets", "ttbar"]) {
    const a = h.slice({ dataset, region: "sr0", systematic: "nominal", pt: sum }).values().data;
    const b = h.slice({ dataset, region: "sr2", systematic: "nominal", pt: sum }).values().data;
    const got = rows.steps.filter((r) => r.series === dataset).map((r) => r.value);
    assert.deepEqual(got.slice(0, 4), Array.from(a, (v, i) => v + b[i]));
  }
});

test("a 2-D heatmap view of a store equals the in-memory projection", async () => {
  const h = filled();
  const { z } = await stored(h);
  const c = validateControls({ x: "pt", y: "eta", range: null, rebin: 4, log: false, modes: { dataset: { mode: "sum", labels: [] }, region: { mode: "sum", labels: [] }, systematic: { mode: "select", labels: ["nominal"] } } }, histInfo(h));
  const a = answerOf(await project(z, c));
  assert.deepEqual(a.dataNames, ["cells"]);
  const cells = arrowToRows(a.data[0]);
  assert.equal(cells.length, 5 * 4);
  const want = h.slice({ dataset: sum, region: sum, systematic: "nominal", pt: rebin(4) }).project("pt", "eta").values().data;
  assert.deepEqual(cells.map((r) => r.value), Array.from(want));
  assert.equal(a.nBins, 20);
});

test("a view reads only the chunks it needs: every other chunk is corrupt and the view still answers", async () => {
  const h = filled();
  const { z, dir } = await stored(h);
  // Chunks are c.<dataset>.<region>.<systematic>.0.0: keep region sr1 (1) with jes_up (1) only.
  let spoiled = 0;
  for (const field of ["values", "variances"]) {
    for (const f of listFiles(path.join(dir, "storage", field))) {
      const m = /^c\.(\d+)\.(\d+)\.(\d+)\./.exec(f);
      if (m && !(m[2] === "1" && m[3] === "1")) {
        fs.writeFileSync(path.join(dir, "storage", field, f), "not zstd");
        spoiled++;
      }
    }
  }
  assert.equal(spoiled, 2 * (3 * 3 * 2 - 3), "every key but the three datasets of sr1 / jes_up");
  const info = histInfo(h);
  const view = (region: string): Controls => validateControls({
    x: "pt", y: null, range: null, rebin: 1, log: true,
    modes: { dataset: { mode: "stack", labels: [] }, region: { mode: "select", labels: [region] }, systematic: { mode: "select", labels: ["jes_up"] } },
  }, info);
  const rows = rowsByName(answerOf(await project(z, view("sr1"))));
  const ttbar = h.slice({ dataset: "ttbar", region: "sr1", systematic: "jes_up", eta: sum }).values().data;
  assert.deepEqual(rows.mc.filter((r) => r.series === "ttbar").map((r) => r.value), Array.from(ttbar));
  // A view that needs a corrupt chunk says which.
  await assert.rejects(async () => project(z, view("sr0")), (e: Error) => /corrupt chunk c\.\d\.0\./.test(e.message));
});

test("the widget model over comms: opened with its first view, answers a change with Arrow buffers; bad controls get an error and keep the plot", async () => {
  const h = filled();
  const { z } = await stored(h);
  const sent: { type: string; content: Record<string, any>; buffers: Buffer[] }[] = [];
  const comms = new CommRegistry({ send: (type, content, buffers = []) => sent.push({ type, content: structuredClone(content), buffers }) });
  const w = await HistWidget.open(comms, z);
  const open = sent[0];
  assert.equal(open.type, "comm_open");
  const state = open.content.data.state;
  assert.equal(state._model_name, "HistModel");
  assert.equal(state._model_module, "zhist-widgets");
  assert.equal(state._model_module_version, "0.1.0");
  assert.equal(state.answered, 0);
  assert.equal(state.request, 0);
  assert.equal(state.busy, false);
  assert.equal(state.error, "");
  // Analysis conventions: MC stacked by dataset, nominal systematic, first region.
  assert.deepEqual(state.controls, defaultControls(histInfo(h), h.metadata));
  assert.deepEqual(state.controls.modes, { dataset: { mode: "stack", labels: [] }, region: { mode: "select", labels: ["sr0"] }, systematic: { mode: "select", labels: ["nominal"] } });
  assert.deepEqual(open.content.data.buffer_paths, state.data_names.map((_: string, i: number) => ["data", i]));
  assert.equal(open.buffers.length, state.data_names.length);
  assert.deepEqual(state.hist.axes.map((a: { name: string }) => a.name), ["dataset", "region", "systematic", "eta", "pt"]);
  assert.deepEqual(state.hist.axes[4], { name: "pt", label: "p_T [GeV]", kind: "regular", ordered: true, size: 20, lo: 0, hi: 200 });
  const bundle = (w as unknown as Record<symbol, () => Record<string, any>>)[Symbol.for("Jupyter.display")]();
  assert.equal(bundle["application/vnd.jupyter.widget-view+json"].model_id, w.modelId);
  assert.match(bundle["image/svg+xml"], /^<svg/);
  assert.ok(bundle["application/vnd.vegalite.v5+json"].datasets.mc.length > 0, "the fallback spec carries its rows");

  const controls = { ...state.controls, rebin: 5 };
  comms.message(w.modelId, { method: "update", state: { controls, request: 1 } }, []);
  await w.service.idle();
  const answers = sent.filter((m) => m.type === "comm_msg" && "answered" in m.content.data.state);
  assert.equal(answers.length, 1);
  const a = answers[0];
  assert.equal(a.content.data.state.answered, 1);
  assert.equal(a.content.data.state.busy, false);
  assert.equal(a.content.data.state.error, "");
  assert.equal(a.content.data.state.n_bins, 3 * 4);
  const mc = arrowToRows(a.buffers[a.content.data.state.data_names.indexOf("mc")]);
  const want = h.slice({ dataset: "wjets", region: "sr0", systematic: "nominal", eta: sum, pt: rebin(5) }).values().data;
  assert.deepEqual(mc.filter((r) => r.series === "wjets").map((r) => r.value), Array.from(want));
  assert.deepEqual(comms.widgets.get(w.modelId)!.state.controls, controls, "the kernel keeps the validated controls");

  const before = sent.length;
  comms.message(w.modelId, { method: "update", state: { controls: { ...controls, x: "mass" }, request: 2 } }, []);
  await w.service.idle();
  const err = sent.slice(before).at(-1)!;
  assert.equal(err.content.data.state.answered, 2);
  assert.equal(err.content.data.state.busy, false);
  assert.match(err.content.data.state.error, /controls\.x: the histogram has no axis "mass" \(axes: dataset, region, systematic, eta, pt\)/);
  assert.ok(!("spec" in err.content.data.state), "an error leaves spec and data as they were");
  assert.equal(comms.widgets.get(w.modelId)!.state.request, 2);
  assert.deepEqual(comms.widgets.get(w.modelId)!.state.controls, controls, "rejected controls are not kept");
});

test("categories a fill grows into the store while the widget is open reach the front end with the next answer", async () => {
  const h = Hist.new.StrCat([], { name: "dataset", growth: true }).Reg(10, 0, 100, { name: "pt" }).Weight();
  h.fill({ dataset: "ttbar", pt: [5, 15, 25] });
  const root = tempStore();
  await h.save(root, "g");
  const z = (await Hist.open(path.join(root, "g"))) as unknown as StoredHist;
  const sent: { content: Record<string, any>; buffers: Buffer[] }[] = [];
  const comms = new CommRegistry({ send: (_t, content, buffers = []) => sent.push({ content: structuredClone(content), buffers }) });
  const w = await HistWidget.open(comms, z);
  assert.deepEqual(sent[0].content.data.state.hist.axes[0].labels, ["ttbar"]);
  const writer = (await Hist.open(path.join(root, "g"))) as unknown as StoredHist;
  await writer.fill({ dataset: "zjets", pt: [55, 65] });
  const controls = { x: "pt", y: null, modes: { dataset: { mode: "overlay", labels: [] } }, range: null, rebin: 1, log: false };
  comms.message(w.modelId, { method: "update", state: { controls, request: 1 } }, []);
  await w.service.idle();
  const answer = sent.at(-1)!.content.data.state;
  assert.equal(answer.answered, 1);
  assert.deepEqual(answer.hist.axes[0].labels, ["ttbar", "zjets"]);
  const steps = arrowToRows(sent.at(-1)!.buffers[answer.data_names.indexOf("steps")]);
  assert.deepEqual([...new Set(steps.map((r) => r.series))], ["ttbar", "zjets"]);
  // The new label is now valid in controls.
  comms.message(w.modelId, { method: "update", state: { controls: { ...controls, modes: { dataset: { mode: "select", labels: ["zjets"] } } }, request: 2 } }, []);
  await w.service.idle();
  const second = sent.at(-1)!.content.data.state;
  assert.equal(second.error, "");
  assert.ok(!("hist" in second), "hist is sent only when it changed");
});
