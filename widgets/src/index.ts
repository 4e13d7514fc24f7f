// What the widget manager loads from module "zhist-widgets".
export { HistModel } from "./model.js";
export { HistView } from "./view.js";
export { ProbeModel, ProgressModel, ProgressView } from "./progress.js";
export { MODULE_NAME, MODULE_VERSION } from "./version.js";
