// Magic lines -> declarations as plain data (one action per line). Each action is one call on the
// analysis API (run.ts); positions are kept so that later checks (columns against the dataset's
// schema) still point at the right column of the right line.
import type { AxisSpec, DatasetOptions } from "../../src/analysis/index.js";
import { MagicError, suggest } from "./errors.js";
import { type Token, TokenizeError, commentStart, splitTopLevel, tokenize, trimRange } from "./tokenize.js";

export const MAGICS = ["dataset", "define", "category", "systematic", "hist", "fill", "plot", "analysis"] as const;
export type MagicName = (typeof MAGICS)[number];

/** Where an action was written: the 1-based line of the cell and its text. */
export interface Where {
  line: number;
  text: string;
}

/** An expression of a magic and the column where it starts in its line. */
export interface ExprAt {
  expr: string;
  column: number;
}

export interface PlotMagicOptions {
  stack?: string;
  overlay?: string;
  axis?: string;
  log?: boolean;
  ratio?: boolean;
  band?: boolean;
  widget?: boolean;
}

export type MagicAction =
  | { magic: "dataset"; at: Where; name: string; files: string[]; options: DatasetOptions }
  | { magic: "define"; at: Where; name: string; expr: ExprAt }
  | { magic: "category"; at: Where; axis: string; label: string; expr: ExprAt }
  | { magic: "systematic"; at: Where; name: string; kind: "weight"; up: ExprAt; down: ExprAt }
  | { magic: "systematic"; at: Where; name: string; kind: "shape"; column: ExprAt; up: ExprAt; down: ExprAt }
  | { magic: "hist"; at: Where; name: string; axis: AxisSpec; expr: ExprAt; weight?: ExprAt }
  | { magic: "fill"; at: Where; options: { workers?: number; store?: string; datasets?: string[] } }
  | { magic: "plot"; at: Where; hist: string; select: Record<string, string>; options: PlotMagicOptions }
  | { magic: "analysis"; at: Where; command: "save" | "load"; file: string };

type Fail = (reason: string, column: number, span?: number) => never;

/** Parses one magic line (`%name args`, or `name args` inside %%analysis); `start` is where the name begins. */
export function parseMagicLine(text: string, lineNo: number, start: number): MagicAction {
  const end = commentStart(text, start);
  const nameMatch = /^[A-Za-z_][\w-]*/.exec(text.slice(start));
  const prefix = text[start - 1] === "%" ? "%" : "";
  if (!nameMatch) throw new MagicError("magic", "a magic name is expected after %", lineNo, start, text);
  const name = nameMatch[0];
  if (!(MAGICS as readonly string[]).includes(name)) {
    throw new MagicError(`${prefix}${name}`, `unknown magic${suggest(name, MAGICS, prefix)}`, lineNo, start - prefix.length, text, name.length + prefix.length);
  }
  const magic = name as MagicName;
  const at: Where = { line: lineNo, text };
  const fail: Fail = (reason, column, span = 1) => { throw new MagicError(`%${magic}`, reason, lineNo, column, text, span); };
  const argsFrom = start + name.length;
  try {
    switch (magic) {
      case "dataset": return parseDataset(text, argsFrom, end, at, fail);
      case "define": return parseDefine(text, argsFrom, end, at, fail);
      case "category": return parseCategory(text, argsFrom, end, at, fail);
      case "systematic": return parseSystematic(text, argsFrom, end, at, fail);
      case "hist": return parseHist(text, argsFrom, end, at, fail);
      case "fill": return parseFill(text, argsFrom, end, at, fail);
      case "plot": return parsePlot(text, argsFrom, end, at, fail);
      case "analysis": return parseAnalysis(text, argsFrom, end, at, fail);
    }
  } catch (e) {
    if (e instanceof TokenizeError) fail(e.reason, e.column, e.span);
    throw e;
  }
}

type FlagKind = "string" | "number" | "bool" | "list";

/** Splits tokens into positionals and --flags of the given kinds; unknown flags get the closest names. */
function flags(tokens: Token[], kinds: Record<string, FlagKind>, fail: Fail): { positional: Token[]; values: Record<string, string | number | boolean | string[]> } {
  const positional: Token[] = [];
  const values: Record<string, string | number | boolean | string[]> = {};
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.quoted || !t.value.startsWith("--")) { positional.push(t); continue; }
    let flag = t.value.slice(2);
    let inline: string | undefined;
    const eq = flag.indexOf("=");
    if (eq >= 0) { inline = flag.slice(eq + 1); flag = flag.slice(0, eq); }
    const kind = kinds[flag];
    if (!kind) fail(`unknown option --${flag}${suggest(flag, Object.keys(kinds), "--")}`, t.start, t.end - t.start);
    if (flag in values) fail(`--${flag} is given twice`, t.start, t.end - t.start);
    if (kind === "bool") {
      if (inline !== undefined) fail(`--${flag} takes no value`, t.start, t.end - t.start);
      values[flag] = true;
      continue;
    }
    let raw: string;
    let pos = t;
    if (inline !== undefined) raw = inline;
    else {
      const v = tokens[++i];
      if (!v) fail(`--${flag} needs a value`, t.start, t.end - t.start);
      raw = v.value;
      pos = v;
    }
    if (kind === "number") {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) fail(`--${flag} needs a number, got ${JSON.stringify(raw)}`, pos.start, pos.end - pos.start);
      values[flag] = n;
    } else if (kind === "list") {
      const list = raw.split(",").map((s) => s.trim()).filter((s) => s);
      if (!list.length) fail(`--${flag} needs a comma-separated list`, pos.start, pos.end - pos.start);
      values[flag] = list;
    } else values[flag] = raw;
  }
  return { positional, values };
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function nameToken(text: string, from: number, to: number, what: string, fail: Fail): Token {
  const t = tokenize(text, from, to)[0];
  if (!t) fail(`${what} is missing`, to);
  if (!IDENT.test(t.value)) fail(`${what} ${JSON.stringify(t.value)} is not a name (letters, digits, _)`, t.start, t.end - t.start);
  return t;
}

function exprAt(text: string, from: number, to: number, what: string, fail: Fail): ExprAt {
  const [s, e] = trimRange(text, from, to);
  if (s >= e) fail(`${what} is missing`, Math.min(from, text.length));
  return { expr: text.slice(s, e), column: s };
}

function parseDataset(text: string, from: number, to: number, at: Where, fail: Fail): MagicAction {
  const { positional, values } = flags(tokenize(text, from, to), { tree: "string", xsec: "number", lumi: "number", label: "string", data: "bool" }, fail);
  const [name, ...files] = positional;
  if (!name) fail("usage: %dataset NAME FILES... [--tree T] [--xsec X] [--lumi L] [--label TEXT] [--data]", from);
  if (!files.length) fail(`dataset ${name.value}: no files given`, name.end);
  const options: DatasetOptions = {};
  if (values.tree !== undefined) options.tree = values.tree as string;
  if (values.xsec !== undefined) options.xsec = values.xsec as number;
  if (values.lumi !== undefined) options.lumi = values.lumi as number;
  if (values.label !== undefined) options.label = values.label as string;
  if (values.data) options.data = true;
  for (const k of ["xsec", "lumi"] as const) {
    if (options[k] !== undefined && !(options[k]! > 0)) fail(`--${k} must be a positive number`, text.indexOf(`--${k}`, from), k.length + 2);
  }
  return { magic: "dataset", at, name: name.value, files: files.map((f) => f.value), options };
}

function parseDefine(text: string, from: number, to: number, at: Where, fail: Fail): MagicAction {
  const eq = splitTopLevel(text, "=", from, to)[0];
  if (eq === undefined) fail("usage: %define NAME = EXPRESSION", to);
  const name = nameToken(text, from, eq, "the name", fail);
  const extra = tokenize(text, name.end, eq)[0];
  if (extra) fail("one name before =", extra.start, extra.end - extra.start);
  return { magic: "define", at, name: name.value, expr: exprAt(text, eq + 1, to, "the expression after =", fail) };
}

function parseCategory(text: string, from: number, to: number, at: Where, fail: Fail): MagicAction {
  const axis = nameToken(text, from, to, "the category axis", fail);
  const colon = splitTopLevel(text, ":", axis.end, to)[0];
  if (colon === undefined) fail("usage: %category AXIS LABEL: EXPRESSION", to);
  const labels = tokenize(text, axis.end, colon);
  if (labels.length !== 1) fail(labels.length ? "one label before : (quote it if it has blanks)" : "the label is missing", labels[1]?.start ?? colon);
  return { magic: "category", at, axis: axis.value, label: labels[0].value, expr: exprAt(text, colon + 1, to, "the selection after :", fail) };
}

function parseSystematic(text: string, from: number, to: number, at: Where, fail: Fail): MagicAction {
  const name = nameToken(text, from, to, "the systematic's name", fail);
  const kindTok = tokenize(text, name.end, to)[0];
  if (!kindTok || (kindTok.value !== "weight" && kindTok.value !== "shape")) {
    fail(`the kind must be weight or shape${kindTok ? suggest(kindTok.value, ["weight", "shape"]) : ""}`, kindTok?.start ?? to, kindTok ? kindTok.end - kindTok.start : 1);
  }
  if (kindTok.value === "weight") {
    const slash = splitTopLevel(text, " / ", kindTok.end, to);
    if (slash.length !== 1) {
      fail(slash.length ? "more than one ' / ': put divisions inside a variation in parentheses" : "usage: %systematic NAME weight UP / DOWN", slash[1] ?? to, 3);
    }
    return { magic: "systematic", at, name: name.value, kind: "weight", up: exprAt(text, kindTok.end, slash[0], "the up variation", fail), down: exprAt(text, slash[0] + 3, to, "the down variation", fail) };
  }
  const colon = splitTopLevel(text, ":", kindTok.end, to)[0];
  if (colon === undefined) fail("usage: %systematic NAME shape COLUMN: UP, DOWN", to);
  const column = exprAt(text, kindTok.end, colon, "the column", fail);
  if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$/.test(column.expr)) fail(`${JSON.stringify(column.expr)} is not a column (Jet.pt or Jet_pt)`, column.column, column.expr.length);
  const comma = splitTopLevel(text, ",", colon + 1, to);
  if (comma.length !== 1) fail(comma.length ? "more than one top-level ',': put the variations in parentheses" : "usage: %systematic NAME shape COLUMN: UP, DOWN", comma[1] ?? to);
  return {
    magic: "systematic", at, name: name.value, kind: "shape", column,
    up: exprAt(text, colon + 1, comma[0], "the up variation", fail), down: exprAt(text, comma[0] + 1, to, "the down variation", fail),
  };
}

function parseHist(text: string, from: number, to: number, at: Where, fail: Fail): MagicAction {
  const name = nameToken(text, from, to, "the histogram's name", fail);
  const eq = splitTopLevel(text, "=", name.end, to).find((i) => text[i + 1] !== "=");
  if (eq === undefined) fail("usage: %hist NAME Reg(BINS, LO, HI, \"LABEL\") [--weight EXPR] = EXPRESSION", to);
  // An optional --weight "EXPR" between the axis and the =.
  let axisEnd = eq;
  let weight: ExprAt | undefined;
  const w = splitTopLevel(text, "--weight", name.end, eq)[0];
  if (w !== undefined) {
    axisEnd = w;
    const tok = tokenize(text, w + 8, eq);
    if (tok.length !== 1) fail("--weight takes one expression (quote it)", w, 8);
    weight = { expr: tok[0].value, column: tok[0].quoted ? tok[0].start + 1 : tok[0].start };
  }
  const axis = parseAxis(text, name.end, axisEnd, fail);
  const h: MagicAction = { magic: "hist", at, name: name.value, axis, expr: exprAt(text, eq + 1, to, "the expression after =", fail) };
  if (weight) h.weight = weight;
  return h;
}

const AXES: Record<string, "regular" | "variable" | "integer"> = { Reg: "regular", Regular: "regular", Var: "variable", Variable: "variable", Int: "integer", Integer: "integer" };

/** `Reg(25, 50, 550, "H_T [GeV]")`, `Var([0, 10, 30, 100], "x")`, `Int(0, 10)`: numbers and a label, no evaluation. */
export function parseAxis(text: string, from: number, to: number, fail: Fail): AxisSpec {
  const [s, e] = trimRange(text, from, to);
  const m = /^([A-Za-z]+)\s*\(/.exec(text.slice(s, e));
  if (!m) fail("an axis is expected: Reg(BINS, LO, HI, \"LABEL\"), Var([EDGES], \"LABEL\") or Int(LO, HI, \"LABEL\")", s, Math.max(1, e - s));
  const type = AXES[m[1]];
  if (!type) fail(`unknown axis ${m[1]}${suggest(m[1], Object.keys(AXES))}`, s, m[1].length);
  if (text[e - 1] !== ")") fail("the axis needs a closing )", e);
  const open = s + m[0].length;
  const cuts = [open - 1, ...splitTopLevel(text, ",", open, e - 1), e - 1];
  const args = cuts.slice(1).map((c, i) => trimRange(text, cuts[i] + 1, c)).filter(([a, b], i, all) => a < b || all.length > 1 || i > 0);
  const num = ([a, b]: [number, number]): number => {
    const raw = text.slice(a, b);
    const v = Number(raw);
    if (!raw || !Number.isFinite(v)) fail(`a number is expected, got ${JSON.stringify(raw)}`, a, Math.max(1, b - a));
    return v;
  };
  const label = (r: [number, number] | undefined): string | undefined => {
    if (!r) return undefined;
    const t = tokenize(text, r[0], r[1]);
    if (t.length !== 1 || !t[0].quoted) fail("the label must be a quoted string", r[0], Math.max(1, r[1] - r[0]));
    return t[0].value;
  };
  const withLabel = (spec: AxisSpec, r: [number, number] | undefined, extra: [number, number] | undefined): AxisSpec => {
    if (extra) fail("too many arguments", extra[0], extra[1] - extra[0]);
    const l = label(r);
    return l === undefined ? spec : { ...spec, label: l };
  };
  const need = (n: number, usage: string) => { if (args.length < n) fail(`${m[1]} needs ${usage}`, s, e - s); };
  let spec: AxisSpec;
  if (type === "regular") {
    need(3, "BINS, LO, HI");
    const bins = num(args[0]);
    if (!Number.isInteger(bins) || bins < 1) fail("the number of bins must be a positive integer", args[0][0], args[0][1] - args[0][0]);
    const [lo, hi] = [num(args[1]), num(args[2])];
    if (!(lo < hi)) fail("LO must be below HI", args[1][0], args[2][1] - args[1][0]);
    spec = withLabel({ type, bins, start: lo, stop: hi }, args[3], args[4]);
  } else if (type === "integer") {
    need(2, "LO, HI");
    const [lo, hi] = [num(args[0]), num(args[1])];
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || !(lo < hi)) fail("Int needs integers LO < HI", args[0][0], args[1][1] - args[0][0]);
    spec = withLabel({ type, start: lo, stop: hi }, args[2], args[3]);
  } else {
    need(1, "[EDGES]");
    const [a, b] = args[0];
    if (text[a] !== "[" || text[b - 1] !== "]") fail("Var needs its edges as a list: Var([0, 10, 50])", a, b - a);
    const inner = [a, ...splitTopLevel(text, ",", a + 1, b - 1), b - 1];
    const edges = inner.slice(1).map((c, i) => num(trimRange(text, inner[i] + 1, c)));
    for (let i = 1; i < edges.length; i++) if (!(edges[i] > edges[i - 1])) fail("edges must increase", a, b - a);
    if (edges.length < 2) fail("Var needs at least two edges", a, b - a);
    spec = withLabel({ type, edges }, args[1], args[2]);
  }
  return spec;
}

function parseFill(text: string, from: number, to: number, at: Where, fail: Fail): MagicAction {
  const { positional, values } = flags(tokenize(text, from, to), { workers: "number", store: "string", datasets: "list" }, fail);
  if (positional.length) fail(`unexpected ${JSON.stringify(positional[0].value)}; usage: %fill [--workers N] [--store DIR] [--datasets a,b]`, positional[0].start, positional[0].end - positional[0].start);
  const options: { workers?: number; store?: string; datasets?: string[] } = {};
  if (values.workers !== undefined) {
    const n = values.workers as number;
    if (!Number.isInteger(n) || n < 0) fail("--workers must be a whole number", text.indexOf("--workers"), 9);
    options.workers = n;
  }
  if (values.store !== undefined) options.store = values.store as string;
  if (values.datasets !== undefined) options.datasets = values.datasets as string[];
  return { magic: "fill", at, options };
}

function parsePlot(text: string, from: number, to: number, at: Where, fail: Fail): MagicAction {
  const { positional, values } = flags(tokenize(text, from, to), { stack: "string", overlay: "string", axis: "string", log: "bool", "no-ratio": "bool", "no-band": "bool", widget: "bool" }, fail);
  const [hist, ...rest] = positional;
  if (!hist) fail("usage: %plot HIST [AXIS=LABEL ...] [--stack AXIS | --overlay AXIS] [--axis AXIS] [--log] [--no-ratio] [--no-band] [--widget]", from);
  const select: Record<string, string> = {};
  for (const t of rest) {
    const eq = t.value.indexOf("=");
    if (eq <= 0 || t.quoted) fail(`expected AXIS=LABEL, got ${JSON.stringify(t.value)}`, t.start, t.end - t.start);
    select[t.value.slice(0, eq)] = t.value.slice(eq + 1).replace(/^["']|["']$/g, "");
  }
  const options: PlotMagicOptions = {};
  for (const k of ["stack", "overlay", "axis"] as const) if (values[k] !== undefined) options[k] = values[k] as string;
  if (values.log) options.log = true;
  if (values["no-ratio"]) options.ratio = false;
  if (values["no-band"]) options.band = false;
  if (values.widget) options.widget = true;
  if (options.stack && options.overlay) fail("--stack and --overlay are exclusive", text.indexOf("--overlay", from), 9);
  return { magic: "plot", at, hist: hist.value, select, options };
}

function parseAnalysis(text: string, from: number, to: number, at: Where, fail: Fail): MagicAction {
  const tokens = tokenize(text, from, to);
  const [cmd, file, extra] = tokens;
  if (!cmd || (cmd.value !== "save" && cmd.value !== "load")) {
    fail(`usage: %analysis save FILE | %analysis load FILE${cmd ? suggest(cmd.value, ["save", "load"]) : ""}`, cmd?.start ?? to, cmd ? cmd.end - cmd.start : 1);
  }
  if (!file) fail(`%analysis ${cmd.value} needs a file name`, cmd.end);
  if (extra) fail("unexpected argument", extra.start, extra.end - extra.start);
  return { magic: "analysis", at, command: cmd.value, file: file.value };
}
