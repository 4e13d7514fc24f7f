// `zhist run ARGS`: the command line to a run, its messages and its exit status (0 ran, 1 a cell
// failed or the run could not start, 2 a wrong command line), as papermill's CLI behaves.
import { parseRunArgs, RUN_USAGE, UsageError, type RunArgs } from "./args.js";
import { readNotebook, type JsonObject } from "./notebook.js";
import { declaredParameters, PARAMETERS_TAG, withPapermillMetadata } from "./parameterize.js";
import { mergeParameters } from "./params.js";
import { ExecutionError, runNotebook, zhistVersion } from "./run.js";
import { firstTagged } from "./notebook.js";
import { builtinParameters, formatPath } from "./template.js";

export async function runCommand(argv: readonly string[]): Promise<number> {
  let args: RunArgs;
  try {
    args = parseRunArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${RUN_USAGE}\nError: ${e.message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(RUN_USAGE);
    return 0;
  }
  if (args.version) {
    process.stdout.write(`zhist ${zhistVersion()}\n`);
    return 0;
  }
  const stdinPiped = !process.stdin.isTTY && args.input === undefined;
  let input = args.input ?? (stdinPiped ? "-" : undefined);
  if (input === undefined) {
    process.stderr.write(`${RUN_USAGE}\nError: Missing argument 'NOTEBOOK_PATH'\n`);
    return 2;
  }
  const parameters: JsonObject = {};
  if (args.injectInput) parameters.PAPERMILL_INPUT_PATH = input;
  if (args.injectOutput) parameters.PAPERMILL_OUTPUT_PATH = args.output ?? "-";
  Object.assign(parameters, mergeParameters(args.sources));
  if (args.helpNotebook) return helpNotebook(input, parameters);
  let output = args.output;
  if (output === undefined) {
    // papermill writes to stdout when it is piped, and wants an OUTPUT_PATH otherwise.
    if (process.stdout.isTTY) {
      process.stderr.write(`${RUN_USAGE}\nError: Missing argument 'OUTPUT_PATH'\n`);
      return 2;
    }
    output = "-";
  }
  try {
    const result = await runNotebook({
      input, output, parameters, cwd: args.cwd, prepareOnly: args.prepareOnly, progressBar: args.progressBar,
      logOutput: args.logOutput, stdoutFile: args.stdoutFile, stderrFile: args.stderrFile, startTimeout: args.startTimeout, executionTimeout: args.executionTimeout, autosaveSeconds: args.autosaveSeconds,
      reportMode: args.reportMode, saveEveryCell: args.saveEveryCell, kernelLog: args.logLevel === "DEBUG" || args.logLevel === "NOTSET",
      // papermill's INFO lines; WARNING and above keeps only the warnings.
      log: ["INFO", "DEBUG", "NOTSET"].includes(args.logLevel) ? undefined : (l: string) => { if (/^(Passed unknown|Input notebook does not|Timeout|zhist run:)/.test(l)) process.stderr.write(l + "\n"); },
    });
    if (result.failure) {
      process.stderr.write(`${new ExecutionError(result.failure, result.output).message}\n`);
      process.stderr.write(`zhist run: ${result.kernelDied ? "the kernel died" : "a cell failed"}; the executed notebook is ${result.output}\n`);
      // papermill's exit status for a dead kernel.
      return result.kernelDied ? 138 : 1;
    }
    return 0;
  } catch (e) {
    process.stderr.write(`zhist run: ${(e as Error).name === "Error" ? "" : `${(e as Error).name}: `}${(e as Error).message}\n`);
    return 1;
  }
}

/** papermill --help-notebook: the parameters cell's names, inferred types, defaults and help. */
function helpNotebook(input: string, parameters: JsonObject): number {
  const path = formatPath(input, { ...builtinParameters(), ...parameters });
  const nb = withPapermillMetadata(readNotebook(path), zhistVersion());
  const out = (s: string) => process.stdout.write(s + "\n");
  out("Usage: zhist run [OPTIONS] NOTEBOOK_PATH [OUTPUT_PATH]");
  out(`\nParameters inferred for notebook '${path}':`);
  if (firstTagged(nb, PARAMETERS_TAG) < 0) {
    out("\n  No cell tagged 'parameters'");
    return 1;
  }
  const params = declaredParameters(nb);
  if (!params.length) {
    out("\n  Can't infer anything about this notebook's parameters. It may not have any parameter defined.");
    return 0;
  }
  for (const p of params) {
    const type = p.inferred_type_name === "None" ? "Unknown type" : p.inferred_type_name;
    const definition = `  ${p.name}: ${type} (default ${p.default})`;
    if (definition.length > 30) out(p.help ? `${definition}\n${" ".repeat(34)}${p.help}` : definition);
    else out(`${definition.padEnd(34)}${p.help}`);
  }
  return 0;
}
