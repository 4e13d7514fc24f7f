// The public API of zhist (GUIDE 3.1). Importing it also registers the Zarr backend of Hist.save/open.
import "./zarr/persist.js";
import "./plot/register.js"; // Hist displays as SVG + Vega-Lite + text in notebooks
import "./exec/index.js"; // the worker-pool fill engine behind Analysis.fill
export { Hist, HistBuilder, loc, rebin, sum, underflow, overflow, pick, uhiToJSON, uhiFromJSON } from "./hist/index.js";
export type { FillOptions, FillRecord, FillValue, FlowOption, HistOptions, Selection, AxisSelection, SumResult, View, WeightedSum, MeanSum } from "./hist/index.js";
export * as axis from "./axis/index.js";
export { Regular, Variable, Integer, StrCategory, IntCategory, Boolean } from "./axis/index.js";
export type { Axis, AxisOptions } from "./axis/index.js";
export type { UhiHist, UhiAxis, UhiStorage } from "./uhi.js";
export { StoredHist } from "./zarr/persist.js";
export type { StoredHistogram } from "./hist/persistence.js";

// Analyses: datasets, categories, systematics and histograms filled by the engine (GUIDE 3.4).
export { Analysis, Reg, Var, Int, type DatasetOptions, type FillProgress } from "./analysis/index.js";
import { Analysis as AnalysisClass } from "./analysis/index.js";
/** The notebook's analysis: the magics of the zhist kernel declare into it, cells use it typed. */
export const analysis = new AnalysisClass();
export type { FillOptions as AnalysisFillOptions } from "./analysis/index.js";
export { FillError } from "./exec/index.js";
export { openEventSource } from "./data/open.js";
export { DataError } from "./data/errors.js";
export type { EventSource, ColumnBatch, Schema } from "./data/index.js";
export { ExprScope, ExprError } from "./expr/index.js";
