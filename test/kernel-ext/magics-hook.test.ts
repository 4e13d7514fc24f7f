// The cell transform as the kernel calls it: blanked code at once, actions in `before`, values shown,
// bad magics as the kernel's own error type.
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { MagicError, magicTraceback, magicsTransform } from "../../kernel-ext/magics/index.js";
import { Plot } from "../../src/plot/index.js";

const DATA = path.resolve("../shared/data");

class KernelError extends Error {
  constructor(message: string, readonly traceback: string[]) { super(message); }
}

test("magicsTransform: blank code now, declarations and fill in before(), the plot displayed", async () => {
  const shown: unknown[] = [];
  const t = magicsTransform({ display: (v) => shown.push(v), toError: (e) => new KernelError(e.message.split("\n")[0], magicTraceback(e)) });
  const cell = { signal: new AbortController().signal, executionCount: 1 };
  const plain = t("const a = 1;", cell);
  assert.deepEqual(plain, { code: "const a = 1;" });
  const src = `%dataset dy ${DATA}/nano_dy.root\n%define goodMu = Muon[Muon.pt > 20]\n%hist n Int(0, 4) = count(goodMu)\nconst b = 2;`;
  const out = t(src, cell);
  assert.equal(out.code.length, src.length);
  assert.ok(out.code.endsWith("\nconst b = 2;"));
  assert.equal(t.session.analysis.toSpec().hists.length, 0, "nothing runs before the cell does");
  await out.before!();
  assert.deepEqual(t.session.analysis.toSpec().hists.map((h) => h.name), ["n"]);
  const progress: boolean[] = [];
  const t2 = magicsTransform({ session: t.session, display: (v) => shown.push(v), onProgress: (p) => progress.push(p.done) });
  await t2("%fill --workers 0\n%plot n", cell).before!();
  assert.equal(shown.length, 1);
  assert.ok(shown[0] instanceof Plot);
  assert.ok(progress.includes(true));

  // A bad magic fails at transform time as the kernel's error, with the line and caret as traceback.
  assert.throws(() => t("%hist m Int(0, 4) = count(goodMuu)", cell), (e: Error) => {
    assert.ok(e instanceof KernelError);
    assert.match(e.message, /^%hist: .*goodMuu.*\(line 1, column 27\)/);
    assert.equal(e.traceback[1], "  %hist m Int(0, 4) = count(goodMuu)");
    assert.equal(e.traceback[2], `  ${" ".repeat(26)}${"^".repeat(7)}`);
    return true;
  });
  // Errors found when the actions run come the same way.
  const redefine = t("%define goodMu = Muon[Muon.pt > 30]", cell);
  await assert.rejects(redefine.before!(), (e: Error) => e instanceof KernelError && /already defined/.test(e.message));
  // Without a toError the MagicError itself is thrown.
  assert.throws(() => magicsTransform()("%datset x y", cell), MagicError);
});
