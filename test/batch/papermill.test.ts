// zhist run against papermill itself: the same notebook written in Python (run by papermill on the
// python3 kernel) and in TypeScript (run by zhist run on ours), with the same parameters, must come out
// with the same structure: notebook and cell metadata keys, tags, the injected cell's place and
// parameter order, statuses and exception flags, execution counts, output types and text, and the
// error marker cells word for word.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { pythonExecutable } from "../helpers/python.js";
import { notebook, readOut, text, tmpdir, writeJson, zhist, type OutNotebook } from "./helpers.js";

let dir: string;
before(() => { dir = tmpdir("zhist-papermill-"); });
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const twins = {
  python: notebook([
    { type: "markdown", source: "# twins" },
    { source: 'a = 1\nb = "x"\nfail = False', tags: ["parameters"] },
    { source: "print(a, b)" },
    { source: "" },
    { source: 'if fail:\n    raise ValueError("boom")\nprint("passed")' },
    { source: 'print("after")' },
  ], "python3"),
  typescript: notebook([
    { type: "markdown", source: "# twins" },
    { source: 'let a = 1;\nlet b = "x";\nlet fail = false;', tags: ["parameters"] },
    { source: "console.log(a, b);" },
    { source: "" },
    { source: 'if (fail) throw new RangeError("boom");\nconsole.log("passed");' },
    { source: 'console.log("after");' },
  ]),
};

/** What must agree between the two: everything but the language, times and random ids. */
function shape(nb: OutNotebook) {
  return {
    nbformat: [nb.nbformat, nb.nbformat_minor],
    papermillKeys: Object.keys(nb.metadata.papermill).sort(),
    parameters: nb.metadata.papermill.parameters,
    exception: nb.metadata.papermill.exception,
    cells: nb.cells.map((c) => ({
      type: c.cell_type,
      tags: c.metadata.tags,
      metadataKeys: Object.keys(c.metadata).sort(),
      papermill: c.metadata.papermill && { keys: Object.keys(c.metadata.papermill).sort(), status: c.metadata.papermill.status, exception: c.metadata.papermill.exception, timed: typeof c.metadata.papermill.duration === "number" },
      executionKeys: c.metadata.execution && Object.keys(c.metadata.execution).sort(),
      count: c.execution_count,
      outputs: c.outputs?.map((o) => (o.output_type === "stream" ? `${o.name}:${(o.text ?? []).join("")}` : o.output_type)),
      markerText: c.metadata.tags?.includes("papermill-error-cell-tag") ? text(c) : undefined,
    })),
  };
}

function papermill(input: string, output: string, args: string[]) {
  const r = spawnSync(pythonExecutable(), ["-m", "papermill", input, output, ...args], { encoding: "utf8", cwd: dir, timeout: 120000 });
  if (r.error) throw r.error;
  return r;
}

for (const fail of ["True", "False"]) {
  test(`same structure as papermill's output (failing: ${fail})`, { timeout: 180000 }, async () => {
    const pyIn = writeJson(path.join(dir, `py-${fail}.ipynb`), twins.python);
    const tsIn = writeJson(path.join(dir, `ts-${fail}.ipynb`), twins.typescript);
    const args = ["-p", "a", "2", "-y", "b: y", "-p", "fail", fail];
    const pm = papermill(pyIn, path.join(dir, `py-${fail}-out.ipynb`), [...args, "--no-progress-bar"]);
    const zr = await zhist(["run", tsIn, path.join(dir, `ts-${fail}-out.ipynb`), ...args, "--no-progress-bar"]);
    assert.equal(zr.status, pm.status, `exit status: papermill ${pm.status}, zhist ${zr.status}\n${zr.stderr}`);
    assert.equal(zr.status, fail === "True" ? 1 : 0);
    const py = readOut(path.join(dir, `py-${fail}-out.ipynb`));
    const ts = readOut(path.join(dir, `ts-${fail}-out.ipynb`));
    const [ps, zs] = [shape(py), shape(ts)];
    // papermill's error output is a Python traceback; ours the TypeScript one: both are one "error" output.
    assert.deepEqual(zs, ps);
    // The injected cells assign the same names in the same order.
    const injected = (nb: OutNotebook) => text(nb.cells.find((c) => c.metadata.tags?.includes("injected-parameters"))!);
    const names = (src: string) => [...src.matchAll(/^(?:let )?(\w+)\s*=/gm)].map((m) => m[1]);
    assert.deepEqual(names(injected(ts)), names(injected(py)));
    assert.equal(injected(py).split("\n")[0], "# Parameters");
    assert.equal(injected(ts).split("\n")[0], "// Parameters");
    // Each side's own kernel and the paths as given.
    assert.equal(py.metadata.language_info?.name, "python");
    assert.equal(ts.metadata.language_info?.name, "typescript");
    assert.equal(ts.metadata.papermill.input_path, tsIn);
  });
}
