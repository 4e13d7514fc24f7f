// A writer used by the concurrency tests, run either as a worker thread (workerData) or as a
// forked OS process (JSON in argv[2]). Run with neither (e.g. picked up by a test runner's
// glob) it does nothing.
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { accumulateRegion, openField, growCategory, AtomicFileStore, joinKey } from "../../src/zarr/index.js";

export interface WriterTask {
  mode: "accumulate" | "rewrite";
  root: string;
  group: string;
  /** accumulate: grow these labels on axis 0, then add a block of ones at each label's row. */
  labels?: string[];
  iterations: number;
  /** Block of ones spans columns [from, to) of the dense axis. */
  from?: number;
  to?: number;
  /** rewrite: the key rewritten with chunks full of the iteration number. */
  key?: string;
  chunkBytes?: number;
}

async function run(task: WriterTask): Promise<void> {
  if (task.mode === "rewrite") {
    const store = new AtomicFileStore(task.root);
    for (let i = 1; i <= task.iterations; i++) {
      const bytes = new Uint8Array(task.chunkBytes!).fill(i % 251);
      await store.set(joinKey(task.key!), bytes);
    }
    return;
  }
  const values = await openField(task.root, task.group, "values");
  const width = task.to! - task.from!;
  const block = new Float64Array(width).fill(1);
  for (let i = 0; i < task.iterations; i++) {
    for (const label of task.labels!) {
      const { categories } = await growCategory(task.root, task.group, 0, [label]);
      const row = categories.indexOf(label);
      await accumulateRegion(values, [row, task.from!], block, [1, width]);
    }
  }
}

const task: WriterTask | undefined = !isMainThread ? workerData : process.argv[2] ? JSON.parse(process.argv[2]) : undefined;
if (task) {
  run(task).then(
    () => {
      parentPort?.postMessage("done");
      if (process.send) process.send("done");
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
      if (!isMainThread) throw err;
    },
  );
}
