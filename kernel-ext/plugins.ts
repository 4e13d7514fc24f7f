// Wires the magics (kernel-ext/magics) into the kernel: their cell transform, with bad magic lines
// reported as the kernel's CellError (message, then the magic line and a caret as the traceback).
// The fill engine is imported so that %fill has its backend.
import "../src/exec/index.js";
import { CellError, registerCellTransform } from "./hooks.js";
import { magicsTransform, magicTraceback } from "./magics/index.js";

export function installMagics(): void {
  registerCellTransform(
    magicsTransform({
      toError: (e) => {
        const [first, ...rest] = magicTraceback(e);
        return new CellError(first ?? e.message, rest, "MagicError");
      },
    }),
  );
}
