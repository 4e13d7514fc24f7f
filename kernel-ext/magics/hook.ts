// The cell transform the kernel installs (kernel-ext/hooks.ts: registerCellTransform). Kept free of
// imports from the kernel so that it builds on its own; the kernel passes its error type and display:
//
//   registerCellTransform(magicsTransform({
//     session: new MagicSession({ analysis }),
//     toError: (e) => new CellError(e.message.split("\n")[0], magicTraceback(e)),
//   }));
import type { FillProgress } from "../../src/analysis/index.js";
import { MagicError } from "./errors.js";
import { MagicSession } from "./session.js";

export interface CellLike {
  signal: AbortSignal;
  executionCount?: number;
}

export interface TransformedLike {
  code: string;
  before?: () => Promise<void>;
}

export interface HookOptions {
  session?: MagicSession;
  /** Shows what a magic returns (a Plot, a FillResult) in the running cell; default: the kernel bridge's display. */
  display?: (value: unknown) => void;
  /** The kernel's error for a bad magic (a message and traceback lines, no stack). Default: the MagicError itself. */
  toError?: (e: MagicError) => Error;
  /** Progress of a %fill of this cell. */
  onProgress?: (p: FillProgress, cell: CellLike) => void;
  /** Awaited once the magics of a cell ran (or failed): the progress output is complete before the cell goes on. */
  settle?: (cell: CellLike) => Promise<void>;
}

/** The lines under a MagicError's first line: the magic line and the caret under the column. */
export function magicTraceback(e: MagicError): string[] {
  return e.message.split("\n");
}

const BRIDGE = Symbol.for("zhist.kernel.bridge");

function bridgeDisplay(value: unknown): void {
  const b = (globalThis as Record<symbol, unknown>)[BRIDGE] as { display(bundle: unknown, opts: object): void; bundleOf(v: unknown): unknown } | undefined;
  if (b) b.display(b.bundleOf(value), {});
}

/** A cell transform: magics parsed, checked and blanked now; their actions run in `before`, inside the cell. */
export function magicsTransform(opts: HookOptions = {}): ((code: string, cell: CellLike) => TransformedLike) & { session: MagicSession } {
  const session = opts.session ?? new MagicSession();
  const toError = opts.toError ?? ((e: MagicError) => e);
  const display = opts.display ?? bridgeDisplay;
  const transform = (code: string, cell: CellLike): TransformedLike => {
    let t;
    try {
      t = session.transform(code);
    } catch (e) {
      throw e instanceof MagicError ? toError(e) : e;
    }
    if (!t.actions.length) return { code: t.code };
    const actions = t.actions;
    return {
      code: t.code,
      before: async () => {
        let value: unknown;
        try {
          value = await session.run(actions, { signal: cell.signal, onProgress: opts.onProgress ? (p) => opts.onProgress!(p, cell) : undefined });
        } catch (e) {
          throw e instanceof MagicError ? toError(e) : e;
        } finally {
          await opts.settle?.(cell);
        }
        if (value !== undefined) display(value);
      },
    };
  };
  return Object.assign(transform, { session });
}
