// Parse (acorn) and check an expression against a schema and the names defined before it. All
// errors come out here, before any event is read, as ExprErrors pointing into the source.
import { parse as parseProgram } from "acorn";
import type * as es from "acorn";
import { ExprError, closestNames, didYouMean } from "./errors.js";
import {
  SCALAR,
  baseDomain,
  domainLabel,
  maskedDomain,
  type BinaryOp,
  type DType,
  type Domain,
  type Node,
  type ReduceFn,
  type Shape,
} from "./ir.js";
import type { SchemaIndex } from "./schema-index.js";

/** What a name or sub-expression stands for while checking: a value, a collection, or a group of scalars. */
export type Value =
  | { v: "node"; node: Node }
  | { v: "collection"; domain: Domain }
  | { v: "record"; prefix: string };

export const REDUCTIONS = ["sum", "count", "any", "all", "min", "max", "first"] as const;

/** Math functions and their arities (elementwise over jagged values). */
export const MATH: Record<string, number> = {
  abs: 1, sqrt: 1, cbrt: 1, exp: 1, expm1: 1, log: 1, log1p: 1, log10: 1, log2: 1,
  sin: 1, cos: 1, tan: 1, asin: 1, acos: 1, atan: 1, sinh: 1, cosh: 1, tanh: 1,
  floor: 1, ceil: 1, round: 1, trunc: 1, sign: 1,
  atan2: 2, hypot: 2, pow: 2,
};

const CONSTANTS: Record<string, number> = { NaN: NaN, Infinity: Infinity, PI: Math.PI };

const BINARY: Record<string, BinaryOp> = {
  "+": "+", "-": "-", "*": "*", "/": "/", "%": "%", "**": "**",
  "<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "===": "==", "!=": "!=", "!==": "!=",
};

export interface Names {
  index: SchemaIndex;
  /** Defined names, checked already. */
  defines: Map<string, Value>;
  /** Columns replaced by an expression over the original columns (shape systematics). */
  substitutions: Map<string, Node>;
}

/** Parses `source` as one JavaScript expression. */
export function parse(source: string, define?: string): es.Expression {
  if (!source.trim()) throw new ExprError("empty expression", source, 0, 1, define);
  let program: es.Program;
  try {
    program = parseProgram(source, { ecmaVersion: "latest", sourceType: "script" });
  } catch (e) {
    const err = e as SyntaxError & { pos?: number };
    const msg = err.message.replace(/\s*\(\d+:\d+\)$/, "");
    throw new ExprError(`syntax error: ${msg}`, source, err.pos ?? 0, 1, define);
  }
  const [first, second] = program.body;
  if (second) throw new ExprError("one expression only", source, second.start, second.end - second.start, define);
  if (!first || first.type !== "ExpressionStatement")
    throw new ExprError("expected an expression", source, first?.start ?? 0, first ? first.end - first.start : 1, define);
  return first.expression;
}

export class Checker {
  constructor(
    private readonly names: Names,
    private readonly source: string,
    private readonly define?: string,
    /** Inside a substitution's own expression the columns keep their original meaning. */
    private readonly raw = false,
  ) {}

  fail(reason: string, at: es.Node): never {
    throw new ExprError(reason, this.source, at.start, at.end - at.start, this.define);
  }

  text(n: es.Node): string {
    return this.source.slice(n.start, n.end);
  }

  /** Checks the whole expression; it must be a value (not a bare collection). */
  value(e: es.Expression): Node {
    return this.node(e, this.check(e));
  }

  node(e: es.Node, v: Value): Node {
    if (v.v === "node") return v.node;
    if (v.v === "collection")
      this.fail(`${this.text(e)} is a collection, not a value: pick a field (${this.text(e)}.pt) or reduce it (count(${this.text(e)}))`, e);
    this.fail(`${this.text(e)} is a group of columns, not a value: pick one (${this.text(e)}.${this.memberExample(v.prefix)})`, e);
  }

  private memberExample(prefix: string): string {
    const first = this.names.index.records.get(prefix)?.[0];
    return first ? first.slice(prefix.length + 1) : "x";
  }

  check(e: es.Expression | es.PrivateIdentifier | es.Super | es.SpreadElement): Value {
    switch (e.type) {
      case "Literal":
        if (typeof e.value === "number") return nodeV(constant(e.value));
        if (typeof e.value === "boolean") return nodeV({ ...constant(e.value ? 1 : 0), dtype: "bool" });
        return this.fail(`only numbers and booleans are literals here, not ${this.text(e)}`, e);
      case "Identifier":
        return this.identifier(e);
      case "MemberExpression":
        return this.member(e);
      case "CallExpression":
        return this.call(e);
      case "UnaryExpression":
        return nodeV(this.unary(e));
      case "BinaryExpression":
        return nodeV(this.binary(e));
      case "LogicalExpression":
        return nodeV(this.logical(e));
      case "ConditionalExpression":
        return nodeV(this.conditional(e));
      case "ChainExpression":
        return this.fail("optional chaining (?.) is not part of the expression language", e);
      case "ArrowFunctionExpression":
      case "FunctionExpression":
        return this.fail("a function stands in for a whole expression, not inside one", e);
      default:
        return this.fail(`${describeSyntax(e.type)} is not part of the expression language`, e);
    }
  }

  private identifier(e: es.Identifier): Value {
    const name = e.name;
    const def = this.names.defines.get(name);
    if (def) return def;
    const { index } = this.names;
    const field = index.fields.get(name);
    if (field) {
      const sub = this.raw ? undefined : this.names.substitutions.get(name);
      if (sub) return nodeV(sub);
      const shape: Shape = field.kind === "jagged" ? { kind: "jagged", domain: baseDomain(collectionOfField(index, name)) } : SCALAR;
      return nodeV({ op: "column", name, type: field.type, dtype: field.type === "bool" ? "bool" : "num", shape, key: `$${name}` });
    }
    if (index.collections.has(name)) return { v: "collection", domain: baseDomain(name) };
    if (index.records.has(name)) return { v: "record", prefix: name };
    if (name in CONSTANTS) return nodeV(constant(CONSTANTS[name]));
    if (name in MATH || (REDUCTIONS as readonly string[]).includes(name))
      return this.fail(`${name} is a function: call it, ${name}(...)`, e);
    const near = closestNames(name, [...index.names(), ...this.names.defines.keys()]);
    return this.fail(`unknown name ${name}${didYouMean(near)}`, e);
  }

  private member(e: es.MemberExpression): Value {
    if (e.object.type === "Super") return this.fail("super is not part of the expression language", e);
    if (e.optional) return this.fail("optional chaining (?.) is not part of the expression language", e);
    if (!e.computed) {
      const prop = e.property as es.Identifier;
      if (e.object.type === "Identifier" && e.object.name === "Math" && !this.names.defines.has("Math")) {
        if (prop.name in MATH) return this.fail(`Math.${prop.name} is a function: call it`, e);
        if (prop.name === "PI" || prop.name === "E") return nodeV(constant(Math[prop.name]));
        return this.fail(`Math.${prop.name} is not available`, prop);
      }
      const obj = this.check(e.object);
      return this.field(e, obj, prop);
    }
    const obj = this.check(e.object);
    const p = e.property as es.Expression;
    if (p.type === "Literal" && typeof p.value === "number") return this.at(e, obj, p);
    if (p.type === "UnaryExpression" && p.operator === "-" && p.argument.type === "Literal")
      return this.fail("negative positions are not supported; first(x) takes the first element", p);
    return this.mask(e, obj, this.check(p), p);
  }

  private field(e: es.MemberExpression, obj: Value, prop: es.Identifier): Value {
    const { index } = this.names;
    if (obj.v === "collection") {
      const name = `${obj.domain.base}_${prop.name}`;
      const members = index.collections.get(obj.domain.base) ?? [];
      if (!members.includes(name)) {
        const near = closestNames(name, members).map((m) => `${this.text(e.object)}.${m.slice(obj.domain.base.length + 1)} (${m})`);
        return this.fail(`unknown column ${name}${didYouMean(near)}`, prop);
      }
      const col = this.columnNode(name);
      return nodeV(withShape(col, { kind: "jagged", domain: obj.domain }));
    }
    if (obj.v === "record") {
      const name = `${obj.prefix}_${prop.name}`;
      const members = index.records.get(obj.prefix) ?? [];
      if (!members.includes(name)) {
        const near = closestNames(name, members).map((m) => `${obj.prefix}.${m.slice(obj.prefix.length + 1)} (${m})`);
        return this.fail(`unknown column ${name}${didYouMean(near)}`, prop);
      }
      return nodeV(this.columnNode(name));
    }
    return this.fail(`${this.text(e.object)} is a value, it has no fields (.${prop.name})`, prop);
  }

  private columnNode(name: string): Node {
    const v = this.identifier({ type: "Identifier", name, start: 0, end: 0 } as es.Identifier);
    return (v as { v: "node"; node: Node }).node;
  }

  private at(e: es.MemberExpression, obj: Value, p: es.Literal): Value {
    const k = p.value as number;
    if (!Number.isInteger(k) || k < 0) return this.fail("a position must be a whole number >= 0", p);
    if (obj.v !== "node") return this.fail(`pick a field before a position: ${this.text(e.object)}.pt[${k}]`, p);
    const x = obj.node;
    if (x.shape.kind === "scalar") return this.fail(`${this.text(e.object)} is one value per event: it has no elements to pick`, e.object);
    return nodeV(reduce("at", x, x.shape.domain, constant(NaN), "num", k));
  }

  private mask(e: es.MemberExpression, obj: Value, maskV: Value, p: es.Expression): Value {
    if (obj.v === "record") return this.fail(`${this.text(e.object)} is a group of per-event columns: it cannot be masked`, e.object);
    const mask = this.node(p, maskV);
    let domain: Domain;
    if (obj.v === "collection") domain = obj.domain;
    else if (obj.node.shape.kind === "jagged") domain = obj.node.shape.domain;
    else
      return this.fail(
        `${this.text(e.object)} is one value per event: a mask selects elements of a collection (e.g. Jet[Jet.pt > 30])`,
        e.object,
      );
    if (mask.shape.kind === "jagged" && mask.shape.domain.key !== domain.key)
      return this.fail(
        `this mask is over ${domainLabel(mask.shape.domain)}, but ${this.text(e.object)} is over ${domainLabel(domain)}: a mask must come from the same collection`,
        p,
      );
    const masked = maskedDomain(domain, mask);
    if (obj.v === "collection") return { v: "collection", domain: masked };
    return nodeV(withShape(obj.node, { kind: "jagged", domain: masked }, `${obj.node.key}[${mask.key}]`));
  }

  private call(e: es.CallExpression): Value {
    if (e.optional) return this.fail("optional calls (?.) are not part of the expression language", e);
    let name: string;
    if (e.callee.type === "Identifier") name = e.callee.name;
    else if (
      e.callee.type === "MemberExpression" && !e.callee.computed && e.callee.object.type === "Identifier" &&
      e.callee.object.name === "Math" && e.callee.property.type === "Identifier" && e.callee.property.name in MATH
    )
      name = e.callee.property.name;
    else return this.fail(`${this.text(e.callee)} is not a function of the expression language`, e.callee);
    for (const a of e.arguments) if (a.type === "SpreadElement") return this.fail("spread arguments are not supported", a);
    const args = e.arguments as es.Expression[];
    if (name === "define") return this.fail("define(name, expr) is a statement of its own, not part of an expression", e.callee);
    if ((REDUCTIONS as readonly string[]).includes(name)) return nodeV(this.reduction(e, name as ReduceFn, args));
    if (name in MATH) {
      if (args.length !== MATH[name])
        return this.fail(`${name} takes ${MATH[name]} argument${MATH[name] > 1 ? "s" : ""}, not ${args.length}`, e);
      const nodes = args.map((a) => this.num(a));
      const shape = this.combine(args, nodes);
      return nodeV({ op: "math", fn: name, args: nodes, dtype: "num", shape, key: `${name}(${nodes.map((n) => n.key).join(",")})` });
    }
    const near = closestNames(name, [...REDUCTIONS, ...Object.keys(MATH)]);
    return this.fail(`unknown function ${name}${didYouMean(near)}`, e.callee);
  }

  private reduction(e: es.CallExpression, fn: ReduceFn, args: es.Expression[]): Node {
    const takesFallback = fn === "min" || fn === "max" || fn === "first";
    const maxArgs = takesFallback ? 2 : 1;
    if (args.length < 1 || args.length > maxArgs)
      return this.fail(`${fn} takes ${takesFallback ? "1 or 2 arguments (values, value if empty)" : "1 argument"}, not ${args.length}`, e);
    const a = args[0];
    const v = this.check(a);
    if (v.v === "record") return this.node(a, v);
    if (v.v === "collection") {
      if (fn !== "count") return this.fail(`${fn} of a collection: pick a field, e.g. ${fn}(${this.text(a)}.pt)`, a);
      return reduce("count", null, v.domain, constant(NaN), "num");
    }
    const x = v.node;
    if (x.shape.kind === "scalar")
      return this.fail(`${fn} reduces the elements of a collection, but ${this.text(a)} is one value per event`, a);
    let fallback = constant(NaN);
    if (args.length === 2) {
      fallback = this.num(args[1]);
      if (fallback.shape.kind === "jagged") return this.fail(`the value if empty must be one value per event`, args[1]);
    }
    const dtype: DType = fn === "any" || fn === "all" ? "bool" : "num";
    return reduce(fn, x, x.shape.domain, fallback, dtype);
  }

  private num(e: es.Expression): Node {
    return this.node(e, this.check(e));
  }

  private unary(e: es.UnaryExpression): Node {
    if (e.operator !== "-" && e.operator !== "+" && e.operator !== "!")
      return this.fail(`the operator ${e.operator} is not part of the expression language`, e);
    const arg = this.num(e.argument);
    if (e.operator === "-" && arg.op === "const") return constant(-arg.value);
    return { op: "unary", fn: e.operator, arg, dtype: e.operator === "!" ? "bool" : "num", shape: arg.shape, key: `${e.operator}(${arg.key})` };
  }

  private binary(e: es.BinaryExpression): Node {
    const fn = BINARY[e.operator];
    if (!fn) return this.fail(`the operator ${e.operator} is not part of the expression language`, opNode(e, this.source));
    const a = this.num(e.left as es.Expression);
    const b = this.num(e.right);
    const shape = this.combine([e.left as es.Expression, e.right], [a, b]);
    const cmp = fn === "<" || fn === "<=" || fn === ">" || fn === ">=" || fn === "==" || fn === "!=";
    return { op: "binary", fn, a, b, dtype: cmp ? "bool" : "num", shape, key: `(${a.key}${fn}${b.key})` };
  }

  private logical(e: es.LogicalExpression): Node {
    if (e.operator === "??") return this.fail("the operator ?? is not part of the expression language", opNode(e, this.source));
    const a = this.num(e.left);
    const b = this.num(e.right);
    const shape = this.combine([e.left, e.right], [a, b]);
    return { op: "logical", fn: e.operator, a, b, dtype: "bool", shape, key: `(${a.key}${e.operator}${b.key})` };
  }

  private conditional(e: es.ConditionalExpression): Node {
    const test = this.num(e.test);
    const a = this.num(e.consequent);
    const b = this.num(e.alternate);
    const shape = this.combine([e.test, e.consequent, e.alternate], [test, a, b]);
    const dtype: DType = a.dtype === "bool" && b.dtype === "bool" ? "bool" : "num";
    return { op: "cond", test, a, b, dtype, shape, key: `(${test.key}?${a.key}:${b.key})` };
  }

  /** The shape of an elementwise combination: per event, or over the one domain all jagged operands share. */
  private combine(exprs: es.Node[], nodes: Node[]): Shape {
    let first = -1;
    for (let i = 0; i < nodes.length; i++) {
      const s = nodes[i].shape;
      if (s.kind !== "jagged") continue;
      if (first < 0) {
        first = i;
        continue;
      }
      const d0 = (nodes[first].shape as { domain: Domain }).domain;
      if (s.domain.key !== d0.key) {
        const same = s.domain.base === d0.base;
        return this.fail(
          `cannot combine ${this.text(exprs[first])} (over ${domainLabel(d0)}) with ${this.text(exprs[i])} (over ${domainLabel(s.domain)}) element by element: ` +
            (same ? "they select different elements of the collection" : "they are different collections") +
            "; reduce one of them first (sum, count, any, all, min, max, first)",
          exprs[i],
        );
      }
    }
    return first < 0 ? SCALAR : nodes[first].shape;
  }
}

function collectionOfField(index: SchemaIndex, name: string): string {
  for (const [c, cols] of index.collections) if (cols.includes(name)) return c;
  return name;
}

function nodeV(node: Node): Value {
  return { v: "node", node };
}

export function constant(value: number): Node {
  return { op: "const", value, dtype: "num", shape: SCALAR, key: Object.is(value, -0) ? "-0" : String(value) };
}

function reduce(fn: ReduceFn, arg: Node | null, domain: Domain, fallback: Node, dtype: DType, index = 0): Node {
  const key = `${fn}${fn === "at" ? index : ""}(${domain.key}:${arg ? arg.key : ""}|${fallback.key})`;
  return { op: "reduce", fn, arg, domain, fallback, index, dtype, shape: SCALAR, key };
}

function withShape(n: Node, shape: Shape, key = n.key): Node {
  return { ...n, shape, key } as Node;
}

/** The operator token of a binary expression, for the caret. */
function opNode(e: es.BinaryExpression | es.LogicalExpression, source: string): es.Node {
  const between = source.slice(e.left.end, e.right.start);
  const at = e.left.end + between.indexOf(e.operator);
  return { type: "Operator", start: at, end: at + e.operator.length } as es.Node;
}

function describeSyntax(type: string): string {
  const words = type.replace(/Expression$/, "").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return `${/^[aeiou]/.test(words) ? "an" : "a"} ${words} expression`;
}
