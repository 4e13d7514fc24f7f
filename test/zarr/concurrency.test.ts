// Several worker threads and several OS processes add into the same chunks and grow the same
// category axis at once; no update may be lost and labels must stay unique.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { readHist, writeHist } from "../../src/zarr/layout.js";
import type { UhiHist } from "../../src/uhi.js";
import type { WriterTask } from "./accumulate-worker.js";
import { listFiles, tempStore } from "./tmp.js";

const WORKER = fileURLToPath(new URL("./accumulate-worker.js", import.meta.url));

function inThread(task: WriterTask): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: task });
    worker.on("error", reject);
    worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}`))));
  });
}

function inProcess(task: WriterTask): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [JSON.stringify(task)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`process exited ${code}`))));
  });
}

function emptyHist(): UhiHist {
  const bins = 100;
  return {
    uhi_schema: 1,
    axes: [
      { type: "category_str", categories: ["shared"], flow: false, metadata: { name: "key" }, writer_info: { "boost-histogram": { growth: true } } },
      { type: "regular", lower: 0, upper: 1, bins, underflow: false, overflow: false, circular: false, metadata: { name: "x" } },
    ],
    storage: { type: "double", values: new Float64Array(bins) },
  };
}

test("threads and processes accumulating into the same chunks lose no update", async () => {
  const root = tempStore();
  // 25 doubles per chunk: the block [10, 90) overlaps 4 chunks per row, partially at both ends.
  await writeHist(root, "h", emptyHist(), { maxChunkBytes: 25 * 8 });
  const iterations = 12;
  const writers = 6;
  const tasks: WriterTask[] = Array.from({ length: writers }, (_, w) => ({
    mode: "accumulate", root, group: "h", iterations, from: 10, to: 90,
    // Every writer adds to "shared" and to its own new label, and all of them to "common",
    // so category growth races too.
    labels: ["shared", `own${w}`, "common"],
  }));
  await Promise.all(tasks.map((task, w) => (w % 2 === 0 ? inThread(task) : inProcess(task))));

  const back = await readHist(root, "h");
  const categories = (back.axes[0] as { categories: string[] }).categories;
  assert.equal(categories[0], "shared");
  assert.deepEqual([...categories].sort(), ["common", "shared", ...Array.from({ length: writers }, (_, w) => `own${w}`)].sort());
  const row = (label: string) => Array.from(back.storage.values.subarray(categories.indexOf(label) * 100, categories.indexOf(label) * 100 + 100));
  const expectRow = (n: number) => Array.from({ length: 100 }, (_, i) => (i >= 10 && i < 90 ? n : 0));
  assert.deepEqual(row("shared"), expectRow(writers * iterations));
  assert.deepEqual(row("common"), expectRow(writers * iterations));
  for (let w = 0; w < writers; w++) assert.deepEqual(row(`own${w}`), expectRow(iterations));
  const leftovers = listFiles(root).filter((f) => f.endsWith(".tmp") || f.endsWith(".lock") || f.endsWith(".break"));
  assert.deepEqual(leftovers, []);
});
