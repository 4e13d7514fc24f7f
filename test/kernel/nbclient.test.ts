// The installed kernelspec as Jupyter uses it: `zhist install --prefix` into a temporary prefix, found
// by `jupyter kernelspec list`, then a notebook executed by Python's nbclient against it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { pythonExecutable } from "../helpers/python.js";
import { cli, installKernelspec, runCells, type NbOutput } from "./notebook.js";

const data = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "shared", "data");

test("zhist install --prefix: jupyter kernelspec list shows it; nbclient runs a notebook on it", { timeout: 120000 }, async () => {
  const { prefix, jupyterPath, install: inst } = installKernelspec();
  try {
    assert.equal(inst.status, 0, String(inst.stderr));
    const specFile = path.join(prefix, "share", "jupyter", "kernels", "zhist", "kernel.json");
    const spec = JSON.parse(fs.readFileSync(specFile, "utf8"));
    assert.equal(spec.display_name, "TypeScript (zhist)");
    assert.equal(spec.interrupt_mode, "signal");
    assert.equal(spec.language, "typescript");
    assert.deepEqual(spec.argv.slice(-1), ["{connection_file}"]);

    const bad = spawnSync(process.execPath, [cli, "install", "--user", "--prefix", prefix], { encoding: "utf8" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /one of --user, --sys-prefix, --prefix/);

    const list = spawnSync(pythonExecutable(), ["-m", "jupyter_client.kernelspecapp", "list", "--json"], { encoding: "utf8", env: { ...process.env, JUPYTER_PATH: jupyterPath } });
    assert.equal(list.status, 0, list.stderr);
    const specs = JSON.parse(list.stdout).kernelspecs;
    assert.equal(specs.zhist.spec.display_name, "TypeScript (zhist)");
    assert.equal(fs.realpathSync(specs.zhist.resource_dir), fs.realpathSync(path.dirname(specFile)));

    const cells = [
      "const x = 6 * 7;\nconsole.log('x is', x);\nx",
      "({ [Symbol.for('Jupyter.display')]() { return { 'text/markdown': '**bold**', 'text/plain': 'bold' }; } })",
      "import { Hist } from 'zhist';\nconst h = Hist.new.Reg(3, 0, 3, { name: 'x' }).Double();\nh.fill({ x: [0.5, 1.5, 1.5, 2.5] });\nArray.from(h.values().data)",
      "function fail(): never {\n  throw new TypeError('expected failure');\n}\nfail();",
      "x + 1",
    ];
    const json = (await runCells(jupyterPath, cells)).cells;
    assert.deepEqual(json.map((c) => c.execution_count), [1, 2, 3, 4, 5]);
    assert.deepEqual(json[0].outputs.map((o) => o.output_type), ["stream", "execute_result"]);
    assert.equal(json[0].outputs[0].text, "x is 42\n");
    assert.equal(json[0].outputs[1].data!["text/plain"], "42");
    assert.deepEqual(json[1].outputs[0].data, { "text/markdown": "**bold**", "text/plain": "bold" });
    assert.equal(json[2].outputs[0].data!["text/plain"], "[ 1, 2, 1 ]");
    const err = json[3].outputs[0];
    assert.equal(err.output_type, "error");
    assert.equal(err.ename, "TypeError");
    assert.equal(err.evalue, "expected failure");
    assert.ok(err.traceback!.some((l) => l.includes("throw new TypeError('expected failure');")), err.traceback!.join("\n"));
    assert.equal(json[4].outputs[0].data!["text/plain"], "43");
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
});

test("nbclient saves the %fill progress widget: the IntProgress at its end value with its layout and style, viewed by the cell's output", { timeout: 180000 }, async () => {
  const { prefix, jupyterPath, install } = installKernelspec();
  try {
    assert.equal(install.status, 0, String(install.stderr));
    const fill = [
      `%dataset dy ${path.join(data, "nano_dy.root")} --xsec 2 --lumi 3`,
      "%hist n Int(0, 5) = count(Muon)",
      "%fill --workers 1",
    ].join("\n");
    const nb = await runCells(jupyterPath, [fill, "1 + 1"], { storeWidgetState: true });
    assert.deepEqual(nb.cells[0].outputs.filter((o) => o.output_type === "error"), []);
    const saved = nb.metadata.widgets?.["application/vnd.jupyter.widget-state+json"];
    assert.ok(saved, `widget state saved in the notebook metadata: ${JSON.stringify(nb.metadata)}`);
    assert.equal(saved.version_major, 2);
    const models = saved.state as Record<string, { model_name: string; model_module: string; model_module_version: string; state: Record<string, any> }>;

    // The cell's one progress output names the model it draws.
    const views = nb.cells[0].outputs.filter((o) => o.data?.["application/vnd.jupyter.widget-view+json"]);
    assert.equal(views.length, 1, "one widget output in the fill cell");
    const modelId = views[0].data!["application/vnd.jupyter.widget-view+json"].model_id as string;
    assert.match(views[0].data!["text/plain"], /fill: .* \(100%\).*done in/, "the text fallback shows the end too");

    const bar = models[modelId];
    assert.ok(bar, `the viewed model ${modelId} is in the saved state (${Object.keys(models).join(", ")})`);
    assert.equal(bar.model_name, "IntProgressModel");
    assert.equal(bar.model_module, "@jupyter-widgets/controls");
    assert.equal(bar.model_module_version, "2.0.0");
    assert.equal(bar.state.value, bar.state.max, "at its final value");
    assert.equal(bar.state.bar_style, "success");
    assert.equal(bar.state.description, "done");
    const ref = (v: string) => models[v.replace(/^IPY_MODEL_/, "")];
    assert.equal(ref(bar.state.layout)?.model_name, "LayoutModel");
    assert.equal(ref(bar.state.layout)?.model_module, "@jupyter-widgets/base");
    assert.equal(ref(bar.state.style)?.model_name, "ProgressStyleModel");

    assert.deepEqual(nb.cells[1].outputs.map((o) => o.output_type), ["execute_result"], "the next cell shows its value alone");
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
});

test("nbclient runs a notebook of failing cells: each error's name, message and traceback, and the kernel goes on", { timeout: 150000 }, async () => {
  const { prefix, jupyterPath, install } = installKernelspec();
  try {
    assert.equal(install.status, 0, String(install.stderr));
    const cells = [
      "%hsit x Reg(10, 0, 1) = 1",
      `%dataset dy ${path.join(data, "nano_dy.root")}\n%define goodMu = Muon[Muon.ptt > 10]`,
      "const n: number = 'x';",
      "import { nothing } from 'no-such-package';",
      "JSON.parse('{bad')",
      "await Promise.reject(new RangeError('async failure'));",
      "import { input } from 'zhist/kernel';\nconst name = await input('name? ');",
      "throw { code: 7 };",
      "'still alive'",
    ];
    const nb = await runCells(jupyterPath, cells, { storeWidgetState: false });
    const errors = nb.cells.map((c) => c.outputs.find((o): o is NbOutput => o.output_type === "error"));
    const [magic, column, type, missing, json, rejected, stdin, thrown] = errors;
    assert.deepEqual(nb.cells.map((c) => c.execution_count), [1, 2, 3, 4, 5, 6, 7, 8, 9]);

    assert.equal(magic?.ename, "MagicError");
    assert.equal(magic?.evalue, "%hsit: unknown magic; did you mean %hist? (line 1, column 1)");
    assert.deepEqual(magic?.traceback?.slice(1), ["  %hsit x Reg(10, 0, 1) = 1", "  ^^^^^"]);

    assert.equal(column?.ename, "MagicError");
    assert.match(column!.evalue!, /^%define: unknown column Muon_ptt; did you mean Muon\.pt \(Muon_pt\).*\(line 2, column 28\)$/);
    assert.deepEqual(column?.traceback?.slice(1), ["  %define goodMu = Muon[Muon.ptt > 10]", "                             ^^^"]);

    assert.equal(type?.ename, "TypeScriptError");
    assert.equal(type?.evalue, "1:7 - Type 'string' is not assignable to type 'number'.");
    assert.deepEqual(type?.traceback?.slice(1), ["    const n: number = 'x';", "          ^"]);

    assert.equal(missing?.ename, "TypeScriptError");
    assert.match(missing!.evalue!, /Cannot find module 'no-such-package'/);

    assert.equal(json?.ename, "SyntaxError");
    assert.match(json!.evalue!, /JSON/);
    assert.ok(json!.traceback!.includes("    JSON.parse('{bad')"), json!.traceback!.join("\n"));

    assert.equal(rejected?.ename, "RangeError");
    assert.equal(rejected?.evalue, "async failure");

    assert.equal(stdin?.ename, "StdinNotImplementedError", "nbclient takes no input");
    assert.match(stdin!.evalue!, /does not support stdin/);
    assert.ok(stdin!.traceback!.includes("    const name = await input('name? ');"), stdin!.traceback!.join("\n"));

    assert.equal(thrown?.ename, "Thrown");
    assert.equal(thrown?.evalue, "{ code: 7 }");

    assert.equal(errors[8], undefined);
    assert.equal(nb.cells[8].outputs[0].data!["text/plain"], "'still alive'");
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
});
