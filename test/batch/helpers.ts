// For the batch tests: notebooks written as nbformat does, `zhist run` as a child process (the way a
// batch job runs it), and the output checked by Python's nbformat.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { runPython } from "../helpers/python.js";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const cli = path.join(root, "dist", "src", "cli.js");

export interface CellSpec {
  source: string;
  type?: "code" | "markdown";
  tags?: string[];
}

export function notebook(cells: CellSpec[], kernel: "zhist" | "python3" = "zhist"): Record<string, unknown> {
  const kernelspec = kernel === "zhist"
    ? { display_name: "TypeScript (zhist)", language: "typescript", name: "zhist" }
    : { display_name: "Python 3", language: "python", name: "python3" };
  return {
    cells: cells.map((c, i) => {
      const type = c.type ?? "code";
      const lines = c.source.split("\n").map((l, k, all) => (k < all.length - 1 ? l + "\n" : l)).filter((l) => l !== "");
      const cell: Record<string, unknown> = { cell_type: type, id: `cell-${i}`, metadata: c.tags ? { tags: c.tags } : {}, source: lines };
      if (type === "code") Object.assign(cell, { execution_count: null, outputs: [] });
      return cell;
    }),
    metadata: { kernelspec },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

export function tmpdir(prefix = "zhist-batch-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeJson(file: string, value: unknown): string {
  fs.writeFileSync(file, JSON.stringify(value, null, 1));
  return file;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `zhist run ...` (or any zhist command) in `cwd`; never hangs past timeoutMs. */
export function zhist(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [cli, ...args], { cwd: opts.cwd ?? root, env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    // SIGTERM first: zhist run then prints the tail of its kernel's log.
    const timer = setTimeout(() => {
      p.kill("SIGTERM");
      setTimeout(() => p.kill("SIGKILL"), 5000).unref();
    }, opts.timeoutMs ?? 120000);
    p.once("error", reject);
    p.once("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

export interface OutCell {
  cell_type: string;
  id: string;
  source: string[];
  metadata: { tags?: string[]; papermill?: Record<string, unknown>; execution?: Record<string, string> };
  execution_count?: number | null;
  outputs?: { output_type: string; name?: string; text?: string[]; data?: Record<string, unknown>; ename?: string; evalue?: string; traceback?: string[] }[];
}

export interface OutNotebook {
  cells: OutCell[];
  metadata: { papermill: Record<string, any>; kernelspec?: Record<string, string>; language_info?: Record<string, unknown>; widgets?: Record<string, any> };
  nbformat: number;
  nbformat_minor: number;
}

export const readOut = (file: string): OutNotebook => JSON.parse(fs.readFileSync(file, "utf8"));
export const text = (c: OutCell) => c.source.join("");
export const stdoutOf = (c: OutCell) => (c.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => (o.text ?? []).join("")).join("");

/** Python's nbformat reads the file and validates it against the 4.5 schema; returns what it read. */
export async function validateWithNbformat(file: string): Promise<{ minor: number; cells: number }> {
  const { json } = await runPython<{ minor: number; cells: number }>(`
import nbformat
nb = nbformat.read(INPUT, as_version=nbformat.NO_CONVERT)
nbformat.validate(nb)
emit({"minor": nb.nbformat_minor, "cells": len(nb.cells)})
`, { input: file });
  return json;
}
