import type { Axis } from "../../axis/index.js";
import type { Storage } from "../../storage/index.js";
import type { Hist } from "../hist.js";
import { type AxisMap, remapStorage } from "./remap.js";

export interface WeightedSum { value: number; variance: number }
export interface MeanSum { count: number; value: number; variance: number }
export type SumResult = number | WeightedSum | MeanSum;

/** One cell's content in the form boost-histogram returns it: a number, a WeightedSum or a Mean. */
export function cellValue(s: Storage, i: number): SumResult {
  switch (s.kind) {
    case "double":
    case "int64":
      return s.fields[0][i];
    case "weight":
      return { value: s.fields[0][i], variance: s.fields[1][i] };
    case "mean": {
      const [count, value, sdsq] = s.fields;
      return { count: count[i], value: value[i], variance: sdsq[i] / (count[i] - 1) };
    }
  }
}

/** The sum over all bins (`flow` adds the flow bins), merged as each storage merges cells. */
export function sum(h: Hist, { flow = false }: { flow?: boolean } = {}): SumResult {
  return cellValue(remapStorage(h.storage, sumMaps(h.axes, flow), []), 0);
}

/** Every bin onto one cell; flow bins too when `flow`. */
export function sumMaps(axes: readonly Axis[], flow: boolean): AxisMap[] {
  return axes.map((a) => {
    const to = new Int32Array(a.extent);
    if (!flow) {
      if (a.traits.underflow) to[0] = -1;
      if (a.traits.overflow) to[a.extent - 1] = -1;
    }
    return { to, dstAxis: null };
  });
}
