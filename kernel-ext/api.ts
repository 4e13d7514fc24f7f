// What cells import as "zhist/kernel": the current cell's abort signal and rich display.
// Self-contained (no imports): its declaration file is served to the cell compiler on its own.

/** A MIME bundle: "text/plain", "image/svg+xml", "application/vnd.vegalite.v5+json", ... */
export type MimeBundle = Record<string, unknown>;

export interface KernelBridge {
  cellSignal(): AbortSignal;
  display(bundle: MimeBundle, opts: { displayId?: string; update?: boolean; metadata?: Record<string, unknown> }): void;
  bundleOf(value: unknown): MimeBundle;
  /** Asks the front end of the running cell for a line; undefined when its request had allow_stdin false. */
  input(prompt: string, password: boolean): Promise<string> | undefined;
}

/** Thrown by input() when the front end that ran the cell does not take input (allow_stdin false, e.g. nbclient). */
export class StdinNotImplementedError extends Error {
  override name = "StdinNotImplementedError";
}

const BRIDGE = Symbol.for("zhist.kernel.bridge");

function bridge(): KernelBridge {
  const b = (globalThis as Record<symbol, unknown>)[BRIDGE] as KernelBridge | undefined;
  if (!b) throw new Error("zhist/kernel: not running inside the zhist kernel");
  return b;
}

/** Aborted when the running cell is interrupted: pass it as `signal` to fills and other long work. */
export function cellSignal(): AbortSignal {
  return bridge().cellSignal();
}

/** Shows a value (its Symbol.for("Jupyter.display") bundle, or text) as a new output; with displayId, later updateDisplay calls replace it. */
export function display(value: unknown, opts: { displayId?: string } = {}): void {
  const b = bridge();
  b.display(b.bundleOf(value), { displayId: opts.displayId });
}

/** Replaces every output shown with this display id, wherever (in whichever cell) it is. */
export function updateDisplay(displayId: string, value: unknown): void {
  const b = bridge();
  b.display(b.bundleOf(value), { displayId, update: true });
}

/**
 * Asks the user for a line of text on the front end's stdin channel (a prompt under the cell) and
 * resolves with it; `password` hides what is typed. Rejects with StdinNotImplementedError when the
 * front end does not take input, and with an AbortError when the cell is interrupted.
 */
export function input(prompt = "", opts: { password?: boolean } = {}): Promise<string> {
  const asked = bridge().input(String(prompt), Boolean(opts.password));
  if (!asked) return Promise.reject(new StdinNotImplementedError("input() was called, but this front end does not support stdin (its execute_request has allow_stdin false)"));
  return asked;
}
