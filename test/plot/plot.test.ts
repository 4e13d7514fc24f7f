import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Hist } from "../../src/index.js";
import { DISPLAY, defaultView, displayBundle, histSpec, plot, summary, toPNG, toSVG, toSVGSync } from "../../src/plot/index.js";

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps * Math.max(1, Math.abs(b)), `${a} != ${b}`);

/** dataset x region x mass: two MC samples with weights, one data sample with unit weights. */
function sample(): Hist {
  const h = Hist.new
    .StrCat([], { name: "dataset", growth: true })
    .StrCat(["SR", "CR"], { name: "region" })
    .Reg(4, 0, 100, { name: "mass", label: "m_{μμ} [GeV]" })
    .Weight();
  h.fill({ dataset: "dy", region: "SR", mass: [10, 10, 30, 60, 90], weight: 2 });
  h.fill({ dataset: "ttbar", region: "SR", mass: [30, 60, 60], weight: 0.5 });
  h.fill({ dataset: "ttbar", region: "CR", mass: [30], weight: 7 });
  h.fill({ dataset: "data", region: "SR", mass: [10, 30, 30, 60, 60, 95] });
  h.metadata.datasets = JSON.stringify({ dy: { data: false }, ttbar: { data: false }, data: { data: true } });
  return h;
}

function countMarks(svg: string, cls: string): number {
  // Each mark group holds one element per item: <g class="mark-rect role-mark ..."><path .../>...</g>
  let n = 0;
  const re = new RegExp(`<g class="mark-${cls} role-mark[^"]*"[^>]*>(.*?)</g>`, "gs");
  for (const m of svg.matchAll(re)) n += (m[1].match(/<(path|line)\b/g) ?? []).length;
  return n;
}

function axisTitles(svg: string): string[] {
  return [...svg.matchAll(/role-axis-title[^>]*>.*?<text[^>]*>([^<]*)<\/text>/gs)].map((m) => m[1]);
}

describe("histSpec", () => {
  test("1-D step plot: bins, axis title from the axis label, band from the variances", () => {
    const h = sample().project("mass");
    const spec = histSpec(h);
    assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
    const steps = spec.datasets.steps;
    assert.deepEqual(steps.map((r: { x: number }) => r.x), [0, 25, 50, 75, 100]);
    // mass bins: [0,25): dy 2+2, data 1; [25,50): dy 2, tt .5+7, data 2; ...
    assert.deepEqual(steps.map((r: { value: number }) => r.value), [5, 11.5, 5, 3, 3]);
    const line = spec.layer.find((l: { mark: { type: string } }) => l.mark.type === "line");
    assert.equal(line.encoding.x.title, "m_{μμ} [GeV]");
    assert.equal(line.encoding.y.title, "Events");
    const band = spec.datasets.band;
    const v = h.variances()!.data;
    band.forEach((r: { total: number; up: number; down: number }, i: number) => {
      close(r.up, r.total + Math.sqrt(v[i]));
      close(r.down, r.total - Math.sqrt(v[i]));
    });
  });

  test("stacked MC by dataset, data points with errors, band and ratio panel", () => {
    const h = sample().slice({ region: "SR" });
    const spec = histSpec(h, { stack: "dataset" });
    assert.ok(Array.isArray(spec.vconcat) && spec.vconcat.length === 2);
    const mc = spec.datasets.mc;
    assert.deepEqual([...new Set(mc.map((r: { series: string }) => r.series))], ["dy", "ttbar"]);
    const top = (s: string) => mc.filter((r: { series: string }) => r.series === s).map((r: { y1: number }) => r.y1);
    assert.deepEqual(top("dy"), [4, 2, 2, 2]);
    assert.deepEqual(top("ttbar"), [4, 2.5, 3, 2]); // stacked sums: dy + ttbar
    assert.deepEqual(mc.filter((r: { series: string }) => r.series === "ttbar").map((r: { y0: number }) => r.y0), [4, 2, 2, 2]);
    const data = spec.datasets.data;
    assert.deepEqual(data.map((r: { value: number }) => r.value), [1, 2, 2, 1]);
    assert.deepEqual(data.map((r: { center: number }) => r.center), [12.5, 37.5, 62.5, 87.5]);
    data.forEach((r: { value: number; error: number }) => close(r.error, Math.sqrt(r.value)));
    // band: total MC ± sqrt(sum of variances): bin 1 has dy w=2 once (4) and tt w=.5 once (.25)
    close(spec.datasets.band[1].up, 2.5 + Math.sqrt(4.25));
    const ratio = spec.datasets.ratio;
    assert.deepEqual(ratio.map((r: { ratio: number }) => r.ratio), [1 / 4, 2 / 2.5, 2 / 3, 1 / 2]);
    close(ratio[1].up - ratio[1].ratio, Math.sqrt(2) / 2.5);
    close(spec.datasets.ratioBand[0].up, 1 + Math.sqrt(8) / 4);
    assert.equal(spec.vconcat[1].layer[0].encoding.x.title, "m_{μμ} [GeV]");
  });

  test("data labels given explicitly, no ratio when asked, log scale floors zeros", () => {
    const h = sample().slice({ region: "CR" });
    const spec = histSpec(h, { stack: "dataset", data: ["data"], ratio: false, log: true });
    assert.equal(spec.vconcat, undefined);
    assert.equal(spec.layer[0].encoding.y.scale.type, "log");
    for (const r of spec.datasets.mc) assert.ok(r.y0 > 0 && r.y1 > 0);
    assert.deepEqual(spec.datasets.data, []); // no data in CR: nothing to draw on a log scale
  });

  test("overlay by dataset and a 2-D heatmap", () => {
    const h = sample();
    const spec = histSpec(h.project("dataset", "mass"), { overlay: "dataset" });
    assert.deepEqual([...new Set(spec.datasets.steps.map((r: { series: string }) => r.series))], ["dy", "ttbar", "data"]);
    const h2 = Hist.new.Reg(2, 0, 2, { name: "x", label: "X" }).Reg(3, 0, 3, { name: "y", label: "Y" }).Double();
    h2.fill({ x: [0.5, 1.5, 1.5], y: [0.5, 2.5, 2.5] });
    const heat = histSpec(h2);
    assert.equal(heat.mark.type, "rect");
    assert.equal(heat.encoding.x.title, "X");
    assert.equal(heat.encoding.y.title, "Y");
    const cell = (x: number, y: number) => heat.datasets.cells.find((c: { xlo: number; ylo: number }) => c.xlo === x && c.ylo === y).value;
    assert.equal(cell(0, 0), 1);
    assert.equal(cell(1, 2), 2);
    assert.equal(heat.datasets.cells.length, 6);
  });

  test("category and variable x axes: bars by label, steps at the variable edges", async () => {
    const cut = Hist.new.StrCat(["all", "2mu", "os"], { name: "cut", label: "selection" }).StrCat([], { name: "dataset", growth: true }).Weight();
    cut.fill({ cut: ["all", "all", "2mu", "os"], dataset: "dy" });
    cut.fill({ cut: ["all", "2mu"], dataset: "data" });
    const bars = histSpec(cut, { axis: "cut", overlay: "dataset" });
    assert.equal(bars.layer.at(-1).encoding.x.type, "nominal");
    assert.deepEqual(bars.layer.at(-1).encoding.x.sort, ["all", "2mu", "os"]);
    assert.deepEqual(bars.datasets.bins.map((r: { value: number }) => r.value), [2, 1, 1, 1, 1, 0]);
    const stacked = histSpec(cut, { axis: "cut", stack: "dataset", data: ["data"] });
    assert.deepEqual(stacked.datasets.ratio.map((r: { ratio: number }) => r.ratio), [0.5, 1, 0]);
    assert.equal(countMarks(await toSVG(stacked), "rect"), 3 + 3 + 3);
    const v = Hist.new.Var([0, 1, 5, 20], { name: "pt", label: "p_T" }).Double().fill({ pt: [0.5, 2, 3, 10] });
    assert.deepEqual(histSpec(v).datasets.steps.map((r: { x: number; value: number }) => [r.x, r.value]), [[0, 1], [1, 2], [5, 1], [20, 1]]);
    assert.equal(histSpec(v).datasets.band.length, 3); // a double storage knows its variances (= counts)
  });

  test("refuses a stack axis that is not a category", () => {
    assert.throws(() => histSpec(sample(), { stack: "mass", axis: "mass" }), /plotted axis/);
  });
});

describe("rendering and display", () => {
  test("SVG of a stacked plot: one rect per MC bin, error bars, axis titles", async () => {
    const h = sample().slice({ region: "SR" });
    const svg = await toSVG(histSpec(h, { stack: "dataset" }));
    assert.match(svg, /^<svg/);
    // 2 samples x 4 bins stacked + 4 band rects + 4 ratio band rects
    assert.equal(countMarks(svg, "rect"), 8 + 4 + 4);
    assert.equal(countMarks(svg, "symbol"), 4 + 4); // data points, ratio points
    const titles = axisTitles(svg);
    assert.ok(titles.includes("m_{μμ} [GeV]") || titles.includes("m_{μμ} [GeV]".replace("μ", "&#956;")), titles.join("|"));
    assert.ok(titles.includes("Events"));
    assert.ok(titles.includes("Data / MC"));
  });

  test("displayBundle: SVG, Vega-Lite v5 and a readable summary; Hist and Plot display", async () => {
    const h = sample();
    const b = await displayBundle(h.project("mass"));
    assert.deepEqual(Object.keys(b).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
    assert.match(b["image/svg+xml"], /<svg/);
    assert.equal(countMarks(b["image/svg+xml"], "line"), 1);
    const text = summary(h);
    assert.match(text, /dataset: str category \[dy, ttbar, data\]/);
    assert.match(text, /region: str category \[SR, CR\]/);
    assert.match(text, /mass "m_\{μμ\} \[GeV\]": regular, 4 bins from 0 to 100/);
    assert.match(text, /total: 24\.5 ±/);
    assert.match(text, /per dataset: dy=10, ttbar=8\.5, data=6/);
    const viaHist = await (h as unknown as { [DISPLAY](): Promise<{ "text/plain": string }> })[DISPLAY]();
    assert.equal(viaHist["text/plain"], text);
    const p = plot(h.slice({ region: "SR" }), { stack: "dataset", log: true });
    const viaPlot = await p[DISPLAY]();
    assert.equal(viaPlot["application/vnd.vegalite.v5+json"].vconcat[0].layer[0].encoding.y.scale.type, "log");
  });

  test("the synchronous SVG equals vega's own toSVG; display returns a bundle, not a promise", async () => {
    const h = sample();
    const h2 = Hist.new.Reg(2, 0, 2, { name: "x" }).Reg(3, 0, 3, { name: "y" }).Double().fill({ x: [0.5], y: [1.5] });
    for (const spec of [histSpec(h.project("mass")), histSpec(h.slice({ region: "SR" }), { stack: "dataset", log: true }), histSpec(h2), histSpec(h.project("dataset", "mass"), { overlay: "dataset" })]) {
      // Gradient ids come from a process-wide counter: equal up to their numbers.
      const ids = (svg: string) => svg.replace(/gradient_\d+/g, "gradient");
      assert.equal(ids(toSVGSync(spec)), ids(await toSVG(spec)));
    }
    const bundle = (h as unknown as { [DISPLAY](): unknown })[DISPLAY]();
    assert.ok(!(bundle instanceof Promise));
    assert.match((bundle as { "image/svg+xml": string })["image/svg+xml"], /^<svg/);
  });

  test("PNG through resvg: a PNG of the SVG's size times the scale", async () => {
    const svg = await toSVG(histSpec(sample().project("mass"), { width: 200, height: 100 }));
    const png = await toPNG(svg, 2);
    assert.ok(png, "@resvg/resvg-js is a dependency");
    assert.deepEqual(Array.from(png!.subarray(0, 8)), [137, 80, 78, 71, 13, 10, 26, 10]);
    const width = Buffer.from(png!).readUInt32BE(16);
    const svgWidth = Number(/width="(\d+)"/.exec(svg)![1]);
    assert.equal(width, svgWidth * 2);
  });

  test("an analysis histogram displays nominal, stacked by dataset, first label of other categories", async () => {
    const h = Hist.new
      .StrCat(["dy", "data"], { name: "dataset" })
      .StrCat(["os", "all"], { name: "charge" })
      .StrCat(["nominal", "w_up", "w_down"], { name: "systematic" })
      .Reg(2, 0, 2, { name: "x", label: "X" })
      .Weight();
    h.fill({ dataset: "dy", charge: "os", systematic: "nominal", x: [0.5, 1.5], weight: 2 });
    h.fill({ dataset: "dy", charge: "os", systematic: "w_up", x: [0.5], weight: 100 });
    h.fill({ dataset: "data", charge: "os", systematic: "nominal", x: [0.5] });
    h.fill({ dataset: "data", charge: "all", systematic: "nominal", x: [0.5], weight: 50 });
    h.metadata = { analysis: "abc", datasets: JSON.stringify({ dy: { data: false }, data: { data: true } }) };
    const v = defaultView(h);
    assert.deepEqual(v.selected, { charge: "os", systematic: "nominal" });
    assert.deepEqual(v.hist.axes.map((a) => a.name), ["dataset", "x"]);
    assert.equal(v.options.stack, "dataset");
    const b = await displayBundle(h);
    const spec = b["application/vnd.vegalite.v5+json"];
    assert.deepEqual(spec.datasets.mc.map((r: { y1: number }) => r.y1), [2, 2]);
    assert.deepEqual(spec.datasets.data.map((r: { value: number }) => r.value), [1, 0]);
    assert.match(spec.title, /charge=os, systematic=nominal/);
    // A histogram made by hand keeps hist's convention: other axes summed.
    assert.deepEqual(defaultView(sample()).selected, {});
  });
});
