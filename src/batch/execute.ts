// Runs a prepared notebook cell by cell on a kernel, keeping papermill's record: the notebook's start,
// end, duration and exception flag, each cell's papermill start/end/duration/status, nbclient's
// per-cell iopub timings, and the notebook written after every cell start and end, so that a crash
// or a kill keeps everything that ran. Stops at the first failing cell, as papermill does.
import { KernelDiedError, TimeoutError, type KernelProcess } from "./kernel-process.js";
import { tagsOf, type Cell, type JsonObject, type Notebook } from "./notebook.js";
import { OutputRecorder, resetForRun } from "./outputs.js";
import type { Reporter } from "./progress.js";

export interface ExecuteOptions {
  /** Seconds a cell may run before it is interrupted and counted as failed; null: no limit. */
  executionTimeout: number | null;
  save: (nb: Notebook) => void;
  report: Reporter;
  /** Seconds the kernel gets to answer an interrupt after a timeout before it is killed. */
  interruptGrace?: number;
  /** During a long cell, the notebook is also saved when an output comes and this many seconds passed (papermill's 30; 0: never). */
  autosaveSeconds?: number;
}

// papermill's timestamps: Python's datetime.now(timezone.utc).isoformat().
export const isoNow = (d = new Date()) => d.toISOString().replace(/Z$/, "000+00:00");

const pm = (c: Cell) => c.metadata.papermill as JsonObject;

export async function executeNotebook(nb: Notebook, kernel: KernelProcess, given: ExecuteOptions): Promise<void> {
  let lastSave = Date.now();
  const opts: ExecuteOptions = { ...given, save: (n) => { given.save(n); lastSave = Date.now(); } };
  const every = (given.autosaveSeconds ?? 30) * 1000;
  const autosave = () => { if (every > 0 && Date.now() - lastSave >= every) opts.save(nb); };
  const started = new Date();
  const meta = nb.metadata.papermill as JsonObject;
  Object.assign(meta, { start_time: isoNow(started), end_time: null, duration: null, exception: null });
  for (const c of nb.cells) {
    resetForRun(c);
    c.metadata.papermill = { exception: null, start_time: null, end_time: null, duration: null, status: "pending" };
  }
  opts.save(nb);
  const recorder = new OutputRecorder(nb);
  let thrown: unknown;
  try {
    let executed = 0;
    for (let index = 0; index < nb.cells.length; index++) {
      const cell = nb.cells[index];
      const t0 = new Date();
      opts.report.cellStart(index, cell);
      Object.assign(pm(cell), { start_time: isoNow(t0), status: "running", exception: false });
      opts.save(nb);
      let failed = false;
      try {
        if (isExecutable(cell)) {
          executed++;
          failed = await runCell(nb, index, executed, kernel, recorder, opts, autosave);
        }
      } catch (e) {
        // The kernel died under this cell: the cell failed, with the reason as its error output.
        failed = true;
        (cell.outputs ??= []).push({ output_type: "error", ename: (e as Error).name, evalue: (e as Error).message, traceback: [`${(e as Error).name}: ${(e as Error).message}`] });
        throw e;
      } finally {
        if (failed) {
          Object.assign(pm(cell), { exception: true, status: "failed" });
          meta.exception = true;
        }
        const t1 = new Date();
        Object.assign(pm(cell), { end_time: isoNow(t1), duration: (t1.getTime() - t0.getTime()) / 1000 });
        if (pm(cell).status !== "failed") pm(cell).status = "completed";
        opts.save(nb);
        opts.report.cellEnd(index);
      }
      if (failed) break;
    }
    const widgets = recorder.widgetsMetadata();
    if (widgets) nb.metadata.widgets = widgets;
  } catch (e) {
    thrown = e;
  } finally {
    const ended = new Date();
    Object.assign(meta, { end_time: isoNow(ended), duration: (ended.getTime() - started.getTime()) / 1000 });
    for (const c of nb.cells) {
      if (pm(c).status === "failed") break;
      if (pm(c).status === "pending") pm(c).status = "completed";
    }
    opts.report.finish();
    opts.save(nb);
  }
  if (thrown) throw thrown;
}

/** nbclient runs code cells with some source, and skips those tagged skip-execution. */
function isExecutable(cell: Cell): boolean {
  return cell.cell_type === "code" && cell.source.trim() !== "" && !tagsOf(cell).includes("skip-execution");
}

/** One cell; true when it failed (an error reply, or a timeout). */
async function runCell(nb: Notebook, index: number, count: number, kernel: KernelProcess, recorder: OutputRecorder, opts: ExecuteOptions, autosave: () => void): Promise<boolean> {
  const cell = nb.cells[index];
  cell.metadata.execution = {};
  cell.outputs = [];
  recorder.startCell();
  const allowErrors = tagsOf(cell).includes("raises-exception");
  const onMessage = (m: Parameters<OutputRecorder["onMessage"]>[1]) => {
    const out = recorder.onMessage(index, m);
    if (out) opts.report.cellOutput(out);
    autosave();
  };
  const limit = opts.executionTimeout === null ? null : opts.executionTimeout * 1000;
  const { id, answer } = await kernel.request("shell", "execute_request", {
    code: cell.source, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: !allowErrors,
  }, limit, onMessage);
  let reply;
  try {
    reply = await answer;
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    await interruptAfterTimeout(kernel, id, onMessage, opts);
    const hasError = (cell.outputs ?? []).some((o) => o.output_type === "error");
    if (!hasError) {
      cell.outputs!.push({
        output_type: "error", ename: "CellTimeoutError",
        evalue: `Cell execution timed out after ${opts.executionTimeout} s`,
        traceback: [`CellTimeoutError: the cell ran longer than --execution-timeout ${opts.executionTimeout} s and was interrupted`],
      });
    }
    cell.execution_count = count;
    opts.report.warn(`Timeout waiting for execute reply (${opts.executionTimeout}s): interrupted the kernel`);
    return true;
  }
  cell.execution_count = count;
  const timing = cell.metadata.execution as JsonObject;
  timing["shell.execute_reply"] = reply.header.date;
  return reply.content.status === "error" && !allowErrors;
}

/** Interrupts the cell; a kernel that does not answer the interrupt in time is killed. */
async function interruptAfterTimeout(kernel: KernelProcess, id: string, onMessage: (m: any) => void, opts: ExecuteOptions): Promise<void> {
  const answered = kernel.collect(id, (opts.interruptGrace ?? 10) * 1000, onMessage);
  kernel.interrupt();
  try {
    await answered;
  } catch (e) {
    if (e instanceof KernelDiedError) return;
    kernel.proc.kill("SIGKILL");
  }
}
