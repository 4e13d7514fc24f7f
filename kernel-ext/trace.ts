// Start-up trace: with ZHIST_KERNEL_TRACE=1 the kernel logs to stderr when each start-up phase ends,
// in ms since the process started (process.uptime: the same clock in the compiler thread) (what `node dist/bench/run.js kernel` adds up as "start to first result").
import { writeSync } from "node:fs";

const on = Boolean(process.env.ZHIST_KERNEL_TRACE);

export function trace(phase: string): void {
  // Straight to file descriptor 2: process.stderr goes to the running cell's output once a cell runs
  // (and a worker thread's stderr through it), which is no place for the kernel's own log.
  if (on) writeSync(2, `[zhist kernel] trace ${phase} ${(process.uptime() * 1000).toFixed(0)} ms\n`);
}
