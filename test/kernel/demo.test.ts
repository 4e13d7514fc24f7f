// The demo notebook (README's main job) executed headless by nbclient on the installed kernel, as
// `npm run demo` does: every cell runs, the store and plots appear, the outputs carry real numbers.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { pythonExecutable } from "../helpers/python.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

interface Output { output_type: string; text?: string | string[]; data?: Record<string, unknown>; ename?: string; evalue?: string }

test("notebooks/demo.ipynb runs headless on the zhist kernel: store, stacked plots, numbers", { timeout: 300000 }, () => {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-demo-spec-"));
  // The notebook reads ../../shared/data: it runs one level below the repository root, as out/ does,
  // in a folder of its own (test runs of several people share the working tree).
  const cwd = fs.mkdtempSync(path.join(root, "test-output-"));
  try {
    const inst = spawnSync(process.execPath, [path.join(root, "dist", "src", "cli.js"), "install", "--prefix", prefix], { encoding: "utf8" });
    assert.equal(inst.status, 0, inst.stderr);
    const executed = path.join(cwd, "demo.ipynb");
    const run = spawnSync(pythonExecutable(), [path.join(root, "scripts", "run-notebook.py"), path.join(root, "notebooks", "demo.ipynb"), executed, cwd], {
      encoding: "utf8", env: { ...process.env, JUPYTER_PATH: path.join(prefix, "share", "jupyter") }, timeout: 280000,
    });
    assert.equal(run.status, 0, run.stderr);
    const nb = JSON.parse(fs.readFileSync(executed, "utf8")) as { cells: { cell_type: string; outputs?: Output[] }[] };
    const outputs = nb.cells.filter((c) => c.cell_type === "code").flatMap((c) => c.outputs ?? []);
    assert.deepEqual(outputs.filter((o) => o.output_type === "error").map((o) => `${o.ename}: ${o.evalue}`), []);
    const text = (o: Output) => [o.text ?? "", (o.data?.["text/plain"] as string | string[]) ?? ""].flat().join("");
    assert.ok(outputs.some((o) => /filled 2 histograms/.test(text(o))), "the %fill summary");
    const plots = outputs.filter((o) => o.data?.["image/svg+xml"] && o.data?.["application/vnd.vegalite.v5+json"]);
    assert.ok(plots.length >= 3, `stacked plots and the final histogram display (got ${plots.length})`);
    const peak = outputs.map(text).join("").match(/opposite-sign pairs in 2012 data, 60-120 GeV: \{"value":(\d+)/);
    assert.ok(peak && Number(peak[1]) > 1000, "a Z peak's worth of opposite-sign pairs in the 2012 data");
    for (const f of ["demo.zarr/mll/zarr.json", "demo.zarr/ptlead/zarr.json", "plots/mll.svg", "plots/ptlead.svg"]) {
      assert.ok(fs.existsSync(path.join(cwd, f)), `${f} written`);
    }
    assert.match(fs.readFileSync(path.join(cwd, "plots", "mll.svg"), "utf8"), /dimuon mass \[GeV\]/);
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});
