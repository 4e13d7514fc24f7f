// A real Jupyter server (JupyterLab or Notebook 7 from pip) for the widget's end-to-end tests: on
// 127.0.0.1, with private config, data, runtime and settings directories, so that it sees only the
// kernelspec and labextension the test installed (in jupyterPath) and the sys-prefix extensions
// (jupyterlab_widgets), never the user's.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { freePort } from "../../src/batch/kernel-process.js";
import { pythonExecutable } from "../helpers/python.js";

export interface JupyterServer {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  token: string;
  /** Server output so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** "jupyterlab" (JupyterLab 4) or "notebook" (Notebook 7). */
  app: "jupyterlab" | "notebook";
  /** The directory the server serves (notebooks open relative to it). */
  rootDir: string;
  /** A share/jupyter directory holding kernels/zhist and labextensions/zhist-widgets. */
  jupyterPath: string;
  /** Scratch directory for the server's private config, data, runtime and settings. */
  scratch: string;
}

function exited(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once("exit", () => r()));
}

export async function startJupyter(opts: ServerOptions): Promise<JupyterServer> {
  // A free port can be taken between our probe and the server's bind: try another one then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort(), opts);
    } catch (e) {
      if (attempt >= 3 || !/port \d+ is not available/.test((e as Error).message)) throw e;
    }
  }
}

async function startOn(port: number, opts: ServerOptions): Promise<JupyterServer> {
  const token = randomBytes(16).toString("hex");
  const dir = (name: string) => {
    const d = path.join(opts.scratch, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  const env = {
    ...process.env,
    JUPYTER_PATH: opts.jupyterPath,
    JUPYTER_CONFIG_DIR: dir("config"),
    JUPYTER_DATA_DIR: dir("data"),
    JUPYTER_RUNTIME_DIR: dir("runtime"),
    JUPYTERLAB_SETTINGS_DIR: dir("settings"),
    JUPYTERLAB_WORKSPACES_DIR: dir("workspaces"),
    JUPYTER_PLATFORM_DIRS: "1",
  };
  const args = ["-m", opts.app, "--no-browser", "--ServerApp.ip=127.0.0.1", `--ServerApp.port=${port}`, "--ServerApp.port_retries=0",
    `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${opts.rootDir}`, "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"];
  // CI machines run as root; the server refuses that unless told.
  if (process.getuid?.() === 0) args.push("--allow-root");
  // Its own process group, so that stop() also ends the kernels it started.
  const proc = spawn(pythonExecutable(), args, { env, cwd: opts.rootDir, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  proc.stdout!.on("data", (d) => (output += d));
  proc.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const server: JupyterServer = {
    url,
    token,
    log: () => output,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      try {
        process.kill(-proc.pid!, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-proc.pid!, "SIGKILL");
        } catch {
          /* already gone */
        }
      }, 10000);
      await exited(proc);
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 90000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`jupyter ${opts.app} exited (${proc.exitCode}):\n${output}`);
    try {
      const r = await fetch(`${url}/api/status?token=${token}`);
      if (r.ok) return server;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await server.stop();
  throw new Error(`jupyter ${opts.app} did not answer on ${url} within 90 s:\n${output}`);
}
