// `zhist install`: writes the kernelspec "zhist" (kernel.json) where Jupyter looks for kernels, and
// beside it the prebuilt JupyterLab 4 / Notebook 7 extension of the histogram widget (widgets/).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const KERNEL_NAME = "zhist";
export const DISPLAY_NAME = "TypeScript (zhist)";

export interface InstallOptions {
  where: "user" | "sys-prefix" | "prefix";
  prefix?: string;
  /** The Python whose sys.prefix --sys-prefix means (ZHIST_PYTHON, else python3). */
  python?: string;
}

export function kernelSpec(): Record<string, unknown> {
  const main = path.join(path.dirname(fileURLToPath(import.meta.url)), "main.js");
  return {
    argv: [process.execPath, main, "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: "signal",
    metadata: { debugger: false },
  };
}

function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return path.join(os.homedir(), "Library", "Jupyter");
  const xdg = process.env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share");
  return path.join(xdg, "jupyter");
}

export function kernelsDir(opts: InstallOptions): string {
  switch (opts.where) {
    case "user":
      return path.join(userDataDir(), "kernels");
    case "prefix":
      if (!opts.prefix) throw new Error("--prefix needs a directory");
      return path.join(path.resolve(opts.prefix), "share", "jupyter", "kernels");
    case "sys-prefix": {
      const python = opts.python ?? process.env.ZHIST_PYTHON ?? "python3";
      const prefix = execFileSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).trim();
      return path.join(prefix, "share", "jupyter", "kernels");
    }
  }
}

/**
 * Writes <kernels>/zhist/kernel.json (replacing an older one) and returns its directory; also
 * installs the widget's labextension into the same data directory (installWidgets).
 */
export function installKernelSpec(opts: InstallOptions): string {
  const kernels = kernelsDir(opts);
  const dir = path.join(kernels, KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.kernel.json.${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(kernelSpec(), null, 1) + "\n");
  fs.renameSync(tmp, path.join(dir, "kernel.json"));
  installWidgets(path.dirname(kernels), opts);
  return dir;
}

export const LABEXTENSION_NAME = "zhist-widgets";

/** The prebuilt labextension that `npm run build` makes of widgets/. */
export function labextensionSource(): string {
  return fileURLToPath(new URL("../../widgets/labextension", import.meta.url));
}

/**
 * Copies the prebuilt labextension to <dataDir>/labextensions/zhist-widgets (with install.json, as
 * JupyterLab lists prebuilt extensions) and returns that directory; null, with a note on stderr,
 * when it was never built. The copy lands under a temporary name and is renamed into place.
 */
export function installLabextension(dataDir: string, source = labextensionSource()): string | null {
  if (!fs.existsSync(path.join(source, "package.json"))) {
    process.stderr.write(`zhist install: no prebuilt widget extension in ${source} (run npm run build); notebooks will show static plots\n`);
    return null;
  }
  const parent = path.join(dataDir, "labextensions");
  const dest = path.join(parent, LABEXTENSION_NAME);
  const tmp = path.join(parent, `.${LABEXTENSION_NAME}.${process.pid}`);
  fs.mkdirSync(parent, { recursive: true });
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.cpSync(source, tmp, { recursive: true });
  const installJson = { packageManager: "npm", packageName: "zhist", uninstallInstructions: `Remove ${dest} (zhist install put it there)` };
  fs.writeFileSync(path.join(tmp, "install.json"), JSON.stringify(installJson, null, 1) + "\n");
  fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(tmp, dest);
  return dest;
}

/** The Python whose Jupyter should draw widgets: the one --sys-prefix means, else ZHIST_PYTHON, else python3. */
function widgetPython(opts: InstallOptions): string {
  return opts.python ?? process.env.ZHIST_PYTHON ?? "python3";
}

/** Whether `python` imports the ipywidgets manager of JupyterLab 4 / Notebook 7 (jupyterlab_widgets). */
export function hasWidgetManager(python: string): boolean {
  try {
    execFileSync(python, ["-c", "import jupyterlab_widgets"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The labextension, plus a hint on stderr when the widget manager it needs is missing. */
function installWidgets(dataDir: string, opts: InstallOptions): void {
  const dest = installLabextension(dataDir);
  if (dest) console.log(`installed labextension ${LABEXTENSION_NAME} in ${dest}`);
  const python = widgetPython(opts);
  if (!hasWidgetManager(python)) {
    process.stderr.write(
      `zhist install: ${python} cannot import jupyterlab_widgets, the widget manager of JupyterLab 4 and Notebook 7; ` +
        `without it the histogram widget shows its static plot. Install it into the Python that runs Jupyter:\n` +
        `  ${python} -m pip install "jupyterlab_widgets>=3.0.15,<4"\n`,
    );
  }
}

/** Parses `install [--user | --sys-prefix | --prefix DIR]`; throws on anything else. */
export function parseInstallArgs(args: readonly string[]): InstallOptions {
  let opts: InstallOptions | undefined;
  const set = (o: InstallOptions) => {
    if (opts) throw new Error("give one of --user, --sys-prefix, --prefix DIR");
    opts = o;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--user") set({ where: "user" });
    else if (a === "--sys-prefix") set({ where: "sys-prefix" });
    else if (a === "--prefix") {
      const dir = args[++i];
      if (!dir) throw new Error("--prefix needs a directory");
      set({ where: "prefix", prefix: dir });
    } else if (a.startsWith("--prefix=")) set({ where: "prefix", prefix: a.slice("--prefix=".length) });
    else throw new Error(`unknown install option ${a}`);
  }
  return opts ?? { where: "user" };
}
