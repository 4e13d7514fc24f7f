// The analysis as plain data: what crosses to worker threads (and, later, to other machines) and what
// the work-unit keys hash. Nothing here holds a function or a class instance.

/** An axis of a histogram's own variable, as the magics and `hist` spell it. */
export type AxisSpec =
  | { type: "regular"; bins: number; start: number; stop: number; label?: string; name?: string; underflow?: boolean; overflow?: boolean; circular?: boolean }
  | { type: "variable"; edges: number[]; label?: string; name?: string; underflow?: boolean; overflow?: boolean }
  | { type: "integer"; start: number; stop: number; label?: string; name?: string; underflow?: boolean; overflow?: boolean };

export interface DatasetSpec {
  name: string;
  files: string[];
  tree: string;
  /** Cross section (pb) and integrated luminosity (1/pb) of MC; ignored for data. */
  xsec?: number;
  lumi?: number;
  data: boolean;
  label?: string;
}

export interface CategorySpec {
  axis: string;
  label: string;
  expr: string;
}

export type SystematicSpec =
  | { name: string; kind: "weight"; up: string; down: string }
  /** `column` is replaced by `up` / `down`; everything that reads it is recomputed. */
  | { name: string; kind: "shape"; column: string; up: string; down: string };

export interface HistSpec {
  name: string;
  axis: AxisSpec;
  expr: string;
  /** Extra per-event weight expression, multiplied into the dataset weight. */
  weight?: string;
}

export interface AnalysisSpec {
  datasets: DatasetSpec[];
  defines: [name: string, expr: string][];
  categories: CategorySpec[];
  systematics: SystematicSpec[];
  hists: HistSpec[];
}

/** Category axes in declaration order, each with its labels in declaration order. */
export function categoryAxes(spec: Pick<AnalysisSpec, "categories">): { axis: string; labels: string[]; exprs: string[] }[] {
  const out: { axis: string; labels: string[]; exprs: string[] }[] = [];
  for (const c of spec.categories) {
    let a = out.find((x) => x.axis === c.axis);
    if (!a) out.push((a = { axis: c.axis, labels: [], exprs: [] }));
    a.labels.push(c.label);
    a.exprs.push(c.expr);
  }
  return out;
}

/** Labels of the systematic axis: "nominal", then `<name>_up`, `<name>_down` in declaration order. */
export function systematicLabels(spec: Pick<AnalysisSpec, "systematics">): string[] {
  return ["nominal", ...spec.systematics.flatMap((s) => [`${s.name}_up`, `${s.name}_down`])];
}
