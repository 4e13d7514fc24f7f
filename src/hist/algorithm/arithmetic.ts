import { type Axis, isCategory } from "../../axis/index.js";
import { DoubleStorage } from "../../storage/index.js";
import { axisName } from "../fill.js";
import type { Hist } from "../hist.js";
import { type AxisMap, identityMap, remapStorage } from "./remap.js";

/**
 * Adds `other` into `h`. Equal axes add cell by cell; category axes that differ only in their labels
 * are merged by label (new labels are appended, which needs a growing axis, as in boost).
 */
export function addInto(h: Hist, other: Hist): void {
  if (h.axes.length !== other.axes.length) throw new RangeError(`add: histograms have ${h.axes.length} and ${other.axes.length} axes`);
  if (h.storage.kind !== other.storage.kind && !(h.storage.kind === "weight" && other.storage.kind !== "mean")) {
    throw new TypeError(`add: cannot add ${other.storage.kind} storage into ${h.storage.kind} storage`);
  }
  const growthMaps: AxisMap[] = [];
  const otherMaps: AxisMap[] = [];
  let grew = false;
  h.axes.forEach((a, k) => {
    const b = other.axes[k];
    if (a.equals(b)) {
      growthMaps.push(identityMap(a.extent, k));
      otherMaps.push(identityMap(b.extent, k));
      return;
    }
    if (!isCategory(a) || !isCategory(b) || a.kind !== b.kind) throw new RangeError(`add: axis ${axisName(a, k)} differs between the histograms (${describe(a)} vs ${describe(b)})`);
    const oldExtent = a.extent;
    const unseen = b.categories.filter((l) => a.index(l as never) === a.size);
    if (unseen.length && !a.traits.growth) throw new RangeError(`add: axis ${axisName(a, k)} lacks categories ${JSON.stringify(unseen)} and cannot grow`);
    const added = (a as { extend(l: Iterable<unknown>): number }).extend(unseen);
    grew ||= added > 0;
    const to = Int32Array.from({ length: oldExtent }, (_, e) => e);
    if (a.traits.overflow) to[oldExtent - 1] = a.extent - 1;
    growthMaps.push({ to, dstAxis: k });
    const bto = new Int32Array(b.extent);
    for (let e = 0; e < b.size; e++) bto[e] = a.index(b.bin(e) as never);
    if (b.traits.overflow) bto[b.size] = a.traits.overflow ? a.size : -1;
    otherMaps.push({ to: bto, dstAxis: k });
  });
  const extents = h.axes.map((a) => a.extent);
  if (grew) h.storage = remapStorage(h.storage, growthMaps, extents, true);
  const mapped = remapStorage(other.storage, otherMaps, extents, true);
  h.storage.scatterAdd(mapped, identityMap(mapped.size, 0).to);
}

function describe(a: Axis): string {
  return JSON.stringify(a.toUHI());
}

/** Multiplies every cell by c; an Int64 histogram scaled by a non-integer becomes Double, as in boost-histogram. */
export function scaleInPlace(h: Hist, c: number): void {
  if (h.storage.kind === "int64" && !Number.isInteger(c)) {
    h.storage = new DoubleStorage(h.storage.size, Float64Array.from(h.storage.fields[0]));
  }
  h.storage.scale(c);
}
