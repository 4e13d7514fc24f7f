// The store-backed fill path end to end under concurrency: threads and processes open the same
// stored histogram, grow its dataset axis and fill it; nothing is lost, nothing is counted twice.
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import * as path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { Hist } from "../../src/index.js";
import { type StoredFillTask, roundFills } from "./stored-fill-worker.js";
import { listFiles, tempStore } from "./tmp.js";

const WORKER = fileURLToPath(new URL("./stored-fill-worker.js", import.meta.url));

function runWriter(task: StoredFillTask, asProcess: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const w = asProcess ? fork(WORKER, [JSON.stringify(task)], { stdio: ["ignore", "inherit", "inherit", "ipc"] }) : new Worker(WORKER, { workerData: task });
    w.on("error", reject);
    w.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer ${task.writer} exited with ${code}`))));
  });
}

const empty = () => Hist.new.StrCat([], { name: "dataset", growth: true }).StrCat(["sr", "cr"], { name: "region" }).Reg(50, 0, 100, { name: "x" }).Weight();

test("threads and processes filling one stored histogram lose no entry", async () => {
  const dir = tempStore();
  // Small chunks along x, so that one fill lands in several chunks and writers meet in them.
  await empty().save(dir, "h");
  const writers = 4;
  const rounds = 15;
  await Promise.all(Array.from({ length: writers }, (_, w) => runWriter({ path: path.join(dir, "h"), writer: w, rounds }, w % 2 === 1)));

  const expected = empty();
  for (let w = 0; w < writers; w++) for (let r = 0; r < rounds; r++) for (const f of roundFills(w, r)) expected.fill(f);
  const got = await (await Hist.open(path.join(dir, "h"))).toHist();
  const labels = (h: Hist) => Array.from({ length: h.axes[0].size }, (_, i) => h.axes[0].bin(i));
  assert.deepEqual([...labels(got)].sort(), [...labels(expected)].sort());
  for (const label of labels(expected)) {
    const [a, b] = [got.slice({ dataset: label as string }), expected.slice({ dataset: label as string })];
    assert.deepEqual(a.values({ flow: true }), b.values({ flow: true }), `values of ${label}`);
    assert.deepEqual(a.variances({ flow: true }), b.variances({ flow: true }), `variances of ${label}`);
  }
  assert.deepEqual(listFiles(dir).filter((f) => /\.(tmp|lock)$/.test(f) || f.includes(".tmp")), []);
});
