// `zhist install`: writes the kernelspec "zhist" (kernel.json) where Jupyter looks for kernels.
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

/** Writes <kernels>/zhist/kernel.json (replacing an older one) and returns its directory. */
export function installKernelSpec(opts: InstallOptions): string {
  const dir = path.join(kernelsDir(opts), KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.kernel.json.${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(kernelSpec(), null, 1) + "\n");
  fs.renameSync(tmp, path.join(dir, "kernel.json"));
  return dir;
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
