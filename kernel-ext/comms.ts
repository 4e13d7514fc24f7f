// Comms (Jupyter messaging "comm_*") and the registry of widget models the kernel holds, so that the
// widget manager's `request_states` on jupyter.widget.control can be answered.
import { randomUUID } from "node:crypto";

export const WIDGET_TARGET = "jupyter.widget";
export const CONTROL_TARGET = "jupyter.widget.control";

export interface CommSender {
  /**
   * Sends a comm message on iopub, parented to the message being handled (or the current cell);
   * `unparented`: to no message, so that clients that record a cell's messages (nbclient) skip it.
   */
  send(msgType: "comm_open" | "comm_msg" | "comm_close", content: Record<string, unknown>, buffers?: Buffer[], metadata?: Record<string, unknown>, unparented?: boolean): void;
}

export interface Comm {
  id: string;
  target: string;
  onMsg?: (data: any, buffers: Buffer[]) => void;
  onClose?: (data: any) => void;
}

export interface WidgetModel {
  commId: string;
  state: Record<string, unknown>;
  /** Paths into state of the binary buffers, as ipywidgets sends them. */
  bufferPaths: (string | number)[][];
  buffers: Buffer[];
}

/** How a kernel-held widget hears from its front end (see watchWidget). */
export interface WidgetWatcher {
  /**
   * An `update` from the front end: returns the part of the state to keep (after validation); nothing
   * the front end sends is merged into the model without passing here.
   */
  change(state: Record<string, unknown>, buffers: Buffer[], bufferPaths: (string | number)[][]): Record<string, unknown> | void;
  /** A `custom` message (ipywidgets' model.send) from the front end. */
  custom?(content: unknown, buffers: Buffer[]): void;
  close?(): void;
  /**
   * Messages to this widget are handled as they arrive, not queued behind the running cell (shell
   * messages are otherwise handled one at a time): for an answer the running cell waits for.
   */
  atOnce?: boolean;
}

/** Comms by id and the widget models behind jupyter.widget comms. */
export class CommRegistry {
  readonly comms = new Map<string, Comm>();
  readonly widgets = new Map<string, WidgetModel>();
  private readonly targets = new Map<string, (comm: Comm, data: any, buffers: Buffer[]) => void>();
  private readonly watchers = new Map<string, WidgetWatcher>();

  constructor(private readonly sender: CommSender) {
    this.targets.set(WIDGET_TARGET, (comm, data, buffers) => {
      this.widgets.set(comm.id, { commId: comm.id, state: data?.state ?? {}, bufferPaths: data?.buffer_paths ?? [], buffers });
      comm.onMsg = (d, b) => this.widgetMessage(comm, d, b);
      comm.onClose = () => this.forget(comm.id);
    });
    this.targets.set(CONTROL_TARGET, (comm) => {
      comm.onMsg = (d) => {
        if (d?.method === "request_states") this.sendStates(comm);
      };
    });
  }

  registerTarget(name: string, onOpen: (comm: Comm, data: any, buffers: Buffer[]) => void): void {
    this.targets.set(name, onOpen);
  }

  hasTarget(name: string): boolean {
    return this.targets.has(name);
  }

  /** A comm_open from the front end; false when the target is unknown (the caller then closes it). */
  open(id: string, target: string, data: any, buffers: Buffer[]): boolean {
    const onOpen = this.targets.get(target);
    if (!onOpen || typeof id !== "string" || !id) return false;
    const comm: Comm = { id, target };
    this.comms.set(id, comm);
    onOpen(comm, data, buffers);
    return true;
  }

  message(id: string, data: any, buffers: Buffer[]): boolean {
    const comm = this.comms.get(id);
    if (!comm) return false;
    comm.onMsg?.(data, buffers);
    return true;
  }

  close(id: string, data: any): boolean {
    const comm = this.comms.get(id);
    if (!comm) return false;
    this.comms.delete(id);
    comm.onClose?.(data);
    return true;
  }

  /** Opens a widget from the kernel (model state and buffers), returning its comm id (= model id). */
  openWidget(state: Record<string, unknown>, buffers: Buffer[] = [], bufferPaths: (string | number)[][] = [], unparented = false): string {
    const id = randomUUID().replaceAll("-", "");
    const comm: Comm = { id, target: WIDGET_TARGET };
    this.comms.set(id, comm);
    this.widgets.set(id, { commId: id, state, bufferPaths, buffers });
    comm.onMsg = (d, b) => this.widgetMessage(comm, d, b);
    comm.onClose = () => this.forget(id);
    // The widget manager reads the protocol version from the message's metadata (as ipykernel sends it).
    this.sender.send("comm_open", { comm_id: id, target_name: WIDGET_TARGET, data: { state, buffer_paths: bufferPaths }, metadata: { version: "2.1.0" } }, buffers, { version: "2.1.0" }, unparented);
    return id;
  }

  /**
   * Changes a kernel-held widget's state and tells the front end. Binary buffers go at `bufferPaths`
   * (ipywidgets' convention: the state holds null there); they replace the model's buffers under the
   * same top-level keys, so that request_state(s) return the newest.
   */
  updateWidget(id: string, patch: Record<string, unknown>, buffers: Buffer[] = [], bufferPaths: (string | number)[][] = []): void {
    const w = this.widgets.get(id);
    if (!w) throw new Error(`no widget ${id}`);
    Object.assign(w.state, patch);
    const replaced = new Set(Object.keys(patch));
    const kept = w.bufferPaths.map((p, i) => [p, w.buffers[i]] as const).filter(([p]) => !replaced.has(String(p[0])));
    w.bufferPaths = [...kept.map(([p]) => p), ...bufferPaths];
    w.buffers = [...kept.map(([, b]) => b), ...buffers];
    this.sender.send("comm_msg", { comm_id: id, data: { method: "update", state: patch, buffer_paths: bufferPaths } }, buffers);
  }

  /** Routes the front end's updates of a kernel-held widget through `watcher` (validation) instead of merging them. */
  watchWidget(id: string, watcher: WidgetWatcher): void {
    if (!this.widgets.has(id)) throw new Error(`no widget ${id}`);
    this.watchers.set(id, watcher);
  }

  /** Whether a front end message to comm `id` is handled at once (see WidgetWatcher.atOnce). */
  atOnce(id: unknown): boolean {
    return typeof id === "string" && this.watchers.get(id)?.atOnce === true;
  }

  /** Closes a kernel-held widget (comm_close to the front end). */
  closeWidget(id: string): void {
    if (!this.comms.has(id)) return;
    this.comms.delete(id);
    this.forget(id);
    this.sender.send("comm_close", { comm_id: id, data: {} });
  }

  private forget(id: string): void {
    this.widgets.delete(id);
    const watcher = this.watchers.get(id);
    this.watchers.delete(id);
    watcher?.close?.();
  }

  private widgetMessage(comm: Comm, data: any, buffers: Buffer[]): void {
    const w = this.widgets.get(comm.id);
    if (!w || !data || typeof data !== "object") return;
    if (data.method === "update" && data.state && typeof data.state === "object") {
      const watcher = this.watchers.get(comm.id);
      if (watcher) {
        const paths = Array.isArray(data.buffer_paths) ? data.buffer_paths : [];
        const keep = watcher.change(data.state, buffers, paths);
        if (keep) Object.assign(w.state, keep);
        return;
      }
      Object.assign(w.state, data.state);
      if (buffers.length) {
        w.buffers = buffers;
        w.bufferPaths = Array.isArray(data.buffer_paths) ? data.buffer_paths : [];
      }
    } else if (data.method === "custom") {
      this.watchers.get(comm.id)?.custom?.(data.content, buffers);
    } else if (data.method === "request_state") {
      this.sender.send("comm_msg", { comm_id: comm.id, data: { method: "update", state: w.state, buffer_paths: w.bufferPaths } }, w.buffers);
    }
  }

  /** Reply to request_states: every widget's model, buffers flattened with paths prefixed by the model id. */
  private sendStates(control: Comm): void {
    const states: Record<string, unknown> = {};
    const bufferPaths: (string | number)[][] = [];
    const buffers: Buffer[] = [];
    for (const [id, w] of this.widgets) {
      const s = w.state;
      states[id] = { model_name: s._model_name, model_module: s._model_module, model_module_version: s._model_module_version, state: s };
      w.bufferPaths.forEach((p, i) => {
        if (w.buffers[i]) {
          bufferPaths.push([id, "state", ...p]);
          buffers.push(w.buffers[i]);
        }
      });
    }
    this.sender.send("comm_msg", { comm_id: control.id, data: { method: "update_states", states, buffer_paths: bufferPaths } }, buffers);
  }
}
