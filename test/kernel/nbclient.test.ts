// The installed kernelspec as Jupyter uses it: `zhist install --prefix` into a temporary prefix, found
// by `jupyter kernelspec list`, then a notebook executed by Python's nbclient against it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { pythonExecutable, runPython } from "../helpers/python.js";

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "cli.js");

interface CellOut {
  execution_count: number | null;
  outputs: { output_type: string; name?: string; text?: string; data?: Record<string, string>; ename?: string; evalue?: string; traceback?: string[] }[];
}

test("zhist install --prefix: jupyter kernelspec list shows it; nbclient runs a notebook on it", { timeout: 120000 }, async () => {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-spec-"));
  try {
    const inst = spawnSync(process.execPath, [cli, "install", "--prefix", prefix], { encoding: "utf8" });
    assert.equal(inst.status, 0, inst.stderr);
    const specFile = path.join(prefix, "share", "jupyter", "kernels", "zhist", "kernel.json");
    const spec = JSON.parse(fs.readFileSync(specFile, "utf8"));
    assert.equal(spec.display_name, "TypeScript (zhist)");
    assert.equal(spec.interrupt_mode, "signal");
    assert.equal(spec.language, "typescript");
    assert.deepEqual(spec.argv.slice(-1), ["{connection_file}"]);

    const bad = spawnSync(process.execPath, [cli, "install", "--user", "--prefix", prefix], { encoding: "utf8" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /one of --user, --sys-prefix, --prefix/);

    process.env.JUPYTER_PATH = path.join(prefix, "share", "jupyter");
    const list = spawnSync(pythonExecutable(), ["-m", "jupyter_client.kernelspecapp", "list", "--json"], { encoding: "utf8", env: process.env });
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
    const { json } = await runPython<CellOut[]>(`
import nbformat, nbclient
nb = nbformat.v4.new_notebook()
nb.cells = [nbformat.v4.new_code_cell(src) for src in INPUT]
client = nbclient.NotebookClient(nb, kernel_name="zhist", timeout=60, startup_timeout=60, allow_errors=True)
client.execute()
emit([{"execution_count": c.execution_count, "outputs": [dict(o) for o in c.outputs]} for c in nb.cells])
`, { input: cells, timeoutMs: 110000 });
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
