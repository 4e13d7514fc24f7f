// The two modules a fill task needs from other rooms, loaded by URL so that workers (and tests, with
// stand-ins) pick them from plain data. The adapters below are the only place that knows their shape.
import { pathToFileURL } from "node:url";
import type { ColumnBatch, EventSource, NumericArray, Schema } from "../data/types.js";

export interface ModuleUrls { source: string; expr: string }

export const DEFAULT_MODULES: ModuleUrls = {
  source: new URL("../data/index.js", import.meta.url).href,
  expr: new URL("../expr/index.js", import.meta.url).href,
};

/** Per event one number, or per event a list of numbers. */
export type Evaluated = { kind: "scalar"; values: ArrayLike<number> } | { kind: "jagged"; offsets: Int32Array; values: ArrayLike<number> };

export interface CompiledExpr {
  /** Columns read (transitively, through defines). */
  columns: string[];
  kind: "scalar" | "jagged";
  /** The arrays may be reused by the expression's next evaluation: consume them first. */
  evaluate(batch: ColumnBatch): Evaluated;
  /** Per event 1 when the value is truthy (NaN is not); a fresh array. */
  mask(batch: ColumnBatch): Uint8Array;
}

/** Expressions evaluated together (one pass over a batch where the compiler supports it). */
export interface CompiledGroup {
  columns: string[];
  /** In item order; masks as 0/1 values. The arrays may be reused by the next evaluation. */
  evaluate(batch: ColumnBatch): Evaluated[];
}

export interface GroupItem { expr: string; mask?: boolean }

export interface Modules {
  openEventSource(path: string, opts: { tree?: string }): Promise<EventSource>;
  /** `substitution` replaces a column by an expression over the original columns (a shape variation). */
  compile(source: string, schema: Schema, defines: [string, string][], substitution?: [string, string]): CompiledExpr;
  compileGroup(items: GroupItem[], schema: Schema, defines: [string, string][], substitution?: [string, string]): CompiledGroup;
}

function toUrl(u: string): string {
  return /^[a-z]+:/i.test(u) ? u : pathToFileURL(u).href;
}

const cache = new Map<string, Promise<Modules>>();

export function loadModules(urls: ModuleUrls): Promise<Modules> {
  const id = `${urls.source}\n${urls.expr}`;
  let m = cache.get(id);
  if (!m) cache.set(id, (m = load(urls)));
  return m;
}

async function load(urls: ModuleUrls): Promise<Modules> {
  const src = await import(toUrl(urls.source));
  if (typeof src.openEventSource !== "function") throw new Error(`${urls.source} exports no openEventSource`);
  let expr: Record<string, unknown> | null = null;
  let exprError: unknown = null;
  try {
    expr = await import(toUrl(urls.expr));
  } catch (e) {
    exprError = e;
  }
  return {
    openEventSource: src.openEventSource,
    compile(source, schema, defines, substitution) {
      if (!expr) throw new Error(`the expression compiler ${urls.expr} could not be loaded: ${(exprError as Error)?.message ?? exprError}`);
      return adaptCompiled(callCompiler(expr, source, schema, defines, substitution));
    },
    compileGroup(items, schema, defines, substitution) {
      if (!expr) throw new Error(`the expression compiler ${urls.expr} could not be loaded: ${(exprError as Error)?.message ?? exprError}`);
      const scope = scopeOf(expr, schema, defines, substitution);
      if (scope?.compileGroup) return adaptGroup(scope.compileGroup(items));
      // A compiler without groups: each expression on its own.
      const each = items.map((it) => adaptCompiled(callCompiler(expr!, it.expr, schema, defines, substitution)));
      return {
        columns: [...new Set(each.flatMap((x) => x.columns))],
        evaluate: (batch) => each.map((x, i) => (items[i].mask ? { kind: "scalar", values: x.mask(batch) } : x.evaluate(batch))),
      };
    },
  };
}

interface Scope {
  compile(expr: string): unknown;
  compileGroup?(items: GroupItem[]): { columns: string[]; evaluate(b: ColumnBatch): unknown[] };
}
type ScopeClass = { fromSpec(spec: { defines?: [string, string][]; substitutions?: [string, string][] }, schema: Schema): Scope };
// One scope per schema and variation: defines are checked once, not once per expression.
const scopes = new WeakMap<Schema, Map<string, Scope>>();

/** src/expr's ExprScope for this schema and variation; null for a compiler without scopes. */
function scopeOf(m: Record<string, unknown>, schema: Schema, defines: [string, string][], substitution?: [string, string]): Scope | null {
  const Scope = m.ExprScope as ScopeClass | undefined;
  if (!Scope || typeof Scope.fromSpec !== "function") return null;
  let bySchema = scopes.get(schema);
  if (!bySchema) scopes.set(schema, (bySchema = new Map()));
  const id = JSON.stringify([defines, substitution ?? null]);
  let scope = bySchema.get(id);
  if (!scope) bySchema.set(id, (scope = Scope.fromSpec({ defines, substitutions: substitution ? [substitution] : [] }, schema)));
  return scope;
}

// src/expr's ExprScope, or (test stand-ins) a plain compile(source, schema, { defines, substitutions }).
function callCompiler(m: Record<string, unknown>, source: string, schema: Schema, defines: [string, string][], substitution?: [string, string]): unknown {
  const scope = scopeOf(m, schema, defines, substitution);
  if (scope) return scope.compile(source);
  const fn = (m.compileExpression ?? m.compile) as ((s: string, schema: Schema, o: unknown) => unknown) | undefined;
  if (typeof fn !== "function") throw new Error("the expression module exports neither ExprScope nor a compile function");
  return fn(source, schema, { defines: Object.fromEntries(defines), substitutions: substitution ? [substitution] : [] });
}

function adaptCompiled(c: unknown): CompiledExpr {
  const x = c as { columns: Iterable<string>; kind: string; evaluate(b: ColumnBatch): unknown; evaluateMask?(b: ColumnBatch): Uint8Array };
  const kind = x.kind === "jagged" ? "jagged" : "scalar";
  return {
    columns: [...x.columns],
    kind,
    evaluate(batch) {
      const r = x.evaluate(batch) as unknown;
      return normalizeResult(r, kind);
    },
    mask(batch) {
      if (kind !== "scalar") throw new Error("a category must give one value per event, this expression gives a list per event");
      if (x.evaluateMask) return x.evaluateMask(batch).slice();
      const v = normalizeResult(x.evaluate(batch), kind).values;
      const out = new Uint8Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = v[i] !== 0 && v[i] === v[i] ? 1 : 0;
      return out;
    },
  };
}

function adaptGroup(g: { columns: string[]; evaluate(b: ColumnBatch): unknown[] }): CompiledGroup {
  return {
    columns: [...g.columns],
    evaluate: (batch) => g.evaluate(batch).map((r) => normalizeResult(r, "scalar")),
  };
}

export function normalizeResult(r: unknown, kind: "scalar" | "jagged"): Evaluated {
  if (r && typeof r === "object" && "offsets" in r) {
    const j = r as { offsets: Int32Array; values: NumericArray };
    return { kind: "jagged", offsets: j.offsets, values: numeric(j.values) };
  }
  if (r && typeof r === "object" && "values" in r && "kind" in r) {
    const s = r as { kind: string; values: NumericArray; offsets?: Int32Array };
    if (s.kind === "jagged" && s.offsets) return { kind: "jagged", offsets: s.offsets, values: numeric(s.values) };
    return { kind: "scalar", values: numeric(s.values) };
  }
  void kind;
  return { kind: "scalar", values: numeric(r as NumericArray) };
}

// BigInt columns (i64) become doubles once per batch, so the fill loops only ever see numbers.
function numeric(v: NumericArray | ArrayLike<number>): ArrayLike<number> {
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float64Array.from(v as ArrayLike<bigint>, Number);
  return v as ArrayLike<number>;
}
