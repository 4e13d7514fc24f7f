// The kernel as a front end sees it: process start to the kernel_info reply and to the first
// execute_result, and the round trip of a trivial cell (execute_request to idle).
// Targets (issue 4): start < 3 s, trivial cell < 100 ms. Each run's figure and the load are printed too:
// on a shared 2-core machine the median moves with the load (ZHIST_KERNEL_TRACE=1 shows the phases).
import * as os from "node:os";
import { KernelClient } from "../test/kernel/client.js";
import { median, round4, type BenchContext } from "./lib.js";

export const about = "zhist kernel: start to kernel_info and to first result, per-cell overhead of a trivial cell";

export async function run(ctx: BenchContext): Promise<void> {
  const ready: number[] = [];
  const starts: number[] = [];
  const cells: number[] = [];
  const load = os.loadavg()[0];
  for (let r = 0; r < Math.max(1, Math.min(ctx.reps, 7)); r++) {
    const t0 = performance.now();
    const k = await KernelClient.start();
    try {
      ready.push((performance.now() - t0) / 1000);
      const first = await k.execute("1 + 1", 30000);
      if (first.reply.content.status !== "ok") throw new Error(`first cell failed: ${JSON.stringify(first.reply.content)}`);
      starts.push((performance.now() - t0) / 1000);
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        await k.execute(`const v${i} = ${i};\nv${i} + 1`);
        cells.push((performance.now() - t) / 1000);
      }
    } finally {
      await k.stop();
    }
  }
  const loadavg = round4((load + os.loadavg()[0]) / 2);
  ctx.emit({ name: "kernel start to kernel_info reply", value: round4(median(ready)), unit: "s", runs: ready.map(round4), loadavg });
  ctx.emit({ name: "kernel start to first result", value: round4(median(starts)), unit: "s", target: 3, runs: starts.map(round4), loadavg });
  ctx.emit({ name: "kernel trivial cell round trip", value: round4(median(cells) * 1000), unit: "ms", target: 100 });
}
