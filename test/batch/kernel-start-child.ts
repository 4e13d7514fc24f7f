// One kernel start scenario of kernel-start.test.ts in a process of its own, so that the test also sees
// whether this process exits by itself afterwards (queued ZeroMQ messages to a kernel that never bound
// its ports kept it alive forever). Prints one JSON line with what happened.
import * as net from "node:net";
import * as os from "node:os";
import { connectionInfo, KernelProcess, type ConnectionInfo } from "../../src/batch/kernel-process.js";
import { KernelClient } from "../kernel/client.js";

const held: net.Server[] = [];

/** Fresh ports, with the shell port held by a plain TCP server (as another process taking it would). */
async function withShellTaken(): Promise<ConnectionInfo> {
  const conn = await connectionInfo();
  const s = net.createServer((sock) => sock.on("error", () => undefined));
  await new Promise<void>((resolve, reject) => {
    s.once("error", reject);
    s.listen(conn.shell_port, "127.0.0.1", () => resolve());
  });
  held.push(s);
  return conn;
}

const scenario = process.argv[2];
let calls = 0;
const pick: Record<string, () => Promise<ConnectionInfo>> = {
  // The first pick's shell port is taken; the retry's ports are free.
  "taken-once": () => (calls++ === 0 ? withShellTaken() : connectionInfo()),
  "taken-always": () => (calls++, withShellTaken()),
  // The kernel refuses its connection file and exits: a start-up death with ports free.
  "bad-connection": async () => (calls++, { ...(await connectionInfo()), signature_scheme: "hmac-md5" }),
};
const t0 = Date.now();
const result: Record<string, unknown> = { scenario };
try {
  if (process.argv[3] === "client") {
    const c = await KernelClient.start({ connection: pick[scenario] });
    result.value = await c.valueOf("1 + 1");
    result.shellPort = c.conn.shell_port;
    await c.stop();
  } else {
    const k = await KernelProcess.start({ cwd: os.tmpdir(), startTimeout: 60, connection: pick[scenario] });
    let value: unknown;
    const { answer } = await k.request("shell", "execute_request", { code: "1 + 1", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, 30000, (m) => {
      if (m.header.msg_type === "execute_result") value = m.content.data["text/plain"];
    });
    result.status = (await answer).content.status;
    result.value = value;
    await k.shutdown();
    result.kernelPid = k.proc.pid;
  }
  result.started = true;
} catch (e) {
  result.started = false;
  result.error = { name: (e as Error).name, message: (e as Error).message };
}
result.calls = calls;
result.heldPorts = held.map((s) => (s.address() as net.AddressInfo).port);
result.ms = Date.now() - t0;
for (const s of held) s.close();
process.stdout.write(JSON.stringify(result) + "\n");
// No process.exit: the process must end by itself.
