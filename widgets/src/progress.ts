// The fill progress bar (PROTOCOL.md "Fill progress"): ProgressModel/ProgressView draw what the
// kernel's %fill writes; ProbeModel answers the kernel's probe, so that the kernel knows this front
// end is here (only a front end that loaded zhist-widgets can answer) before it picks the bar.
import { DOMWidgetModel, DOMWidgetView, WidgetModel } from "@jupyter-widgets/base";
import { MODULE_NAME, MODULE_VERSION } from "./version.js";

const identity = { _model_module: MODULE_NAME, _model_module_version: MODULE_VERSION, _view_module: MODULE_NAME, _view_module_version: MODULE_VERSION };

export class ProgressModel extends DOMWidgetModel {
  override defaults() {
    return { ...super.defaults(), ...identity, _model_name: "ProgressModel", _view_name: "ProgressView", value: 0, max: 1000, description: "", text: "", bar_style: "" };
  }
}

export class ProgressView extends DOMWidgetView {
  private label!: HTMLSpanElement;
  private fill!: HTMLDivElement;
  private text!: HTMLDivElement;

  override render(): void {
    this.el.classList.add("zhist-progress");
    const row = document.createElement("div");
    row.className = "zhist-progress-row";
    this.label = document.createElement("span");
    this.label.className = "zhist-progress-label";
    const bar = document.createElement("div");
    bar.className = "zhist-progress-bar";
    this.fill = document.createElement("div");
    this.fill.className = "zhist-progress-fill";
    bar.append(this.fill);
    row.append(this.label, bar);
    this.text = document.createElement("div");
    this.text.className = "zhist-progress-text";
    this.el.append(row, this.text);
    this.listenTo(this.model, "change", () => this.update());
    this.update();
  }

  override update(): void {
    const max = Number(this.model.get("max")) || 1;
    const value = Math.min(Math.max(Number(this.model.get("value")) || 0, 0), max);
    const style = String(this.model.get("bar_style") ?? "");
    this.fill.style.width = `${((100 * value) / max).toFixed(1)}%`;
    this.el.dataset.barStyle = style;
    for (const s of ["success", "danger"]) this.el.classList.toggle(`zhist-progress-${s}`, s === style);
    this.label.textContent = String(this.model.get("description") ?? "");
    this.text.textContent = String(this.model.get("text") ?? "");
  }
}

/** Not displayed: its creation alone tells the kernel that zhist-widgets runs here. */
export class ProbeModel extends WidgetModel {
  override defaults() {
    return { ...super.defaults(), ...identity, _model_name: "ProbeModel", _view_module: null, _view_name: null, _view_module_version: "" };
  }

  override initialize(...args: Parameters<WidgetModel["initialize"]>): void {
    super.initialize(...args);
    this.send({ type: "present", version: MODULE_VERSION });
  }
}
