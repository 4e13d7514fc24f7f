// Magics (GUIDE 3.4): `%dataset %define %category %systematic %hist %fill %plot`, `%%analysis`,
// `%analysis save|load FILE`. transformCell is pure (parse, check, blank); MagicSession runs the
// actions on an Analysis. Wiring in the kernel, per execute_request:
//
//   const magics = new MagicSession({ analysis });             // the Analysis the cells import
//   const { code, actions } = magics.transform(cell);          // throws MagicError (line, column, caret)
//   const value = await magics.run(actions, { onProgress, signal });  // %fill awaits; %plot -> Plot
//   ...compile and run `code` (same length and positions as the cell) with tslab...
//   // If the code shows nothing and value !== undefined, display value: its
//   // [Symbol.for("Jupyter.display")]() returns the bundle (a Promise for plots: await it).
export { transformCell, blank, type MagicContext, type TransformResult } from "./cell.js";
export { parseMagicLine, parseAxis, MAGICS, type MagicAction, type MagicName, type Where, type ExprAt, type PlotMagicOptions } from "./parse.js";
export { checkActions } from "./check.js";
export { MagicError } from "./errors.js";
export { MagicSession, FillResult, declareAll, type SessionOptions, type RunOptions } from "./session.js";
export { readAnalysisYaml, writeAnalysisYaml, analysisYaml, specToPlain, AnalysisFileError } from "./yaml.js";
export { expandGlob } from "./glob.js";
export { magicsTransform, magicTraceback, type HookOptions, type CellLike, type TransformedLike } from "./hook.js";
