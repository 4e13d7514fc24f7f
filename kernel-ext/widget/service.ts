// Answers the front end's control changes (widgets/PROTOCOL.md, "Exchange"): validates each one,
// projects one at a time, and never answers a request older than the newest received. While a
// projection runs, newer requests replace the pending one (a burst of clicks costs one projection
// more, not one per click); an answer overtaken by a newer request is dropped.
import { type Controls, ControlError, validateControls, validateRequest } from "./controls.js";
import type { HistInfo } from "./model.js";
import type { Answer } from "./project.js";

/** Sends a state patch (and binary buffers at paths) to the front end. */
export type Send = (patch: Record<string, unknown>, buffers?: Buffer[], bufferPaths?: (string | number)[][]) => void;

interface Job { controls: Controls; request: number }

export class ProjectionService {
  /** The newest request received (valid or not): nothing older is ever answered. */
  private newest: number;
  private pending: Job | null = null;
  private running = false;
  private closed = false;
  /** The last busy value sent, so that each change of it is sent once. */
  private busySent = false;
  /** Resolves when no projection runs or waits (tests and benchmarks). */
  private idleWaiters: (() => void)[] = [];

  constructor(
    /** What controls are checked against; the widget renews it when a store's categories grow. */
    public info: HistInfo,
    private readonly compute: (c: Controls) => Answer | Promise<Answer>,
    private readonly send: Send,
    firstRequest = 0,
  ) {
    this.newest = firstRequest;
  }

  /**
   * An `update` from the front end. Returns what the kernel keeps of it in the model: the request,
   * and the controls once they pass validation (never the raw message).
   */
  receive(state: Record<string, unknown>): Record<string, unknown> | undefined {
    if (this.closed || !("request" in state || "controls" in state)) return undefined;
    let request: number;
    try {
      request = validateRequest(state.request);
    } catch (e) {
      this.reject((e as Error).message, this.newest);
      return undefined;
    }
    if (request <= this.newest) return undefined; // stale or repeated: its answer could only overwrite a newer one
    this.newest = request;
    let controls: Controls;
    try {
      controls = validateControls(state.controls, this.info);
    } catch (e) {
      if (!(e instanceof ControlError)) throw e;
      this.reject(e.message, request);
      return { request };
    }
    this.pending = { controls, request };
    if (!this.running) {
      this.running = true;
      // Started on the next turn: messages already queued behind this one coalesce into it.
      setImmediate(() => void this.drain());
    }
    return { request, controls };
  }

  /** Resolves once nothing runs or waits. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  close(): void {
    this.closed = true;
    this.pending = null;
  }

  private reject(message: string, request: number): void {
    if (!this.closed) this.send({ error: message, answered: request, ...(this.running ? {} : this.busy(false)) });
  }

  private busy(b: boolean): Record<string, unknown> {
    this.busySent = b;
    return { busy: b };
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending && !this.closed) {
        const job = this.pending;
        this.pending = null;
        if (!this.busySent) this.send(this.busy(true));
        let answer: Answer | undefined;
        let error: string | undefined;
        try {
          answer = await this.compute(job.controls);
        } catch (e) {
          error = (e as Error)?.message ?? String(e);
        }
        if (this.closed || job.request !== this.newest) continue; // overtaken: dropped
        if (answer) {
          this.send(
            { ...answer.extra, spec: answer.spec, data_names: answer.dataNames, data: answer.data.map(() => null), n_bins: answer.nBins, answered: job.request, error: "", ...this.busy(false) },
            answer.data,
            answer.data.map((_, i) => ["data", i]),
          );
        } else this.send({ error: `cannot project: ${error}`, answered: job.request, ...this.busy(false) });
      }
      if (this.busySent && !this.closed) this.send(this.busy(false));
    } finally {
      this.running = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}
