// The zhist kernel: owns the Jupyter sockets and messages; cells run through tslab (executor.ts),
// after the cell transform of hooks.ts (the magics). Shell messages are handled one at a time, in
// order; control (interrupt, shutdown) is served while a cell runs.
import * as fs from "node:fs";
import * as util from "node:util";
import * as zmq from "zeromq";
import { CommRegistry } from "./comms.js";
import { CompilerThread } from "./compiler.js";
import { createCellRunner, inspectValue, INTERRUPTED, type CellResult, type CellRunner } from "./executor.js";
import { CellError, transformCell } from "./hooks.js";
import { StdinNotImplementedError } from "./api.js";
import { StdinChannel } from "./stdin.js";
import { trace } from "./trace.js";
import { bundleOf, type MimeBundle } from "./display.js";
import { decode, encode, newHeader, PROTOCOL_VERSION, WireError, type Message } from "./wire.js";

export interface ConnectionInfo {
  transport: string;
  ip: string;
  key: string;
  signature_scheme?: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

const BRIDGE = Symbol.for("zhist.kernel.bridge");
const log = (...a: unknown[]) => originalStderr(`[zhist kernel] ${util.format(...a)}\n`);
const originalStdoutWrite = process.stdout.write.bind(process.stdout);
const originalStderrWrite = process.stderr.write.bind(process.stderr);
const originalStderr = (s: string) => originalStderrWrite(s);

export class Kernel {
  private readonly shell = new zmq.Router();
  private readonly control = new zmq.Router();
  // mandatory: an input_request to a front end without a stdin socket fails instead of vanishing.
  private readonly stdin = new zmq.Router({ mandatory: true });
  private readonly iopub = new zmq.Publisher();
  private readonly hb = new zmq.Reply();
  private readonly session = crypto.randomUUID();
  private runner?: CellRunner;
  private executionCount = 0;
  private readonly history: [number, number, string][] = [];
  /** The message whose outputs stdout, display and comms currently go to. */
  private current?: Message;
  private cellAbort = new AbortController();
  private readonly comms: CommRegistry;
  private iopubQueue: Promise<void> = Promise.resolve();
  private closed = false;
  readonly rejected: string[] = [];
  private shellQueue: Promise<void> = Promise.resolve();
  /** Shell messages read so far (to tell when the socket's backlog has been read). */
  private received = 0;
  /** After a failed cell with stop_on_error: queued execute_requests are answered "aborted" (as ipykernel does). */
  private aborting = false;
  /** The execute_request whose cell is running now, if any. */
  private running?: Message;
  private readonly input: StdinChannel;
  /** Messages being handled now (shell and control). */
  private handling = 0;
  private firstCellDone!: () => void;
  /** Resolves when the first execute_request has been answered (the kernel is then idle: time for deferred work). */
  readonly afterFirstCell = new Promise<void>((resolve) => {
    this.firstCellDone = resolve;
  });

  /** `compiler`: a compiler thread already warming up (main.ts starts it first thing); else one is started here. */
  constructor(
    private readonly conn: ConnectionInfo,
    private readonly compiler: CompilerThread = new CompilerThread(),
  ) {
    if (conn.signature_scheme && conn.signature_scheme !== "hmac-sha256") throw new Error(`unsupported signature scheme ${conn.signature_scheme}`);
    this.comms = new CommRegistry({ send: (t, c, b, m, unparented) => this.publish(t, c, unparented ? undefined : this.current, b, m) });
    this.input = new StdinChannel(this.stdin, conn.key, this.session, log);
  }

  static fromFile(file: string, compiler?: CompilerThread): Kernel {
    return new Kernel(JSON.parse(fs.readFileSync(file, "utf8")) as ConnectionInfo, compiler);
  }

  get registry(): CommRegistry {
    return this.comms;
  }

  async start(): Promise<void> {
    const addr = (port: number) => `${this.conn.transport}://${this.conn.ip}:${port}`;
    await Promise.all([
      this.shell.bind(addr(this.conn.shell_port)),
      this.control.bind(addr(this.conn.control_port)),
      this.stdin.bind(addr(this.conn.stdin_port)),
      this.iopub.bind(addr(this.conn.iopub_port)),
      this.hb.bind(addr(this.conn.hb_port)),
    ]);
    this.installBridge();
    process.on("SIGINT", () => this.interrupt());
    void this.serve(this.shell, true);
    void this.serve(this.control, false);
    void this.input.serve();
    void this.heartbeat();
    // The compiler warms up in its thread; the runner's own start (tslab's executor) is paid now, not in the first cell.
    setImmediate(() => {
      this.ensureRunner();
    });
  }

  /** Resolves once no message has come or been in hand for `ms`: for deferred work that must not overlap a cell. */
  async quiet(ms: number): Promise<void> {
    for (;;) {
      const seen = this.received;
      await new Promise((r) => setTimeout(r, ms));
      if (this.received === seen && this.handling === 0) return;
    }
  }

  private ensureRunner(): CellRunner {
    if (!this.runner) {
      // Nothing here may wait for the compiler thread: kernel_info is answered while it warms up.
      this.runner = createCellRunner(this.compiler);
      trace("cell runner ready");
    }
    return this.runner;
  }

  private async heartbeat(): Promise<void> {
    try {
      for await (const frames of this.hb) await this.hb.send(frames);
    } catch (e) {
      if (!this.closed) log("heartbeat stopped:", e);
    }
  }

  private async serve(sock: zmq.Router, queued: boolean): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: Message;
        try {
          msg = decode(frames, this.conn.key);
        } catch (e) {
          const why = e instanceof WireError ? e.message : String(e);
          this.rejected.push(why);
          log(`rejected a message on ${queued ? "shell" : "control"}: ${why}`);
          continue;
        }
        // The answer a running cell waits for (the fill's front end probe) cannot wait for the cell.
        if (queued && msg.header.msg_type === "comm_msg" && this.comms.atOnce(msg.content?.comm_id)) this.commMessage(msg);
        else if (queued) {
          this.received++;
          this.shellQueue = this.shellQueue.then(() => this.handle(sock, msg));
        }
        else await this.handle(sock, msg);
      }
    } catch (e) {
      if (!this.closed) log("socket loop stopped:", e);
    }
  }

  // ---- sending -------------------------------------------------------------------------------

  private publish(msgType: string, content: unknown, parent?: Message, buffers?: Buffer[], metadata?: Record<string, unknown>): void {
    const frames = encode({ header: newHeader(msgType, this.session), parent_header: parent?.header ?? {}, metadata, content, buffers }, this.conn.key);
    // One send at a time on a socket: zeromq.js rejects concurrent sends.
    this.iopubQueue = this.iopubQueue.then(() => this.iopub.send(frames)).catch((e) => {
      if (!this.closed) log("iopub send failed:", e);
    });
  }

  private async reply(sock: zmq.Router, req: Message, msgType: string, content: unknown): Promise<void> {
    await this.iopubQueue;
    const frames = encode({ identities: req.identities, header: newHeader(msgType, this.session), parent_header: req.header, content }, this.conn.key);
    await sock.send(frames);
  }

  private status(state: "busy" | "idle" | "starting", parent: Message): void {
    this.publish("status", { execution_state: state }, parent);
  }

  // ---- handlers ------------------------------------------------------------------------------

  private async handle(sock: zmq.Router, msg: Message): Promise<void> {
    const type = msg.header.msg_type;
    this.status("busy", msg);
    this.handling++;
    trace(type);
    try {
      switch (type) {
        case "kernel_info_request":
          trace("kernel_info_request");
          await this.reply(sock, msg, "kernel_info_reply", this.kernelInfo());
          break;
        case "execute_request":
          if (this.aborting) await this.reply(sock, msg, "execute_reply", { status: "aborted" });
          else await this.execute(sock, msg);
          this.firstCellDone();
          break;
        case "complete_request": {
          const code = String(msg.content.code ?? ""), pos = Number(msg.content.cursor_pos ?? code.length);
          const c = this.ensureRunner().complete(code, pos);
          await this.reply(sock, msg, "complete_reply", { status: "ok", matches: c.candidates, cursor_start: c.start, cursor_end: c.end, metadata: {} });
          break;
        }
        case "inspect_request": {
          const code = String(msg.content.code ?? ""), pos = Number(msg.content.cursor_pos ?? code.length);
          const text = this.ensureRunner().inspect(code, pos);
          await this.reply(sock, msg, "inspect_reply", { status: "ok", found: text !== undefined, data: text ? { "text/plain": text } : {}, metadata: {} });
          break;
        }
        case "is_complete_request": {
          const r = this.ensureRunner().isComplete(String(msg.content.code ?? ""));
          await this.reply(sock, msg, "is_complete_reply", r.completed ? { status: "complete" } : { status: "incomplete", indent: r.indent ?? "" });
          break;
        }
        case "history_request":
          await this.reply(sock, msg, "history_reply", { status: "ok", history: this.historyFor(msg.content) });
          break;
        case "comm_info_request": {
          const target = msg.content.target_name;
          const comms: Record<string, { target_name: string }> = {};
          for (const c of this.comms.comms.values()) if (!target || c.target === target) comms[c.id] = { target_name: c.target };
          await this.reply(sock, msg, "comm_info_reply", { status: "ok", comms });
          break;
        }
        case "comm_open":
        case "comm_msg":
        case "comm_close":
          this.commMessage(msg);
          break;
        case "interrupt_request":
          this.interrupt();
          await this.reply(sock, msg, "interrupt_reply", { status: "ok" });
          break;
        case "shutdown_request":
          await this.reply(sock, msg, "shutdown_reply", { status: "ok", restart: Boolean(msg.content.restart) });
          this.status("idle", msg);
          await this.close();
          process.exit(0);
          return;
        default:
          log(`unhandled message type ${type}`);
      }
    } catch (e) {
      log(`error handling ${type}:`, e);
    }
    this.handling--;
    this.status("idle", msg);
  }

  private kernelInfo() {
    return {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: "zhist",
      implementation_version: readVersion(),
      language_info: {
        name: "typescript",
        version: "5.0",
        mimetype: "text/typescript",
        file_extension: ".ts",
        codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
      },
      banner: `zhist ${readVersion()}: TypeScript (tslab) with N-D histograms in Zarr`,
      help_links: [],
    };
  }

  private historyFor(content: Record<string, any>): [number, number, string][] {
    const all = this.history;
    if (content.hist_access_type === "search" && typeof content.pattern === "string") {
      const re = new RegExp("^" + content.pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".") + "$", "s");
      const hits = all.filter((h) => re.test(h[2]));
      return typeof content.n === "number" ? hits.slice(-content.n) : hits;
    }
    if (content.hist_access_type === "range") {
      const start = Number(content.start ?? 1), stop = content.stop == null ? Infinity : Number(content.stop);
      return all.filter((h) => h[1] >= start && h[1] < stop);
    }
    const n = typeof content.n === "number" ? content.n : all.length;
    return n > 0 ? all.slice(-n) : [];
  }

  private commMessage(msg: Message): void {
    const c = msg.content;
    const prev = this.current;
    this.current = msg;
    try {
      if (msg.header.msg_type === "comm_open") {
        if (!this.comms.open(c.comm_id, c.target_name, c.data, msg.buffers)) {
          log(`comm_open for unknown target ${JSON.stringify(c.target_name)}: closed`);
          this.publish("comm_close", { comm_id: c.comm_id, data: {} }, msg);
        }
      } else if (msg.header.msg_type === "comm_msg") {
        if (!this.comms.message(c.comm_id, c.data, msg.buffers)) log(`comm_msg for unknown comm ${c.comm_id}`);
      } else this.comms.close(c.comm_id, c.data);
    } finally {
      this.current = prev;
    }
  }

  interrupt(): void {
    trace("interrupt");
    this.cellAbort.abort(Object.assign(new Error("the cell was interrupted"), { name: "AbortError" }));
    this.runner?.interrupt();
  }

  private async execute(sock: zmq.Router, msg: Message): Promise<void> {
    const code = typeof msg.content.code === "string" ? msg.content.code : "";
    const silent = Boolean(msg.content.silent);
    const store = !silent && msg.content.store_history !== false;
    if (store) this.executionCount++;
    const count = this.executionCount;
    if (!silent) this.publish("execute_input", { code, execution_count: count }, msg);
    if (store) this.history.push([0, count, code]);
    this.current = msg;
    this.running = msg;
    this.cellAbort = new AbortController();
    this.captureOutput();
    // A cell may block the event loop: let busy and execute_input leave first.
    await this.iopubQueue;
    let result: CellResult;
    try {
      const cell = await transformCell(code, { executionCount: count, signal: this.cellAbort.signal });
      await cell.before?.();
      const runner = this.ensureRunner();
      if (count === 1) trace("first cell compiles");
      // Interrupted during the cell transform or before(): the code does not start.
      result = this.cellAbort.signal.aborted ? INTERRUPTED : await runner.run(cell.code, count);
      if (count === 1) trace("first cell ran");
      if (result.status === "ok" && cell.after) await cell.after();
    } catch (e) {
      result = e instanceof CellError
        ? { status: "error", ename: e.name, evalue: e.message, traceback: [`${e.name}: ${e.message}`, ...e.traceback] }
        : { status: "error", ename: (e as Error)?.name ?? "Error", evalue: (e as Error)?.message ?? String(e), traceback: String((e as Error)?.stack ?? e).split("\n") };
    } finally {
      this.running = undefined;
    }
    if (result.status === "ok") {
      if (result.hasValue && !silent) {
        const bundle = this.bundle(result.value);
        if (bundle) this.publish("execute_result", { execution_count: count, data: bundle, metadata: {} }, msg);
      }
      await this.reply(sock, msg, "execute_reply", { status: "ok", execution_count: count, payload: [], user_expressions: {} });
    } else {
      const { ename, evalue, traceback } = result;
      // Before the reply: whatever the front end sends once it has seen the error must run, not be aborted.
      if (!silent && msg.content.stop_on_error !== false) await this.abortQueued();
      this.publish("error", { ename, evalue, traceback }, msg);
      await this.reply(sock, msg, "execute_reply", { status: "error", execution_count: count, ename, evalue, traceback });
    }
  }

  /**
   * Answers "aborted" to the execute_requests already sent when a cell failed (a "run all" stops at the
   * error), like ipykernel: the shell socket's backlog is read first, then a marker queued behind it
   * ends the aborting, so requests sent after the failed cell's reply run normally.
   */
  private async abortQueued(): Promise<void> {
    this.aborting = true;
    // The socket loop reads one buffered message per turn or so: wait until a few turns bring nothing new.
    for (let quiet = 0; quiet < 3; ) {
      const before = this.received;
      await new Promise((r) => setImmediate(r));
      quiet = this.received === before ? quiet + 1 : 0;
    }
    this.shellQueue = this.shellQueue.then(() => {
      this.aborting = false;
    });
  }

  private bundle(value: unknown): MimeBundle | undefined {
    try {
      return bundleOf(value);
    } catch (e) {
      return { "text/plain": `${inspectValue(value)}\n(its Jupyter.display bundle failed: ${(e as Error).message})` };
    }
  }

  /** Like Python kernels, output written after a cell ends still goes to the last cell that ran. */
  private captureOutput(): void {
    const make = (name: "stdout" | "stderr") =>
      ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown) => {
        const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        if (text) this.publish("stream", { name, text }, this.current);
        const done = typeof encoding === "function" ? encoding : cb;
        if (typeof done === "function") done();
        return true;
      }) as typeof process.stdout.write;
    process.stdout.write = make("stdout");
    process.stderr.write = make("stderr");
  }

  private installBridge(): void {
    const bridge = {
      cellSignal: () => this.cellAbort.signal,
      bundleOf: (v: unknown) => bundleOf(v) ?? { "text/plain": inspectValue(v) },
      display: (bundle: MimeBundle, opts: { displayId?: string; update?: boolean; metadata?: Record<string, unknown> }) => {
        const content = { data: bundle, metadata: opts.metadata ?? {}, transient: opts.displayId ? { display_id: opts.displayId } : {} };
        this.publish(opts.update ? "update_display_data" : "display_data", content, this.current);
      },
      comms: this.comms,
      input: (prompt: string, password: boolean) => this.askInput(prompt, password),
    };
    (globalThis as Record<symbol, unknown>)[BRIDGE] = bridge;
    (globalThis as Record<string, unknown>).zhist = { cellSignal: bridge.cellSignal };
  }

  /** input() of "zhist/kernel": a line from the front end that sent the running cell, if it takes input. */
  private askInput(prompt: string, password: boolean): Promise<string> | undefined {
    const cell = this.running;
    if (!cell) return Promise.reject(new StdinNotImplementedError("input() was called outside a running cell: no front end is waiting to answer"));
    if (cell.content.allow_stdin !== true) return undefined;
    // What the cell printed before asking goes out first, as a terminal would show it above the prompt.
    const signal = this.cellAbort.signal;
    return this.iopubQueue.then(() => this.input.request(cell, prompt, password, signal));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    process.stdout.write = originalStdoutWrite;
    process.stderr.write = originalStderrWrite;
    await this.iopubQueue;
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) s.close();
    this.runner?.close();
  }
}

let version: string | undefined;
function readVersion(): string {
  if (!version) {
    try {
      version = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version as string;
    } catch {
      version = "0";
    }
  }
  return version;
}
