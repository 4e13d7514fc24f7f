// The magics declare into the analysis that cells import from "zhist": one analysis, seen typed.
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { KernelClient } from "./client.js";

const data = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "shared", "data");

test('cells see the magics\' declarations through import { analysis } from "zhist"', { timeout: 60000 }, async () => {
  const k = await KernelClient.start();
  try {
    const declare = await k.execute(`%dataset dy ${path.join(data, "nano_dy.root")} --xsec 2 --lumi 3\n%define goodMu = Muon[Muon.pt > 10]\n%hist n Int(0, 5) = count(goodMu)`, 30000);
    assert.equal(declare.reply.content.status, "ok", JSON.stringify(declare.reply.content));
    const use = await k.execute('import { analysis } from "zhist";\nconst spec = analysis.toSpec();\n[spec.datasets.map((d) => d.name), spec.hists.map((h) => h.name)].join(" | ")', 30000);
    assert.equal(use.reply.content.status, "ok", JSON.stringify(use.reply.content));
    assert.equal(use.out.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "'dy | n'");
    // Declared from TypeScript, seen by the next magic.
    const more = await k.execute('analysis.define("hardMu", "Muon[Muon.pt > 30]");\n0', 30000);
    assert.equal(more.reply.content.status, "ok", JSON.stringify(more.reply.content));
    const magic = await k.execute("%hist nh Int(0, 5) = count(hardMu)", 30000);
    assert.equal(magic.reply.content.status, "ok", JSON.stringify(magic.reply.content));
  } finally {
    await k.stop();
  }
});
