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
