// Kernel start-up when one of its ports is taken between connectionInfo's pick and the kernel's bind
// (another process got it), and when the kernel dies at start for another reason. Real kernels and a
// real TCP server holding the port; each scenario runs in a child process (kernel-start-child.ts),
// which must also exit by itself afterwards.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), "kernel-start-child.js");

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  result: Record<string, any>;
}

/** The scenario's child process; killed (and reported so) if it has not exited within ms. */
function scenario(name: string, who: "process" | "client" = "process", ms = 60000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, name, who], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), ms);
    p.once("error", reject);
    p.once("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").pop() ?? "";
      let result: Record<string, any> = {};
      try {
        result = JSON.parse(line);
      } catch {
        // no result: asserted below
      }
      resolve({ code, signal, stderr, result });
    });
  });
}

function exitedByItself(o: Outcome): void {
  assert.equal(o.signal, null, `the scenario's process did not exit by itself (killed after the time limit); its stdout result: ${JSON.stringify(o.result)}; stderr:\n${o.stderr}`);
  assert.equal(o.code, 0, o.stderr);
}

test("KernelProcess.start: the shell port taken on the first pick, the kernel starts on fresh ports and runs a cell", { timeout: 90000 }, async () => {
  const o = await scenario("taken-once");
  exitedByItself(o);
  const r = o.result;
  assert.equal(r.started, true, JSON.stringify(r.error));
  assert.equal(r.calls, 2, "a second pick of ports");
  assert.equal(r.status, "ok");
  assert.equal(r.value, "2");
  assert.throws(() => process.kill(r.kernelPid, 0), "the kernel is gone after shutdown");
});

test("KernelProcess.start: a port taken on every attempt rejects after 3 attempts, naming the cause, without waiting for --start-timeout", { timeout: 90000 }, async () => {
  const o = await scenario("taken-always");
  exitedByItself(o);
  const r = o.result;
  assert.equal(r.started, false);
  assert.equal(r.calls, 3);
  assert.equal(r.error.name, "KernelStartError");
  assert.match(r.error.message, /on each of 3 attempts/);
  assert.match(r.error.message, /Address already in use/);
  // start-timeout is 60 s: a start that noticed the deaths ends well before it.
  assert.ok(r.ms < 30000, `took ${r.ms} ms`);
});

test("KernelProcess.start: a kernel that dies at start for another reason is reported at once, not retried", { timeout: 90000 }, async () => {
  const o = await scenario("bad-connection");
  exitedByItself(o);
  const r = o.result;
  assert.equal(r.started, false);
  assert.equal(r.calls, 1);
  assert.equal(r.error.name, "DeadKernelError");
  assert.match(r.error.message, /unsupported signature scheme hmac-md5/);
  assert.ok(r.ms < 30000, `took ${r.ms} ms`);
});

test("KernelClient.start (the kernel tests' client): the same retry on fresh ports, and the same give-up", { timeout: 120000 }, async () => {
  const once = await scenario("taken-once", "client");
  exitedByItself(once);
  assert.equal(once.result.started, true, JSON.stringify(once.result.error));
  assert.equal(once.result.calls, 2);
  assert.equal(once.result.value, "2");
  assert.notEqual(once.result.shellPort, once.result.heldPorts[0]);
  const always = await scenario("taken-always", "client");
  exitedByItself(always);
  assert.equal(always.result.started, false);
  assert.equal(always.result.calls, 3);
  assert.match(always.result.error.message, /on each of 3 attempts.*Address already in use/s);
  assert.ok(always.result.ms < 15000, `took ${always.result.ms} ms (the client's own deadline is 20 s)`);
});
