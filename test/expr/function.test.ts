// Functions standing in for expressions: evaluated per event from the columns they name, shipped
// as source text, refused when they capture outer variables.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import { ExprError, ExprScope, compileSpec, freeIdentifiers } from "../../src/expr/index.js";
import { parseExpressionAt } from "acorn";
import type * as es from "acorn";
import { Rng } from "../helpers/random.js";
import { randomBatch, schema } from "./fixtures.js";

test("a function of the event equals the same expression", () => {
  const s = new ExprScope(schema());
  const { batch } = randomBatch(new Rng(7), 400);
  const byFn = s.compile((ev: any) => {
    let sum = 0;
    for (const pt of ev.Jet_pt) if (pt > 25) sum += pt;
    return ev.MET_pt > 20 ? sum + ev.Jet_pt.length : -1;
  });
  const byExpr = s.compile("MET_pt > 20 ? sum(Jet.pt[Jet.pt > 25]) + count(Jet) : -1");
  assert.deepEqual(byFn.columns.sort(), ["Jet_pt", "MET_pt"]);
  assert.deepEqual(byFn.evaluate(batch), byExpr.evaluate(batch));
  const destructured = s.compile(({ nJet, run, Muon_pt }: any) => nJet + Number(run) * 10 + (Muon_pt.at(0) ?? -1));
  const same = s.compile("nJet + run * 10 + first(Muon.pt, -1)");
  assert.deepEqual(destructured.evaluate(batch), same.evaluate(batch));
  assert.equal(destructured.spec.isFunction, true);
});

test("a function that captures outer variables fails, naming them", () => {
  const s = new ExprScope(schema());
  const cut = 30;
  const scale = 1.1;
  assert.throws(
    () => s.compile((ev: any) => ev.MET_pt * scale > cut),
    (e: unknown) => e instanceof ExprError && /uses scale, cut from outside it/.test(e.message) && e.source.slice(e.column).startsWith("scale"),
  );
  assert.throws(() => s.compile((ev: any) => ev.MET_ptt), /unknown column MET_ptt; did you mean MET_pt/);
  assert.throws(() => s.compile((ev: any) => ev["MET_pt"]), /name the column/);
  assert.throws(() => s.compile((ev: any) => helper(ev)), /use the event only as ev\.<column>/);
  assert.throws(() => s.compileFunction("Math.max"), /cannot read the function|expected a function/);
  assert.throws(() => s.compileFunction("(a, b) => a"), /one parameter/);
  // Its own locals, nested functions, parameters and safe globals are fine.
  const ok = s.compile((ev: any) => {
    const k = [1, 2].map((x) => x * 2)[0];
    function sq(y: number) {
      return y * y;
    }
    return Math.sqrt(sq(ev.MET_pt)) + k + (isNaN(ev.MET_phi) ? 0 : 1);
  });
  assert.equal(ok.kind, "scalar");
});

function helper(x: unknown): number {
  return x ? 1 : 0;
}

test("freeIdentifiers: scopes, patterns, members, labels", () => {
  const free = (src: string) => {
    const fn = parseExpressionAt(src, 0, { ecmaVersion: "latest" }) as es.Function;
    return [...new Set(freeIdentifiers(fn).map((f) => f.name))].sort();
  };
  assert.deepEqual(free("(ev) => ev.a + b"), ["b"]);
  assert.deepEqual(free("({ x, y: [z = w] }) => x + z + o.p"), ["o", "w"]);
  assert.deepEqual(free("function f(a) { var t = a; out: for (let i = 0; i < 3; i++) { continue out; } return f(t) + g; }"), ["g"]);
  assert.deepEqual(free("(a) => { try { return a } catch (err) { return err + c } }"), ["c"]);
  assert.deepEqual(free("(a) => ({ k: a, [key]: 1, m() { return this.k } })"), ["key"]);
  assert.deepEqual(free("(a) => this.x + a"), ["this"]);
});

test("a function and an expression compile in a worker thread from their plain specs", async () => {
  const sch = schema();
  const s = new ExprScope(sch);
  s.define("goodJet", "Jet[Jet.pt > 25]");
  const specs = [s.compile("sum(goodJet.pt) + MET_pt").spec, s.compile((ev: any) => ev.MET_pt * 2 + ev.Jet_pt.length).spec];
  const { batch } = randomBatch(new Rng(11), 100);
  const here = specs.map((spec) => Array.from(compileSpec(spec, sch).evaluate(batch) as Float64Array));
  const url = new URL("../../src/expr/index.js", import.meta.url).href;
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     import(workerData.url).then(({ compileSpec }) => {
       const out = workerData.specs.map((spec) => Array.from(compileSpec(spec, workerData.schema).evaluate(workerData.batch)));
       parentPort.postMessage(out);
     });`,
    { eval: true, workerData: { url, specs, schema: sch, batch } },
  );
  const there = await new Promise<number[][]>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  assert.deepEqual(there, here);
});
