// A Jupyter client for the tests: starts the zhist kernel on 127.0.0.1 with a fresh connection file and
// speaks the wire protocol over ZeroMQ (Dealer for shell/control/stdin, Subscriber for iopub). Every wait is bounded.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as zmq from "zeromq";
import { decode, encode, newHeader, type Message } from "../../kernel-ext/wire.js";
import { addressInUse, connectionInfo, onFreshPorts, outputClosed, PortTakenError, type ConnectionInfo } from "../../src/batch/kernel-process.js";

export { connectionInfo };

export const kernelMain = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "kernel-ext", "main.js");

export class KernelClient {
  readonly session = randomUUID();
  // Shell and stdin share one routing identity, as jupyter_client's do: input_request goes to the shell sender.
  // linger 0: messages queued for a kernel that never bound its ports must not keep the test process alive at exit.
  readonly shell = new zmq.Dealer({ routingId: this.session, linger: 0 });
  readonly stdin = new zmq.Dealer({ routingId: this.session, linger: 0 });
  readonly control = new zmq.Dealer({ linger: 0 });
  readonly iopub = new zmq.Subscriber({ linger: 0 });
  readonly iopubMsgs: Message[] = [];
  readonly replies: Message[] = [];
  /** input_request messages the kernel sent on stdin. */
  readonly stdinMsgs: Message[] = [];
  stderr = "";
  private waiters = new Set<() => void>();
  private constructor(readonly proc: ChildProcess, readonly conn: ConnectionInfo, readonly dir: string) {}

  get exited(): boolean {
    return this.proc.exitCode !== null || this.proc.signalCode !== null;
  }

  /**
   * `main`: another kernel binary to start (the bench compares builds with it); `connection` picks the
   * ports (connectionInfo). On fresh ports again (3 attempts) when one of the kernel's ports was taken
   * before it bound it.
   */
  static start(opts: { cwd?: string; env?: NodeJS.ProcessEnv; main?: string; connection?: () => Promise<ConnectionInfo> } = {}): Promise<KernelClient> {
    return onFreshPorts((conn) => KernelClient.startOn(conn, opts), { connection: opts.connection });
  }

  private static async startOn(conn: ConnectionInfo, opts: { cwd?: string; env?: NodeJS.ProcessEnv; main?: string }): Promise<KernelClient> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-kernel-"));
    const file = path.join(dir, "connection.json");
    fs.writeFileSync(file, JSON.stringify(conn));
    const proc = spawn(process.execPath, [opts.main ?? kernelMain, file], { cwd: opts.cwd ?? dir, env: { ...process.env, JPY_PARENT_PID: String(process.pid), ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
    const c = new KernelClient(proc, conn, dir);
    proc.stderr!.on("data", (d) => {
      c.stderr += d;
      c.wake();
    });
    proc.stdout!.on("data", (d) => {
      c.stderr += d;
    });
    proc.once("exit", () => c.wake());
    const addr = (p: number) => `tcp://127.0.0.1:${p}`;
    c.shell.connect(addr(conn.shell_port));
    c.control.connect(addr(conn.control_port));
    c.stdin.connect(addr(conn.stdin_port));
    c.iopub.connect(addr(conn.iopub_port));
    c.iopub.subscribe();
    void c.pump(c.iopub, c.iopubMsgs);
    void c.pump(c.shell, c.replies);
    void c.pump(c.control, c.replies);
    void c.pump(c.stdin, c.stdinMsgs);
    // The kernel is ready when it answers kernel_info (retried: iopub subscriptions take a moment too).
    const deadline = Date.now() + 20000;
    for (;;) {
      const id = await c.send("shell", "kernel_info_request", {});
      let why = "";
      try {
        // A kernel that exits (e.g. a port taken) ends the waits at once.
        await c.waitFor(() => c.exited || c.replies.some((m) => m.parent_header.msg_id === id), 1500, `reply to ${id}`);
        await c.waitFor(() => c.exited || c.iopubMsgs.some((m) => m.parent_header.msg_id === id && m.content.execution_state === "idle"), 500, `idle after ${id}`);
        if (!c.exited) return c;
      } catch (e) {
        why = (e as Error).message;
      }
      if (c.exited || Date.now() > deadline) {
        if (c.exited) why = `the kernel exited (${proc.signalCode ?? `code ${proc.exitCode}`})`;
        await c.stop();
        await outputClosed(proc, 2000);
        if (addressInUse(c.stderr)) throw new PortTakenError(`${why}: it could not bind its ports; its log:\n${c.stderr.trimEnd()}`);
        throw new Error(`kernel did not start: ${why}\n${c.stderr}`);
      }
    }
  }

  private async pump(sock: zmq.Subscriber | zmq.Dealer, into: Message[]): Promise<void> {
    try {
      for await (const frames of sock) {
        into.push(decode(frames, this.conn.key));
        this.wake();
      }
    } catch {
      // socket closed
    }
  }

  private wake(): void {
    for (const w of this.waiters) w();
  }

  /** Resolves when `pred` holds; rejects after `ms`. */
  waitFor(pred: () => boolean, ms = 10000, what = "condition"): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pred()) {
          done();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  async send(channel: "shell" | "control" | "stdin", msgType: string, content: Record<string, unknown>, opts: { buffers?: Buffer[]; key?: string; parent?: Message } = {}): Promise<string> {
    const header = newHeader(msgType, this.session, "test");
    const frames = encode({ header, parent_header: opts.parent?.header ?? {}, content, buffers: opts.buffers }, opts.key ?? this.conn.key);
    await this[channel].send(frames);
    return header.msg_id;
  }

  /** Sends an execute_request without waiting; `content` overrides the defaults (allow_stdin false, stop_on_error true). */
  sendExecute(code: string, content: Record<string, unknown> = {}): Promise<string> {
    return this.send("shell", "execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, ...content });
  }

  /** The input_request parented to the execute_request msgId (waited for). */
  async inputRequest(msgId: string, ms = 15000): Promise<Message> {
    const find = () => this.stdinMsgs.find((m) => m.header.msg_type === "input_request" && m.parent_header.msg_id === msgId);
    await this.waitFor(() => find() !== undefined, ms, `input_request for ${msgId}`);
    return find()!;
  }

  async reply(msgId: string, ms = 15000): Promise<Message> {
    await this.waitFor(() => this.replies.some((m) => m.parent_header.msg_id === msgId), ms, `reply to ${msgId}`);
    return this.replies.find((m) => m.parent_header.msg_id === msgId)!;
  }

  /** iopub messages parented to msgId, up to and including its idle status (waited for). */
  async outputs(msgId: string, ms = 15000): Promise<Message[]> {
    await this.waitFor(() => this.iopubMsgs.some((m) => m.parent_header.msg_id === msgId && m.header.msg_type === "status" && m.content.execution_state === "idle"), ms, `idle after ${msgId}`);
    return this.iopubMsgs.filter((m) => m.parent_header.msg_id === msgId);
  }

  /** Runs a cell: the execute_reply and the cell's iopub messages. */
  async execute(code: string, ms = 15000, content: Record<string, unknown> = {}): Promise<{ reply: Message; out: Message[] }> {
    const id = await this.sendExecute(code, content);
    const reply = await this.reply(id, ms);
    return { reply, out: await this.outputs(id, ms) };
  }

  /** A cell that must succeed: its value as text/plain (undefined when it has none). */
  async valueOf(code: string, ms = 30000): Promise<string | undefined> {
    const { reply, out } = await this.execute(code, ms);
    assert.equal(reply.content.status, "ok", `${code}: ${JSON.stringify(reply.content)}`);
    return out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"];
  }

  /** A cell that must fail to compile: its TypeScript diagnostics ("line:column - message"). */
  async diagnosticsOf(code: string, ms = 30000): Promise<string> {
    const { reply } = await this.execute(code, ms);
    assert.equal(reply.content.ename, "TypeScriptError", `${code}: ${JSON.stringify(reply.content)}`);
    return reply.content.evalue;
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise<void>((r) => this.proc.once("exit", () => r()));
      // Armed first, and the send raced against the exit: a request that cannot leave must not hold off the kill.
      const t = setTimeout(() => this.proc.kill("SIGKILL"), 3000);
      await Promise.race([this.send("control", "shutdown_request", { restart: false }).catch(() => undefined), exited]);
      await exited;
      clearTimeout(t);
    }
    for (const s of [this.shell, this.control, this.stdin, this.iopub]) s.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export const types = (out: Message[]) => out.map((m) => m.header.msg_type);
export const streamText = (out: Message[], name = "stdout") => out.filter((m) => m.header.msg_type === "stream" && m.content.name === name).map((m) => m.content.text).join("");
