// The histogram widget's model as widgets/PROTOCOL.md fixes it: identity and the `hist` description.
import type { Axis } from "../../src/axis/index.js";
import { isOrdered, labelsOf } from "../../src/plot/series.js";

export const MODEL_IDENTITY = {
  _model_module: "zhist-widgets",
  _view_module: "zhist-widgets",
  _model_module_version: "0.1.0",
  _view_module_version: "0.1.0",
  _model_name: "HistModel",
  _view_name: "HistView",
} as const;

export interface AxisInfo {
  name: string;
  label: string;
  kind: "regular" | "variable" | "integer" | "category" | "boolean";
  ordered: boolean;
  size: number;
  lo?: number;
  hi?: number;
  labels?: string[];
}

export interface HistInfo {
  name: string;
  label: string;
  kind: string;
  axes: AxisInfo[];
}

/** The name controls use for an axis: its own, or its position for an unnamed axis. */
export function axisKey(a: Axis, k: number): string {
  return a.name || String(k);
}

export function axisInfo(a: Axis, k: number): AxisInfo {
  const ordered = isOrdered(a);
  const kind = a.kind === "str_category" || a.kind === "int_category" ? "category" : a.kind;
  const info: AxisInfo = { name: axisKey(a, k), label: a.label || a.name || "", kind, ordered, size: a.size };
  if (ordered && a.size > 0) {
    info.lo = (a.bin(0) as [number, number])[0];
    info.hi = (a.bin(a.size - 1) as [number, number])[1];
  } else if (!ordered) info.labels = labelsOf(a);
  return info;
}

export function histInfo(h: { name: string; label?: string; kind: string; axes: readonly Axis[] }): HistInfo {
  return { name: h.name, label: h.label ?? "", kind: h.kind, axes: h.axes.map(axisInfo) };
}
