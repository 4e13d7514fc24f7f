// The JupyterLab 4 / Notebook 7 plugin: registers module "zhist-widgets" with the ipywidgets
// manager of jupyterlab_widgets (whose @jupyter-widgets/base this extension shares, not bundles).
import { IJupyterWidgetRegistry } from "@jupyter-widgets/base";
import "../style/index.css";
import { HistModel, HistView, ProbeModel, ProgressModel, ProgressView } from "./index.js";
import { MODULE_NAME, MODULE_VERSION } from "./version.js";

const plugin = {
  id: "zhist-widgets:plugin",
  description: "zhist's histogram widget and fill progress bar",
  requires: [IJupyterWidgetRegistry],
  autoStart: true,
  activate(_app: unknown, registry: IJupyterWidgetRegistry): void {
    registry.registerWidget({ name: MODULE_NAME, version: MODULE_VERSION, exports: { HistModel, HistView, ProgressModel, ProgressView, ProbeModel } });
  },
};

export default plugin;
