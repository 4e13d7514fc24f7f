// Wires the magics (kernel-ext/magics) into the kernel: their cell transform, with bad magic lines
// reported as the kernel's CellError (message, then the magic line and a caret as the traceback).
// The fill engine is imported so that %fill has its backend.
import "../src/exec/index.js";
import { CellError, registerCellTransform } from "./hooks.js";
import { analysis } from "../src/index.js";
import { MagicSession, magicsTransform, magicTraceback } from "./magics/index.js";
import { progressDisplay } from "./progress.js";

export function installMagics(): void {
  // One progress output per cell running a %fill, updated in place by its display id.
  const progress = new WeakMap<object, ReturnType<typeof progressDisplay>>();
  registerCellTransform(
    magicsTransform({
      // The same Analysis that cells get with `import { analysis } from "zhist"`.
      session: new MagicSession({ analysis }),
      onProgress: (p, cell) => {
        let show = progress.get(cell);
        if (!show) progress.set(cell, (show = progressDisplay()));
        show(p);
      },
      settle: (cell) => progress.get(cell)?.settled() ?? Promise.resolve(),
      toError: (e) => {
        const [first, ...rest] = magicTraceback(e);
        return new CellError(first ?? e.message, rest, "MagicError");
      },
    }),
  );
}
