// A process that takes a lock for the lock tests: `hold TARGET` takes it, says "held" and waits to be
// killed; `try TARGET MS` tries for MS ms and says "took" (then releases) or "timeout".
import * as fs from "node:fs";
import { acquireLock, LockTimeoutError } from "../../src/zarr/lock.js";

const [mode, target, ms] = process.argv.slice(2);
if (mode === "hold") {
  await acquireLock(target);
  process.stdout.write(`held ${fs.statSync(`${target}.lock`).nlink}\n`);
  setInterval(() => {}, 1000);
} else {
  try {
    const lock = await acquireLock(target, { timeoutMs: Number(ms) });
    process.stdout.write(`took ${fs.statSync(`${target}.lock`).nlink}\n`);
    await lock.release();
  } catch (err) {
    if (!(err instanceof LockTimeoutError)) throw err;
    process.stdout.write("timeout\n");
  }
}
