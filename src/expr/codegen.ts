// Code generation: one JavaScript function per expression, a loop over the events of a batch. In
// each event the reductions run first (innermost first; those over the same collection share one
// loop over its elements, masks computed once per element), then the result is written: one
// value per event, or the elements of its domain. Nothing is allocated inside the loops.
import type { ElementType } from "../data/types.js";
import type { DType, Domain, Node, ReduceNode } from "./ir.js";

export interface Kernel {
  /**
   * Body of `new Function()`; it returns the kernel `(n, cols, offs, outs, outOffsets) => void`, writing
   * root r to `outs[r]` (and, for a jagged root, its offsets to `outOffsets[r]`).
   */
  code: string;
  /** Columns in the order of `cols`. */
  columns: string[];
  /** Collections in the order of `offs`. */
  collections: string[];
}

/** What the kernel writes: float64 values, or 0/1 bytes for a mask. */
export type OutputType = "f64" | "u8";

export interface Root {
  node: Node;
  output: OutputType;
}

interface Reduction {
  node: ReduceNode;
  name: string;
  level: number;
  init: string;
  /** Statements run per element of the domain; empty when `direct` computes it without a loop. */
  body: string;
  post: string;
  /** Statements computing it without a loop (count of a whole collection, first/at of one). */
  direct?: string;
  filters: string[];
  prefixKeys: string[];
}

/**
 * One loop over the events computing every root: reductions common to several roots (same key) are
 * computed once per event, so expressions compiled together share their subexpressions.
 */
export function generate(roots: Root[], types: Map<string, ElementType>): Kernel {
  return new Generator(types).kernel(roots);
}

class Generator {
  private readonly columns: string[] = [];
  private readonly collections: string[] = [];
  private readonly reductions = new Map<string, Reduction>();
  private level = 0;
  private temp = 0;

  constructor(private readonly types: Map<string, ElementType>) {}

  kernel(roots: Root[]): Kernel {
    const lines: string[] = [];
    const heads: string[] = [];
    const writes = roots.map(({ node: root, output }, r) => {
      heads.push(`const out${r} = outs[${r}];`);
      if (root.shape.kind === "scalar") return `out${r}[i] = ${this.code(root, output === "u8" ? "bool" : "num", false, output)};`;
      const d = root.shape.domain;
      const o = this.offsets(d.base);
      const filters = d.filters.map((f) => this.code(f, "bool", true));
      const value = this.code(root, output === "u8" ? "bool" : "num", true, output);
      const guard = filters.length ? `if (!(${filters.join(" && ")})) continue;` : "";
      heads.push(`const oo${r} = outOffsets[${r}]; let k${r} = 0; oo${r}[0] = 0;`);
      return `for (let j = ${o}[i], e = ${o}[i + 1]; j < e; j++) { ${guard} out${r}[k${r}++] = ${value}; }\n    oo${r}[i + 1] = k${r};`;
    });
    const cols = this.columns.map((c, i) => `c${i} = cols[${i}]`);
    const offs = this.collections.map((c, i) => `o${i} = offs[${i}]`);
    lines.push(`"use strict";`);
    lines.push(`return function kernel(n, cols, offs, outs, outOffsets) {`);
    if (cols.length) lines.push(`  const ${cols.join(", ")};`);
    if (offs.length) lines.push(`  const ${offs.join(", ")};`);
    for (const h of heads) lines.push(`  ${h}`);
    lines.push(`  for (let i = 0; i < n; i++) {`);
    for (const s of this.schedule()) lines.push(`    ${s}`);
    for (const w of writes) lines.push(`    ${w}`);
    lines.push(`  }`);
    lines.push(`};`);
    return { code: lines.join("\n"), columns: this.columns, collections: this.collections };
  }

  private column(name: string): string {
    let i = this.columns.indexOf(name);
    if (i < 0) i = this.columns.push(name) - 1;
    return `c${i}`;
  }

  private offsets(base: string): string {
    let i = this.collections.indexOf(base);
    if (i < 0) i = this.collections.push(base) - 1;
    return `o${i}`;
  }

  /** JavaScript for `n` as a number or a boolean; `elem`: inside a loop over elements (index `j`). */
  code(n: Node, want: DType, elem: boolean, output?: OutputType): string {
    const [c, dtype] = this.raw(n, elem);
    if (output === "u8") return `(${dtype === "bool" ? c : `!!${c}`} ? 1 : 0)`;
    if (want === dtype) return c;
    return want === "num" ? `(${c} ? 1 : 0)` : `!!${c}`;
  }

  private raw(n: Node, elem: boolean): [string, DType] {
    switch (n.op) {
      case "const":
        return [literal(n.value), n.dtype];
      case "column": {
        const idx = n.shape.kind === "jagged" ? "j" : "i";
        if (n.shape.kind === "jagged" && !elem) throw new Error(`internal: jagged column ${n.name} outside an element loop`);
        const t = this.types.get(n.name);
        let c = `${this.column(n.name)}[${idx}]`;
        if (t === "i64" || t === "u64") c = `Number(${c})`;
        return n.dtype === "bool" ? [`(${c} !== 0)`, "bool"] : [c, "num"];
      }
      case "unary":
        if (n.fn === "!") return [`(!${this.code(n.arg, "bool", elem)})`, "bool"];
        return [n.fn === "-" ? `(-${this.code(n.arg, "num", elem)})` : this.code(n.arg, "num", elem), "num"];
      case "binary": {
        const cmp = n.dtype === "bool";
        const both = cmp && n.a.dtype === "bool" && n.b.dtype === "bool" ? "bool" : "num";
        const op = n.fn === "==" ? "===" : n.fn === "!=" ? "!==" : n.fn;
        return [`(${this.code(n.a, both, elem)} ${op} ${this.code(n.b, both, elem)})`, cmp ? "bool" : "num"];
      }
      case "logical":
        return [`(${this.code(n.a, "bool", elem)} ${n.fn} ${this.code(n.b, "bool", elem)})`, "bool"];
      case "cond":
        return [`(${this.code(n.test, "bool", elem)} ? ${this.code(n.a, n.dtype, elem)} : ${this.code(n.b, n.dtype, elem)})`, n.dtype];
      case "math":
        return [`Math.${n.fn}(${n.args.map((a) => this.code(a, "num", elem)).join(", ")})`, "num"];
      case "reduce": {
        const r = this.reduction(n);
        this.level = Math.max(this.level, r.level);
        return [r.name, n.dtype];
      }
    }
  }

  private reduction(n: ReduceNode): Reduction {
    const known = this.reductions.get(n.key);
    if (known) return known;
    const outer = this.level;
    this.level = 0;
    const d = n.domain;
    const filters = d.filters.map((f) => this.code(f, "bool", true));
    const arg = n.arg;
    const x = arg ? this.code(arg, n.fn === "any" || n.fn === "all" || n.fn === "count" ? "bool" : "num", true) : "";
    const fallback = this.code(n.fallback, "num", false);
    const r = `r${this.temp++}`;
    const o = this.offsets(d.base);
    const red: Reduction = { node: n, name: r, level: this.level + 1, init: "", body: "", post: "", filters, prefixKeys: prefixKeys(d) };
    this.level = outer;
    const whole = d.filters.length === 0;
    switch (n.fn) {
      case "sum":
        red.init = `let ${r} = 0;`;
        red.body = `${r} += ${x};`;
        break;
      case "count":
        if (arg && arg.dtype === "bool") {
          red.init = `let ${r} = 0;`;
          red.body = `if (${x}) ${r}++;`;
        } else if (whole) red.direct = `const ${r} = ${o}[i + 1] - ${o}[i];`;
        else {
          red.init = `let ${r} = 0;`;
          red.body = `${r}++;`;
        }
        break;
      case "any":
        red.init = `let ${r} = false;`;
        red.body = `if (${x}) ${r} = true;`;
        break;
      case "all":
        red.init = `let ${r} = true;`;
        red.body = `if (!${x}) ${r} = false;`;
        break;
      case "min":
      case "max": {
        const cmp = n.fn === "min" ? "<" : ">";
        red.init = `let ${r} = ${n.fn === "min" ? "Infinity" : "-Infinity"}, ${r}n = 0;`;
        // NaN sticks once seen (as numpy's min and max): v !== v is the NaN test.
        red.body = `{ const v = ${x}; if (v ${cmp} ${r} || v !== v) ${r} = v; ${r}n++; }`;
        red.post = `if (${r}n === 0) ${r} = ${fallback};`;
        break;
      }
      case "first":
      case "at": {
        const k = n.fn === "first" ? 0 : n.index;
        if (whole) {
          red.direct = `let ${r}; { const j = ${o}[i] + ${k}; ${r} = j < ${o}[i + 1] ? ${x} : ${fallback}; }`;
        } else {
          red.init = `let ${r} = NaN, ${r}n = 0;`;
          red.body = `{ if (${r}n === ${k}) ${r} = ${x}; ${r}n++; }`;
          red.post = `if (${r}n <= ${k}) ${r} = ${fallback};`;
        }
        break;
      }
    }
    this.reductions.set(n.key, red);
    return red;
  }

  /** Statements computing every reduction of one event, dependencies first, one loop per collection and level. */
  private schedule(): string[] {
    const out: string[] = [];
    const byLevel = new Map<number, Reduction[]>();
    for (const r of this.reductions.values()) {
      const list = byLevel.get(r.level) ?? [];
      list.push(r);
      byLevel.set(r.level, list);
    }
    for (const level of [...byLevel.keys()].sort((a, b) => a - b)) {
      const groups = new Map<string, Reduction[]>();
      for (const r of byLevel.get(level)!) {
        if (r.direct) {
          out.push(r.direct);
          continue;
        }
        const list = groups.get(r.node.domain.base) ?? [];
        list.push(r);
        groups.set(r.node.domain.base, list);
      }
      for (const [base, list] of groups) out.push(...this.loop(base, list));
    }
    return out;
  }

  private loop(base: string, list: Reduction[]): string[] {
    const o = this.offsets(base);
    const lines: string[] = [];
    for (const r of list) lines.push(r.init);
    const prefixVars = new Map<string, string>();
    const inner: string[] = [];
    for (const r of list) {
      let guard = "";
      for (let f = 0; f < r.filters.length; f++) {
        const key = r.prefixKeys[f];
        let v = prefixVars.get(key);
        if (!v) {
          v = `p${this.temp++}`;
          const prev = f > 0 ? prefixVars.get(r.prefixKeys[f - 1])! : "";
          inner.push(`const ${v} = ${prev ? `${prev} && ` : ""}${r.filters[f]};`);
          prefixVars.set(key, v);
        }
        guard = v;
      }
      inner.push(guard ? `if (${guard}) ${r.body}` : r.body);
    }
    lines.push(`for (let j = ${o}[i], e = ${o}[i + 1]; j < e; j++) { ${inner.join(" ")} }`);
    for (const r of list) if (r.post) lines.push(r.post);
    return lines;
  }
}

function prefixKeys(d: Domain): string[] {
  const keys: string[] = [];
  let key = d.base;
  for (const f of d.filters) {
    key = `${key}[${f.key}]`;
    keys.push(key);
  }
  return keys;
}

function literal(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "(-Infinity)";
  if (Object.is(v, -0)) return "(-0)";
  return v < 0 ? `(${v})` : String(v);
}
