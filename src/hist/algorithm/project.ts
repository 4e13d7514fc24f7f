import type { Axis } from "../../axis/index.js";
import type { Hist } from "../hist.js";
import { type AxisMap, identityMap, remapStorage } from "./remap.js";

/** The histogram of the listed axes, in that order; every other axis is summed out, flow included. */
export function project(h: Hist, ...keys: (string | number)[]): Hist {
  const plan = planProject(h.axes, keys.map((k) => h.axisIndex(k)));
  return h.derive(plan.axes, remapStorage(h.storage, plan.maps, plan.axes.map((a) => a.extent)));
}

export function planProject(srcAxes: readonly Axis[], picked: number[]): { maps: AxisMap[]; axes: Axis[] } {
  if (new Set(picked).size !== picked.length) throw new RangeError(`project: axis listed twice in ${JSON.stringify(picked)}`);
  const maps: AxisMap[] = srcAxes.map((a, k) => {
    const d = picked.indexOf(k);
    return d >= 0 ? identityMap(a.extent, d) : { to: new Int32Array(a.extent), dstAxis: null };
  });
  return { maps, axes: picked.map((k) => srcAxes[k].clone()) };
}
