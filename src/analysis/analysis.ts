// The analysis registry: what the magics %dataset %define %category %systematic %hist declare, as a
// TypeScript API. It only records and checks declarations; `fill` hands the plain-data spec to the
// registered engine (src/exec).
import { buildAxis } from "./axes.js";
import { type FillOptions, fillBackend } from "./backend.js";
import type { AnalysisSpec, AxisSpec, DatasetSpec, HistSpec, SystematicSpec } from "./spec.js";

export interface DatasetOptions {
  tree?: string;
  xsec?: number;
  lumi?: number;
  data?: boolean;
  label?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Axis names every histogram gets; a category axis may not take one of them.
const RESERVED_AXES = ["dataset", "systematic", "weight", "sample"];

export class Analysis {
  private readonly spec: AnalysisSpec = { datasets: [], defines: [], categories: [], systematics: [], hists: [] };

  dataset(name: string, files: string | string[], opts: DatasetOptions = {}): this {
    if (!name) throw new Error("dataset: a name is needed");
    if (this.spec.datasets.some((d) => d.name === name)) throw new Error(`dataset ${JSON.stringify(name)} is already declared`);
    const list = typeof files === "string" ? [files] : [...files];
    if (!list.length) throw new Error(`dataset ${name}: no files`);
    const data = opts.data ?? false;
    if (!data) {
      for (const k of ["xsec", "lumi"] as const) {
        const v = opts[k];
        if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new Error(`dataset ${name}: ${k} must be a positive number, got ${v}`);
      }
    }
    const d: DatasetSpec = { name, files: list, tree: opts.tree ?? "Events", data };
    if (!data) { d.xsec = opts.xsec ?? 1; d.lumi = opts.lumi ?? 1; }
    if (opts.label !== undefined) d.label = opts.label;
    this.spec.datasets.push(d);
    return this;
  }

  define(name: string, expr: string): this {
    if (!NAME.test(name)) throw new Error(`define: ${JSON.stringify(name)} is not a valid name`);
    if (this.spec.defines.some(([n]) => n === name)) throw new Error(`define: ${name} is already defined`);
    this.spec.defines.push([name, checkExpr(expr, `define ${name}`)]);
    return this;
  }

  /** Labels of one axis may overlap: an event is filled once for every label it passes. */
  category(axis: string, label: string, expr: string): this {
    if (!NAME.test(axis)) throw new Error(`category: axis name ${JSON.stringify(axis)} is not a valid name`);
    if (RESERVED_AXES.includes(axis)) throw new Error(`category: axis name ${JSON.stringify(axis)} is reserved`);
    if (!label) throw new Error(`category ${axis}: a label is needed`);
    if (this.spec.categories.some((c) => c.axis === axis && c.label === label)) throw new Error(`category ${axis} ${label} is already declared`);
    this.spec.categories.push({ axis, label, expr: checkExpr(expr, `category ${axis} ${label}`) });
    return this;
  }

  /**
   * `systematic(name, "weight", { up, down })`: up/down are weight expressions multiplied into the
   * nominal event weight. `systematic(name, "shape", { column, up, down })`: the column is replaced by
   * the up/down expressions and everything that reads it is recomputed.
   */
  systematic(name: string, kind: "weight", v: { up: string; down: string }): this;
  systematic(name: string, kind: "shape", v: { column: string; up: string; down: string }): this;
  systematic(name: string, kind: "weight" | "shape", v: { column?: string; up: string; down: string }): this {
    if (!NAME.test(name)) throw new Error(`systematic: ${JSON.stringify(name)} is not a valid name`);
    if (name === "nominal") throw new Error(`systematic: "nominal" is reserved`);
    if (this.spec.systematics.some((s) => s.name === name)) throw new Error(`systematic ${name} is already declared`);
    const up = checkExpr(v.up, `systematic ${name} up`);
    const down = checkExpr(v.down, `systematic ${name} down`);
    let s: SystematicSpec;
    if (kind === "weight") s = { name, kind, up, down };
    else if (kind === "shape") {
      if (!v.column) throw new Error(`systematic ${name}: a shape variation needs the column it replaces`);
      s = { name, kind, column: columnName(v.column), up, down };
    } else throw new Error(`systematic ${name}: kind must be "weight" or "shape", got ${JSON.stringify(kind)}`);
    this.spec.systematics.push(s);
    return this;
  }

  hist(name: string, axis: AxisSpec, expr: string, opts: { weight?: string } = {}): this {
    if (!NAME.test(name)) throw new Error(`hist: ${JSON.stringify(name)} is not a valid name`);
    if (this.spec.hists.some((h) => h.name === name)) throw new Error(`hist ${name} is already declared`);
    buildAxis(axis, name);
    const h: HistSpec = { name, axis: structuredClone(axis), expr: checkExpr(expr, `hist ${name}`) };
    if (opts.weight !== undefined) h.weight = checkExpr(opts.weight, `hist ${name} weight`);
    this.spec.hists.push(h);
    return this;
  }

  /** A copy of the declarations as plain data. */
  toSpec(): AnalysisSpec {
    return structuredClone(this.spec);
  }

  /**
   * Fills every histogram. Resolves with the histograms by name: store-backed (`StoredHist`) when
   * `store` is given, in memory (`Hist`) otherwise. If some work units failed (a missing or corrupt
   * file), every other unit is still filled and landed, then the promise rejects with a `FillError`
   * that lists the failures and carries the histograms.
   */
  async fill(opts: FillOptions = {}): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!this.spec.datasets.length) throw new Error("fill: no dataset declared");
    if (!this.spec.hists.length) throw new Error("fill: no histogram declared");
    return fillBackend()(this.toSpec(), opts);
  }
}

function checkExpr(expr: unknown, what: string): string {
  if (typeof expr !== "string" || !expr.trim()) throw new Error(`${what}: the expression must be a non-empty string`);
  return expr;
}

/** `Jet.pt` names the NanoAOD column `Jet_pt`. */
export function columnName(c: string): string {
  return c.trim().replace(/\./g, "_");
}
