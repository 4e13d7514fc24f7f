// Runs a Python snippet as a reference oracle: JSON in, JSON out, and large float64 arrays both
// ways through raw little-endian files (JSON would be slow for 1e6 values, cannot carry NaN or
// infinities, and a binary round trip keeps every bit, which exact comparisons need).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { endianness, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface PythonOptions {
  /** Any JSON value; the snippet sees it as `INPUT`. */
  input?: unknown;
  /** Arrays the snippet sees as `ARRAYS[name]` (numpy float64, 1-D). */
  arrays?: Record<string, Float64Array | number[]>;
  /** Killed after this long; the default is generous because 2-core CI machines are slow. */
  timeoutMs?: number;
}

export interface NdArray {
  data: Float64Array;
  shape: number[];
}

export interface PythonResult<T> {
  /** What the snippet passed to `emit(...)`. */
  json: T;
  /** What the snippet passed to `emit_array(name, array)`, as float64 in C order. */
  arrays: Record<string, NdArray>;
}

// The project root, found from this file's place in dist/test/helpers or test/helpers.
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("python helper: no package.json above " + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/**
 * The interpreter with the reference packages: $ZHIST_PYTHON, else the project's .venv (made by
 * scripts/ensure-python.sh where the system Python refuses pip installs), else python3.
 */
export function pythonExecutable(): string {
  if (process.env.ZHIST_PYTHON) return process.env.ZHIST_PYTHON;
  const venv = join(projectRoot(), ".venv", "bin", "python");
  return existsSync(venv) ? venv : "python3";
}

// Prepended to every snippet. Kept in Python so the snippet reads like ordinary numpy code.
const PRELUDE = `
import json as _json, os as _os, sys as _sys
import numpy as np
_dir = _sys.argv[1]
with open(_os.path.join(_dir, "input.json")) as _f:
    _manifest = _json.load(_f)
INPUT = _manifest["input"]
ARRAYS = {k: np.fromfile(_os.path.join(_dir, v), dtype="<f8") for k, v in _manifest["arrays"].items()}
_out_shapes = {}
def emit_array(name, a):
    a = np.ascontiguousarray(np.asarray(a, dtype="<f8"))
    a.tofile(_os.path.join(_dir, "out_" + str(len(_out_shapes)) + ".f64"))
    _out_shapes[name] = {"file": "out_" + str(len(_out_shapes)) + ".f64", "shape": list(a.shape)}
_emitted = [None]
def emit(obj):
    _emitted[0] = obj
def _finish():
    with open(_os.path.join(_dir, "output.json"), "w") as _f:
        _json.dump({"json": _emitted[0], "arrays": _out_shapes}, _f, allow_nan=False)
`;

const EPILOGUE = `\n_finish()\n`;

/** Numbers each line, so that a Python traceback's line number can be found in the message. */
function numbered(source: string): string {
  return source
    .split("\n")
    .map((line, i) => `${String(i + 1).padStart(4)}| ${line}`)
    .join("\n");
}

/** Writes INPUT and ARRAYS for the prelude into `dir`. */
function writeInputs(dir: string, opts: PythonOptions): void {
  if (endianness() !== "LE") throw new Error("python helper: raw .f64 files assume a little-endian host");
  const arrayFiles: Record<string, string> = {};
  for (const [name, values] of Object.entries(opts.arrays ?? {})) {
    const file = `in_${Object.keys(arrayFiles).length}.f64`;
    const a = values instanceof Float64Array ? values : Float64Array.from(values);
    writeFileSync(join(dir, file), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    arrayFiles[name] = file;
  }
  writeFileSync(join(dir, "input.json"), JSON.stringify({ input: opts.input ?? null, arrays: arrayFiles }));
}

export async function runPython<T = unknown>(snippet: string, opts: PythonOptions = {}): Promise<PythonResult<T>> {
  const dir = mkdtempSync(join(tmpdir(), "zhist-py-"));
  try {
    writeInputs(dir, opts);
    const source = PRELUDE + snippet + EPILOGUE;
    const script = join(dir, "snippet.py");
    writeFileSync(script, source);

    const python = pythonExecutable();
    const { code, signal, stdout, stderr } = await run(python, [script, dir], opts.timeoutMs ?? 300_000);
    if (code !== 0) {
      throw new Error(
        `Python reference failed (${python}, exit ${code ?? "signal " + signal}).\n` +
          `--- stderr ---\n${stderr.trim()}\n--- stdout ---\n${stdout.trim()}\n` +
          `--- script (${script}) ---\n${numbered(source)}`,
      );
    }
    const out = JSON.parse(readFileSync(join(dir, "output.json"), "utf8")) as {
      json: T;
      arrays: Record<string, { file: string; shape: number[] }>;
    };
    const arrays: Record<string, NdArray> = {};
    for (const [name, { file, shape }] of Object.entries(out.arrays)) {
      const bytes = readFileSync(join(dir, file));
      // Copy into a fresh buffer: Buffer slices may be unaligned for a Float64Array view.
      const data = new Float64Array(bytes.byteLength / 8);
      new Uint8Array(data.buffer).set(bytes);
      arrays[name] = { data, shape };
    }
    return { json: out.json, arrays };
  } finally {
    if (!process.env.ZHIST_KEEP_PY) rmSync(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], timeoutMs: number) {
  return new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (e) =>
      fail(new Error(`cannot start Python (${cmd}): ${e.message}; run scripts/ensure-python.sh or set ZHIST_PYTHON`)),
    );
    child.on("close", (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/**
 * A long-lived Python process for back-and-forth calls (benchmarks interleave their Python and
 * JavaScript runs so that load from elsewhere on the machine hits both alike). The snippet sees
 * INPUT and ARRAYS as in runPython and defines `handle(msg)`, whose JSON-able result each
 * `call(msg)` returns.
 */
export interface PythonSession {
  call<T = unknown>(msg: unknown): Promise<T>;
  close(): Promise<void>;
}

const SESSION_LOOP = `
for _line in _sys.stdin:
    _reply = handle(_json.loads(_line))
    _sys.stdout.write(_json.dumps(_reply) + "\\n")
    _sys.stdout.flush()
`;

export async function startPythonSession(snippet: string, opts: Omit<PythonOptions, "timeoutMs"> = {}): Promise<PythonSession> {
  const dir = mkdtempSync(join(tmpdir(), "zhist-py-"));
  writeInputs(dir, opts);
  const script = join(dir, "session.py");
  writeFileSync(script, PRELUDE + snippet + SESSION_LOOP);

  const child = spawn(pythonExecutable(), [script, dir], { stdio: ["pipe", "pipe", "pipe"] });
  const closed = new Promise((r) => child.once("close", r));
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  let buffered = "";
  const waiting: { done: (v: unknown) => void; fail: (e: Error) => void }[] = [];
  const failAll = (why: string) => {
    const err = new Error(`Python session ended: ${why}\n--- stderr ---\n${stderr.trim()}\n--- script: ${script}`);
    for (const w of waiting.splice(0)) w.fail(err);
  };
  child.stdout.on("data", (d) => {
    buffered += d;
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      waiting.shift()?.done(JSON.parse(line));
    }
  });
  child.on("error", (e) => failAll(e.message));
  child.on("close", (code, signal) => failAll(`exit ${code ?? "signal " + signal}`));
  return {
    call<T>(msg: unknown): Promise<T> {
      return new Promise<T>((done, fail) => {
        waiting.push({ done: done as (v: unknown) => void, fail });
        child.stdin.write(JSON.stringify(msg) + "\n");
      });
    },
    async close() {
      child.stdin.end();
      await closed;
      if (!process.env.ZHIST_KEEP_PY) rmSync(dir, { recursive: true, force: true });
    },
  };
}
