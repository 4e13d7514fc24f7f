// A compiled expression: the generated kernel plus the buffers it writes, reused from batch to
// batch (they grow only when a batch is larger than every one before).
import type { ColumnBatch, JaggedColumn, NumericArray } from "../data/types.js";
import type { ExprSpec } from "./spec.js";

export interface JaggedResult {
  /** length = events + 1, offsets[0] = 0. */
  offsets: Int32Array;
  values: Float64Array;
}

type KernelFn = (n: number, cols: NumericArray[], offs: Int32Array[], out: Float64Array | Uint8Array, outOffsets: Int32Array | null) => number;

export interface KernelParts {
  columns: string[];
  /** What the schema says each column is: a batch must agree. */
  kinds: ("scalar" | "jagged")[];
  /** Per entry of the kernel's `offs`: the columns whose offsets must agree (the first gives them). */
  offsetGroups: string[][];
  /** For a jagged result: the index in `offsetGroups` of its collection. */
  resultGroup: number;
  /** Makes the kernel writing float64 or 0/1 bytes. */
  make(output: "f64" | "u8"): { code: string; fn: KernelFn };
}

export class CompiledExpr {
  /** Columns to read, each once. */
  readonly columns: string[];
  private readonly cols: NumericArray[];
  private readonly offs: Int32Array[];
  private kernels: Partial<Record<"f64" | "u8", KernelFn>> = {};
  private out = new Float64Array(0);
  private outView = this.out;
  private mask = new Uint8Array(0);
  private maskView = this.mask;
  private outOffsets = new Int32Array(1);

  constructor(
    /** Plain data that rebuilds this expression, in a worker for instance (compileSpec). */
    readonly spec: ExprSpec,
    readonly kind: "scalar" | "jagged",
    /** Booleans evaluate to 1/0; evaluateMask gives them as bytes. */
    readonly dtype: "num" | "bool",
    private readonly parts: KernelParts,
    /** For a jagged result: the collection its elements belong to. */
    readonly collection?: string,
  ) {
    this.columns = parts.columns;
    this.cols = new Array<NumericArray>(parts.columns.length);
    this.offs = new Array<Int32Array>(parts.offsetGroups.length);
    this.kernels.f64 = parts.make("f64").fn;
  }

  /** The generated JavaScript, for reading and debugging. */
  code(output: "f64" | "u8" = "f64"): string {
    return this.parts.make(output).code;
  }

  /**
   * Values for every event of the batch: a Float64Array (scalar expressions) or offsets + values
   * (jagged ones). The arrays are reused by the next call: consume or copy them first.
   */
  evaluate(batch: ColumnBatch): Float64Array | JaggedResult {
    const n = this.bind(batch);
    if (this.kind === "scalar") {
      if (this.out.length < n) this.out = new Float64Array(n);
      if (this.outView.length !== n || this.outView.buffer !== this.out.buffer) this.outView = this.out.subarray(0, n);
      this.kernels.f64!(n, this.cols, this.offs, this.out, null);
      return this.outView;
    }
    const total = n === 0 ? 0 : this.offs[this.parts.resultGroup][n];
    if (this.out.length < total) this.out = new Float64Array(total);
    if (this.outOffsets.length < n + 1) this.outOffsets = new Int32Array(n + 1);
    const k = this.kernels.f64!(n, this.cols, this.offs, this.out, this.outOffsets);
    return { offsets: this.outOffsets.subarray(0, n + 1), values: this.out.subarray(0, k) };
  }

  /** As evaluate, for a scalar expression. */
  evaluateScalar(batch: ColumnBatch): Float64Array {
    if (this.kind !== "scalar") throw new Error(`${this.spec.expr}: one value per ${this.collection} element, not one per event`);
    return this.evaluate(batch) as Float64Array;
  }

  /** As evaluate, for a jagged expression. */
  evaluateJagged(batch: ColumnBatch): JaggedResult {
    if (this.kind !== "jagged") throw new Error(`${this.spec.expr}: one value per event, not per element`);
    return this.evaluate(batch) as JaggedResult;
  }

  /** A per-event selection as 0/1 bytes (truthiness of the value, NaN false), for categories and cuts. */
  evaluateMask(batch: ColumnBatch): Uint8Array {
    if (this.kind !== "scalar") throw new Error(`${this.spec.expr}: a mask per event needs one value per event`);
    const n = this.bind(batch);
    const kernel = (this.kernels.u8 ??= this.parts.make("u8").fn);
    if (this.mask.length < n) this.mask = new Uint8Array(n);
    if (this.maskView.length !== n || this.maskView.buffer !== this.mask.buffer) this.maskView = this.mask.subarray(0, n);
    kernel(n, this.cols, this.offs, this.mask, null);
    return this.maskView;
  }

  private bind(batch: ColumnBatch): number {
    return bindBatch(batch, this.parts, this.cols, this.offs, this.spec.expr);
  }
}

/**
 * Takes the batch's arrays for a kernel (into `cols` and `offs`), checking that they are there and
 * agree; `what` names the expression(s) in errors. Returns the number of events.
 */
export function bindBatch(batch: ColumnBatch, parts: Pick<KernelParts, "columns" | "kinds" | "offsetGroups">, cols: NumericArray[], offs: Int32Array[], what: string): number {
  const n = batch.length;
  const { columns, offsetGroups } = parts;
  for (let c = 0; c < columns.length; c++) {
    const col = batch.columns[columns[c]];
    if (!col) throw new Error(`${batch.source}: the batch has no column ${columns[c]} (needed by ${what})`);
    if (col.kind !== parts.kinds[c])
      throw new Error(`${batch.source}: column ${columns[c]} is ${col.kind} in the batch but ${parts.kinds[c]} in the schema`);
    if (col.kind === "scalar" && col.values.length < n)
      throw new Error(`${batch.source}: column ${columns[c]} has ${col.values.length} values for ${n} events`);
    cols[c] = col.values;
  }
  for (let g = 0; g < offsetGroups.length; g++) {
    const group = offsetGroups[g];
    const first = jagged(batch, group[0], what);
    if (first.offsets.length < n + 1) throw new Error(`${batch.source}: column ${group[0]} has offsets for ${first.offsets.length - 1} events, not ${n}`);
    for (let m = 1; m < group.length; m++) {
      const other = jagged(batch, group[m], what);
      if (other.offsets.length < n + 1 || other.offsets[n] !== first.offsets[n])
        throw new Error(`${batch.source}: columns ${group[0]} and ${group[m]} of one collection have different element counts`);
    }
    offs[g] = first.offsets;
  }
  return n;
}

function jagged(batch: ColumnBatch, name: string, what: string): JaggedColumn {
  const col = batch.columns[name];
  if (!col) throw new Error(`${batch.source}: the batch has no column ${name} (needed by ${what})`);
  if (col.kind !== "jagged") throw new Error(`${batch.source}: column ${name} should be jagged (offsets + values), it is scalar`);
  return col;
}
