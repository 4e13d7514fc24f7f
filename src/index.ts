// The public API of zhist (GUIDE 3.1). Importing it also registers the Zarr backend of Hist.save/open.
import "./zarr/persist.js";
import "./plot/register.js"; // Hist displays as SVG + Vega-Lite + text in notebooks
export { Hist, HistBuilder, loc, rebin, sum, underflow, overflow, pick, uhiToJSON, uhiFromJSON } from "./hist/index.js";
export type { FillOptions, FillRecord, FillValue, FlowOption, HistOptions, Selection, AxisSelection, SumResult, View, WeightedSum, MeanSum } from "./hist/index.js";
export * as axis from "./axis/index.js";
export { Regular, Variable, Integer, StrCategory, IntCategory, Boolean } from "./axis/index.js";
export type { Axis, AxisOptions } from "./axis/index.js";
export type { UhiHist, UhiAxis, UhiStorage } from "./uhi.js";
export { StoredHist } from "./zarr/persist.js";
export type { StoredHistogram } from "./hist/persistence.js";
