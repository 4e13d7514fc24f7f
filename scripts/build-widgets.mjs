#!/usr/bin/env node
// Builds widgets/ into the prebuilt JupyterLab 4 extension widgets/labextension (tsc, then the
// labextension builder of the pip jupyterlab), unless nothing in widgets/ changed since the last
// build: a hash of its sources is kept beside the output, so `npm run build` stays fast.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const widgets = path.join(root, "widgets");
const output = path.join(widgets, "labextension");
const stamp = path.join(output, "build.sha256");

function files(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

function sourceHash() {
  const inputs = ["package.json", "package-lock.json", "tsconfig.json"].map((f) => path.join(widgets, f))
    .concat(files(path.join(widgets, "src")), files(path.join(widgets, "style")))
    .filter((f) => fs.existsSync(f))
    .sort();
  const h = createHash("sha256");
  for (const f of inputs) h.update(path.relative(widgets, f)).update("\0").update(fs.readFileSync(f)).update("\0");
  return h.digest("hex");
}

function run(cmd, args, what) {
  // The builders' chatter (license and size warnings) is shown only when they fail.
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ""}${r.stderr ?? ""}`);
    console.error(`build-widgets: ${what} failed (${r.error?.message ?? `exit ${r.status}`})`);
    process.exit(1);
  }
}

// The interpreter with the pip jupyterlab, chosen as scripts/ensure-python.sh and the tests do.
function python() {
  if (process.env.ZHIST_PYTHON) return process.env.ZHIST_PYTHON;
  const venv = path.join(root, ".venv", "bin", "python");
  return fs.existsSync(venv) ? venv : "python3";
}

const hash = sourceHash();
if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8").trim() === hash) process.exit(0);

const started = Date.now();
// widgets/ is its own package (GUIDE 1: it imports only its own packages); the root `npm ci`
// installs it by its postinstall (scripts/install-widgets.mjs); this covers a tree installed before.
if (!fs.existsSync(path.join(widgets, "node_modules", "@jupyter", "builder"))) {
  run(process.execPath, [path.join(root, "scripts", "install-widgets.mjs")], "installing widgets/' dependencies");
}
run(process.execPath, [path.join(widgets, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(widgets, "tsconfig.json")], "tsc of widgets/");
run(python(), ["-m", "jupyterlab.labextensions", "build", widgets], "jupyter labextension build widgets");
fs.writeFileSync(stamp, hash + "\n");
console.log(`build-widgets: widgets/labextension built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
