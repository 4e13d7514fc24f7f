// The histogram widget end to end: `zhist install --prefix` (kernelspec and prebuilt labextension),
// a real JupyterLab 4 and Notebook 7 from pip on 127.0.0.1, Debian's chromium driven by
// playwright-core. The demo notebook runs whole in JupyterLab; its widget must draw the stored
// histogram's bins and answer control changes with new projections. Screenshots land in
// out/test-artifacts/widgets/.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { pythonExecutable } from "../helpers/python.js";
import { CHROMIUM, haveChromium, launchChromium } from "./browser.js";
import { type JupyterServer, startJupyter } from "./jupyter-server.js";
import { type App, dismissNews, drawnWidget, openNotebook, runAllCells } from "./notebook-page.js";

// Callbacks of page.evaluate run in the browser; the root tsconfig has no DOM lib.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const artifacts = path.join(root, "out", "test-artifacts", "widgets");
let work: string;
let tmp: string;
let jupyterPath: string;
let browser: Browser;

before(async () => {
  assert.ok(haveChromium(), `no chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set ZHIST_CHROMIUM`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-widgets-"));
  const inst = spawnSync(process.execPath, [path.join(root, "dist", "src", "cli.js"), "install", "--prefix", path.join(tmp, "prefix")], { encoding: "utf8" });
  assert.equal(inst.status, 0, inst.stderr);
  jupyterPath = path.join(tmp, "prefix", "share", "jupyter");
  // The demo reads ../../shared/data: its notebook runs one level below the repository root, in a
  // directory of its own (several test runs may share the working tree).
  work = fs.mkdtempSync(path.join(root, "test-output-widgets-"));
  fs.mkdirSync(artifacts, { recursive: true });
  fs.copyFileSync(path.join(root, "notebooks", "demo.ipynb"), path.join(work, "demo.ipynb"));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("zhist install --prefix: jupyter labextension list shows zhist-widgets enabled", () => {
  const ext = path.join(jupyterPath, "labextensions", "zhist-widgets");
  assert.equal(JSON.parse(fs.readFileSync(path.join(ext, "install.json"), "utf8")).packageName, "zhist");
  assert.equal(JSON.parse(fs.readFileSync(path.join(ext, "package.json"), "utf8")).name, "zhist-widgets");
  const list = spawnSync(pythonExecutable(), ["-m", "jupyterlab.labextensions", "list"], { encoding: "utf8", env: { ...process.env, JUPYTER_PATH: jupyterPath } });
  assert.equal(list.status, 0, list.stderr);
  // The list goes to stderr, colored.
  const out = (list.stdout + list.stderr).replace(/\x1b\[[0-9;]*m/g, "");
  assert.match(out, /zhist-widgets v0\.1\.0 enabled OK/);
  assert.match(out, /@jupyter-widgets\/jupyterlab-manager v\S+ enabled OK/, "the widget manager (jupyterlab_widgets)");
});

/** A page that fails the test on any uncaught error in it, and a server for `app`. */
async function session(app: App): Promise<{ page: Page; server: JupyterServer; errors: string[] }> {
  const server = await startJupyter({ app, rootDir: work, jupyterPath, scratch: path.join(tmp, `scratch-${app}`) });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors: string[] = [];
  // Errors of our extension's code (Notebook 7's own core logs a settings error of its own).
  page.on("pageerror", (e) => {
    if (/zhist/.test(`${e.message}\n${e.stack}`)) errors.push(e.message);
  });
  page.on("console", (m) => {
    if (m.type() === "error" && /zhist|widget|comm/i.test(m.text())) errors.push(m.text());
  });
  return { page, server, errors };
}

async function shot(page: Page, name: string): Promise<void> {
  await dismissNews(page);
  const widget = page.locator(".zhist-widget").last();
  await widget.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifacts, name) });
}

test("JupyterLab 4: the demo notebook's widget draws the stored mll histogram and answers control changes", { timeout: 420000 }, async () => {
  const { page, server, errors } = await session("jupyterlab");
  try {
    const started = Date.now();
    await openNotebook(page, server, "jupyterlab", "demo.ipynb");
    await runAllCells(page);
    // %fill runs first: the widget of the last cell draws once the whole notebook has run.
    const first = await drawnWidget(page, 0, 0, 360000);
    console.log(`# JupyterLab: demo run to first widget plot in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // %hist mll Reg(30, 60, 120): 30 bins along x, stacked by dataset (two data sets drawn as points).
    assert.equal(first.xBins, 30, JSON.stringify(first));
    assert.deepEqual(first.series, ["dy"], "the MC stack (the two data sets are the points)");
    assert.equal(first.nBins, 90, "mll x dataset");
    assert.equal(first.status, "90 bins");
    await shot(page, "lab-demo-widget.png");
    // The %fill cell's progress: zhist's own bar (the kernel's probe found this front end), at its end.
    await page.waitForFunction(() => [...document.querySelectorAll(".zhist-progress")].some((e) => /done/.test(e.textContent ?? "")), undefined, { timeout: 30000 });
    const bar = page.locator(".zhist-progress").first();
    const text = (await bar.textContent()) ?? "";
    assert.match(text, /fill: [\d,]+ \/ [\d,]+ events \(100%\).*done in/, text);
    assert.equal(await bar.getAttribute("data-bar-style"), "success");
    assert.match((await bar.locator(".zhist-progress-fill").getAttribute("style")) ?? "", /width: 100(\.0)?%/);
    assert.equal(await page.locator(".widget-progress").count(), 0, "no ipywidgets IntProgress");

    // Rebin by 3: 10 bins along x.
    await page.fill(".zhist-widget .zhist-rebin", "3");
    await page.press(".zhist-widget .zhist-rebin", "Enter");
    const rebinned = await drawnWidget(page, 1);
    assert.equal(rebinned.xBins, 10, JSON.stringify(rebinned));
    assert.equal(rebinned.nBins, 30);

    // Datasets summed instead of stacked: one series.
    await page.selectOption('.zhist-widget .zhist-mode[data-axis="dataset"]', "sum");
    const summed = await drawnWidget(page, 2);
    assert.equal(summed.xBins, 10, JSON.stringify(summed));
    assert.equal(summed.nBins, 10);
    assert.ok(summed.series.length <= 1, `one series, got ${summed.series}`);
    await shot(page, "lab-demo-widget-rebinned-summed.png");

    // A range outside the axis: the kernel's error is shown and the last plot stays.
    await page.fill(".zhist-widget .zhist-range-lo", "500");
    await page.fill(".zhist-widget .zhist-range-hi", "600");
    await page.press(".zhist-widget .zhist-range-hi", "Enter");
    await page.waitForFunction(() => /^error: .*range/.test(document.querySelector(".zhist-widget .zhist-status")?.textContent ?? ""), undefined, { timeout: 60000 });
    assert.equal(await page.getAttribute(".zhist-widget .zhist-plot", "data-answered"), "2");
    assert.deepEqual(errors, []);
  } catch (e) {
    await page.screenshot({ path: path.join(artifacts, "lab-failure.png") }).catch(() => undefined);
    throw new Error(`${(e as Error).message}\n--- server log (tail) ---\n${server.log().slice(-4000)}`, { cause: e });
  } finally {
    await page.close();
    await server.stop();
  }
});

test("Notebook 7: the same widget renders and answers a log-scale toggle and a 2-D view", { timeout: 240000 }, async () => {
  const cells = [
    'import { Hist } from "zhist";\n' +
      'const h = Hist.new.StrCat(["ttbar", "wjets", "data"], { name: "dataset" }).Reg(20, 0, 200, { name: "pt", label: "p_T [GeV]" }).Reg(5, -2.5, 2.5, { name: "eta" }).Weight();\n' +
      'const pts = Array.from({ length: 6000 }, (_, i) => (i * 37.1) % 200);\n' +
      'h.fill({ dataset: pts.map((_, i) => ["ttbar", "wjets", "data"][i % 3]), pt: pts, eta: pts.map((p) => (p % 5) - 2.5) });\n' +
      'h.widget({ axis: "pt", stack: "dataset" });',
  ];
  const nb = {
    cells: cells.map((source, i) => ({ cell_type: "code", execution_count: null, id: `cell${i}`, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: "TypeScript (zhist)", language: "typescript", name: "zhist" }, language_info: { name: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  fs.writeFileSync(path.join(work, "nb7.ipynb"), JSON.stringify(nb, null, 1));
  const { page, server, errors } = await session("notebook");
  try {
    await openNotebook(page, server, "notebook", "nb7.ipynb");
    await runAllCells(page);
    const first = await drawnWidget(page, 0, 0, 120000);
    assert.equal(first.xBins, 20, JSON.stringify(first));
    assert.deepEqual(first.series, ["ttbar", "wjets"], "the MC stack (data are the points)");
    assert.equal(first.nBins, 60);
    await page.check(".zhist-widget .zhist-log");
    const logged = await drawnWidget(page, 1);
    assert.equal(logged.xBins, 20);
    // The y scale of the drawn view (the first panel's) is logarithmic now.
    const yScale = await page.evaluate(() => {
      const view = (document.querySelector(".zhist-widget .zhist-plot") as unknown as { zhistView: { scale(n: string): { type?: string } } }).zhistView;
      for (const name of ["y", "concat_0_y", "layer_0_y", "concat_0_layer_0_y"]) {
        try {
          return view.scale(name).type ?? null;
        } catch {
          /* not this view's name */
        }
      }
      return null;
    });
    assert.match(String(yScale), /log/);
    await shot(page, "notebook7-widget-log.png");

    // eta along y: a heatmap of pt x eta (the stacked datasets are summed for it).
    await page.selectOption(".zhist-widget .zhist-y", "eta");
    const heat = await drawnWidget(page, 2);
    assert.equal(heat.nBins, 100, "pt x eta");
    assert.equal(heat.xBins, 20, JSON.stringify(heat));
    assert.equal(await page.inputValue('.zhist-widget .zhist-mode[data-axis="dataset"]'), "sum");
    await shot(page, "notebook7-widget-2d.png");
    assert.deepEqual(errors, []);
  } catch (e) {
    await page.screenshot({ path: path.join(artifacts, "notebook7-failure.png") }).catch(() => undefined);
    throw new Error(`${(e as Error).message}\n--- server log (tail) ---\n${server.log().slice(-4000)}`, { cause: e });
  } finally {
    await page.close();
    await server.stop();
  }
});
