// The `zhist` command as a user runs it: a child process on a real store.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { Hist } from "../src/index.js";
import { runPython } from "./helpers/python.js";

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "src", "cli.js");

test("zhist export writes UHI JSON that hist reads; zhist info summarizes; errors name the path", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-cli-"));
  try {
    const h = Hist.new.StrCat([], { name: "dataset", growth: true }).Reg(4, 0, 4, { name: "x", label: "x [GeV]" }).Weight();
    h.fill({ dataset: "ttbar", x: [0.5, 1.5, 1.5, 7], weight: 2 });
    await h.save(dir, "h");
    const out = path.join(dir, "h.json");
    const exp = spawnSync(process.execPath, [cli, "export", path.join(dir, "h"), out], { encoding: "utf8" });
    assert.equal(exp.status, 0, exp.stderr);
    const { json } = await runPython<{ values: number[]; label: string }>(`
import json, hist, uhi.io.json as uj
with open(INPUT) as f:
    d = json.load(f, object_hook=uj.object_hook)
h = hist.Hist(d["h"])
emit({"values": h.values(flow=True).ravel().tolist(), "label": h.axes["x"].label})
`, { input: out });
    assert.deepEqual(json.values, [0, 2, 4, 0, 0, 2]);
    assert.equal(json.label, "x [GeV]");

    const info = spawnSync(process.execPath, [cli, "info", path.join(dir, "h")], { encoding: "utf8" });
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout, /axis 0 dataset: str_category, 1 categories \["ttbar"\]/);
    assert.match(info.stdout, /"value":6,"variance":12/);

    const missing = spawnSync(process.execPath, [cli, "export", path.join(dir, "nope")], { encoding: "utf8" });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, new RegExp(`no histogram at ${path.join(dir, "nope")}`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("zhist merge sums stores histogram by histogram, categories merged by label; bad calls fail cleanly", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-cli-merge-"));
  try {
    const make = async (store: string, fills: [string, number[]][]) => {
      for (const name of ["a", "b"]) {
        const h = Hist.new.StrCat([], { name: "dataset", growth: true }).Reg(3, 0, 3, { name: "x" }).Weight();
        for (const [label, xs] of fills) h.fill({ dataset: label, x: xs, weight: name === "a" ? 1 : 2 });
        await h.save(path.join(dir, store), name);
      }
    };
    await make("one.zarr", [["dy", [0.5, 1.5]], ["ttbar", [2.5]]]);
    await make("two.zarr", [["ttbar", [2.5, 9]], ["wjets", [0.5]]]);
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
    const m = run("merge", path.join(dir, "all.zarr"), path.join(dir, "one.zarr"), path.join(dir, "two.zarr"));
    assert.equal(m.status, 0, m.stderr);
    assert.match(m.stdout, /all\.zarr\/a: sum of 2/);
    for (const [name, w] of [["a", 1], ["b", 2]] as const) {
      const h = await (await Hist.open(path.join(dir, "all.zarr", name))).toHist();
      assert.deepEqual(Array.from({ length: h.axes[0].size }, (_, i) => h.axes[0].bin(i)), ["dy", "ttbar", "wjets"]);
      // dataset (a growing category: no flow bin) x (underflow, 3 bins, overflow).
      assert.deepEqual(Array.from(h.values({ flow: true }).data), [
        0, w, w, 0, 0,
        0, 0, 0, 2 * w, w,
        0, w, 0, 0, 0,
      ]);
      assert.deepEqual(Array.from(h.variances({ flow: true })!.data).slice(5, 10), [0, 0, 0, 2 * w * w, w * w]);
    }
    const twice = run("merge", path.join(dir, "all.zarr"), path.join(dir, "one.zarr"));
    assert.equal(twice.status, 1);
    assert.match(twice.stderr, /count it twice/);
    const missing = run("merge", path.join(dir, "x.zarr"), path.join(dir, "nope.zarr"));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no store at .*nope\.zarr/);
    assert.equal(run("merge", path.join(dir, "x.zarr")).status, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
