import { axisFromUHI } from "../axis/index.js";
import { storageFromUHI } from "../storage/index.js";
import type { UhiHist, UhiMetadata } from "../uhi.js";
import { uhiAxisExtent } from "../uhi.js";
import { product } from "./view.js";

export const ZHIST_VERSION = "0.1.0";

/** Metadata values UHI allows (string, number, boolean); anything else is stored as JSON text. */
export function uhiMetadata(meta: Record<string, unknown>): UhiMetadata {
  const out: UhiMetadata = {};
  for (const [k, v] of Object.entries(meta)) {
    if (v === undefined) continue;
    out[k] = typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : JSON.stringify(v);
  }
  return out;
}

export function checkUhi(ir: UhiHist): void {
  if (ir.uhi_schema !== 1) throw new TypeError(`unsupported uhi_schema ${String(ir.uhi_schema)} (zhist reads 1)`);
  const cells = product(ir.axes.map(uhiAxisExtent));
  for (const [field, arr] of Object.entries(ir.storage)) {
    if (field === "type") continue;
    if ((arr as Float64Array).length !== cells) throw new RangeError(`UHI storage field ${field} has ${(arr as Float64Array).length} values, the axes need ${cells}`);
  }
}

export { axisFromUHI, storageFromUHI };
