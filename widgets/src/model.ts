// HistModel: the ipywidgets model of widgets/PROTOCOL.md. The kernel writes the projection; the
// front end writes `controls` and `request`.
import { DOMWidgetModel, type ISerializers } from "@jupyter-widgets/base";
import { bytesOf } from "./arrow.js";
import { MODULE_NAME, MODULE_VERSION } from "./version.js";

export class HistModel extends DOMWidgetModel {
  override defaults() {
    return {
      ...super.defaults(),
      _model_name: "HistModel",
      _model_module: MODULE_NAME,
      _model_module_version: MODULE_VERSION,
      _view_name: "HistView",
      _view_module: MODULE_NAME,
      _view_module_version: MODULE_VERSION,
      hist: null,
      spec: null,
      data_names: [],
      data: [],
      n_bins: 0,
      answered: 0,
      error: "",
      busy: false,
      controls: null,
      request: 0,
    };
  }

  // The data buffers arrive as DataViews at buffer_paths ["data", i]; the front end never sends them.
  static override serializers: ISerializers = {
    ...DOMWidgetModel.serializers,
    data: { deserialize: (v: unknown) => (Array.isArray(v) ? v.map((b) => bytesOf(b)) : []) },
  };
}
