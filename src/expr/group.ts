// Several expressions compiled into one kernel (ExprScope.compileGroup): one loop over a batch's
// events computes them all, sharing what they have in common. Output buffers are reused from batch
// to batch (they grow only when a batch is larger than every one before).
import type { ColumnBatch, NumericArray } from "../data/types.js";
import { bindBatch } from "./compiled.js";

export interface GroupItem {
  expr: string;
  /** Per event 0/1 bytes (truthiness, NaN false) instead of float64 values. */
  mask?: boolean;
}

export type GroupKernel = (n: number, cols: NumericArray[], offs: Int32Array[], outs: (Float64Array | Uint8Array)[], outOffsets: (Int32Array | null)[]) => void;

/** A result of a group: per event a value (or a 0/1 byte), or per event a list (offsets + values). */
export type GroupResult =
  | { kind: "scalar"; values: Float64Array | Uint8Array }
  | { kind: "jagged"; offsets: Int32Array; values: Float64Array };

interface ResultPlan {
  kind: "scalar" | "jagged";
  mask: boolean;
  /** For a jagged result: the index in `offsetGroups` of its collection. */
  group: number;
}

export class CompiledGroup {
  private readonly cols: NumericArray[];
  private readonly offs: Int32Array[];
  private readonly outs: (Float64Array | Uint8Array)[];
  private readonly outOffsets: (Int32Array | null)[];
  private readonly what: string;

  constructor(
    readonly exprs: string[],
    /** Columns to read, each once. */
    readonly columns: string[],
    readonly kinds: ("scalar" | "jagged")[],
    /** Per entry of the kernel's `offs`: the columns whose offsets must agree (the first gives them). */
    readonly offsetGroups: string[][],
    private readonly results: ResultPlan[],
    private readonly kernel: GroupKernel,
  ) {
    this.cols = new Array<NumericArray>(columns.length);
    this.offs = new Array<Int32Array>(offsetGroups.length);
    this.outs = results.map((r) => (r.mask ? new Uint8Array(0) : new Float64Array(0)));
    this.outOffsets = results.map((r) => (r.kind === "jagged" ? new Int32Array(1) : null));
    this.what = exprs.join("; ");
  }

  /** Every expression's result, in order. The arrays are reused by the next call: consume or copy them first. */
  evaluate(batch: ColumnBatch): GroupResult[] {
    const n = bindBatch(batch, this, this.cols, this.offs, this.what);
    this.results.forEach((r, i) => {
      const size = r.kind === "scalar" ? n : n === 0 ? 0 : this.offs[r.group][n];
      if (this.outs[i].length < size) this.outs[i] = r.mask ? new Uint8Array(size) : new Float64Array(size);
      if (r.kind === "jagged" && this.outOffsets[i]!.length < n + 1) this.outOffsets[i] = new Int32Array(n + 1);
    });
    this.kernel(n, this.cols, this.offs, this.outs, this.outOffsets);
    return this.results.map((r, i): GroupResult => {
      if (r.kind === "scalar") return { kind: "scalar", values: this.outs[i].subarray(0, n) };
      const offsets = this.outOffsets[i]!.subarray(0, n + 1);
      return { kind: "jagged", offsets, values: (this.outs[i] as Float64Array).subarray(0, offsets[n]) };
    });
  }
}
