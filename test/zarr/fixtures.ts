// Small histograms in UHI form covering every axis kind and storage kind.
import { uhiAxisExtent, uhiStorageFields, type UhiAxis, type UhiHist, type UhiStorageType } from "../../src/uhi.js";

export const ALL_AXES: UhiAxis[] = [
  { type: "category_str", categories: ["ttbar", "wjets"], flow: false, metadata: { name: "dataset", label: "Dataset" }, writer_info: { "boost-histogram": { growth: true } } },
  { type: "regular", lower: 50, upper: 550, bins: 5, underflow: true, overflow: true, circular: false, metadata: { name: "mbjj", label: "m_bjj [GeV]" } },
  { type: "variable", edges: [0, 1, 2.5, 10], underflow: false, overflow: true, circular: false, metadata: { name: "pt", label: "" } },
  { type: "category_int", categories: [3, 7, 11], flow: true, metadata: { name: "njet", label: "" } },
  { type: "boolean", metadata: { name: "pass", label: "" } },
  { type: "regular", lower: 0, upper: 6.25, bins: 4, underflow: false, overflow: true, circular: true, metadata: { name: "phi", label: "phi" } },
];

/** Deterministic values with zeros in whole slabs, so some chunks are never written. */
export function filledArray(size: number, seed: number, zeroEvery = 3): Float64Array {
  const out = new Float64Array(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    out[i] = Math.floor(i / 48) % zeroEvery === 0 ? 0 : ((s >>> 0) % 1000) / 8;
  }
  return out;
}

export function makeHist(type: UhiStorageType, axes: UhiAxis[] = ALL_AXES): UhiHist {
  const size = axes.map(uhiAxisExtent).reduce((n, e) => n * e, 1);
  const storage: Record<string, unknown> = { type };
  uhiStorageFields(type).forEach((field, i) => {
    storage[field] = filledArray(size, 17 + i);
  });
  if (type === "int") storage.values = (storage.values as Float64Array).map(Math.round);
  return { uhi_schema: 1, metadata: { name: "h", label: "test histogram" }, axes, storage: storage as never };
}
