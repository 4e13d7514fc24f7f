// Runs a Python snippet with JSON on stdin and JSON on stdout, so tests can check the store
// against zarr-python 3 and hist directly. Kept local to test/zarr to stay self-contained.
import { spawnSync } from "node:child_process";

export function runPython<T = unknown>(script: string, input: unknown): T {
  const result = spawnSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    throw new Error(`python3 failed (status ${result.status}):\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as T;
}

/** JSON-friendly copy of a histogram IR (typed arrays become plain arrays). */
export function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
}
