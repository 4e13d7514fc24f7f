export { Analysis, columnName, type DatasetOptions } from "./analysis.js";
export { Reg, Var, Int, buildAxis } from "./axes.js";
export { registerFillBackend, fillBackend, type FillOptions, type FillProgress, type DatasetProgress, type FillBackend } from "./backend.js";
export { planUnits, definitionHash, datasetNorm, normFactor, completedSumw, sha, type Plan, type WorkUnit, type FileInfo, type DatasetNorm, type FileFailure } from "./plan.js";
export { categoryAxes, systematicLabels, type AnalysisSpec, type AxisSpec, type DatasetSpec, type CategorySpec, type SystematicSpec, type HistSpec } from "./spec.js";
