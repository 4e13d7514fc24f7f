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
  evaluate(batch: ColumnBatch): Evaluated;
}

export interface Modules {
  openEventSource(path: string, opts: { tree?: string }): Promise<EventSource>;
  compile(source: string, schema: Schema, defines: [string, string][]): CompiledExpr;
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
    compile(source, schema, defines) {
      if (!expr) throw new Error(`the expression compiler ${urls.expr} could not be loaded: ${(exprError as Error)?.message ?? exprError}`);
      return adaptCompiled(callCompiler(expr, source, schema, defines));
    },
  };
}

// The compiler's entry point, whatever its exported name; defines are passed the way it takes them.
function callCompiler(m: Record<string, unknown>, source: string, schema: Schema, defines: [string, string][]): unknown {
  const fn = (m.compileExpression ?? m.compile) as ((s: string, schema: Schema, o: unknown) => unknown) | undefined;
  if (typeof fn !== "function") throw new Error("the expression module exports no compile function");
  return fn(source, schema, { defines: Object.fromEntries(defines) });
}

function adaptCompiled(c: unknown): CompiledExpr {
  const x = c as { columns: Iterable<string>; kind: string; evaluate(b: ColumnBatch): unknown };
  const kind = x.kind === "jagged" ? "jagged" : "scalar";
  return {
    columns: [...x.columns],
    kind,
    evaluate(batch) {
      const r = x.evaluate(batch) as unknown;
      return normalizeResult(r, kind);
    },
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
