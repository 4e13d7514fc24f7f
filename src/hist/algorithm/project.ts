import type { Hist } from "../hist.js";
import { type AxisMap, identityMap, remapStorage } from "./remap.js";

/** The histogram of the listed axes, in that order; every other axis is summed out, flow included. */
export function project(h: Hist, ...keys: (string | number)[]): Hist {
  const picked = keys.map((k) => h.axisIndex(k));
  if (new Set(picked).size !== picked.length) throw new RangeError(`project: axis listed twice in ${JSON.stringify(keys)}`);
  const maps: AxisMap[] = h.axes.map((a, k) => {
    const d = picked.indexOf(k);
    return d >= 0 ? identityMap(a.extent, d) : { to: new Int32Array(a.extent), dstAxis: null };
  });
  const axes = picked.map((k) => h.axes[k].clone());
  return h.derive(axes, remapStorage(h.storage, maps, axes.map((a) => a.extent)));
}
