// %analysis save / load: the declarations as YAML. Loading keeps the parsed Document, and saving
// merges the declarations into it node by node, so comments, key order and quoting survive a round
// trip (yaml's Document API keeps them on the nodes).
import * as fs from "node:fs";
import { Document, LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from "yaml";
import type { AnalysisSpec, AxisSpec } from "../../src/analysis/index.js";
import { parseAxis } from "./parse.js";

type Plain = Record<string, unknown>;

/** The YAML shape of an analysis: maps keyed by name, axes in the magics' spelling. */
export function specToPlain(spec: AnalysisSpec): Plain {
  const out: Plain = {};
  out.datasets = Object.fromEntries(spec.datasets.map((d) => {
    const o: Plain = { files: [...d.files] };
    if (d.tree !== "Events") o.tree = d.tree;
    if (d.data) o.data = true;
    else { o.xsec = d.xsec; o.lumi = d.lumi; }
    if (d.label !== undefined) o.label = d.label;
    return [d.name, o];
  }));
  out.defines = Object.fromEntries(spec.defines);
  const cats: Record<string, Plain> = {};
  for (const c of spec.categories) (cats[c.axis] ??= {})[c.label] = c.expr;
  out.categories = cats;
  out.systematics = Object.fromEntries(spec.systematics.map((s) => [s.name, s.kind === "shape" ? { kind: "shape", column: s.column, up: s.up, down: s.down } : { kind: "weight", up: s.up, down: s.down }]));
  out.hists = Object.fromEntries(spec.hists.map((h) => [h.name, { axis: axisText(h.axis), expr: h.expr, ...(h.weight !== undefined ? { weight: h.weight } : {}) }]));
  return out;
}

export function axisText(a: AxisSpec): string {
  const label = a.label ? `, ${JSON.stringify(a.label)}` : "";
  switch (a.type) {
    case "regular": return `Reg(${a.bins}, ${a.start}, ${a.stop}${label})`;
    case "variable": return `Var([${a.edges.join(", ")}]${label})`;
    case "integer": return `Int(${a.start}, ${a.stop}${label})`;
  }
}

export class AnalysisFileError extends Error {
  override name = "AnalysisFileError";
}

/** Reads an analysis YAML: the spec and the Document (kept for a later save). */
export function readAnalysisYaml(file: string, text = fs.readFileSync(file, "utf8")): { spec: AnalysisSpec; doc: Document; text: string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: false });
  const where = (node: Node | null | undefined, key: string) => {
    const at = node?.range ? lines.linePos(node.range[0]) : null;
    return `${file}${at ? `:${at.line}:${at.col}` : ""} (${key})`;
  };
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new AnalysisFileError(`${file}:${e.linePos?.[0].line ?? "?"}:${e.linePos?.[0].col ?? "?"}: ${e.message.split("\n")[0]}`);
  }
  const root = doc.contents;
  const spec: AnalysisSpec = { datasets: [], defines: [], categories: [], systematics: [], hists: [] };
  if (root === null || root === undefined) return { spec, doc, text };
  if (!isMap(root)) throw new AnalysisFileError(`${where(root as Node, "top level")}: a mapping of datasets, defines, categories, systematics, hists is expected`);
  const known = ["datasets", "defines", "categories", "systematics", "hists"];
  const entries = (map: unknown, key: string): [string, unknown, Node][] => {
    if (map === null || map === undefined) return [];
    if (!isMap(map)) throw new AnalysisFileError(`${where(map as Node, key)}: a mapping is expected`);
    return (map as YAMLMap).items.map((p: Pair) => [String(isScalar(p.key) ? p.key.value : p.key), (p.value as Node | null)?.toJSON?.() ?? (isScalar(p.value) ? p.value.value : p.value), (p.value ?? p.key) as Node]);
  };
  const str = (v: unknown, node: Node, key: string): string => {
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (typeof v !== "string" || !v.trim()) throw new AnalysisFileError(`${where(node, key)}: a non-empty string is expected`);
    return v;
  };
  for (const [section, value, node] of entries(root, "top level")) {
    if (!known.includes(section)) throw new AnalysisFileError(`${where(node, section)}: unknown section ${section}; expected one of ${known.join(", ")}`);
    const map = (root as YAMLMap).get(section, true) as unknown;
    for (const [name, v, n] of entries(map, section)) {
      const key = `${section}.${name}`;
      const o = (v ?? {}) as Plain;
      switch (section) {
        case "datasets": {
          const files = typeof o.files === "string" ? [o.files] : o.files;
          if (!Array.isArray(files) || !files.length) throw new AnalysisFileError(`${where(n, key)}: files (a list) is needed`);
          const d: AnalysisSpec["datasets"][number] = { name, files: files.map(String), tree: typeof o.tree === "string" ? o.tree : "Events", data: o.data === true };
          if (!d.data) { d.xsec = typeof o.xsec === "number" ? o.xsec : 1; d.lumi = typeof o.lumi === "number" ? o.lumi : 1; }
          if (o.label !== undefined) d.label = String(o.label);
          spec.datasets.push(d);
          break;
        }
        case "defines": spec.defines.push([name, str(v, n, key)]); break;
        case "categories":
          for (const [label, expr, m] of entries((map as YAMLMap).get(name, true) as unknown, key)) spec.categories.push({ axis: name, label, expr: str(expr, m, `${key}.${label}`) });
          break;
        case "systematics": {
          const up = str(o.up, n, `${key}.up`);
          const down = str(o.down, n, `${key}.down`);
          if (o.kind === "shape") spec.systematics.push({ name, kind: "shape", column: str(o.column, n, `${key}.column`), up, down });
          else if (o.kind === "weight" || o.kind === undefined) spec.systematics.push({ name, kind: "weight", up, down });
          else throw new AnalysisFileError(`${where(n, `${key}.kind`)}: kind must be weight or shape`);
          break;
        }
        case "hists": {
          let axis: AxisSpec;
          if (typeof o.axis === "string") {
            const text = o.axis;
            axis = parseAxis(text, 0, text.length, (reason, column) => { throw new AnalysisFileError(`${where(n, `${key}.axis`)}: ${reason} at column ${column + 1} of ${JSON.stringify(text)}`); });
          } else if (o.axis && typeof o.axis === "object") axis = o.axis as AxisSpec;
          else throw new AnalysisFileError(`${where(n, key)}: axis is needed, e.g. Reg(25, 50, 550, "H_T [GeV]")`);
          spec.hists.push({ name, axis, expr: str(o.expr, n, `${key}.expr`), ...(o.weight !== undefined ? { weight: str(o.weight, n, `${key}.weight`) } : {}) });
          break;
        }
      }
    }
  }
  return { spec, doc, text };
}

const STRINGIFY = { flowCollectionPadding: false, lineWidth: 0 } as const;

/**
 * YAML text of `spec`. Given the file it was loaded from (`base`), the declarations are merged into
 * that document so its comments, order and quoting stay; an unchanged analysis gives the file's text back.
 */
export function analysisYaml(spec: AnalysisSpec, base?: { doc: Document; text: string }): string {
  const plain = specToPlain(spec);
  if (!base || !isMap(base.doc.contents)) {
    const fresh = new Document(plain);
    fresh.commentBefore = " zhist analysis: %analysis load FILE declares it again";
    return fresh.toString(STRINGIFY);
  }
  if (same(readAnalysisYaml("", base.text).spec, spec)) return base.text;
  const doc = base.doc.clone();
  mergeMap(doc, doc.contents as YAMLMap, plain);
  return doc.toString(STRINGIFY);
}

/** Writes the YAML atomically (temporary file, rename); returns the text written. */
export function writeAnalysisYaml(file: string, spec: AnalysisSpec, base?: { doc: Document; text: string }): string {
  const text = analysisYaml(spec, base);
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
  return text;
}

const keyOf = (p: Pair) => String(isScalar(p.key) ? p.key.value : p.key);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Updates `node` to hold `value`, touching only what changed (nodes keep their comments). */
function mergeMap(doc: Document, node: YAMLMap, value: Plain): void {
  node.items = node.items.filter((p) => keyOf(p) in value);
  for (const [k, v] of Object.entries(value)) {
    const pair = node.items.find((p) => keyOf(p) === k);
    if (!pair) {
      // An empty section stays out of a file that never had it.
      if (v && typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length) continue;
      node.add(doc.createPair(k, v));
      continue;
    }
    const cur = pair.value;
    if (isMap(cur) && v && typeof v === "object" && !Array.isArray(v)) mergeMap(doc, cur, v as Plain);
    else if (isScalar(cur) && (v === null || typeof v !== "object")) { if (cur.value !== v) cur.value = v; }
    else if (isSeq(cur) && Array.isArray(v)) { if (!same(cur.toJSON(), v)) pair.value = withComments(doc.createNode(v), cur); }
    else if (!same((cur as Node | null)?.toJSON?.() ?? cur, v)) pair.value = withComments(doc.createNode(v), cur as Node | null);
  }
}

function withComments(fresh: Node, old: Node | null): Node {
  if (old) {
    if (old.comment) fresh.comment = old.comment;
    if (old.commentBefore) fresh.commentBefore = old.commentBefore;
  }
  return fresh;
}
