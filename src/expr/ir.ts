// The checked form of an expression: every node knows whether it is one value per event (scalar)
// or one value per element of a collection (jagged, over a domain), and whether it is a number or
// a boolean. Code generation reads only this form.
import type { ElementType } from "../data/types.js";

export type DType = "num" | "bool";

/**
 * The elements a jagged value ranges over: the elements of a base collection (`Jet`) that pass a
 * chain of masks, each mask an elementwise boolean over the domain before it. Two jagged values
 * combine elementwise only over the same domain (same key).
 */
export interface Domain {
  base: string;
  filters: Node[];
  key: string;
}

export type Shape = { kind: "scalar" } | { kind: "jagged"; domain: Domain };

interface NodeBase {
  dtype: DType;
  shape: Shape;
  /** Canonical text: equal keys mean equal values (used for domains and common reductions). */
  key: string;
}

export interface ConstNode extends NodeBase {
  op: "const";
  value: number;
}

/** A column read from the batch: scalar per event, or jagged over its base collection. */
export interface ColumnNode extends NodeBase {
  op: "column";
  name: string;
  type: ElementType;
}

export interface UnaryNode extends NodeBase {
  op: "unary";
  fn: "-" | "+" | "!";
  arg: Node;
}

export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "**" | "<" | "<=" | ">" | ">=" | "==" | "!=";

export interface BinaryNode extends NodeBase {
  op: "binary";
  fn: BinaryOp;
  a: Node;
  b: Node;
}

export interface LogicalNode extends NodeBase {
  op: "logical";
  fn: "&&" | "||";
  a: Node;
  b: Node;
}

export interface CondNode extends NodeBase {
  op: "cond";
  test: Node;
  a: Node;
  b: Node;
}

export interface MathNode extends NodeBase {
  op: "math";
  /** A Math method name. */
  fn: string;
  args: Node[];
}

export type ReduceFn = "sum" | "count" | "any" | "all" | "min" | "max" | "first" | "at";

/** One value per event from the elements of `domain` (`arg` absent: count of a collection). */
export interface ReduceNode extends NodeBase {
  op: "reduce";
  fn: ReduceFn;
  arg: Node | null;
  domain: Domain;
  /** For min, max, first, at: the value of an event with no element (NaN when not given). */
  fallback: Node;
  /** For `at`: the element position. */
  index: number;
}

export type Node = ConstNode | ColumnNode | UnaryNode | BinaryNode | LogicalNode | CondNode | MathNode | ReduceNode;

export const SCALAR: Shape = { kind: "scalar" };

export function baseDomain(base: string): Domain {
  return { base, filters: [], key: base };
}

export function maskedDomain(d: Domain, mask: Node): Domain {
  return { base: d.base, filters: [...d.filters, mask], key: `${d.key}[${mask.key}]` };
}

export function shapeKey(s: Shape): string {
  return s.kind === "scalar" ? "" : s.domain.key;
}

/** A readable name for a domain in messages: `Jet`, `Jet[...]`. */
export function domainLabel(d: Domain): string {
  return d.filters.length ? `${d.base}[${d.filters.length === 1 ? "mask" : d.filters.length + " masks"}]` : d.base;
}

/** The nodes a node reads directly (a reduction: its argument, its mask filters and its fallback). */
function childrenOf(n: Node): Node[] {
  switch (n.op) {
    case "unary":
      return [n.arg];
    case "binary":
    case "logical":
      return [n.a, n.b];
    case "cond":
      return [n.test, n.a, n.b];
    case "math":
      return n.args;
    case "reduce":
      return [...(n.arg ? [n.arg] : []), ...n.domain.filters, n.fallback];
    default:
      return [];
  }
}

/** Every column a node reads. */
export function columnsOf(n: Node, out: Set<string>): Set<string> {
  if (n.op === "column") out.add(n.name);
  for (const c of childrenOf(n)) columnsOf(c, out);
  return out;
}

/** Every base collection a node loops over (its jagged shape, reductions, masks). */
export function collectionsOf(n: Node, out: Set<string>): Set<string> {
  if (n.shape.kind === "jagged") out.add(n.shape.domain.base);
  if (n.op === "reduce") out.add(n.domain.base);
  for (const c of childrenOf(n)) collectionsOf(c, out);
  return out;
}
