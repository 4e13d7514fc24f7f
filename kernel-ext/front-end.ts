// Whether the zhist front end (widgets/, npm zhist-widgets) is loaded where this kernel's outputs
// are drawn. A kernel cannot assume it (nbclient, VS Code, plain ipywidgets): it opens a ProbeModel,
// which only a front end that loaded zhist-widgets can create, and whose creation sends
// `{type: "present"}` back. No answer within PROBE_MS means absent. The answer is kept for the kernel.
import type { WidgetWatcher } from "./comms.js";
import { MODEL_IDENTITY } from "./widget/model.js";

/** Long enough for a local widget manager to load the module; short, as the fill's output waits for it. */
export const PROBE_MS = 300;

const identity = { _model_module: MODEL_IDENTITY._model_module, _model_module_version: MODEL_IDENTITY._model_module_version };

/** The state of zhist's ProgressModel before its values (widgets/PROTOCOL.md "Fill progress"). */
export const zhistProgressState = {
  ...MODEL_IDENTITY, _model_name: "ProgressModel", _view_name: "ProgressView",
  _dom_classes: [], value: 0, max: 1000, description: "", text: "", bar_style: "",
};

export interface ProbeComms {
  openWidget(state: Record<string, unknown>, buffers?: Buffer[], bufferPaths?: (string | number)[][], unparented?: boolean): string;
  watchWidget(id: string, watcher: WidgetWatcher): void;
  closeWidget(id: string): void;
}

let present: boolean | undefined;
let asking: Promise<boolean> | null = null;

/** The probe's answer once there was one (undefined: never asked). */
export function zhistFrontEnd(): boolean | undefined {
  return present;
}

/** Asks the front end once per kernel; later calls get the same answer. */
export function probeFrontEnd(comms: ProbeComms): Promise<boolean> {
  if (present !== undefined) return Promise.resolve(present);
  asking ??= new Promise<boolean>((resolve) => {
    // Unparented: nbclient records a cell's widget states, closed or not, into the saved notebook.
    const id = comms.openWidget({ ...identity, _model_name: "ProbeModel", _view_module: null, _view_module_version: "", _view_name: null }, [], [], true);
    let timer: NodeJS.Timeout | undefined;
    const finish = (answer: boolean) => {
      if (present !== undefined) return;
      present = answer;
      clearTimeout(timer);
      // Closed, so that the probe is not kept in the notebook's saved widget state.
      comms.closeWidget(id);
      resolve(answer);
    };
    comms.watchWidget(id, {
      change: () => undefined,
      custom: (content) => {
        if ((content as { type?: unknown } | null)?.type === "present") finish(true);
      },
      close: () => finish(false),
      atOnce: true,
    });
    timer = setTimeout(() => finish(false), PROBE_MS);
  });
  return asking;
}
