// notebooks/batch.ipynb as README runs it: one zhist run per dataset on ../shared/data, each into its
// own store, then zhist merge; the merged store must equal one run filling both datasets. The same
// notebook, parameterized with --prepare-only, still runs under Python's nbclient on the installed
// kernelspec and fills the same histograms.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { Hist, StoredHist } from "../../src/index.js";
import { readDatasetsMetadata } from "../../src/exec/targets.js";
import { runPython } from "../helpers/python.js";
import { readOut, root, stdoutOf, tmpdir, validateWithNbformat, zhist } from "./helpers.js";

const batch = path.join(root, "notebooks", "batch.ipynb");
const data = path.resolve(root, "..", "shared", "data");
let dir: string;
before(() => { dir = tmpdir("zhist-batchnb-"); });
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const common = ["-p", "dataDir", data, "-p", "workers", "1", "--no-progress-bar"];

async function contents(store: string, name: string) {
  const h = await (await Hist.open(path.join(store, name))).toHist();
  const cats = h.axes[0];
  return {
    datasets: Array.from({ length: cats.size }, (_, i) => String(cats.bin(i))),
    values: Array.from(h.values({ flow: true }).data),
    variances: Array.from(h.variances({ flow: true })!.data),
  };
}

test("batch.ipynb per dataset, then zhist merge, equals one run over both datasets", { timeout: 300000 }, async () => {
  for (const d of ["dy", "run2"]) {
    const r = await zhist(["run", batch, path.join(dir, "{dataset}.ipynb"), "-p", "dataset", d, "-y", `datasets: [${d}]`, "-p", "store", path.join(dir, `${d}.zarr`), ...common]);
    assert.equal(r.status, 0, r.stderr);
    const nb = readOut(path.join(dir, `${d}.ipynb`));
    assert.match(stdoutOf(nb.cells.at(-1)!), new RegExp(`^${d}: opposite-sign pairs in 60-120 GeV \\{"value":`));
    await validateWithNbformat(path.join(dir, `${d}.ipynb`));
  }
  const both = await zhist(["run", batch, path.join(dir, "both.ipynb"), "-y", "datasets: [dy, run2]", "-p", "store", path.join(dir, "both.zarr"), ...common]);
  assert.equal(both.status, 0, both.stderr);

  const merged = path.join(dir, "merged.zarr");
  const m = await zhist(["merge", merged, path.join(dir, "dy.zarr"), path.join(dir, "run2.zarr")]);
  assert.equal(m.status, 0, m.stderr);
  assert.match(m.stdout, /merged\.zarr\/mll: sum of 2/);
  for (const name of ["mll", "ptlead"]) {
    const [got, want] = [await contents(merged, name), await contents(path.join(dir, "both.zarr"), name)];
    assert.deepEqual(got.datasets, ["dy", "run2"]);
    assert.deepEqual(got, want, name);
    assert.ok(got.values.some((v) => v > 0));
    const meta = (await StoredHist.open(path.join(merged, name))).metadata;
    assert.deepEqual(Object.keys(readDatasetsMetadata(meta)).sort(), ["dy", "run2"]);
  }
  // Python's hist reads the merged store as the UHI layout it is.
  const { json } = await runPython<number[]>(`
import zarr, numpy as np
g = zarr.open_group(INPUT, mode="r")
emit([float(np.asarray(g["storage/values"]).sum())])
`, { input: path.join(merged, "mll") });
  assert.ok(Math.abs(json[0] - (await contents(merged, "mll")).values.reduce((a, b) => a + b, 0)) < 1e-6);

  const again = await zhist(["merge", merged, path.join(dir, "dy.zarr")]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /exists: merging into it would count it twice/);
});

test("the parameterized batch notebook runs under nbclient on the installed kernelspec too", { timeout: 300000 }, async () => {
  const prefix = path.join(dir, "jupyter");
  const inst = await zhist(["install", "--prefix", prefix]);
  assert.equal(inst.status, 0, inst.stderr);
  const prepared = path.join(dir, "prepared.ipynb");
  const store = path.join(dir, "nbclient.zarr");
  const p = await zhist(["run", batch, prepared, "--prepare-only", "-p", "dataset", "run2", "-y", "datasets: [run2]", "-p", "store", store, ...common]);
  assert.equal(p.status, 0, p.stderr);
  const { json } = await runPython<{ outputs: string[]; status: string[] }>(`
import os, nbformat
from nbclient import NotebookClient
os.environ["JUPYTER_PATH"] = INPUT["jupyter"]
nb = nbformat.read(INPUT["notebook"], as_version=4)
NotebookClient(nb, kernel_name="zhist", timeout=120, startup_timeout=60).execute()
emit({"outputs": ["".join(o.get("text", "")) for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "stream"],
      "status": [c.metadata.get("papermill", {}).get("status", "") for c in nb.cells]})
`, { input: { jupyter: path.join(prefix, "share", "jupyter"), notebook: prepared }, timeoutMs: 200000 });
  assert.ok(json.outputs.some((t) => /^run2: opposite-sign pairs in 60-120 GeV/.test(t)), json.outputs.join("\n"));
  const h = await contents(store, "mll");
  assert.deepEqual(h.datasets, ["run2"]);
  assert.ok(h.values.some((v) => v > 0));
});
