// Where expressions are checked and compiled: a schema plus the names defined so far.
//
//   const scope = new ExprScope(source.schema);
//   scope.define("goodJet", "Jet[Jet.pt > 25 && abs(Jet.eta) < 2.4]");
//   const ht = scope.compile("sum(goodJet.pt)");      // checked now, before any event is read
//   for await (const batch of source.read(ht.columns)) fill(ht.evaluate(batch));
//   compileSpec(ht.spec, schema)                       // the same, rebuilt in a worker
import type { ElementType, NumericArray, Schema } from "../data/types.js";
import { Checker, MATH, REDUCTIONS, parse, type Names, type Value } from "./check.js";
import { generate, type OutputType, type Root } from "./codegen.js";
import { CompiledExpr, type KernelParts } from "./compiled.js";
import { CompiledGroup, type GroupItem, type GroupKernel } from "./group.js";
import { ExprError } from "./errors.js";
import { JaggedRow, planFunction } from "./function.js";
import { collectionsOf, columnsOf, type Node } from "./ir.js";
import { SchemaIndex, collectionOf } from "./schema-index.js";
import type { ExprSpec } from "./spec.js";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(["define", "Math", ...REDUCTIONS, ...Object.keys(MATH), "NaN", "Infinity", "PI", "true", "false"]);

/** What a checked expression is, without compiling it. */
export interface ExprInfo {
  kind: "scalar" | "jagged";
  dtype: "num" | "bool";
  collection?: string;
  columns: string[];
}

export class ExprScope {
  private readonly index: SchemaIndex;
  private readonly names: Names;
  private readonly defineSources: [string, string][] = [];
  private readonly substitutionSources: [string, string][] = [];

  constructor(readonly schema: Schema) {
    this.index = new SchemaIndex(schema);
    this.names = { index: this.index, defines: new Map(), substitutions: new Map() };
  }

  /** Rebuilds a scope from plain data (defines and substitutions of an ExprSpec). */
  static fromSpec(spec: Omit<ExprSpec, "expr">, schema: Schema): ExprScope {
    const scope = new ExprScope(schema);
    for (const [column, expr] of spec.substitutions ?? []) scope.substitute(column, expr);
    for (const [name, expr] of spec.defines ?? []) scope.define(name, expr);
    return scope;
  }

  /** Names `expr` for later expressions; a collection (`Jet[...]`) or a value. Throws ExprError. */
  define(name: string, expr: string): this {
    if (!IDENTIFIER.test(name)) throw new ExprError(`${JSON.stringify(name)} is not a name (letters, digits, _)`, name, 0, name.length);
    if (RESERVED.has(name)) throw new ExprError(`${name} is a function or constant of the expression language`, name, 0, name.length);
    if (this.index.fields.has(name) || this.index.collections.has(name) || this.index.records.has(name))
      throw new ExprError(`${name} is already a column or collection of the dataset; choose another name`, name, 0, name.length);
    const checker = new Checker(this.names, expr, name);
    const value: Value = checker.check(parse(expr, name));
    this.names.defines.set(name, value);
    const at = this.defineSources.findIndex(([n]) => n === name);
    if (at >= 0) this.defineSources.splice(at, 1);
    this.defineSources.push([name, expr]);
    return this;
  }

  /**
   * Replaces a column by an expression over the original columns in every expression checked
   * afterwards (and in defines made afterwards): a shape systematic. Same kind, same collection.
   */
  substitute(column: string, expr: string): this {
    const field = this.index.fields.get(column);
    if (!field) throw new ExprError(`unknown column ${column}`, column, 0, column.length);
    if (this.defineSources.length) throw new Error("substitute columns before defining names (defines made before would not see it)");
    const checker = new Checker(this.names, expr, undefined, true);
    const ast = parse(expr);
    const node = checker.value(ast);
    const want = field.kind === "jagged" ? collectionOf(column) : null;
    const got = node.shape.kind === "jagged" ? node.shape.domain : null;
    if ((want === null) !== (got === null) || (got && (got.filters.length || got.base !== want)))
      throw new ExprError(
        `the replacement of ${column} must be ${want ? `one value per element of ${want} (unmasked)` : "one value per event"}`,
        expr, ast.start, ast.end - ast.start,
      );
    this.names.substitutions.set(column, node);
    this.substitutionSources.push([column, expr]);
    return this;
  }

  /** Checks an expression without compiling it. Throws ExprError. */
  info(expr: string): ExprInfo {
    const node = this.check(expr);
    const columns = [...columnsOf(node, new Set())];
    return node.shape.kind === "jagged"
      ? { kind: "jagged", dtype: node.dtype, collection: node.shape.domain.base, columns }
      : { kind: "scalar", dtype: node.dtype, columns };
  }

  /** Checks and compiles an expression, or a function standing in for one (see function.ts). */
  compile(expr: string | ((ev: never) => unknown)): CompiledExpr {
    if (typeof expr === "function") return this.compileFunction(expr.toString());
    const node = this.check(expr);
    const spec = this.spec(expr, false);
    const parts = this.parts(node);
    if (node.shape.kind === "jagged") return new CompiledExpr(spec, "jagged", node.dtype, parts, node.shape.domain.base);
    return new CompiledExpr(spec, "scalar", node.dtype, parts);
  }

  /** Compiles a function given by its source text (as shipped to a worker). */
  compileFunction(source: string): CompiledExpr {
    const plan = planFunction(source, this.index);
    const kinds = plan.columns.map((c) => this.index.fields.get(c)!.kind);
    const parts: KernelParts = {
      columns: plan.columns,
      kinds,
      offsetGroups: plan.jagged.map((c) => [c]),
      resultGroup: -1,
      make: () => ({ code: plan.code, fn: new Function("Row", plan.code)(JaggedRow) }),
    };
    return new CompiledExpr(this.spec(source, true), "scalar", "num", parts);
  }

  /** The plain data that rebuilds `expr` in this scope (see compileSpec). */
  spec(expr: string, isFunction = false): ExprSpec {
    const spec: ExprSpec = { expr };
    if (isFunction) spec.isFunction = true;
    if (this.defineSources.length) spec.defines = this.defineSources.map(([n, e]) => [n, e]);
    if (this.substitutionSources.length) spec.substitutions = this.substitutionSources.map(([c, e]) => [c, e]);
    return spec;
  }

  /**
   * Compiles several expressions into one kernel (one loop over the events): what they have in common
   * (a selection's element loop, a count, a sum) is computed once per event. `mask` items give 0/1
   * bytes per event (categories, cuts). Throws ExprError for the first bad expression.
   */
  compileGroup(items: GroupItem[]): CompiledGroup {
    const nodes = items.map((it) => {
      const node = this.check(it.expr);
      if (it.mask && node.shape.kind !== "scalar") throw new Error(`${it.expr}: a mask per event needs one value per event`);
      return node;
    });
    const roots = nodes.map((node, i) => ({ node, output: (items[i].mask ? "u8" : "f64") as OutputType }));
    const layout = this.layout(roots);
    const kernel = kernelOf(layout.kernel.code);
    const results = nodes.map((node, i) => ({
      kind: node.shape.kind,
      mask: !!items[i].mask,
      group: node.shape.kind === "jagged" ? layout.order.indexOf(node.shape.domain.base) : -1,
    }));
    return new CompiledGroup(items.map((it) => it.expr), layout.columns, layout.kinds, layout.offsetGroups, results, kernel);
  }

  private check(expr: string): Node {
    return new Checker(this.names, expr).value(parse(expr));
  }

  /** The kernel of `roots` and what it reads: columns (kernel's first), and per collection the columns giving its offsets. */
  private layout(roots: Root[]) {
    const types = new Map<string, ElementType>();
    for (const [name, f] of this.index.fields) types.set(name, f.type);
    const kernel = generate(roots, types);
    // Offsets per collection: from a column the kernel reads anyway, else from the narrowest one.
    const collections = new Set<string>();
    for (const r of roots) collectionsOf(r.node, collections);
    const order = [...kernel.collections];
    for (const c of collections) if (!order.includes(c)) order.push(c);
    const columns = [...kernel.columns];
    const offsetGroups = order.map((base) => {
      const members = columns.filter((c) => this.index.fields.get(c)!.kind === "jagged" && collectionOf(c) === base);
      if (!members.length) {
        const rep = this.index.representative(base);
        columns.push(rep);
        members.push(rep);
      }
      return members;
    });
    const kinds = columns.map((c) => this.index.fields.get(c)!.kind);
    return { kernel, types, order, columns, offsetGroups, kinds };
  }

  private parts(node: Node): KernelParts {
    const { kernel, types, order, columns, offsetGroups, kinds } = this.layout([{ node, output: "f64" }]);
    const resultGroup = node.shape.kind === "jagged" ? order.indexOf(node.shape.domain.base) : -1;
    const make = (output: OutputType) => {
      // The kernel indexes cols by its own column order, a prefix of `columns`.
      const k = output === "f64" ? kernel : generate([{ node, output }], types);
      return { code: k.code, fn: singleOutput(kernelOf(k.code)) };
    };
    return { columns, kinds, offsetGroups, resultGroup, make };
  }
}

// Kernels by source: the same expressions compiled again (every work unit of a fill) reuse the function
// V8 has already optimized instead of starting over in the interpreter.
const kernels = new Map<string, GroupKernel>();

function kernelOf(code: string): GroupKernel {
  let k = kernels.get(code);
  if (!k) {
    if (kernels.size >= 512) kernels.clear();
    kernels.set(code, (k = new Function(code)() as GroupKernel));
  }
  return k;
}

/** A one-root group kernel with the calling convention of CompiledExpr's kernels (returns elements written). */
function singleOutput(kernel: GroupKernel) {
  const outs: (Float64Array | Uint8Array)[] = [new Float64Array(0)];
  const outOffsets: (Int32Array | null)[] = [null];
  return (n: number, cols: NumericArray[], offs: Int32Array[], out: Float64Array | Uint8Array, oo: Int32Array | null): number => {
    outs[0] = out;
    outOffsets[0] = oo;
    kernel(n, cols, offs, outs, outOffsets);
    return oo ? oo[n] : n;
  };
}

/** Rebuilds a compiled expression from its plain data: what a worker does with a spec and the file's schema. */
export function compileSpec(spec: ExprSpec, schema: Schema): CompiledExpr {
  const scope = ExprScope.fromSpec(spec, schema);
  return spec.isFunction ? scope.compileFunction(spec.expr) : scope.compile(spec.expr);
}
