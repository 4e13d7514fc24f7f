// Notebooks run as Jupyter runs them: the kernelspec written by `zhist install --prefix` into a
// temporary prefix, and Python's nbclient executing cells against it.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { runPython } from "../helpers/python.js";

export const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "cli.js");

export interface NbOutput {
  output_type: string;
  name?: string;
  text?: string;
  data?: Record<string, any>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface NbCell {
  execution_count: number | null;
  outputs: NbOutput[];
}

export interface ExecutedNotebook {
  cells: NbCell[];
  metadata: Record<string, any>;
}

/** Installs the kernelspec into a fresh prefix; the caller removes `prefix` when done. */
export function installKernelspec(): { prefix: string; jupyterPath: string; install: ReturnType<typeof spawnSync> } {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-spec-"));
  const install = spawnSync(process.execPath, [cli, "install", "--prefix", prefix], { encoding: "utf8" });
  return { prefix, jupyterPath: path.join(prefix, "share", "jupyter"), install };
}

/**
 * Executes code cells with nbclient on the zhist kernel found in `jupyterPath` (allow_errors: every cell
 * runs) and returns the executed cells and the notebook metadata (where the widget state is saved).
 */
export async function runCells(jupyterPath: string, cells: string[], opts: { storeWidgetState?: boolean; timeoutMs?: number } = {}): Promise<ExecutedNotebook> {
  const before = process.env.JUPYTER_PATH;
  process.env.JUPYTER_PATH = jupyterPath;
  try {
    const { json } = await runPython<ExecutedNotebook>(
      `
import nbformat, nbclient
nb = nbformat.v4.new_notebook()
nb.cells = [nbformat.v4.new_code_cell(src) for src in INPUT["cells"]]
client = nbclient.NotebookClient(nb, kernel_name="zhist", timeout=120, startup_timeout=60, allow_errors=True, store_widget_state=INPUT["store"])
client.execute()
# Written and read back as a file, so that what is checked is what a saved notebook holds.
nbformat.validate(nb)
emit(nbformat.reads(nbformat.writes(nb), as_version=4))
`,
      { input: { cells, store: opts.storeWidgetState ?? true }, timeoutMs: opts.timeoutMs ?? 170000 },
    );
    return json;
  } finally {
    if (before === undefined) delete process.env.JUPYTER_PATH;
    else process.env.JUPYTER_PATH = before;
  }
}
