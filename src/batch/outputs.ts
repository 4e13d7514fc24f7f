// Kernel messages into notebook outputs, as nbclient records them: execute_result, display_data,
// stream and error outputs; display ids updated wherever they were shown (in any cell); clear_output
// (also deferred with wait); the state of jupyter.widget comms for the notebook's widget metadata.
// The iopub timestamps go into the cell's metadata.execution as nbclient's record_timing does.
import type { Message } from "../../kernel-ext/wire.js";
import type { Cell, Json, JsonObject, Notebook, Output } from "./notebook.js";

export function outputFromMessage(m: Message): Output | undefined {
  const c = m.content;
  switch (m.header.msg_type) {
    case "stream":
      return { output_type: "stream", name: String(c.name), text: String(c.text ?? "") };
    case "display_data":
    case "update_display_data":
      return { output_type: "display_data", data: c.data ?? {}, metadata: c.metadata ?? {} };
    case "execute_result":
      return { output_type: "execute_result", execution_count: c.execution_count ?? null, data: c.data ?? {}, metadata: c.metadata ?? {} };
    case "error":
      return { output_type: "error", ename: String(c.ename), evalue: String(c.evalue), traceback: (c.traceback ?? []).map(String) };
  }
  return undefined;
}

export class OutputRecorder {
  /** display id -> cell index -> output indices showing it */
  private readonly displays = new Map<string, Map<number, number[]>>();
  private readonly widgetState = new Map<string, JsonObject>();
  private clearBeforeNext = false;

  constructor(private readonly nb: Notebook) {}

  /** Called for every iopub message of the cell at `index`; returns the output appended, if any. */
  onMessage(index: number, m: Message): Output | undefined {
    const cell = this.nb.cells[index];
    const type = m.header.msg_type;
    const c = m.content;
    const displayId: string | undefined = c.transient?.display_id ?? undefined;
    if (displayId && (type === "display_data" || type === "update_display_data" || type === "execute_result")) this.updateDisplay(displayId, m);
    if (typeof c.execution_count === "number") cell.execution_count = c.execution_count;
    const timing = cell.metadata.execution as JsonObject | undefined;
    if (timing) {
      if (type === "status" && c.execution_state === "busy") timing["iopub.status.busy"] = m.header.date;
      if (type === "status" && c.execution_state === "idle") timing["iopub.status.idle"] = m.header.date;
      if (type === "execute_input") timing["iopub.execute_input"] = m.header.date;
    }
    if (type === "clear_output") {
      if (c.wait) this.clearBeforeNext = true;
      else this.clear(index);
      return undefined;
    }
    if (type.startsWith("comm_")) {
      this.recordWidget(m);
      return undefined;
    }
    if (type === "update_display_data" || type === "status" || type === "execute_input") return undefined;
    const out = outputFromMessage(m);
    if (!out) return undefined;
    if (this.clearBeforeNext) {
      this.clear(index);
      this.clearBeforeNext = false;
    }
    const outs = (cell.outputs ??= []);
    if (displayId) {
      const perCell = this.displays.get(displayId) ?? new Map<number, number[]>();
      this.displays.set(displayId, perCell);
      perCell.set(index, [...(perCell.get(index) ?? []), outs.length]);
    }
    outs.push(out);
    return out;
  }

  /** A new cell starts: a clear_output(wait) of the previous one does not reach into it. */
  startCell(): void {
    this.clearBeforeNext = false;
  }

  private clear(index: number): void {
    this.nb.cells[index].outputs = [];
    for (const perCell of this.displays.values()) if (perCell.has(index)) perCell.set(index, []);
  }

  private updateDisplay(id: string, m: Message): void {
    const perCell = this.displays.get(id);
    if (!perCell) return;
    for (const [cellIndex, indices] of perCell) {
      const outs = this.nb.cells[cellIndex].outputs ?? [];
      for (const i of indices) {
        if (!outs[i]) continue;
        outs[i].data = m.content.data ?? {};
        outs[i].metadata = m.content.metadata ?? {};
      }
    }
  }

  private recordWidget(m: Message): void {
    const data = m.content.data;
    if (!data || typeof data !== "object" || !data.state || typeof data.state !== "object") return;
    const id = String(m.content.comm_id);
    this.widgetState.set(id, { ...(this.widgetState.get(id) ?? {}), ...(data.state as JsonObject) });
  }

  /** nbclient's set_widgets_metadata: the widget-state bundle, when any widget model was opened. */
  widgetsMetadata(): JsonObject | undefined {
    const state: JsonObject = {};
    for (const [id, s] of this.widgetState) {
      if (!("_model_name" in s)) continue;
      state[id] = { model_name: s._model_name, model_module: s._model_module ?? null, model_module_version: s._model_module_version ?? null, state: s } as Json;
    }
    if (!this.widgetState.size) return undefined;
    return { "application/vnd.jupyter.widget-state+json": { state, version_major: 2, version_minor: 0 } };
  }
}

export function resetForRun(cell: Cell): void {
  if (cell.cell_type === "code") {
    cell.execution_count = null;
    cell.outputs = [];
  }
}
