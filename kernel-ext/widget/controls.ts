// The `controls` the front end sends (widgets/PROTOCOL.md), checked field by field against the
// histogram. Nothing in them is evaluated: they are compared with axis names and labels only, and
// every rejection says which field is wrong and what would be right.
import type { HistInfo, AxisInfo } from "./model.js";

export type Mode = "select" | "sum" | "stack" | "overlay";
export const MODES: readonly Mode[] = ["select", "sum", "stack", "overlay"];

export interface Controls {
  x: string;
  y: string | null;
  modes: Record<string, { mode: Mode; labels: string[] }>;
  range: [number, number] | null;
  rebin: number;
  log: boolean;
}

const FIELDS = ["x", "y", "modes", "range", "rebin", "log"] as const;

export class ControlError extends Error {
  override name = "ControlError";
}

function fail(msg: string): never {
  throw new ControlError(msg);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

function listed(names: readonly string[]): string {
  return names.length > 12 ? `${names.slice(0, 12).join(", ")}, ... (${names.length} in all)` : names.join(", ");
}

function findAxis(info: HistInfo, name: unknown, field: string): AxisInfo {
  if (typeof name !== "string") fail(`controls.${field} must be an axis name (a string), got ${show(name)}`);
  const a = info.axes.find((x) => x.name === name);
  if (!a) fail(`controls.${field}: the histogram has no axis ${show(name)} (axes: ${listed(info.axes.map((x) => x.name))})`);
  return a;
}

/** Bins of an ordered axis whose [lo, hi) meet the window: what a range keeps before rebinning. */
function binsInWindow(a: AxisInfo, range: [number, number] | null): number {
  if (!range || a.lo === undefined || a.hi === undefined) return a.size;
  const lo = Math.max(range[0], a.lo);
  const hi = Math.min(range[1], a.hi);
  if (!(hi > lo)) return 0;
  // An estimate for regular axes is enough to reject a rebin that cannot fit; slicing decides exactly.
  return a.kind === "variable" ? a.size : Math.max(1, Math.round(((hi - lo) / (a.hi - a.lo)) * a.size));
}

/** `raw` checked against the histogram `info`; throws ControlError naming the first bad field. */
export function validateControls(raw: unknown, info: HistInfo): Controls {
  if (!isPlainObject(raw)) fail(`controls must be an object, got ${show(raw)}`);
  for (const k of Object.keys(raw)) if (!(FIELDS as readonly string[]).includes(k)) fail(`controls has no field ${show(k)} (fields: ${FIELDS.join(", ")})`);
  for (const k of FIELDS) if (!Object.hasOwn(raw, k)) fail(`controls.${k} is missing`);

  const x = findAxis(info, raw.x, "x");
  let y: AxisInfo | null = null;
  if (raw.y !== null) {
    y = findAxis(info, raw.y, "y");
    if (!y.ordered) fail(`controls.y: axis ${y.name} is a ${y.kind} axis; a heatmap needs an ordered second axis`);
    if (y.name === x.name) fail(`controls.y: axis ${y.name} is already along x`);
  }

  if (!isPlainObject(raw.modes)) fail(`controls.modes must be an object of category axis name to {mode, labels}, got ${show(raw.modes)}`);
  const modes: [string, { mode: Mode; labels: string[] }][] = [];
  let drawnBy: string | null = null;
  for (const [name, m] of Object.entries(raw.modes)) {
    const a = findAxis(info, name, `modes key`);
    if (a.ordered) fail(`controls.modes.${name}: axis ${name} is ordered (${a.kind}); modes are for category axes, ordered axes other than x and y are summed`);
    if (!isPlainObject(m)) fail(`controls.modes.${name} must be {mode, labels}, got ${show(m)}`);
    for (const k of Object.keys(m)) if (k !== "mode" && k !== "labels") fail(`controls.modes.${name} has no field ${show(k)} (fields: mode, labels)`);
    if (!MODES.includes(m.mode as Mode)) fail(`controls.modes.${name}.mode must be one of ${MODES.join(", ")}, got ${show(m.mode)}`);
    const mode = m.mode as Mode;
    if (!Array.isArray(m.labels)) fail(`controls.modes.${name}.labels must be a list of labels, got ${show(m.labels)}`);
    const known = new Set(a.labels ?? []);
    const seen = new Set<string>();
    for (const l of m.labels) {
      if (typeof l !== "string") fail(`controls.modes.${name}.labels: labels are strings, got ${show(l)}`);
      if (!known.has(l)) fail(`controls.modes.${name}.labels: ${show(l)} is not a label of ${name} (labels: ${listed(a.labels ?? [])})`);
      if (seen.has(l)) fail(`controls.modes.${name}.labels: ${show(l)} is listed twice`);
      seen.add(l);
    }
    if (mode === "select" && !seen.size) fail(`controls.modes.${name}: "select" needs at least one label (use "sum" for all of them)`);
    // The mode of the axis along x (or y) is kept but unused: that axis is drawn whole.
    if ((mode === "stack" || mode === "overlay") && name !== x.name) {
      if (drawnBy !== null) fail(`controls.modes: at most one axis may be stacked or overlaid (${drawnBy} and ${name} are)`);
      drawnBy = name;
      if (y) fail(`controls.modes.${name}: a heatmap (y = ${y.name}) draws no ${mode}; set y to null or choose "select" or "sum"`);
    }
    modes.push([name, { mode, labels: [...m.labels] as string[] }]);
  }

  let range: [number, number] | null = null;
  if (raw.range !== null) {
    const r = raw.range;
    if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => typeof v === "number" && Number.isFinite(v))) fail(`controls.range must be null or [lo, hi] with finite numbers, got ${show(r)}`);
    if (!x.ordered) fail(`controls.range: axis ${x.name} along x is a ${x.kind} axis; a range needs an ordered axis`);
    if (!(r[0] < r[1])) fail(`controls.range: lo must be below hi, got ${show(r)}`);
    if (x.lo !== undefined && x.hi !== undefined && (r[1] <= x.lo || r[0] >= x.hi)) fail(`controls.range ${show(r)} lies outside axis ${x.name} [${x.lo}, ${x.hi})`);
    range = [r[0], r[1]];
  }

  const rebin = raw.rebin;
  if (typeof rebin !== "number" || !Number.isInteger(rebin) || rebin < 1) fail(`controls.rebin must be an integer >= 1, got ${show(rebin)}`);
  if (rebin > 1 && !x.ordered) fail(`controls.rebin: axis ${x.name} along x is a ${x.kind} axis; only ordered axes rebin`);
  const window = binsInWindow(x, range);
  if (rebin > window) fail(`controls.rebin ${rebin} is more than the ${window} bins of ${x.name}${range ? " in the range" : ""}`);

  if (typeof raw.log !== "boolean") fail(`controls.log must be true or false, got ${show(raw.log)}`);
  // fromEntries defines own properties: a key like "__proto__" cannot reach a prototype.
  return { x: x.name, y: y ? y.name : null, modes: Object.fromEntries(modes), range, rebin, log: raw.log };
}

/** The request counter of an update: a non-negative integer. */
export function validateRequest(raw: unknown): number {
  if (typeof raw !== "number" || !Number.isSafeInteger(raw) || raw < 0) fail(`request must be a non-negative integer, got ${show(raw)}`);
  return raw;
}
