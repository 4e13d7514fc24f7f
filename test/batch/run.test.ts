// `zhist run` end to end, as a batch job runs it: a child process that starts the zhist kernel
// itself, runs a parametrized notebook and writes the executed notebook, which Python's nbformat
// then validates. Every assertion is on what the kernel really produced.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { notebook, readOut, root, stdoutOf, text, tmpdir, validateWithNbformat, writeJson, zhist } from "./helpers.js";

let dir: string;
before(() => { dir = tmpdir(); });
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const PARAMS_CELL = [
  'let dataset = "dy"; // which dataset',
  "let workers = 2;",
  "let scale = 0.5;",
  "let debug = false;",
  "let note: string | null = \"none\";",
  'let files: string[] = ["a.root"];',
  "let cuts = { pt: 10 };",
  'let mode: "fast" | "slow" = "fast";',
].join("\n");

// Every parameter's value and type as the kernel sees them; `mode` through a function taking the
// union, so the cell only compiles if the injected cell kept the annotation.
const ECHO_CELL = [
  'function pick(m: "fast" | "slow"): string { return m; }',
  "const seen = { dataset: dataset, workers: workers, scale: scale, debug: debug, note: note, files: files, cuts: cuts, mode: pick(mode), raw: raw, extra: extra };",
  "console.log(JSON.stringify(seen));",
  "console.log(JSON.stringify(Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v]))));",
].join("\n");

test("parameters of every kind: -p numbers, strings, booleans, None; -r; -y lists and maps; -f YAML files; annotations kept", { timeout: 120000 }, async () => {
  const input = writeJson(path.join(dir, "kinds.ipynb"), notebook([
    { source: "# kinds", type: "markdown" },
    { source: PARAMS_CELL + "\nlet raw = \"\";\nlet extra: unknown = null;", tags: ["parameters"] },
    { source: ECHO_CELL },
  ]));
  const yamlFile = path.join(dir, "params.yaml");
  fs.writeFileSync(yamlFile, "files: [b.root, c.root]\ncuts: {pt: 25, eta: 2.4}\nworkers: 1\nextra:\n  when: 2024-01-02\n  flags: [yes, off]\n");
  const r = await zhist(["run", input, path.join(dir, "out", "{dataset}-{workers}.ipynb"),
    "-p", "dataset", "run2", "-p", "workers", "4", "-p", "scale", "1e-3", "-p", "debug", "True", "-p", "note", "None",
    "-f", yamlFile, "-r", "raw", "007", "-y", 'mode: slow\nfiles: ["x.root"]', "--no-progress-bar"]);
  assert.equal(r.status, 0, r.stderr);
  const outFile = path.join(dir, "out", "run2-4.ipynb");
  assert.ok(fs.existsSync(outFile), `templated output path; stderr:\n${r.stderr}`);
  assert.match(r.stderr, /Input Notebook: {2}.*kinds\.ipynb\nOutput Notebook: .*run2-4\.ipynb/);
  const nb = readOut(outFile);
  const lines = stdoutOf(nb.cells[3]).trim().split("\n");
  assert.deepEqual(JSON.parse(lines[0]), {
    dataset: "run2", workers: 4, scale: 0.001, debug: true, note: null, files: ["x.root"], cuts: { pt: 25, eta: 2.4 }, mode: "slow", raw: "007", extra: { when: "2024-01-02", flags: [true, false] },
  });
  assert.deepEqual(JSON.parse(lines[1]), { dataset: "string", workers: "number", scale: "number", debug: "boolean", note: "null", files: "array", cuts: "object", mode: "string", raw: "string", extra: "object" });
  // The injected cell right after the parameters cell, with papermill's comment and precedence order.
  assert.deepEqual(nb.cells.map((c) => c.metadata.tags), [[], ["parameters"], ["injected-parameters"], []]);
  assert.equal(text(nb.cells[2]), [
    "// Parameters",
    'let files: string[] = ["x.root"];',
    "let cuts = { \"pt\": 25, \"eta\": 2.4 };",
    "let workers = 4;",
    "let extra: unknown = { \"when\": \"2024-01-02\", \"flags\": [true, false] };",
    'let mode: "fast" | "slow" = "slow";',
    'let dataset = "run2";',
    "let scale = 0.001;",
    "let debug = true;",
    "let note: string | null = null;",
    'let raw = "007";',
    "",
  ].join("\n"));
  assert.deepEqual(nb.metadata.papermill.parameters, { files: ["x.root"], cuts: { eta: 2.4, pt: 25 }, workers: 4, extra: { flags: [true, false], when: "2024-01-02" }, mode: "slow", dataset: "run2", scale: 0.001, debug: true, note: null, raw: "007" });
  assert.equal(nb.metadata.papermill.exception, null);
  assert.equal(nb.metadata.papermill.input_path, input);
  assert.equal(nb.metadata.papermill.output_path, outFile);
  assert.equal(nb.metadata.language_info?.name, "typescript");
  for (const c of nb.cells) {
    assert.equal(c.metadata.papermill?.status, "completed");
    assert.equal(c.metadata.papermill?.exception, false);
    assert.ok(Date.parse(String(c.metadata.papermill?.end_time)) >= Date.parse(String(c.metadata.papermill?.start_time)));
  }
  assert.deepEqual(nb.cells.filter((c) => c.cell_type === "code").map((c) => c.execution_count), [1, 2, 3]);
  assert.deepEqual(Object.keys(nb.cells[3].metadata.execution ?? {}).sort(), ["iopub.execute_input", "iopub.status.busy", "iopub.status.idle", "shell.execute_reply"]);
  assert.deepEqual(await validateWithNbformat(outFile), { minor: 5, cells: 4 });
});

test("a failing cell: exit 1, papermill's error markers, later cells pending, and the notebook on disk after every cell", { timeout: 120000 }, async () => {
  const out = path.join(dir, "fail-out.ipynb");
  const input = writeJson(path.join(dir, "fail.ipynb"), notebook([
    { source: "let fail = true;", tags: ["parameters"] },
    { source: "console.log('first');" },
    { type: "markdown", source: "between" },
    // What this cell finds on disk is what a crash at this point would leave.
    { source: `import * as fs from "node:fs";\nconst saved = JSON.parse(fs.readFileSync(${JSON.stringify(out)}, "utf8"));\nconsole.log(JSON.stringify(saved.cells.map((c: any) => [c.metadata.papermill?.status, c.outputs ? c.outputs.length : null])));` },
    { source: "if (fail) throw new RangeError(`stopped on purpose`);\nconsole.log('not reached');" },
    { source: "console.log('never');" },
  ]));
  const r = await zhist(["run", input, out, "-p", "fail", "True"]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /RangeError: stopped on purpose/);
  assert.match(r.stderr, /Executing: +\d+%\|/, "papermill's progress bar by default");
  const nb = readOut(out);
  assert.deepEqual(nb.cells.map((c) => c.metadata.tags?.[0] ?? ""), ["papermill-error-cell-tag", "parameters", "injected-parameters", "", "", "", "papermill-error-cell-tag", "", ""]);
  assert.match(text(nb.cells[0]), /An Exception was encountered at '<a href="#papermill-error-cell">In \[5\]<\/a>'/);
  assert.match(text(nb.cells[6]), /<span id="papermill-error-cell" .*>Execution using papermill encountered an exception here and stopped:<\/span>/);
  // The cell that read the file saw the cells before it complete with their outputs, itself running.
  assert.deepEqual(JSON.parse(stdoutOf(nb.cells[5])), [["completed", 0], ["completed", 0], ["completed", 1], ["completed", null], ["running", 0], ["pending", 0], ["pending", 0]]);
  const failed = nb.cells[7];
  assert.equal(failed.metadata.papermill?.status, "failed");
  assert.equal(failed.metadata.papermill?.exception, true);
  assert.equal(failed.execution_count, 5);
  assert.deepEqual(failed.outputs?.map((o) => [o.output_type, o.ename, o.evalue]), [["error", "RangeError", "stopped on purpose"]]);
  assert.equal(nb.cells[8].metadata.papermill?.status, "pending");
  assert.equal(nb.cells[8].execution_count, null);
  assert.equal(nb.metadata.papermill.exception, true);
  assert.deepEqual(await validateWithNbformat(out), { minor: 5, cells: 9 });

  // Re-running the output notebook: one injected cell (replaced), the old markers gone, a clean run.
  const again = path.join(dir, "fail-again.ipynb");
  const streamed = path.join(dir, "fail-again.stdout");
  const r2 = await zhist(["run", out, again, "-p", "fail", "False", "-p", "bogus", "1", "--log-output", "--stdout-file", streamed]);
  assert.equal(r2.status, 0, r2.stderr);
  assert.match(fs.readFileSync(streamed, "utf8"), /^first\n\[.*\]\nnot reached\nnever\n$/);
  assert.match(r2.stderr, /Passed unknown parameter: bogus\n/);
  assert.match(r2.stderr, /Executing Cell 2-+\n/);
  assert.match(r2.stderr, /not reached/);
  const nb2 = readOut(again);
  assert.equal(nb2.cells.filter((c) => c.metadata.tags?.includes("injected-parameters")).length, 1);
  assert.equal(nb2.cells.filter((c) => c.metadata.tags?.includes("papermill-error-cell-tag")).length, 0);
  assert.equal(text(nb2.cells[1]), "// Parameters\nlet fail = false;\nlet bogus = 1;\n");
  assert.equal(stdoutOf(nb2.cells[5]), "not reached\n");
  assert.equal(nb2.metadata.papermill.exception, null);
  assert.equal(nb2.metadata.papermill.input_path, out);
  assert.deepEqual(nb2.metadata.papermill.parameters, { fail: false, bogus: 1 });
  assert.deepEqual(await validateWithNbformat(again), { minor: 5, cells: 7 });
});

test("--execution-timeout interrupts a cell that runs too long and fails the run", { timeout: 120000 }, async () => {
  const out = path.join(dir, "slow-out.ipynb");
  const input = writeJson(path.join(dir, "slow.ipynb"), notebook([
    { source: "console.log('quick');" },
    { source: "const until = Date.now() + 60000;\nwhile (Date.now() < until) {}\nconsole.log('spun');" },
    { source: "console.log('after');" },
  ]));
  // Long enough for the first cell's compile on a loaded machine, far below the 60 s the cell spins.
  const r = await zhist(["run", input, out, "--execution-timeout", "15", "--no-progress-bar"]);
  assert.equal(r.status, 1, r.stderr);
  assert.ok(r.ms < 50000, `the run took ${r.ms} ms`);
  assert.match(r.stderr, /Timeout waiting for execute reply \(15s\)/);
  const nb = readOut(out);
  assert.equal(nb.cells[2].metadata.tags?.[0], "papermill-error-cell-tag");
  const slow = nb.cells[3];
  assert.equal(slow.metadata.papermill?.status, "failed");
  assert.ok(Number(slow.metadata.papermill?.duration) >= 15, String(slow.metadata.papermill?.duration));
  const err = slow.outputs?.find((o) => o.output_type === "error");
  assert.ok(err, JSON.stringify(slow.outputs));
  assert.equal(stdoutOf(slow), "");
  assert.equal(nb.cells[4].metadata.papermill?.status, "pending");
  assert.match(text(nb.cells[0]), /In \[2\]/);
  await validateWithNbformat(out);
});

test("no parameters cell: the injected cell goes first, with papermill's warnings; --prepare-only runs nothing", { timeout: 120000 }, async () => {
  const input = writeJson(path.join(dir, "plain.ipynb"), notebook([{ source: "console.log(typeof n === 'undefined' ? 'none' : n * 2);\nconsole.log(process.cwd());" }]));
  const prepared = path.join(dir, "plain-prepared.ipynb");
  const p = await zhist(["run", input, prepared, "-p", "n", "21", "--prepare-only", "--report-mode"]);
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stderr, /Input notebook does not contain a cell with tag 'parameters'/);
  const nbp = readOut(prepared);
  assert.deepEqual(nbp.cells.map((c) => [c.metadata.tags, c.outputs?.length, c.execution_count]), [[["injected-parameters"], 0, null], [[], 0, null]]);
  assert.deepEqual(Object.keys(nbp.metadata.papermill).sort(), ["default_parameters", "environment_variables", "input_path", "output_path", "parameters", "version"]);
  assert.deepEqual(nbp.cells.map((c) => (c.metadata as { jupyter?: unknown }).jupyter), [{ source_hidden: true }, { source_hidden: true }]);
  await validateWithNbformat(prepared);

  const out = path.join(dir, "plain-out.ipynb");
  const work = path.join(dir, "work");
  fs.mkdirSync(work);
  const r = await zhist(["run", input, out, "-p", "n", "21", "-p", "unused", "x", "--no-progress-bar", "--cwd", work]);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /Passed unknown parameter/, "papermill only warns when there is a parameters cell to compare with");
  const nb = readOut(out);
  assert.equal(text(nb.cells[0]), '// Parameters\nlet n = 21;\nlet unused = "x";\n');
  assert.equal(stdoutOf(nb.cells[1]), `42\n${fs.realpathSync(work)}\n`);
});

test("--help-notebook lists the parameters with defaults and inferred types; wrong command lines exit 2", { timeout: 60000 }, async () => {
  const input = writeJson(path.join(dir, "help.ipynb"), notebook([{ source: PARAMS_CELL, tags: ["parameters"] }]));
  const h = await zhist(["run", "--help-notebook", input, "-p", "unknown", "1"]);
  assert.equal(h.status, 0, h.stderr);
  assert.deepEqual(h.stdout.split("\n").map((l) => l.trimEnd()), [
    "Usage: zhist run [OPTIONS] NOTEBOOK_PATH [OUTPUT_PATH]",
    "",
    `Parameters inferred for notebook '${input}':`,
    "  dataset: string (default \"dy\")",
    "                                  which dataset",
    "  workers: number (default 2)",
    "  scale: number (default 0.5)",
    "  debug: boolean (default false)",
    "  note: string | null (default \"none\")",
    "  files: string[] (default [\"a.root\"])",
    "  cuts: object (default { pt: 10 })",
    "  mode: \"fast\" | \"slow\" (default \"fast\")",
    "",
  ]);
  const none = writeJson(path.join(dir, "none.ipynb"), notebook([{ source: "1" }]));
  const n = await zhist(["run", "--help-notebook", none]);
  assert.equal(n.status, 1);
  assert.match(n.stdout, /No cell tagged 'parameters'/);
  for (const bad of [["run", input, "x.ipynb", "-p", "only-name"], ["run", input, "x.ipynb", "--execution-timeout", "soon"], ["run", input, "x.ipynb", "--bogus"], ["run", input, "x.ipynb", "-k", "python3"]]) {
    const b = await zhist(bad, { cwd: dir });
    assert.equal(b.status, 2, `${bad.join(" ")}: ${b.stderr}`);
    assert.match(b.stderr, /usage: zhist run/);
  }
  const missing = await zhist(["run", path.join(dir, "nope.ipynb"), path.join(dir, "nope-out.ipynb")]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.ipynb/);
  const badTemplate = await zhist(["run", input, path.join(dir, "{nothing}.ipynb")]);
  assert.equal(badTemplate.status, 1);
  assert.match(badTemplate.stderr, /Missing parameter 'nothing'/);
});

test("a kernel that dies under a cell: that cell failed with the reason, markers, papermill's exit status 138", { timeout: 120000 }, async () => {
  const out = path.join(dir, "die-out.ipynb");
  const input = writeJson(path.join(dir, "die.ipynb"), notebook([
    { source: "console.log('before');" },
    { source: "process.exit(3);" },
    { source: "console.log('after');" },
  ]));
  const r = await zhist(["run", input, out, "--no-progress-bar"]);
  assert.equal(r.status, 138, r.stderr);
  const nb = readOut(out);
  assert.equal(stdoutOf(nb.cells[1]), "before\n");
  assert.deepEqual(nb.cells[3].outputs?.map((o) => o.ename), ["DeadKernelError"]);
  assert.match(String(nb.cells[3].outputs?.[0].evalue), /^the kernel exited \(code 3\)/);
  assert.equal(nb.cells[3].metadata.papermill?.status, "failed");
  assert.equal(nb.cells[4].metadata.papermill?.status, "pending");
  await validateWithNbformat(out);
});

test("%fill's progress: its display updated in place to the final state, its widget models in the notebook's widget state", { timeout: 120000 }, async () => {
  const out = path.join(dir, "fill-out.ipynb");
  const data = path.resolve(root, "..", "shared", "data", "nano_dimuon.root");
  const input = writeJson(path.join(dir, "fill.ipynb"), notebook([
    { source: `%dataset run2 ${data} --data\n%hist nmu Reg(5, 0, 5, "muons") = nMuon` },
    { source: "%fill --workers 1" },
  ]));
  const r = await zhist(["run", input, out, "--no-progress-bar"], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const nb = readOut(out);
  const progress = nb.cells[1].outputs!.filter((o) => o.data?.["application/vnd.jupyter.widget-view+json"]);
  assert.equal(progress.length, 1, "one progress output, updated by its display id");
  assert.match((progress[0].data!["text/plain"] as string[]).join(""), /fill: 40 \/ 40 events \(100%\).*done/);
  const modelId = (progress[0].data!["application/vnd.jupyter.widget-view+json"] as { model_id: string }).model_id;
  const state = nb.metadata.widgets?.["application/vnd.jupyter.widget-state+json"];
  assert.equal(state.version_major, 2);
  assert.equal(state.state[modelId].model_name, "IntProgressModel");
  assert.equal(state.state[modelId].state.value, 1000);
  await validateWithNbformat(out);
});

test("--autosave-cell-every: a long cell's outputs reach the file while it still runs", { timeout: 120000 }, async () => {
  const out = path.join(dir, "autosave-out.ipynb");
  const input = writeJson(path.join(dir, "autosave.ipynb"), notebook([
    { source: [
      'import * as fs from "node:fs";',
      "const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));",
      "console.log('early');",
      "const waited = pause(1500);",
      "await waited;",
      "console.log('tick');",
      "const settled = pause(1000);",
      "await settled;",
      `const mine = JSON.parse(fs.readFileSync(${JSON.stringify(out)}, "utf8")).cells[0];`,
      "console.log(JSON.stringify([mine.metadata.papermill.status, mine.outputs.map((o: any) => o.text.join('')).join('')]));",
    ].join("\n") },
  ]));
  const r = await zhist(["run", input, out, "--autosave-cell-every", "1", "--no-progress-bar"]);
  assert.equal(r.status, 0, r.stderr);
  const lines = stdoutOf(readOut(out).cells[0]).trim().split("\n");
  assert.deepEqual(JSON.parse(lines.at(-1)!), ["running", "early\ntick\n"]);
});

test("SIGTERM (a batch system's kill): exit 143 with the notebook as it stood and the kernel stopped", { timeout: 120000 }, async () => {
  const out = path.join(dir, "term-out.ipynb");
  const input = writeJson(path.join(dir, "term.ipynb"), notebook([
    { source: "console.log('quick');" },
    { source: "const until = Date.now() + 90000;\nwhile (Date.now() < until) {}" },
  ]));
  const r = await zhist(["run", input, out, "--no-progress-bar"], { timeoutMs: 15000 });
  assert.equal(r.status, 143, r.stderr);
  assert.match(r.stderr, /SIGTERM: stopping the kernel/);
  const nb = readOut(out);
  assert.equal(stdoutOf(nb.cells[0]), "quick\n");
  assert.equal(nb.cells[0].metadata.papermill?.status, "completed");
  assert.equal(nb.cells[1].metadata.papermill?.status, "running");
});
