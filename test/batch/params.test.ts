// Parameters and paths against papermill itself (installed from requirements.txt): `-p` typing
// (papermill.cli._resolve_type), YAML reading (papermill's NoDatesSafeLoader) and output path
// templating (papermill.parameterize.parameterize_path) give the same values for the same input.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { mergeParameters, noSources, parseYaml, resolveType } from "../../src/batch/params.js";
import { formatPath } from "../../src/batch/template.js";
import { codify, inspectParameters, literal } from "../../src/batch/translate.js";
import { runPython } from "../helpers/python.js";
import { tmpdir } from "./helpers.js";

// JSON cannot carry NaN or infinities: both sides spell them as strings.
const spell = (v: unknown): unknown =>
  typeof v === "number" && !Number.isFinite(v) ? (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf") : Array.isArray(v) ? v.map(spell) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, spell(x)])) : v;
const PY_SPELL = `
import math
def spell(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if isinstance(v, list): return [spell(x) for x in v]
    if isinstance(v, dict): return {str(k): spell(x) for k, x in v.items()}
    if isinstance(v, bytes): return v.decode()
    return v
`;

test("-p values are typed exactly as papermill types them", async () => {
  const values = ["1", "-7", "+3", " 42 ", "1_000", "1__0", "0x10", "007", "1.5", "-2.", ".5", "1e3", "1E-2", "1_0.5e1_0", "nan", "-inf", "Infinity", "infinit",
    "True", "False", "None", "true", "false", "null", "none", "", " ", "abc", "1.2.3", "1e", "--1", "data/x.root", "3j", "٣"];
  const { json } = await runPython<unknown[]>(`${PY_SPELL}
from papermill.cli import _resolve_type
emit([spell(_resolve_type(v)) for v in INPUT])
`, { input: values });
  const ours = values.map((v) => spell(resolveType(v)));
  for (let i = 0; i < values.length; i++) {
    // Python's int() also takes non-ASCII digits; zhist keeps those as strings.
    if (values[i] === "٣") continue;
    assert.deepEqual(ours[i], json[i], `-p x ${JSON.stringify(values[i])}`);
  }
});

test("YAML parameters read as papermill's loader reads them (YAML 1.1 booleans, no dates, merge keys)", async () => {
  const docs = [
    "a: 1\nb: 2.5\nc: text\nd: [1, two, 3.0]\ne: {x: 1, y: [true, false]}",
    "yes_: yes\nno_: No\non_: on\noff_: OFF\ny: y\nn: n\ntilde: ~\nnull_: null",
    "date: 2024-01-02\nstamp: 2001-12-14 21:59:43.10 -5\nver: 1.10\noct: 0o17\nold_oct: 017\nhex: 0x1F\nunder: 1_000\nsexa: 1:20\nexp: 1.0e+3\nexp2: 1e3\nexp3: 1.0e3\nexp4: -.5E-2\nexp5: -.5\nexp6: .5e-1",
    "nan: .nan\ninf: -.inf\nquoted: '123'\nblock: |\n  two\n  lines\n",
    "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3",
    "",
  ];
  const { json } = await runPython<unknown[]>(`${PY_SPELL}
import yaml
from papermill.iorw import NoDatesSafeLoader
emit([spell(yaml.load(d, Loader=NoDatesSafeLoader)) for d in INPUT])
`, { input: docs });
  docs.forEach((d, i) => assert.deepEqual(spell(parseYaml(d, "test")), json[i], `YAML ${JSON.stringify(d)}`));
});

test("sources merge in papermill's precedence: -b, -f, -y, -p, -r whatever their order", () => {
  const dir = tmpdir();
  try {
    const f1 = path.join(dir, "a.yaml"), f2 = path.join(dir, "b.json");
    fs.writeFileSync(f1, "a: file1\nb: file1\nc: file1\nd: file1\ne: file1\nonly_file: [1, 2]\n");
    fs.writeFileSync(f2, JSON.stringify({ b: "file2" }));
    const src = noSources();
    src.raw.push(["e", "1.5"]);
    src.typed.push(["d", "1.5"], ["e", "2"]);
    src.yaml.push("c: yaml\nd: yaml");
    src.files.push(f1, f2);
    src.base64.push(Buffer.from("a: b64\nonly_b64: true").toString("base64"));
    assert.deepEqual(mergeParameters(src), { a: "file1", b: "file2", c: "yaml", d: 1.5, e: "1.5", only_file: [1, 2], only_b64: true });
    src.files.push(path.join(dir, "missing.yaml"));
    assert.throws(() => mergeParameters(src), /parameters file .*missing\.yaml: no such file/);
    const bad = noSources();
    bad.yaml.push("[1, 2]");
    assert.throws(() => mergeParameters(bad), /-y: parameters must be a YAML mapping/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("output paths are templated as papermill's parameterize_path does", async () => {
  const params = { dataset: "dy", n: 7, x: 2.5, flag: true, none: null, list: ["a", "b"], cfg: { era: "2016", run: 3 } };
  const templates = ["out/{dataset}.ipynb", "{dataset}-{n:03d}-{x:.2f}.ipynb", "{flag}_{none}_{list}", "{list[1]}/{cfg[era]}-{cfg[run]}", "{{literal}}-{dataset!s}", "{n:>5}|{dataset:^6}|{dataset:<4}|", "{x:e}|{n:+d}|{n:x}"];
  const { json } = await runPython<string[]>(`
from papermill.parameterize import parameterize_path
emit([parameterize_path(t, INPUT["params"]) for t in INPUT["templates"]])
`, { input: { params, templates } });
  templates.forEach((t, i) => assert.equal(formatPath(t, params), json[i], t));
  assert.throws(() => formatPath("out/{missing}.ipynb", params), /Missing parameter 'missing'/);
});

test("the injected cell: let lines that keep the parameters cell's annotations; the parameters cell read back", () => {
  const cell = [
    'let dataset = "dy"; // the dataset',
    "const workers = 2;",
    'let mode: "fast" | "slow" = "fast";',
    "let files: string[] = [",
    '  "a.root", // first',
    '  "b.root",',
    "]; // input files",
    "let url = \"http://x/y\"; // where // it is",
    "let cut = 2 * Math.PI;",
    "let ratio = -1.5e3",
  ].join("\n");
  const params = inspectParameters(cell);
  assert.deepEqual(params.map((p) => [p.name, p.inferred_type_name, p.default, p.help]), [
    ["dataset", "string", '"dy"', "the dataset"],
    ["workers", "number", "2", ""],
    ["mode", '"fast" | "slow"', '"fast"', ""],
    ["files", "string[]", '[ "a.root", "b.root", ]', "input files"],
    ["url", "string", '"http://x/y"', "where // it is"],
    ["cut", "None", "2 * Math.PI", ""],
    ["ratio", "number", "-1.5e3", ""],
  ]);
  assert.equal(
    codify({ mode: "slow", files: [], workers: 4, extra: { a: [1, null] }, nan: NaN, inf: -Infinity }, params),
    '// Parameters\nlet mode: "fast" | "slow" = "slow";\nlet files: string[] = [];\nlet workers = 4;\nlet extra = { "a": [1, null] };\nlet nan = NaN;\nlet inf = -Infinity;\n',
  );
  assert.equal(literal("quote\" and \\ and \n"), '"quote\\" and \\\\ and \\n"');
  assert.throws(() => codify({ "not-a-name": 1 }), /not a TypeScript identifier/);
});
