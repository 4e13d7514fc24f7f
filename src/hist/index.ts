export { Hist, type FlowOption, type HistOptions } from "./hist.js";
export { HistBuilder } from "./builder.js";
export { type FillOptions, type FillRecord, type FillValue } from "./fill.js";
export { loc, rebin, sum, underflow, overflow, pick, Loc, FlowLoc, Rebin, Pick, type Selection, type AxisSelection } from "./indexing.js";
export type { View } from "./view.js";
export type { SumResult, WeightedSum, MeanSum } from "./algorithm/sum.js";
export { registerPersistence, type Persistence } from "./persistence.js";
export { uhiToJSON, uhiFromJSON } from "./uhi-json.js";
export { registerWidget, type WidgetOptions, type WidgetHook } from "./widget-hook.js";
