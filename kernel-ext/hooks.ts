// Extension points of the kernel, filled in by other modules (the magics install a cell transform).
// The defaults are no-ops, so that the kernel runs plain TypeScript when nothing is registered.

export interface TransformedCell {
  /** The TypeScript to compile and run. Keep line and column positions of the original (blank magic lines in place). */
  code: string;
  /** Runs before the code, inside the cell (its output and errors belong to the cell); may use cellSignal(). */
  before?: () => Promise<void>;
  /** Runs after the code succeeded, e.g. to await a fill the magics started. */
  after?: () => Promise<void>;
}

/** An error a transform throws to fail the cell with a clear message instead of a stack (e.g. a bad magic line). */
export class CellError extends Error {
  constructor(
    message: string,
    /** Lines shown as the traceback (e.g. the magic line and a caret under the column). */
    readonly traceback: string[] = [],
    override readonly name: string = "MagicError",
  ) {
    super(message);
  }
}

export interface CellContext {
  executionCount: number;
  /** Aborted when the user interrupts the cell (SIGINT): pass it to fills. */
  signal: AbortSignal;
}

export type CellTransform = (code: string, ctx: CellContext) => TransformedCell | Promise<TransformedCell>;

const identity: CellTransform = (code) => ({ code });
let current: CellTransform = identity;

/** Installs the transform applied to every executed cell (last one wins); returns a function restoring the previous. */
export function registerCellTransform(t: CellTransform): () => void {
  const prev = current;
  current = t;
  return () => {
    current = prev;
  };
}

/** The transform in place now. */
export function currentCellTransform(): CellTransform {
  return current;
}

export function transformCell(code: string, ctx: CellContext): TransformedCell | Promise<TransformedCell> {
  return current(code, ctx);
}
