// Axis factories for `a.hist(name, Reg(25, 50, 550, { label }), expr)`: the same arguments as the
// builder's Reg/Var/Int, but plain data, so that a histogram definition can travel to workers.
import { type Axis, Integer, Regular, Variable } from "../axis/index.js";
import type { AxisSpec } from "./spec.js";

type Opts = { label?: string; name?: string; underflow?: boolean; overflow?: boolean } | string;
const opts = (o?: Opts) => (typeof o === "string" ? { label: o } : { ...(o ?? {}) });

export function Reg(bins: number, start: number, stop: number, o?: Opts & { circular?: boolean }): AxisSpec {
  const spec: AxisSpec = { type: "regular", bins, start, stop, ...opts(o) };
  buildAxis(spec, "x"); // checks the arguments now, where the user wrote them
  return spec;
}

export function Var(edges: ArrayLike<number>, o?: Opts): AxisSpec {
  const spec: AxisSpec = { type: "variable", edges: Array.from(edges), ...opts(o) };
  buildAxis(spec, "x");
  return spec;
}

export function Int(start: number, stop: number, o?: Opts): AxisSpec {
  const spec: AxisSpec = { type: "integer", start, stop, ...opts(o) };
  buildAxis(spec, "x");
  return spec;
}

/** The axis object of a spec; `name` is the histogram's name unless the spec names the axis. */
export function buildAxis(spec: AxisSpec, name: string): Axis {
  const { type: _t, ...rest } = spec as AxisSpec & Record<string, unknown>;
  const o = { underflow: spec.underflow, overflow: spec.overflow, label: spec.label ?? "", name: spec.name ?? name };
  for (const k of ["underflow", "overflow"] as const) if (o[k] === undefined) delete o[k];
  void rest;
  switch (spec.type) {
    case "regular": return new Regular(spec.bins, spec.start, spec.stop, { ...o, circular: spec.circular });
    case "variable": return new Variable(spec.edges, o);
    case "integer": return new Integer(spec.start, spec.stop, o);
  }
}
