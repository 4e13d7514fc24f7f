// A JavaScript function standing in for an expression: one value per event from the columns it
// names, `(ev) => ev.MET_pt * 2` or `({ Jet_pt, nJet }) => ...`. It travels to the workers as its
// source text, so it may use only its parameter and a few globals: one that captures a notebook
// variable fails here, naming the variable, instead of failing (or silently differing) in a worker.
import { parseExpressionAt } from "acorn";
import type * as es from "acorn";
import type { NumericArray } from "../data/types.js";
import { ExprError, closestNames, didYouMean } from "./errors.js";
import type { SchemaIndex } from "./schema-index.js";

/** Globals a shipped function may use: they exist, and mean the same, in every worker. */
const GLOBALS = new Set(["Math", "Number", "NaN", "Infinity", "undefined", "isNaN", "isFinite", "Boolean", "parseFloat", "parseInt", "arguments"]);

export interface FunctionPlan {
  /** The function's source, as given. */
  source: string;
  /** Columns it reads, in the order of the kernel's `cols`. */
  columns: string[];
  /** Jagged columns among them, in the order of the kernel's `offs`. */
  jagged: string[];
  /** Body of `new Function("Row", code)` returning the kernel. */
  code: string;
}

/** One element list of a jagged column for the current event; reused from event to event. */
export class JaggedRow {
  start = 0;
  length = 0;
  constructor(readonly values: NumericArray) {}
  /** As Array.prototype.at: negative positions count from the end; out of range gives undefined. */
  at(k: number): number | undefined {
    const p = k < 0 ? this.length + k : k;
    return p >= 0 && p < this.length ? Number(this.values[this.start + p]) : undefined;
  }
  *[Symbol.iterator](): IterableIterator<number> {
    for (let p = 0; p < this.length; p++) yield Number(this.values[this.start + p]);
  }
}

export function planFunction(source: string, index: SchemaIndex): FunctionPlan {
  const fail = (reason: string, at: { start: number; end: number }): never => {
    throw new ExprError(reason, source, at.start, at.end - at.start);
  };
  let fn: es.Expression;
  try {
    fn = parseExpressionAt(source, 0, { ecmaVersion: "latest" });
  } catch (e) {
    const err = e as SyntaxError & { pos?: number };
    const hint = /\[native code\]/.test(source) ? " (a built-in function has no source to ship)" : "";
    return fail(`cannot read the function${hint}: ${err.message.replace(/\s*\(\d+:\d+\)$/, "")}; write it as (ev) => ...`, { start: err.pos ?? 0, end: (err.pos ?? 0) + 1 });
  }
  if (fn.type !== "ArrowFunctionExpression" && fn.type !== "FunctionExpression")
    return fail("expected a function such as (ev) => ev.MET_pt", fn);
  if (fn.async || fn.generator) return fail("the function must be a plain (not async, not generator) function", fn);
  if (fn.params.length !== 1) return fail(`the function takes one parameter (the event), not ${fn.params.length}`, fn.params[1] ?? fn);

  const param = fn.params[0];
  const columns: string[] = [];
  const uses: { name: string; at: es.Node }[] = [];
  let evName: string | null = null;
  if (param.type === "Identifier") evName = param.name;
  else if (param.type === "ObjectPattern") {
    for (const p of param.properties) {
      if (p.type === "RestElement" || p.computed || p.key.type !== "Identifier")
        return fail("name each column in the parameter: ({ MET_pt, Jet_pt }) => ...", p);
      if (p.value.type !== "Identifier") return fail("a column parameter is a plain name (no default, no nesting)", p.value);
      uses.push({ name: p.key.name, at: p.key });
    }
  } else return fail("the parameter is the event (ev) or the columns it reads ({ MET_pt, Jet_pt })", param);

  const free = freeIdentifiers(fn, evName !== null);
  const isEvField = (f: FreeUse) => f.parent?.type === "MemberExpression" && (f.parent as es.MemberExpression).object === f.node;
  const evMisuse = free.filter((f) => f.name === evName && !isEvField(f));
  if (evMisuse.length) return fail(`use the event only as ${evName}.<column>`, evMisuse[0].node);
  const outer = free.filter((f) => f.name !== evName && !GLOBALS.has(f.name));
  if (outer.length) {
    const names = [...new Set(outer.map((f) => f.name))];
    return fail(
      `the function uses ${names.join(", ")} from outside it; a function is shipped to the workers as source text, so write the value${names.length > 1 ? "s" : ""} into it`,
      outer[0].node,
    );
  }
  if (evName !== null)
    for (const f of free)
      if (f.name === evName) {
        const m = f.parent as es.MemberExpression;
        if (m.computed || m.property.type !== "Identifier") return fail(`name the column: ${evName}.Jet_pt, not ${evName}[...]`, m);
        uses.push({ name: m.property.name, at: m.property });
      }

  for (const u of uses) {
    if (!index.fields.has(u.name)) fail(`unknown column ${u.name}${didYouMean(closestNames(u.name, index.fields.keys()))}`, u.at);
    if (!columns.includes(u.name)) columns.push(u.name);
  }
  const jagged = columns.filter((c) => index.fields.get(c)!.kind === "jagged");
  return { source, columns, jagged, code: kernelCode(source, columns, jagged, index) };
}

function kernelCode(source: string, columns: string[], jagged: string[], index: SchemaIndex): string {
  const props = columns.map((c) => `${JSON.stringify(c)}: ${jagged.includes(c) ? `new Row(c${columns.indexOf(c)})` : "0"}`);
  const perEvent: string[] = [];
  columns.forEach((c, k) => {
    const q = JSON.stringify(c);
    const j = jagged.indexOf(c);
    if (j >= 0) perEvent.push(`r${k}.start = o${j}[i]; r${k}.length = o${j}[i + 1] - o${j}[i];`);
    else {
      const t = index.fields.get(c)!.type;
      perEvent.push(`ev[${q}] = ${t === "i64" || t === "u64" ? `Number(c${k}[i])` : `c${k}[i]`};`);
    }
  });
  return [
    `"use strict";`,
    `const f = (${source}\n);`,
    `return function kernel(n, cols, offs, out) {`,
    columns.length ? `  const ${columns.map((_, k) => `c${k} = cols[${k}]`).join(", ")};` : "",
    jagged.length ? `  const ${jagged.map((_, j) => `o${j} = offs[${j}]`).join(", ")};` : "",
    `  const ev = { ${props.join(", ")} };`,
    ...columns.map((c, k) => (jagged.includes(c) ? `  const r${k} = ev[${JSON.stringify(c)}];` : "")),
    `  for (let i = 0; i < n; i++) {`,
    ...perEvent.map((s) => `    ${s}`),
    `    out[i] = +f(ev);`,
    `  }`,
    `  return 0;`,
    `};`,
  ]
    .filter((l) => l !== "")
    .join("\n");
}

interface FreeUse {
  name: string;
  node: es.Node;
  parent: es.Node | null;
}

type Scope = Set<string>;

/** Identifiers (and `this`) the function reads without declaring them. */
export function freeIdentifiers(fn: es.Function, exposeParams = false): FreeUse[] {
  const out: FreeUse[] = [];
  const inScope = (scopes: Scope[], name: string) => scopes.some((s) => s.has(name));

  const visitFunction = (f: es.Function, scopes: Scope[]) => {
    const scope: Scope = new Set();
    if (f.type === "FunctionExpression" && f.id) scope.add(f.id.name);
    // The top function's own parameters left free when asked, to see every use of them.
    if (!(exposeParams && f === fn)) for (const p of f.params) patternNames(p, scope);
    if (f.body.type === "BlockStatement") declarations(f.body, scope);
    const inner = [...scopes, scope];
    for (const p of f.params) visitPattern(p, inner);
    visit(f.body, inner, f);
  };

  const visitPattern = (p: es.Pattern, scopes: Scope[]) => {
    switch (p.type) {
      case "AssignmentPattern":
        visitPattern(p.left, scopes);
        visit(p.right, scopes, p);
        break;
      case "ObjectPattern":
        for (const prop of p.properties) {
          if (prop.type === "RestElement") visitPattern(prop.argument, scopes);
          else {
            if (prop.computed) visit(prop.key, scopes, prop);
            visitPattern(prop.value, scopes);
          }
        }
        break;
      case "ArrayPattern":
        for (const el of p.elements) if (el) visitPattern(el, scopes);
        break;
      case "RestElement":
        visitPattern(p.argument, scopes);
        break;
      case "MemberExpression":
        visit(p, scopes, null);
        break;
      default:
        break;
    }
  };

  const visit = (node: es.Node, scopes: Scope[], parent: es.Node | null): void => {
    switch (node.type) {
      case "Identifier": {
        const name = (node as es.Identifier).name;
        if (!inScope(scopes, name)) out.push({ name, node, parent });
        return;
      }
      case "ThisExpression":
        return;
      case "FunctionExpression":
      case "ArrowFunctionExpression":
      case "FunctionDeclaration":
        return visitFunction(node as es.Function, scopes);
      case "MemberExpression": {
        const m = node as es.MemberExpression;
        visit(m.object, scopes, m);
        if (m.computed) visit(m.property, scopes, m);
        return;
      }
      case "Property": {
        const p = node as es.Property;
        if (p.computed) visit(p.key, scopes, p);
        visit(p.value, scopes, p);
        return;
      }
      case "VariableDeclarator": {
        const d = node as es.VariableDeclarator;
        visitPattern(d.id, scopes);
        if (d.init) visit(d.init, scopes, d);
        return;
      }
      case "CatchClause": {
        const c = node as es.CatchClause;
        const scope: Scope = new Set();
        if (c.param) patternNames(c.param, scope);
        visit(c.body, [...scopes, scope], c);
        return;
      }
      case "LabeledStatement":
        return visit((node as es.LabeledStatement).body, scopes, node);
      case "BreakStatement":
      case "ContinueStatement":
        return;
      case "AssignmentExpression": {
        const a = node as es.AssignmentExpression;
        visitPattern(a.left, scopes);
        visit(a.right, scopes, a);
        return;
      }
      default:
        break;
    }
    for (const key of Object.keys(node)) {
      if (key === "type" || key === "start" || key === "end" || key === "loc" || key === "range") continue;
      const v = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) {
        for (const c of v) if (isNode(c)) visit(c, scopes, node);
      } else if (isNode(v)) visit(v, scopes, node);
    }
  };

  visitFunction(fn, []);
  // `this` at the top of an arrow function is the notebook's `this`: a capture too.
  if (fn.type === "ArrowFunctionExpression") markTopThis(fn.body, out);
  return out;
}

function markTopThis(node: es.Node, out: FreeUse[]): void {
  if (node.type === "ThisExpression") {
    out.push({ name: "this", node, parent: null });
    return;
  }
  if (node.type === "FunctionExpression" || node.type === "FunctionDeclaration") return;
  for (const key of Object.keys(node)) {
    const v = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(v)) for (const c of v) isNode(c) && markTopThis(c, out);
    else if (isNode(v)) markTopThis(v, out);
  }
}

function isNode(v: unknown): v is es.Node {
  return typeof v === "object" && v !== null && typeof (v as { type?: unknown }).type === "string";
}

function patternNames(p: es.Pattern, scope: Scope): void {
  switch (p.type) {
    case "Identifier":
      scope.add(p.name);
      break;
    case "AssignmentPattern":
      patternNames(p.left, scope);
      break;
    case "ObjectPattern":
      for (const prop of p.properties) patternNames(prop.type === "RestElement" ? prop.argument : prop.value, scope);
      break;
    case "ArrayPattern":
      for (const el of p.elements) if (el) patternNames(el, scope);
      break;
    case "RestElement":
      patternNames(p.argument, scope);
      break;
    default:
      break;
  }
}

/** Names declared anywhere in a function body outside nested functions (block scopes merged: a safe over-approximation). */
function declarations(node: es.Node, scope: Scope): void {
  switch (node.type) {
    case "VariableDeclaration":
      for (const d of (node as es.VariableDeclaration).declarations) patternNames(d.id, scope);
      break;
    case "FunctionDeclaration":
      if ((node as es.FunctionDeclaration).id) scope.add((node as es.FunctionDeclaration).id!.name);
      return;
    case "ClassDeclaration":
      if ((node as es.ClassDeclaration).id) scope.add((node as es.ClassDeclaration).id!.name);
      return;
    case "FunctionExpression":
    case "ArrowFunctionExpression":
      return;
    default:
      break;
  }
  for (const key of Object.keys(node)) {
    const v = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(v)) for (const c of v) isNode(c) && declarations(c, scope);
    else if (isNode(v)) declarations(v, scope);
  }
}
