import type { Axis } from "../../axis/index.js";
import { type AxisValue, isCategory } from "../../axis/index.js";
import { axisName } from "../fill.js";
import type { Hist } from "../hist.js";
import { type AxisSelection, FlowLoc, Loc, type Locator, Pick, Rebin, type Selection, sum } from "../indexing.js";
import { project } from "./project.js";
import { type AxisMap, identityMap, remapStorage } from "./remap.js";

/** A locator as a boost index: -1 the underflow, `size` the overflow. */
export function resolveLocator(axis: Axis, k: number, l: Locator | string | boolean): number {
  if (l instanceof Loc) return axis.index(checkedValue(axis, k, l.value)) + l.offset;
  if (l instanceof FlowLoc) return (l.which === "underflow" ? -1 : axis.size) + l.offset;
  if (typeof l === "number") {
    if (!Number.isInteger(l)) throw new TypeError(`index ${l} on axis ${axisName(axis, k)} must be an integer; use loc(${l}) for a value`);
    if (l < -axis.size || l >= axis.size) throw new RangeError(`index ${l} is out of range for axis ${axisName(axis, k)} of ${axis.size} bins`);
    return (l + axis.size) % axis.size;
  }
  return axis.index(l);
}

/** A range bound: plain integers count bins as Python slices do (negative from the end, clamped to [0, size]). */
function rangeBound(axis: Axis, k: number, l: Locator): number {
  if (typeof l !== "number") return resolveLocator(axis, k, l);
  if (!Number.isInteger(l)) throw new TypeError(`index ${l} on axis ${axisName(axis, k)} must be an integer; use loc(${l}) for a value`);
  return Math.min(Math.max(l < 0 ? l + axis.size : l, 0), axis.size);
}

/** A value of the axis's own type: a label for string categories, a number for numeric axes. */
function checkedValue(axis: Axis, k: number, v: AxisValue): AxisValue {
  const want = axis.kind === "str_category" ? "string" : axis.kind === "boolean" ? typeof v : "number";
  if (typeof v !== want && !(axis.kind === "boolean" && typeof v === "number")) {
    throw new TypeError(`loc(${JSON.stringify(v)}) on axis ${axisName(axis, k)} (${axis.kind}) needs a ${want}`);
  }
  return v;
}

/** A boost index as an index into the axis extent, checking that the bin exists. */
function extentIndex(axis: Axis, k: number, i: number): number {
  const uf = Number(axis.traits.underflow);
  if (i === -1 && axis.traits.underflow) return 0;
  if (i === axis.size && axis.traits.overflow) return axis.size + uf;
  if (i < 0 || i >= axis.size) throw new RangeError(`axis ${axisName(axis, k)} has no bin at index ${i} (size ${axis.size}${axis.traits.underflow ? ", underflow" : ""}${axis.traits.overflow ? ", overflow" : ""})`);
  return i + uf;
}

function isRange(s: AxisSelection): s is [Locator | null | undefined, Locator | null | undefined, (Rebin | typeof sum)?] {
  return Array.isArray(s) && !s.some((x) => typeof x === "string");
}

interface Plan { map: AxisMap; axis?: Axis; deferredSum?: boolean }

function selectBin(axis: Axis, k: number, s: Locator | string | boolean): Plan {
  const to = new Int32Array(axis.extent).fill(-1);
  to[extentIndex(axis, k, resolveLocator(axis, k, s))] = 0;
  return { map: { to, dstAxis: null } };
}

/** Sum of the bins in [begin, end) as boost indices (-1 and `size` are the flow bins): crop, then sum. */
function sumRange(axis: Axis, begin: number, end: number): Plan {
  const uf = Number(axis.traits.underflow);
  const to = new Int32Array(axis.extent).fill(-1);
  for (let i = Math.max(begin, -uf); i < Math.min(end, axis.size + Number(axis.traits.overflow)); i++) to[i + uf] = 0;
  return { map: { to, dstAxis: null } };
}

/** Keep bins [begin, end) merged by `merge`; the cut bins fold into the flow bins the axis has. */
function keepRange(axis: Axis, k: number, begin: number, end: number, merge: number, dstAxis: number): Plan {
  const b = Math.min(Math.max(begin, 0), axis.size);
  let e = Math.min(Math.max(end, 0), axis.size);
  if (e - b < merge) throw new RangeError(`slice [${begin}, ${end}) with rebin ${merge} on axis ${axisName(axis, k)} selects no bins`);
  e = b + Math.floor((e - b) / merge) * merge;
  if (axis.traits.circular && (b !== 0 || e !== axis.size)) throw new RangeError(`cannot shrink circular axis ${axisName(axis, k)}`);
  const uf = Number(axis.traits.underflow);
  const out = axis.reduced(b, e, merge, { underflow: axis.traits.underflow, overflow: axis.traits.overflow });
  const outOverflow = axis.traits.overflow ? out.extent - 1 : -1;
  const to = new Int32Array(axis.extent);
  for (let i = -uf; i < axis.size + Number(axis.traits.overflow); i++) {
    let t: number;
    if (i >= b && i < e) t = uf + Math.floor((i - b) / merge);
    else if (i < b && !isCategory(axis)) t = uf ? 0 : -1;
    else t = outOverflow;
    to[i + uf] = t;
  }
  return { map: { to, dstAxis }, axis: out };
}

function pickBins(axis: Axis, k: number, items: (string | number | boolean | Loc)[], dstAxis: number): Plan {
  if (!isCategory(axis)) throw new RangeError(`axis ${axisName(axis, k)} is not a category axis: pick bins of it with a range instead`);
  const picks = items.map((it) => {
    const i = it instanceof Loc ? axis.index(it.value) + it.offset : typeof it === "number" && axis.kind === "str_category" ? it : axis.index(it);
    if (i < 0 || i >= axis.size) throw new RangeError(`axis ${axisName(axis, k)} has no category ${JSON.stringify(it instanceof Loc ? it.value : it)}`);
    return i;
  });
  const out = axis.picked(picks, axis.traits.overflow);
  // As boost-histogram: bins not picked are dropped, not moved to the flow bin; the flow bin stays.
  const to = new Int32Array(axis.extent).fill(-1);
  picks.forEach((p, j) => { to[p] = j; });
  if (axis.traits.overflow) to[axis.size] = picks.length;
  return { map: { to, dstAxis }, axis: out };
}

/** A sum kept as the axis (bins outside the summed range masked out), to be projected out afterwards. */
function deferSum(axis: Axis, summed: Plan, dstAxis: number): Plan {
  const to = identityMap(axis.extent, dstAxis).to.map((e, i) => (summed.map.to[i] < 0 ? -1 : e));
  return { map: { to, dstAxis }, axis: axis.clone(), deferredSum: true };
}

function planAxis(axis: Axis, k: number, s: AxisSelection | undefined, dstAxis: number, deferSums: boolean): Plan {
  if (s === undefined || s === null) return { map: identityMap(axis.extent, dstAxis), axis: axis.clone() };
  if (s === sum) {
    const plan = { map: { to: new Int32Array(axis.extent), dstAxis: null } };
    return deferSums ? deferSum(axis, plan, dstAxis) : plan;
  }
  if (s instanceof Rebin) return planAxis(axis, k, [null, null, s], dstAxis, deferSums);
  if (s instanceof Pick) return pickBins(axis, k, s.items, dstAxis);
  if (Array.isArray(s) && !isRange(s)) return pickBins(axis, k, s as string[], dstAxis);
  if (isRange(s)) {
    const [start, stop, action] = s;
    // As boost-histogram: a category's flow bin is only in a range that is open at both ends.
    const openOverflow = axis.traits.overflow && (axis.traits.ordered || (start == null && stop == null));
    const begin = start == null ? (axis.traits.underflow ? -1 : 0) : rangeBound(axis, k, start);
    const end = stop == null ? axis.size + Number(openOverflow) : rangeBound(axis, k, stop);
    if (action === sum) {
      if ((start != null || stop != null) && begin >= end) throw new RangeError(`slice [${String(start)}, ${String(stop)}) on axis ${axisName(axis, k)} selects no bins`);
      return deferSums ? deferSum(axis, sumRange(axis, begin, end), dstAxis) : sumRange(axis, begin, end);
    }
    return keepRange(axis, k, begin, end, action instanceof Rebin ? action.factor : 1, dstAxis);
  }
  return selectBin(axis, k, s as Locator | string | boolean);
}

/**
 * UHI indexing: a bin (index, loc, label, flow locator) removes the axis; a range [start, stop,
 * rebin?] keeps it and folds cut bins into its flow bins; `sum` sums it out; a label list picks.
 */
export function slice(h: Hist, selection: Selection): Hist {
  // In boost's two steps, which decide the last bits of the result: bins, ranges and rebins first,
  // then summed axes are projected out.
  const plan = planSlice(h.axes, selection, (key) => h.axisIndex(key), true);
  const selected = h.derive(plan.axes, remapStorage(h.storage, plan.maps, plan.axes.map((a) => a.extent), !plan.ranged));
  if (!plan.deferredSums.length) return selected;
  const kept = plan.axes.map((_, k) => k).filter((k) => !plan.deferredSums.includes(k));
  return project(selected, ...kept);
}

/** Where every bin of every axis goes under a selection, and the axes that remain. */
export function planSlice(
  srcAxes: readonly Axis[], selection: Selection, axisIndex: (key: string | number) => number, deferSums = false,
): { maps: AxisMap[]; axes: Axis[]; deferredSums: number[]; ranged: boolean } {
  const perAxis: (AxisSelection | undefined)[] = new Array(srcAxes.length).fill(undefined);
  if (Array.isArray(selection)) {
    if (selection.length > srcAxes.length) throw new RangeError(`slice: ${selection.length} selections for ${srcAxes.length} axes`);
    selection.forEach((s, k) => { perAxis[k] = s; });
  } else {
    for (const [key, s] of Object.entries(selection)) perAxis[axisIndex(/^\d+$/.test(key) ? Number(key) : key)] = s;
  }
  const axes: Axis[] = [];
  const deferredSums: number[] = [];
  const maps = srcAxes.map((a, k) => {
    const plan = planAxis(a, k, perAxis[k], axes.length, deferSums);
    if (plan.deferredSum) deferredSums.push(axes.length);
    if (plan.axis) axes.push(plan.axis);
    return plan.map;
  });
  // boost copies picked bins but reduces ranges by adding into empty cells (a Mean cell then changes in
  // its last bits): whether any range is there decides which of the two the first step does.
  const ranged = perAxis.some((s) => s instanceof Rebin || (Array.isArray(s) && isRange(s) && (s[0] != null || s[1] != null || s[2] instanceof Rebin)));
  return { maps, axes, deferredSums, ranged };
}
