// `zhist run`: papermill's execute_notebook on the zhist kernel. Parameters are merged, paths
// templated, the notebook prepared (papermill metadata, injected parameters, old error markers
// removed), run on a kernel this process starts, and written after every cell; a failure adds the
// error marker cells and is returned for the caller's exit code.
import * as fs from "node:fs";
import * as path from "node:path";
import { executeNotebook } from "./execute.js";
import { KernelDiedError, KernelProcess } from "./kernel-process.js";
import { readNotebook, writeNotebook, type JsonObject, type Notebook } from "./notebook.js";
import { findFailure, insertErrorMarkers, parameterize, recordPaths, removeErrorMarkers, withPapermillMetadata, type CellFailure } from "./parameterize.js";
import { reporter } from "./progress.js";
import { builtinParameters, formatPath } from "./template.js";

export interface RunOptions {
  input: string;
  output: string;
  parameters: JsonObject;
  cwd?: string;
  prepareOnly?: boolean;
  progressBar?: boolean;
  logOutput?: boolean;
  stdoutFile?: string;
  stderrFile?: string;
  startTimeout?: number;
  executionTimeout?: number | null;
  autosaveSeconds?: number;
  /** Hide code cells' input (papermill's --report-mode). */
  reportMode?: boolean;
  /** Write the notebook after every cell (default) or only at the end. */
  saveEveryCell?: boolean;
  /** Pass the kernel's own log (its stderr) through to ours. */
  kernelLog?: boolean;
  /** Extra environment for the kernel. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface RunResult {
  notebook: Notebook;
  input: string;
  output: string;
  failure?: CellFailure;
  /** The kernel died during the run (papermill exits 138 then). */
  kernelDied?: boolean;
}

export class ExecutionError extends Error {
  override name = "PapermillExecutionError";
  constructor(readonly failure: CellFailure, readonly output: string) {
    super(
      `\n---------------------------------------------------------------------------\n` +
        `Exception encountered at "In [${failure.executionCount ?? "None"}]":\n` +
        `${failure.traceback.length ? failure.traceback.join("\n") : `${failure.ename}: ${failure.evalue}`}\n`,
    );
  }
}

export function zhistVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(new URL("../../../package.json", import.meta.url), "utf8")).version as string;
  } catch {
    return "0";
  }
}

export async function runNotebook(opts: RunOptions): Promise<RunResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const pathParams = { ...builtinParameters(), ...opts.parameters };
  const input = formatPath(opts.input, pathParams);
  const output = formatPath(opts.output, pathParams);
  log(`Input Notebook:  ${input}`);
  log(`Output Notebook: ${output}`);
  if (opts.cwd !== undefined) {
    log(`Working directory: ${opts.cwd}`);
    if (!fs.existsSync(opts.cwd) || !fs.statSync(opts.cwd).isDirectory()) throw new Error(`--cwd ${opts.cwd}: no such directory`);
  }
  const nb = withPapermillMetadata(readNotebook(input), `zhist ${zhistVersion()}`);
  if (Object.keys(opts.parameters).length) {
    const { unknown, noParametersCell } = parameterize(nb, opts.parameters);
    if (noParametersCell) log("Input notebook does not contain a cell with tag 'parameters'");
    for (const p of unknown) log(`Passed unknown parameter: ${p}`);
  }
  if (opts.reportMode) {
    for (const c of nb.cells) if (c.cell_type === "code") c.metadata.jupyter = { ...(c.metadata.jupyter as object ?? {}), source_hidden: true };
  }
  recordPaths(nb, input, output);
  removeErrorMarkers(nb);
  ensureKernelspec(nb, log);
  if (opts.prepareOnly) {
    writeNotebook(nb, output);
    return { notebook: nb, input, output };
  }
  // Saved after every cell unless the notebook goes to stdout (written once, at the end).
  const save = output === "-" || opts.saveEveryCell === false ? () => {} : (n: Notebook) => writeNotebook(n, output);
  const cwd = opts.cwd ? path.resolve(opts.cwd) : process.cwd();
  const progressBar = opts.progressBar ?? (output !== "-" && !opts.logOutput);
  const report = reporter({ progressBar, logOutput: Boolean(opts.logOutput), totalCells: nb.cells.length, stdoutFile: opts.stdoutFile, stderrFile: opts.stderrFile });
  const kernel = await KernelProcess.start({ cwd, startTimeout: opts.startTimeout ?? 60, env: opts.env });
  let kernelDied = false;
  if (opts.kernelLog) kernel.proc.stderr!.on("data", (d) => process.stderr.write(String(d).replace(/^(?!$)/gm, "[kernel] ")));
  // A batch system's SIGTERM (or ^C): write the notebook as it stands (every finished cell, the running
  // one's outputs so far), say where the kernel was (its log), stop it, exit as a killed process does.
  const stop = (signal: NodeJS.Signals) => {
    log(`zhist run: ${signal}: stopping the kernel; the notebook holds what ran so far${kernel.log ? `; the kernel's log ends:\n${kernel.log.slice(-4000).trimEnd()}` : ""}`);
    kernel.proc.kill("SIGKILL");
    if (output !== "-") writeNotebook(nb, output);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  try {
    log("Executing notebook with kernel: zhist");
    if (kernel.info.language_info) nb.metadata.language_info = kernel.info.language_info;
    await executeNotebook(nb, kernel, { executionTimeout: opts.executionTimeout ?? null, autosaveSeconds: opts.autosaveSeconds, save, report });
  } catch (e) {
    if (!(e instanceof KernelDiedError)) throw e;
    kernelDied = true;
  } finally {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
    await kernel.shutdown();
  }
  const failure = findFailure(nb);
  if (failure) insertErrorMarkers(nb, failure);
  writeNotebook(nb, output);
  return { notebook: nb, input, output, failure, kernelDied };
}

/** The kernel that runs is always zhist's: a notebook without a kernelspec gets it, so that Jupyter and nbclient run it the same way. */
function ensureKernelspec(nb: Notebook, log: (l: string) => void): void {
  const spec = nb.metadata.kernelspec as JsonObject | undefined;
  if (!spec || typeof spec !== "object") {
    nb.metadata.kernelspec = { display_name: "TypeScript (zhist)", language: "typescript", name: "zhist" };
  } else if (spec.name !== "zhist") {
    log(`The notebook's kernelspec is ${JSON.stringify(spec.name)}; zhist run executes it on the zhist kernel`);
  }
}
