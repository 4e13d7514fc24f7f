// Magics (GUIDE 3.4): `%dataset %define %category %systematic %hist %fill %plot`, `%%analysis`,
// `%analysis save|load FILE`. transformCell is pure (parse, check, blank); MagicSession runs the
// actions on an Analysis.
export { transformCell, blank, type MagicContext, type TransformResult } from "./cell.js";
export { parseMagicLine, parseAxis, MAGICS, type MagicAction, type MagicName, type Where, type ExprAt, type PlotMagicOptions } from "./parse.js";
export { checkActions } from "./check.js";
export { MagicError } from "./errors.js";
export { MagicSession, FillResult, declareAll, type SessionOptions, type RunOptions } from "./session.js";
export { readAnalysisYaml, writeAnalysisYaml, analysisYaml, specToPlain, AnalysisFileError } from "./yaml.js";
export { expandGlob } from "./glob.js";
