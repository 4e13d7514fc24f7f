// The state of widgets/PROTOCOL.md as TypeScript types, and the pure rules the front end follows.

export type AxisKind = "regular" | "variable" | "integer" | "category" | "boolean";

export interface AxisInfo {
  name: string;
  label: string;
  kind: AxisKind;
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

export type CategoryMode = "select" | "sum" | "stack" | "overlay";
export const CATEGORY_MODES: readonly CategoryMode[] = ["select", "sum", "stack", "overlay"];

export interface Controls {
  x: string;
  y: string | null;
  modes: Record<string, { mode: CategoryMode; labels: string[] }>;
  range: [number, number] | null;
  rebin: number;
  log: boolean;
}

/** Category axes are the unordered ones (category and boolean axes with labels). */
export function isCategory(a: AxisInfo): boolean {
  return !a.ordered;
}

export function labelsOf(a: AxisInfo): string[] {
  return a.labels ?? [];
}

/**
 * The mode of one category axis changed: "stack" and "overlay" are exclusive over all axes
 * (PROTOCOL: at most one), so another axis in either mode falls back to "sum". Switching to
 * "select" keeps one label (a plain selection); the other modes take the whole axis, written as an
 * empty list (PROTOCOL), which also covers labels a fill adds to the store later.
 */
export function withMode(c: Controls, hist: HistInfo, axis: string, mode: CategoryMode): Controls {
  const modes = { ...c.modes };
  const labelsFor = (name: string) => labelsOf(hist.axes.find((a) => a.name === name)!);
  if (mode === "stack" || mode === "overlay") {
    for (const [name, m] of Object.entries(modes)) {
      if (name !== axis && (m.mode === "stack" || m.mode === "overlay")) modes[name] = { mode: "sum", labels: [] };
    }
  }
  const current = modes[axis]?.labels ?? [];
  const labels = mode === "select" ? (current.length === 1 ? current : labelsFor(axis).slice(0, 1)) : [];
  modes[axis] = { mode, labels };
  // A stack or overlay is 1-D: it leaves the heatmap.
  return { ...c, modes, y: mode === "stack" || mode === "overlay" ? null : c.y };
}

/** A new x axis: y, range and rebin belonged to the old one. */
export function withX(c: Controls, hist: HistInfo, x: string): Controls {
  const modes = { ...c.modes };
  delete modes[x];
  // The old x, if a category axis, needs a mode now: sum it.
  const old = hist.axes.find((a) => a.name === c.x);
  if (old && isCategory(old) && old.name !== x) modes[old.name] = { mode: "sum", labels: [] };
  return { ...c, x, y: c.y === x ? null : c.y, modes, range: null, rebin: 1 };
}

/** A second axis (2-D heatmap) or none: a heatmap draws no stack or overlay, so those axes are summed. */
export function withY(c: Controls, hist: HistInfo, y: string | null): Controls {
  if (y === null) return { ...c, y };
  const modes = { ...c.modes };
  for (const [name, m] of Object.entries(modes)) {
    if (m.mode === "stack" || m.mode === "overlay") modes[name] = { mode: "sum", labels: [] };
  }
  return { ...c, y, modes };
}

/** Rebin is an integer >= 1. */
export function validRebin(n: number): number | null {
  return Number.isInteger(n) && n >= 1 ? n : null;
}

/** A range from two inputs: both finite with lo < hi, or null (the whole axis). */
export function validRange(lo: number, hi: number): [number, number] | null {
  return Number.isFinite(lo) && Number.isFinite(hi) && lo < hi ? [lo, hi] : null;
}
