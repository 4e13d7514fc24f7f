// UHI JSON (the histograms.schema.json file format of scikit-hep/uhi): storage arrays as nested lists
// in C order over the full extents, so that `hist.Hist(ir)` reads them directly.
import { type UhiHist, type UhiStorage, uhiAxisExtent } from "../uhi.js";

type Nested = number | Nested[];

function nest(data: Float64Array, shape: readonly number[], offset = 0, depth = 0): Nested {
  if (depth === shape.length) return data[offset];
  const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[depth] }, (_, i) => nest(data, shape, offset + i * stride, depth + 1));
}

function flatten(v: Nested, out: number[] = []): number[] {
  if (Array.isArray(v)) v.forEach((x) => flatten(x, out));
  else out.push(Number(v));
  return out;
}

/** A UHI histogram as JSON-ready data. Undefined variances (NaN, a Mean cell of one entry) become 0. */
export function uhiToJSON(ir: UhiHist): Record<string, unknown> {
  const shape = ir.axes.map(uhiAxisExtent);
  const storage: Record<string, unknown> = { type: ir.storage.type };
  for (const [field, arr] of Object.entries(ir.storage)) {
    if (field === "type") continue;
    const finite = Float64Array.from(arr as Float64Array, (x) => (Number.isFinite(x) ? x : 0));
    storage[field] = nest(finite, shape);
  }
  return { ...ir, axes: ir.axes.map((a) => ({ ...a })), storage };
}

/** Reads UHI JSON data (one histogram) back into the typed form. */
export function uhiFromJSON(obj: Record<string, unknown>): UhiHist {
  const ir = obj as unknown as UhiHist & { storage: Record<string, unknown> };
  const storage: Record<string, unknown> = { type: ir.storage.type };
  for (const [field, v] of Object.entries(ir.storage)) {
    if (field === "type") continue;
    if (typeof v === "string") throw new TypeError(`UHI storage field ${field} refers to external data (${v}); zhist reads inline arrays`);
    storage[field] = Float64Array.from(flatten(v as Nested));
  }
  return { ...ir, storage: storage as unknown as UhiStorage };
}
