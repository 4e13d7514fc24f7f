// From controls to one slice of the histogram and the plot options to draw it. The slice does all the
// work a store must do (select labels, sum what is not drawn, crop and rebin x), so a store-backed
// histogram is read once and only where the view needs it.
import type { Axis, AxisValue } from "../../src/axis/index.js";
import { type AxisSelection, loc, pick, rebin, sum } from "../../src/hist/index.js";
import type { PlotOptions } from "../../src/plot/index.js";
import type { Controls } from "./controls.js";
import { axisKey } from "./model.js";

export interface ProjectionPlan {
  /** By axis position: what the one slice call does to each axis. */
  selection: (AxisSelection | undefined)[];
  /**
   * Positions in the slice result of axes kept (as picks of their selected labels) that are then summed in memory: a
   * selection of several labels. The slice result is small by then, so the store is still read once.
   */
  sumAfter: number[];
  options: PlotOptions;
  /** "axis=label" parts for the title. */
  where: string[];
}

/** A label as the axis' value: numbers for integer categories, booleans for boolean axes. */
function valueOf(a: Axis, label: string): AxisValue {
  if (a.kind === "int_category") return Number(label);
  if (a.kind === "boolean") return label === "true";
  return label;
}

export function planProjection(axes: readonly Axis[], c: Controls): ProjectionPlan {
  const selection: (AxisSelection | undefined)[] = [];
  const sumAfter: string[] = [];
  const where: string[] = [];
  const options: PlotOptions = { log: c.log };
  // Names of the axes the slice keeps, in order: plot options name axes by position in the result,
  // which also serves unnamed axes.
  const kept: string[] = [];
  const keep = (name: string, s: AxisSelection | undefined) => {
    kept.push(name);
    selection.push(s);
  };
  axes.forEach((a, k) => {
    const name = axisKey(a, k);
    if (name === c.x) {
      if (c.range) keep(name, c.rebin > 1 ? [loc(c.range[0]), loc(c.range[1]), rebin(c.rebin)] : [loc(c.range[0]), loc(c.range[1])]);
      else keep(name, c.rebin > 1 ? rebin(c.rebin) : undefined);
      return;
    }
    if (name === c.y) return keep(name, undefined);
    const m = c.modes[name];
    if (a.traits.ordered && a.kind !== "boolean") return void selection.push(sum);
    // An empty list, or every label, means the whole axis; a list that leaves labels out restricts
    // sum, stack and overlay to the listed ones (the front end unticks labels in any mode).
    const some = m !== undefined && m.labels.length > 0 && m.labels.length < a.size;
    if (!m || (m.mode === "sum" && !some)) return void selection.push(sum);
    if (m.mode === "stack" || m.mode === "overlay") {
      return keep(name, some ? pick(...m.labels.map((l) => loc(valueOf(a, l)))) : undefined);
    }
    where.push(`${name}=${m.labels.join("+")}`);
    if (m.labels.length === 1) return void selection.push(loc(valueOf(a, m.labels[0])));
    keep(name, pick(...m.labels.map((l) => loc(valueOf(a, l)))));
    sumAfter.push(name);
  });
  const drawn = kept.filter((n) => !sumAfter.includes(n));
  options.axis = drawn.indexOf(c.x);
  if (c.y !== null) options.y = drawn.indexOf(c.y);
  for (const [name, m] of Object.entries(c.modes)) {
    if ((m.mode === "stack" || m.mode === "overlay") && name !== c.x) options[m.mode] = drawn.indexOf(name);
  }
  return { selection, sumAfter: sumAfter.map((n) => kept.indexOf(n)), options, where };
}
