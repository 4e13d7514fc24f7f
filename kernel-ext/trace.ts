// Start-up trace: with ZHIST_KERNEL_TRACE=1 the kernel logs to stderr when each start-up phase ends,
// in ms since the process started (what `node dist/bench/run.js kernel` adds up as "start to first result").
const on = Boolean(process.env.ZHIST_KERNEL_TRACE);
// The kernel later sends process.stderr to the running cell's output: the trace keeps the real one.
const write = process.stderr.write.bind(process.stderr);

export function trace(phase: string): void {
  if (on) write(`[zhist kernel] trace ${phase} ${performance.now().toFixed(0)} ms\n`);
}
