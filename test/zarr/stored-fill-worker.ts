// A writer for the store-backed fill concurrency test: opens a stored histogram with the public API
// and fills it, as a worker thread (workerData) or a forked process (JSON in argv[2]). Run with
// neither (picked up by the test runner) it does nothing.
import { isMainThread, workerData } from "node:worker_threads";
import { Hist } from "../../src/index.js";

export interface StoredFillTask {
  path: string;
  writer: number;
  rounds: number;
}

/** The entries one writer fills in one round: deterministic, so the test can rebuild them in memory. */
export function roundFills(writer: number, round: number): { dataset: string; region: string[]; x: Float64Array; weight: Float64Array }[] {
  const n = 200;
  const x = Float64Array.from({ length: n }, (_, i) => ((i * 7919 + writer * 104729 + round * 31) % 1200) / 10 - 10);
  // Weights that are multiples of 1/4 add up exactly in any order, so totals compare bit for bit.
  const weight = Float64Array.from({ length: n }, (_, i) => ((i + writer + round) % 8) / 4);
  const region = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? "sr" : "cr"));
  return [
    { dataset: "shared", region, x, weight },
    { dataset: `own${writer}`, region, x, weight },
  ];
}

async function run(task: StoredFillTask): Promise<void> {
  const h = await Hist.open(task.path);
  for (let r = 0; r < task.rounds; r++) for (const fill of roundFills(task.writer, r)) await h.fill(fill);
}

const task: StoredFillTask | undefined = !isMainThread ? workerData : process.argv[2] ? JSON.parse(process.argv[2]) : undefined;
if (task) await run(task);
