// Lanes that run fill tasks: worker threads, or the calling thread (workers 0 or 1, the reference).
// A lane runs one task at a time; the engine hands out the next task when the lane reports the end
// of the last one.
import { Worker } from "node:worker_threads";
import type { FromWorker, InitMessage, ToWorker } from "./protocol.js";
import { TaskRunner } from "./task.js";

export interface Lane {
  send(msg: ToWorker): void;
  terminate(): Promise<void>;
}

export type OnMessage = (lane: Lane, m: FromWorker) => void;
/** The lane died (a crashed worker): its current task failed with this error. */
export type OnCrash = (lane: Lane, error: Error) => void;

export class InThreadLane implements Lane {
  private readonly runner: TaskRunner;

  constructor(init: InitMessage, onMessage: OnMessage) {
    this.runner = new TaskRunner(init, (m) => onMessage(this, m));
  }

  send(msg: ToWorker): void {
    void this.runner.handle(msg);
  }

  async terminate(): Promise<void> {
    this.runner.aborted = true;
  }
}

export class WorkerLane implements Lane {
  private readonly worker: Worker;
  private dead = false;

  constructor(init: InitMessage, onMessage: OnMessage, onCrash: OnCrash) {
    this.worker = new Worker(new URL("./worker.js", import.meta.url), { workerData: init });
    this.worker.on("message", (m: FromWorker) => { if (!this.dead) onMessage(this, m); });
    this.worker.on("error", (e) => { if (!this.dead) { this.dead = true; onCrash(this, e); } });
    this.worker.on("exit", (code) => { if (!this.dead) { this.dead = true; onCrash(this, new Error(`worker thread exited with code ${code}`)); } });
  }

  send(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  async terminate(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}
