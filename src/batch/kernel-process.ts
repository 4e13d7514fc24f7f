// The zhist kernel as the batch runner's child process, spoken to over ZeroMQ with the kernel's own
// wire code (kernel-ext/wire.ts): no Python and no Jupyter installation needed. The command line is
// the one `zhist install` writes into the kernelspec, so batch runs and Jupyter start the same kernel.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as zmq from "zeromq";
import { kernelSpec } from "../../kernel-ext/install.js";
import { decode, encode, newHeader, type Message } from "../../kernel-ext/wire.js";

export class KernelDiedError extends Error {
  override name = "DeadKernelError";
}

export class KernelStartError extends Error {
  override name = "KernelStartError";
}

/** A kernel that could not bind one of its ports (another process took it after connectionInfo picked it). */
export class PortTakenError extends KernelStartError {}

/** What a kernel (libzmq's bind, or Node's) logs when one of its ports is taken. */
export const addressInUse = (log: string) => /Address already in use|EADDRINUSE/.test(log);

/** A TCP port free on 127.0.0.1 at the time of asking. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export type ConnectionInfo = Awaited<ReturnType<typeof connectionInfo>>;

/** A kernel connection file's contents: five free ports on 127.0.0.1 and a fresh signing key. */
export async function connectionInfo() {
  const ports: number[] = [];
  for (let i = 0; i < 5; i++) ports.push(await freePort());
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = ports;
  return {
    transport: "tcp", ip: "127.0.0.1", key: randomBytes(32).toString("hex"), signature_scheme: "hmac-sha256",
    shell_port, iopub_port, stdin_port, control_port, hb_port, kernel_name: "zhist",
  };
}

/**
 * Starts a kernel with `start`, on fresh ports again when it fails with PortTakenError: connectionInfo's
 * ports are free when picked, not necessarily when the kernel binds them. Any other failure, or the
 * last of `attempts`, is thrown.
 */
export async function onFreshPorts<T>(start: (conn: ConnectionInfo) => Promise<T>, opts: { attempts?: number; connection?: () => Promise<ConnectionInfo> } = {}): Promise<T> {
  const attempts = opts.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await (opts.connection ?? connectionInfo)());
    } catch (e) {
      if (!(e instanceof PortTakenError)) throw e;
      if (attempt >= attempts) throw new KernelStartError(`cannot start the kernel: on each of ${attempts} attempts, with fresh ports, one of its ports was taken before it could bind it (Address already in use); the last attempt: ${e.message}`);
    }
  }
}

/** Resolves once the child's stdout and stderr are closed (all it wrote has been read), or after ms. */
export function outputClosed(proc: ChildProcess, ms: number): Promise<void> {
  const closed = (s: NodeJS.ReadableStream & { closed?: boolean } | null) => (!s || s.closed ? Promise.resolve() : new Promise<void>((r) => s.once("close", () => r())));
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.all([closed(proc.stdout), closed(proc.stderr)]).then(() => undefined),
    new Promise<void>((r) => { timer = setTimeout(r, ms); }),
  ]).finally(() => clearTimeout(timer));
}

export interface StartOptions {
  cwd: string;
  /** Seconds to wait for the first kernel_info_reply (papermill's --start-timeout). */
  startTimeout: number;
  env?: NodeJS.ProcessEnv;
  /** Picks the kernel's ports (connectionInfo); called again for each retry on fresh ports. */
  connection?: () => Promise<ConnectionInfo>;
}

type Listener = (m: Message) => void;

// linger 0: a message still queued for a kernel that never took it (it died before binding) is dropped
// at close; by default libzmq keeps it and this process never exits (zmq_ctx_term waits for it).
export class KernelProcess {
  private readonly shell = new zmq.Dealer({ linger: 0 });
  private readonly control = new zmq.Dealer({ linger: 0 });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
  private readonly session = randomUUID();
  private readonly listeners = new Set<Listener>();
  private readonly deathWatchers = new Set<(e: Error) => void>();
  private sendQueue: Promise<unknown> = Promise.resolve();
  /** Rejects when the kernel exits (or cannot be started). */
  private readonly death: Promise<never>;
  private rejectDeath!: (e: Error) => void;
  /** The kernel's kernel_info_reply content (language_info for the notebook's metadata). */
  info: Record<string, any> = {};
  /** The kernel's own stderr (its log), kept for error messages. */
  log = "";
  exited = false;

  private constructor(
    readonly proc: ChildProcess,
    private readonly key: string,
    private readonly dir: string,
  ) {
    this.death = new Promise<never>((_, reject) => { this.rejectDeath = reject; });
    this.death.catch(() => undefined);
  }

  /** Starts the kernel; on fresh ports again (3 attempts) when one of its ports was taken before it bound it. */
  static start(opts: StartOptions): Promise<KernelProcess> {
    return onFreshPorts((conn) => KernelProcess.startOn(conn, opts), { connection: opts.connection });
  }

  private static async startOn(conn: ConnectionInfo, opts: StartOptions): Promise<KernelProcess> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-run-"));
    const file = path.join(dir, "kernel.json");
    fs.writeFileSync(file, JSON.stringify(conn), { mode: 0o600 });
    const argv = (kernelSpec().argv as string[]).map((a) => (a === "{connection_file}" ? file : a));
    const proc = spawn(argv[0], argv.slice(1), {
      cwd: opts.cwd,
      // The kernel exits by itself if this runner dies (kernel-ext/main.ts watches JPY_PARENT_PID).
      env: { ...process.env, ...opts.env, JPY_PARENT_PID: String(process.pid) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const k = new KernelProcess(proc, conn.key, dir);
    proc.stderr!.on("data", (d) => { k.log = (k.log + d).slice(-20000); });
    proc.stdout!.on("data", (d) => { k.log = (k.log + d).slice(-20000); });
    proc.once("error", (e) => k.died(new KernelStartError(`cannot start the kernel (${argv[0]}): ${e.message}`)));
    proc.once("exit", (code, signal) => k.died(new KernelDiedError(`the kernel exited (${signal ?? `code ${code}`})${k.log ? `; its log:\n${k.log.trimEnd()}` : ""}`)));
    const addr = (p: number) => `tcp://127.0.0.1:${p}`;
    k.shell.connect(addr(conn.shell_port));
    k.control.connect(addr(conn.control_port));
    k.iopub.connect(addr(conn.iopub_port));
    k.iopub.subscribe();
    for (const s of [k.shell, k.control, k.iopub]) void k.pump(s);
    try {
      await k.waitReady(opts.startTimeout * 1000);
    } catch (e) {
      await k.shutdown();
      // "exit" can come before the last of the kernel's stderr is read.
      await outputClosed(proc, 2000);
      if (addressInUse(k.log)) throw new PortTakenError(`${(e as Error).message.split("\n")[0].replace(/; its log:$/, "")}: it could not bind its ports; its log:\n${k.log.trimEnd()}`);
      throw e;
    }
    return k;
  }

  /** Ready when kernel_info is answered and its idle status arrives on iopub (so outputs are not missed). */
  private async waitReady(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const { answer } = await this.request("shell", "kernel_info_request", {}, Math.min(1500, Math.max(100, deadline - Date.now())));
      const seen = await answer.catch((e) => {
        if (e instanceof KernelDiedError || e instanceof KernelStartError) throw e;
        return undefined;
      });
      if (seen) {
        this.info = seen.content;
        return;
      }
    }
    throw new KernelStartError(`the kernel did not answer within ${ms / 1000} s (--start-timeout)${this.log ? `; its log:\n${this.log.trimEnd()}` : ""}`);
  }

  private died(e: Error): void {
    if (this.exited) return;
    this.exited = true;
    this.rejectDeath(e);
    for (const w of this.deathWatchers) w(e);
  }

  private async pump(sock: zmq.Dealer | zmq.Subscriber): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: Message;
        try {
          msg = decode(frames, this.key);
        } catch {
          continue; // unsigned or malformed: never trusted
        }
        for (const l of this.listeners) l(msg);
      }
    } catch {
      // socket closed
    }
  }

  /**
   * Sends a request and collects what answers it (see collect). The listener is in place before the
   * request leaves, so no answer can come before it.
   */
  async request(channel: "shell" | "control", msgType: string, content: Record<string, unknown>, ms: number | null, onMessage?: (m: Message) => void): Promise<{ id: string; answer: Promise<Message> }> {
    const header = newHeader(msgType, this.session, "zhist-run");
    const answer = this.collect(header.msg_id, ms, onMessage);
    answer.catch(() => undefined); // the caller awaits it; a send failure must not leave it unhandled
    await this.send(channel, msgType, content, header);
    return { id: header.msg_id, answer };
  }

  async send(channel: "shell" | "control", msgType: string, content: Record<string, unknown>, header = newHeader(msgType, this.session, "zhist-run")): Promise<string> {
    const frames = encode({ header, parent_header: {}, content }, this.key);
    const sock = channel === "shell" ? this.shell : this.control;
    // zeromq.js refuses concurrent sends on one socket. A send can wait (no send timeout) while no peer
    // takes messages; one that has exited never will, so its death ends the wait.
    const sent = this.sendQueue.then(() => Promise.race([sock.send(frames), this.death]));
    this.sendQueue = sent.catch(() => undefined);
    await sent;
    return header.msg_id;
  }

  /**
   * Every message parented to msgId, handed to onMessage as it comes; resolves with the reply once the
   * reply and the idle status have both arrived. Rejects after `ms` (null: never) or when the kernel dies.
   */
  collect(msgId: string, ms: number | null, onMessage?: (m: Message) => void): Promise<Message> {
    return new Promise((resolve, reject) => {
      let reply: Message | undefined;
      let idle = false;
      const done = () => {
        this.listeners.delete(listener);
        this.deathWatchers.delete(onDeath);
        if (timer) clearTimeout(timer);
      };
      const listener: Listener = (m) => {
        if (m.parent_header.msg_id !== msgId) return;
        if (m.header.msg_type.endsWith("_reply")) reply = m;
        else if (m.header.msg_type === "status" && m.content.execution_state === "idle") idle = true;
        onMessage?.(m);
        if (reply && idle) {
          done();
          resolve(reply);
        }
      };
      const onDeath = (e: Error) => {
        done();
        reject(e);
      };
      const timer = ms === null ? undefined : setTimeout(() => {
        done();
        reject(new TimeoutError(ms));
      }, ms);
      this.listeners.add(listener);
      this.deathWatchers.add(onDeath);
      if (this.exited) onDeath(new KernelDiedError("the kernel is not running"));
    });
  }

  /** The kernelspec says interrupt_mode "signal": SIGINT, as Jupyter sends it. */
  interrupt(): void {
    if (!this.exited) this.proc.kill("SIGINT");
  }

  async shutdown(graceMs = 3000): Promise<void> {
    if (!this.exited) {
      const exited = new Promise<void>((r) => this.proc.once("exit", () => r()));
      // Armed before the request: a request that cannot leave must not hold off the kill.
      const t = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
      try {
        await this.send("control", "shutdown_request", { restart: false });
      } catch {
        // already gone
      }
      await exited;
      clearTimeout(t);
    }
    for (const s of [this.shell, this.control, this.iopub]) s.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export class TimeoutError extends Error {
  override name = "TimeoutError";
  constructor(readonly ms: number) {
    super(`no reply within ${ms / 1000} s`);
  }
}
