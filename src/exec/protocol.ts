// Messages between the fill engine (main thread) and its workers. All plain data; temporaries travel
// as transferable Float64Arrays.
import type { AnalysisSpec, FileInfo, WorkUnit } from "../analysis/index.js";
import type { ModuleUrls } from "./modules.js";

/**
 * Temporaries of one histogram for one label combination of a unit's dataset: per systematic (the
 * categorical keys dataset x labels x systematic), the cells of the histogram's own axis (flow
 * included), sum of w and sum of w^2 interleaved: data[(syst * extent + b) * 2 + {0, 1}].
 * `combo` is the flat index of the category labels (C order over the category axes).
 */
export interface Temp {
  hist: number;
  combo: number;
  data: Float64Array;
}

export interface InitMessage {
  type: "init";
  spec: AnalysisSpec;
  modules: ModuleUrls;
  batchEvents: number;
  /** Bytes of temporaries a task holds before handing them over. */
  flushBytes: number;
}

export type ToWorker =
  | InitMessage
  | { type: "inspect"; id: number; file: string; tree: string; data: boolean }
  | { type: "unit"; unit: WorkUnit };

export type FromWorker =
  | { type: "inspected"; id: number; info: FileInfo }
  | { type: "inspect-failed"; id: number; error: string }
  | { type: "progress"; unit: string; events: number }
  /** `sumw`: the unit's sum of genWeight over the events read so far (units that sum it while filling). */
  | { type: "partial"; unit: string; temps: Temp[]; sumw?: number }
  | { type: "done"; unit: string; temps: Temp[]; events: number; sumw?: number }
  | { type: "failed"; unit: string; error: string };

export type Post = (m: FromWorker, transfer?: ArrayBuffer[]) => void;

export function transfers(temps: Temp[]): ArrayBuffer[] {
  return temps.map((t) => t.data.buffer as ArrayBuffer);
}
