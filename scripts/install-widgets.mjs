#!/usr/bin/env node
// Installs widgets/' own dependencies (GUIDE 1: widgets/ is its own npm package, with its own lock)
// after the root install (`npm ci` runs this as postinstall). `npm install --no-save` rather than
// `npm ci`: the registry mirror lacks the other platforms' optional builds of @rspack/binding, which
// the lock therefore cannot list and `npm ci` would reject; --no-save keeps the lock as committed.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const widgets = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "widgets");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const r = spawnSync(npm, ["install", "--prefix", widgets, "--no-save", "--include=dev", "--no-audit", "--no-fund"], { stdio: "inherit" });
process.exit(r.status ?? 1);
