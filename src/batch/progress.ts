// What a run tells its terminal, as papermill does: log lines on stderr, a progress bar over cells
// (redrawn in place on a terminal, one line per cell otherwise), and with --log-output the cells'
// outputs as they come (stdout as info, stderr as a warning, other outputs by their text/plain);
// the cells' streams also into files when asked.
import * as fs from "node:fs";
import type { Cell, Output } from "./notebook.js";

export interface Reporter {
  info(line: string): void;
  warn(line: string): void;
  cellStart(index: number, cell: Cell): void;
  cellOutput(output: Output): void;
  cellEnd(index: number): void;
  finish(): void;
}

export interface ReporterOptions {
  progressBar: boolean;
  logOutput: boolean;
  totalCells: number;
  stream?: NodeJS.WriteStream;
  /** Files that receive the cells' stdout / stderr streams as they come (papermill's --stdout-file / --stderr-file). */
  stdoutFile?: string;
  stderrFile?: string;
}

const clock = (s: number) => `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(Math.floor(s % 60)).padStart(2, "0")}`;

export function reporter(opts: ReporterOptions): Reporter {
  const err = opts.stream ?? process.stderr;
  const files: Record<string, number | undefined> = {
    stdout: opts.stdoutFile ? fs.openSync(opts.stdoutFile, "w") : undefined,
    stderr: opts.stderrFile ? fs.openSync(opts.stderrFile, "w") : undefined,
  };
  const tty = Boolean(err.isTTY);
  const started = Date.now();
  let done = 0;
  let label = "Executing";
  let drawn = false;
  const bar = () => {
    const total = Math.max(1, opts.totalCells);
    const frac = Math.min(1, done / total);
    const width = 20;
    const full = Math.round(frac * width);
    const elapsed = (Date.now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (opts.totalCells - done) / rate : 0;
    return `${label}: ${String(Math.round(frac * 100)).padStart(3)}%|${"█".repeat(full)}${" ".repeat(width - full)}| ${done}/${opts.totalCells} [${clock(elapsed)}<${clock(eta)}, ${rate.toFixed(2)}cell/s]`;
  };
  const draw = () => {
    if (!opts.progressBar) return;
    if (tty) err.write(`\r${bar()}`);
    else err.write(`${bar()}\n`);
    drawn = true;
  };
  const line = (s: string) => {
    if (tty && drawn) err.write("\n");
    drawn = false;
    err.write(s.endsWith("\n") ? s : `${s}\n`);
  };
  return {
    info: line,
    warn: line,
    cellStart(index, cell) {
      if (opts.logOutput) line(`Executing Cell ${String(index + 1).padEnd(40, "-")}`);
      // papermill shows `papermill_description=NAME` of a cell's source in the bar.
      const desc = /papermill_description=(\S+)/.exec(cell.source);
      label = desc ? `Executing ${desc[1]}` : "Executing";
    },
    cellOutput(o) {
      const fd = o.output_type === "stream" ? files[String(o.name)] : undefined;
      if (fd !== undefined) fs.writeSync(fd, String(o.text));
      if (!opts.logOutput) return;
      if (o.output_type === "stream") line(String(o.text));
      else if (o.output_type === "error") line(`${o.ename}: ${o.evalue}`);
      else {
        const text = (o.data as Record<string, unknown> | undefined)?.["text/plain"];
        if (typeof text === "string") line(text);
      }
    },
    cellEnd(index) {
      if (opts.logOutput) line(`Ending Cell ${String(index + 1).padEnd(43, "-")}`);
      done++;
      draw();
    },
    finish() {
      for (const fd of Object.values(files)) if (fd !== undefined) fs.closeSync(fd);
      if (opts.progressBar && done < opts.totalCells) {
        done = opts.totalCells;
        draw();
      }
      if (tty && drawn) err.write("\n");
    },
  };
}
