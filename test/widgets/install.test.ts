// `zhist install` and the widget manager: with a Python that cannot import jupyterlab_widgets (a
// bare virtual environment), the install still succeeds, installs the labextension, and says how
// to get the manager.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { pythonExecutable } from "../helpers/python.js";

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "cli.js");

test("zhist install: without jupyterlab_widgets it installs the labextension and says how to get the manager", { timeout: 60000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-install-"));
  try {
    const venv = spawnSync(pythonExecutable(), ["-m", "venv", "--without-pip", path.join(tmp, "bare")], { encoding: "utf8" });
    assert.equal(venv.status, 0, venv.stderr);
    const bare = path.join(tmp, "bare", "bin", "python");
    const prefix = path.join(tmp, "prefix");
    const r = spawnSync(process.execPath, [cli, "install", "--prefix", prefix], { encoding: "utf8", env: { ...process.env, ZHIST_PYTHON: bare } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /installed labextension zhist-widgets in .*share\/jupyter\/labextensions\/zhist-widgets/);
    assert.match(r.stderr, /cannot import jupyterlab_widgets/);
    assert.match(r.stderr, /-m pip install "jupyterlab_widgets>=3\.0\.15,<4"/);
    const ext = path.join(prefix, "share", "jupyter", "labextensions", "zhist-widgets");
    const pkg = JSON.parse(fs.readFileSync(path.join(ext, "package.json"), "utf8"));
    assert.ok(fs.existsSync(path.join(ext, pkg.jupyterlab._build.load)), "the remote entry of the prebuilt extension");

    // With the project's Python (which has it) nothing is said.
    const ok = spawnSync(process.execPath, [cli, "install", "--prefix", prefix], { encoding: "utf8", env: { ...process.env, ZHIST_PYTHON: pythonExecutable() } });
    assert.equal(ok.status, 0, ok.stderr);
    assert.doesNotMatch(ok.stderr, /jupyterlab_widgets/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
