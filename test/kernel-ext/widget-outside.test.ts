// Outside the zhist kernel, h.widget() fails with a message that says why and what to do instead.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Hist } from "../../src/index.js";

test("h.widget() outside the kernel: a clear error", async () => {
  const h = Hist.new.Reg(10, 0, 1, { name: "x" }).Double();
  assert.throws(() => h.widget(), /widget\(\): the interactive widget needs the zhist Jupyter kernel; outside it, display the histogram/);
  // With the kernel's widget module loaded but no kernel running: it says so too.
  await import("../../kernel-ext/widget/index.js");
  assert.throws(() => h.widget(), /widget\(\): not running inside the zhist kernel/);
});
