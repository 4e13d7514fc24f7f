// The kernel as a front end sees it: process start to the first execute_result, and the round trip
// of a trivial cell (execute_request to idle). Targets (issue 4): start < 3 s, trivial cell < 100 ms.
import { KernelClient } from "../test/kernel/client.js";
import { median, round4, type BenchContext } from "./lib.js";

export const about = "zhist kernel: start to first result, per-cell overhead of a trivial cell";

export async function run(ctx: BenchContext): Promise<void> {
  const starts: number[] = [];
  const cells: number[] = [];
  for (let r = 0; r < Math.max(1, Math.min(ctx.reps, 5)); r++) {
    const t0 = performance.now();
    const k = await KernelClient.start();
    try {
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
  ctx.emit({ name: "kernel start to first result", value: round4(median(starts)), unit: "s", target: 3 });
  ctx.emit({ name: "kernel trivial cell round trip", value: round4(median(cells) * 1000), unit: "ms", target: 100 });
}
