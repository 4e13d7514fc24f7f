// The command line of `zhist run`, papermill's options with papermill's defaults.
import { noSources, type ParameterSources } from "./params.js";

export const RUN_USAGE = `usage: zhist run [OPTIONS] NOTEBOOK_PATH [OUTPUT_PATH]

Runs a notebook headless on the zhist kernel with parameters, as papermill does: the parameters go
into a cell tagged injected-parameters (after the cell tagged parameters), as TypeScript lines
\`let NAME = <JSON>;\`. OUTPUT_PATH may use parameters: out/{dataset}.ipynb. "-" reads the notebook
from stdin or writes it to stdout.

options:
  -p, --parameters NAME VALUE   a parameter; VALUE is typed as papermill does: True/False/None,
                                an integer, a float, else a string (lists and maps: use -y)
  -r, --parameters_raw NAME VALUE   a parameter kept as a string
  -f, --parameters_file FILE    a YAML (or JSON) file of parameters
  -y, --parameters_yaml YAML    a YAML string of parameters
  -b, --parameters_base64 B64   a base64-encoded YAML string of parameters
      (whatever their order: -b, then -f, then -y, then -p, then -r; later ones win)
  --inject-input-path / --inject-output-path / --inject-paths
                                add PAPERMILL_INPUT_PATH / PAPERMILL_OUTPUT_PATH as parameters
  --cwd DIR                     working directory of the kernel (default: the current one)
  --prepare-only                write the parameterized notebook without running it
  --report-mode                 hide the code cells' input in the output notebook
  --no-request-save-on-cell-execute   write the output notebook only at the end
  --log-output                  print the cells' outputs to stderr as they come
  --stdout-file FILE / --stderr-file FILE   the cells' stdout / stderr streams into FILE
  --progress-bar / --no-progress-bar   (default: a bar unless --log-output)
  --start-timeout S             seconds to wait for the kernel to start (default 60)
  --execution-timeout S         seconds a cell may run (default: no limit)
  --autosave-cell-every S       save during a long cell when S seconds passed (default 30, 0: off)
  -k, --kernel NAME             only "zhist"
  --log-level LEVEL             DEBUG also shows the kernel's own log (default INFO)
  --version                     zhist's version
  --help-notebook               list the notebook's parameters, defaults and types
  -h, --help                    this help

Exit status: 0 when every cell ran, 1 when one failed (the output notebook has papermill's error
marker cells at the top and before the failing cell), 2 for a wrong command line.
`;

export interface RunArgs {
  input?: string;
  output?: string;
  sources: ParameterSources;
  helpNotebook: boolean;
  version: boolean;
  reportMode: boolean;
  saveEveryCell: boolean;
  logLevel: string;
  help: boolean;
  injectInput: boolean;
  injectOutput: boolean;
  cwd?: string;
  prepareOnly: boolean;
  logOutput: boolean;
  stdoutFile?: string;
  stderrFile?: string;
  progressBar?: boolean;
  startTimeout: number;
  executionTimeout: number | null;
  autosaveSeconds: number;
}

export class UsageError extends Error {
  override name = "UsageError";
}

function seconds(flag: string, v: string | undefined): number {
  // click's int type: papermill's timeouts are whole seconds.
  if (v === undefined || !/^\s*[-+]?\d+\s*$/.test(v)) throw new UsageError(`${flag} needs a whole number of seconds, got ${v === undefined ? "nothing" : JSON.stringify(v)}`);
  return Number(v);
}

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const a: RunArgs = {
    sources: noSources(), helpNotebook: false, version: false, reportMode: false, saveEveryCell: true, logLevel: "INFO", help: false, injectInput: false, injectOutput: false,
    prepareOnly: false, logOutput: false, startTimeout: 60, executionTimeout: null, autosaveSeconds: 30,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    if (arg.startsWith("--") && arg.includes("=")) [arg, inline] = [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    const pair = (): [string, string] => {
      const name = argv[++i], v = argv[++i];
      if (name === undefined || v === undefined) throw new UsageError(`${arg} needs NAME and VALUE`);
      return [name, v];
    };
    switch (arg) {
      case "-p": case "--parameters": a.sources.typed.push(pair()); break;
      case "-r": case "--parameters_raw": a.sources.raw.push(pair()); break;
      case "-f": case "--parameters_file": a.sources.files.push(value()); break;
      case "-y": case "--parameters_yaml": a.sources.yaml.push(value()); break;
      case "-b": case "--parameters_base64": a.sources.base64.push(value()); break;
      case "--inject-input-path": a.injectInput = true; break;
      case "--inject-output-path": a.injectOutput = true; break;
      case "--inject-paths": a.injectInput = a.injectOutput = true; break;
      case "--cwd": a.cwd = value(); break;
      case "--prepare-only": a.prepareOnly = true; break;
      case "--prepare-execute": a.prepareOnly = false; break;
      case "--log-output": a.logOutput = true; break;
      case "--no-log-output": a.logOutput = false; break;
      case "--stdout-file": a.stdoutFile = value(); break;
      case "--stderr-file": a.stderrFile = value(); break;
      case "--progress-bar": a.progressBar = true; break;
      case "--no-progress-bar": a.progressBar = false; break;
      case "--start-timeout": case "--start_timeout": a.startTimeout = seconds(arg, value()); break;
      case "--execution-timeout": a.executionTimeout = seconds(arg, value()); break;
      case "--autosave-cell-every": a.autosaveSeconds = seconds(arg, value()); break;
      case "-k": case "--kernel": {
        const k = value();
        if (k !== "zhist") throw new UsageError(`zhist run runs the zhist kernel only, not ${JSON.stringify(k)} (use papermill for other kernels)`);
        break;
      }
      case "--help-notebook": a.helpNotebook = true; break;
      case "--version": a.version = true; break;
      case "--report-mode": a.reportMode = true; break;
      case "--no-report-mode": a.reportMode = false; break;
      case "--request-save-on-cell-execute": a.saveEveryCell = true; break;
      case "--no-request-save-on-cell-execute": a.saveEveryCell = false; break;
      case "--log-level": {
        const level = value().toUpperCase();
        if (!["NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"].includes(level)) throw new UsageError(`--log-level: one of NOTSET, DEBUG, INFO, WARNING, ERROR, CRITICAL`);
        a.logLevel = level;
        break;
      }
      case "-h": case "--help": a.help = true; break;
      default:
        if (arg.startsWith("-") && arg !== "-") throw new UsageError(`no such option: ${arg}`);
        positional.push(arg);
    }
  }
  if (positional.length > 2) throw new UsageError(`unexpected argument ${positional[2]}`);
  [a.input, a.output] = positional;
  // Timeouts of 0 or less mean "none" for cells, as in nbclient.
  if (a.executionTimeout !== null && a.executionTimeout <= 0) a.executionTimeout = null;
  return a;
}
