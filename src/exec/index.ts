// The fill engine; importing it registers it as the backend of Analysis.fill.
import { registerFillBackend } from "../analysis/index.js";
import { runFill } from "./engine.js";

registerFillBackend(runFill);

export { runFill, FillError, type UnitFailure } from "./engine.js";
export { Journal } from "./journal.js";
export { histAxes, readDatasetsMetadata } from "./targets.js";
