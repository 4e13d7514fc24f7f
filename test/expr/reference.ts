// A slow, plainly correct interpreter of the expression language: one event at a time, over JS
// arrays. Collections are lists of element positions, masks filter them, jagged values are arrays.
import { parseExpressionAt } from "acorn";
import type * as es from "acorn";
import type { PlainEvent } from "./fixtures.js";

type Scalar = number | boolean;
type Val = Scalar | { arr: Scalar[] } | { coll: string; idx: number[] } | { rec: string };

const MATH = new Set(["abs", "sqrt", "cbrt", "exp", "expm1", "log", "log1p", "log10", "log2", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "floor", "ceil", "round", "trunc", "sign", "atan2", "hypot", "pow"]);

export class Reference {
  private readonly defines = new Map<string, es.Expression>();
  constructor(private readonly columns: string[]) {}

  define(name: string, expr: string): void {
    this.defines.set(name, parseExpressionAt(expr, 0, { ecmaVersion: "latest" }));
  }

  /** Per event: a number, or an array of numbers for a jagged result. */
  run(expr: string, events: PlainEvent[]): (number | number[])[] {
    const ast = parseExpressionAt(expr, 0, { ecmaVersion: "latest" });
    return events.map((ev) => {
      const v = this.eval(ast, ev);
      if (isArr(v)) return v.arr.map(Number);
      if (typeof v === "object") throw new Error("reference: result is not a value");
      return Number(v);
    });
  }

  private eval(e: es.Node, ev: PlainEvent): Val {
    switch (e.type) {
      case "Literal":
        return (e as es.Literal).value as Scalar;
      case "Identifier": {
        const name = (e as es.Identifier).name;
        const def = this.defines.get(name);
        if (def) return this.eval(def, ev);
        if (name === "NaN") return NaN;
        if (name === "Infinity") return Infinity;
        if (name in ev) {
          const v = ev[name];
          return Array.isArray(v) ? { arr: v } : v;
        }
        if (this.columns.some((c) => c.startsWith(name + "_") && Array.isArray(ev[c]))) {
          const first = this.columns.find((c) => c.startsWith(name + "_") && Array.isArray(ev[c]))!;
          return { coll: name, idx: (ev[first] as Scalar[]).map((_, k) => k) };
        }
        return { rec: name };
      }
      case "MemberExpression": {
        const m = e as es.MemberExpression;
        const obj = this.eval(m.object, ev);
        if (!m.computed) {
          const prop = (m.property as es.Identifier).name;
          if (typeof obj === "object" && "coll" in obj) {
            const col = ev[`${obj.coll}_${prop}`] as Scalar[];
            return { arr: obj.idx.map((k) => col[k]) };
          }
          if (typeof obj === "object" && "rec" in obj) return ev[`${obj.rec}_${prop}`] as Scalar;
          throw new Error("reference: bad member");
        }
        const p = m.property as es.Expression;
        if (p.type === "Literal" && typeof p.value === "number") {
          const arr = (obj as { arr: Scalar[] }).arr;
          return p.value < arr.length ? Number(arr[p.value]) : NaN;
        }
        const mask = this.eval(p, ev);
        const keep = (k: number) => Boolean(isArr(mask) ? mask.arr[k] : mask);
        if (typeof obj === "object" && "coll" in obj) return { coll: obj.coll, idx: obj.idx.filter((_, k) => keep(k)) };
        return { arr: (obj as { arr: Scalar[] }).arr.filter((_, k) => keep(k)) };
      }
      case "CallExpression": {
        const c = e as es.CallExpression;
        const fn = (c.callee as es.Identifier).name;
        const args = c.arguments.map((a) => this.eval(a, ev));
        if (MATH.has(fn)) return this.map(args, (xs) => (Math as unknown as Record<string, (...a: number[]) => number>)[fn](...xs.map(Number)));
        const x = args[0];
        const fallback = args.length > 1 ? Number(args[1]) : NaN;
        if (fn === "count") {
          if (typeof x === "object" && "coll" in x) return x.idx.length;
          const arr = (x as { arr: Scalar[] }).arr;
          return arr.length && typeof arr[0] === "boolean" ? arr.filter(Boolean).length : arr.length;
        }
        const arr = (x as { arr: Scalar[] }).arr;
        switch (fn) {
          case "sum": {
            let s = 0;
            for (const v of arr) s += Number(v);
            return s;
          }
          case "any":
            return arr.some(Boolean);
          case "all":
            return arr.every(Boolean);
          case "min":
          case "max": {
            if (!arr.length) return fallback;
            const nums = arr.map(Number);
            if (nums.some(Number.isNaN)) return NaN;
            // In order, the first of equal values kept (0 and -0 compare equal).
            let m = nums[0];
            for (const v of nums) if (fn === "min" ? v < m : v > m) m = v;
            return m;
          }
          case "first":
            return arr.length ? Number(arr[0]) : fallback;
        }
        throw new Error(`reference: unknown function ${fn}`);
      }
      case "UnaryExpression": {
        const u = e as es.UnaryExpression;
        const a = this.eval(u.argument, ev);
        return this.map([a], ([x]) => (u.operator === "!" ? !Boolean(x) : u.operator === "-" ? -Number(x) : Number(x)));
      }
      case "BinaryExpression": {
        const b = e as es.BinaryExpression;
        const args = [this.eval(b.left, ev), this.eval(b.right, ev)];
        return this.map(args, ([x, y]) => {
          const [p, q] = [Number(x), Number(y)];
          switch (b.operator) {
            case "+": return p + q;
            case "-": return p - q;
            case "*": return p * q;
            case "/": return p / q;
            case "%": return p % q;
            case "**": return p ** q;
            case "<": return p < q;
            case "<=": return p <= q;
            case ">": return p > q;
            case ">=": return p >= q;
            case "==": case "===": return p === q;
            case "!=": case "!==": return p !== q;
          }
          throw new Error(`reference: operator ${b.operator}`);
        });
      }
      case "LogicalExpression": {
        const l = e as es.LogicalExpression;
        const args = [this.eval(l.left, ev), this.eval(l.right, ev)];
        return this.map(args, ([x, y]) => (l.operator === "&&" ? Boolean(x) && Boolean(y) : Boolean(x) || Boolean(y)));
      }
      case "ConditionalExpression": {
        const c = e as es.ConditionalExpression;
        const args = [this.eval(c.test, ev), this.eval(c.consequent, ev), this.eval(c.alternate, ev)];
        return this.map(args, ([t, x, y]) => (Boolean(t) ? x : y));
      }
    }
    throw new Error(`reference: ${e.type}`);
  }

  /** Elementwise over jagged arguments (all of one length), per-event scalars broadcast. */
  private map(args: Val[], f: (xs: Scalar[]) => Scalar): Val {
    const arrs = args.filter(isArr);
    if (!arrs.length) return f(args as Scalar[]);
    const n = arrs[0].arr.length;
    if (arrs.some((a) => a.arr.length !== n)) throw new Error("reference: jagged lengths differ");
    const out: Scalar[] = [];
    for (let k = 0; k < n; k++) out.push(f(args.map((a) => (isArr(a) ? a.arr[k] : (a as Scalar)))));
    return { arr: out };
  }
}

function isArr(v: Val): v is { arr: Scalar[] } {
  return typeof v === "object" && "arr" in v;
}
