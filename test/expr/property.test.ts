// Property tests: random well-typed expressions over random jagged data (empty events, NaN) give,
// compiled, exactly what the reference interpreter gives.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ExprScope, compileSpec, type JaggedResult } from "../../src/expr/index.js";
import { Rng, testSeed } from "../helpers/random.js";
import { FIELDS, randomBatch, schema } from "./fixtures.js";
import { Reference } from "./reference.js";

interface Dom {
  expr: string;
  base: "Jet" | "Muon";
  parent?: Dom;
  mask?: string;
}

const NUM_FIELDS = { Jet: ["pt", "eta", "btag", "jetId"], Muon: ["pt", "eta", "charge"] };
const DEFINES: [string, string][] = [
  ["goodJet", "Jet[Jet.pt > 20 && abs(Jet.eta) < 2.4]"],
  ["bJet", "goodJet[goodJet.btag > 0.5]"],
  ["ht", "sum(goodJet.pt)"],
];

class Generator {
  constructor(private readonly rng: Rng) {}
  private readonly lits = ["0", "1", "2.5", "30", "0.5", "(-1)", "100"];

  domain(depth: number): Dom {
    const r = this.rng.next();
    const jet: Dom = { expr: "Jet", base: "Jet" };
    const good: Dom = { expr: "goodJet", base: "Jet" };
    if (r < 0.3) return jet;
    if (r < 0.45) return { expr: "Muon", base: "Muon" };
    if (r < 0.6) return good;
    if (r < 0.7) return { expr: "bJet", base: "Jet" };
    const parent = this.rng.next() < 0.5 ? jet : this.rng.next() < 0.5 ? good : { expr: "Muon", base: "Muon" as const };
    if (depth <= 0) return parent;
    const mask = this.rng.next() < 0.1 ? `(${this.scalarBool(0)})` : this.boolJ(parent, depth - 1);
    return { expr: `${parent.expr}[${mask}]`, base: parent.base, parent, mask };
  }

  numJ(d: Dom, depth: number): string {
    const r = this.rng.next();
    if (depth <= 0 || r < 0.3) {
      if (d.parent && d.mask && this.rng.next() < 0.3) return `(${this.numJ(d.parent, depth - 1)})[${d.mask}]`;
      return `${d.expr}.${this.rng.pick(NUM_FIELDS[d.base])}`;
    }
    if (r < 0.55) return `(${this.numJ(d, depth - 1)} ${this.rng.pick(["+", "-", "*", "/"])} ${this.rng.next() < 0.5 ? this.numJ(d, depth - 1) : this.scalar(depth - 1)})`;
    if (r < 0.65) return `(${this.scalar(depth - 1)} ${this.rng.pick(["-", "*", "%"])} ${this.numJ(d, depth - 1)})`;
    if (r < 0.75) return `${this.rng.pick(["abs", "sqrt", "log", "cos", "exp", "floor"])}(${this.numJ(d, depth - 1)})`;
    if (r < 0.8) return `${this.rng.pick(["atan2", "hypot", "pow"])}(${this.numJ(d, depth - 1)}, ${this.scalar(depth - 1)})`;
    if (r < 0.9) return `(${this.boolJ(d, depth - 1)} ? ${this.numJ(d, depth - 1)} : ${this.scalar(depth - 1)})`;
    return `-(${this.numJ(d, depth - 1)})`;
  }

  boolJ(d: Dom, depth: number): string {
    const r = this.rng.next();
    if (d.base === "Jet" && r < 0.1) return `${d.expr}.isTight`;
    if (depth <= 0 || r < 0.6) {
      const rhs = this.rng.next() < 0.7 ? this.rng.pick(this.lits) : this.rng.next() < 0.5 ? this.scalar(depth - 1) : this.numJ(d, depth - 1);
      return `(${this.numJ(d, depth - 1)} ${this.rng.pick([">", "<", ">=", "<=", "==", "!="])} ${rhs})`;
    }
    if (r < 0.85) return `(${this.boolJ(d, depth - 1)} ${this.rng.pick(["&&", "||"])} ${this.boolJ(d, depth - 1)})`;
    return `!(${this.boolJ(d, depth - 1)})`;
  }

  scalar(depth: number): string {
    const r = this.rng.next();
    if (depth <= 0 || r < 0.2) return this.rng.pick(["MET_pt", "MET_phi", "nJet", "run", "HLT_IsoMu24", "ht", "MET.pt", ...this.lits]);
    const d = this.domain(depth - 1);
    if (r < 0.3) return `sum(${this.numJ(d, depth - 1)})`;
    if (r < 0.37) return `count(${this.rng.next() < 0.5 ? d.expr : this.boolJ(d, depth - 1)})`;
    if (r < 0.44) return `${this.rng.pick(["min", "max"])}(${this.numJ(d, depth - 1)}${this.rng.next() < 0.5 ? `, ${this.rng.pick(this.lits)}` : ""})`;
    if (r < 0.5) return `first(${this.numJ(d, depth - 1)}, ${this.rng.pick(this.lits)})`;
    if (r < 0.55) return `${d.expr}.pt[${this.rng.int(0, 3)}]`;
    if (r < 0.6) return `(${this.scalarBool(depth - 1)} ? ${this.scalar(depth - 1)} : ${this.scalar(depth - 1)})`;
    if (r < 0.65) return `(${this.scalarBool(depth - 1)} ? 1 : 0)`;
    if (r < 0.8) return `(${this.scalar(depth - 1)} ${this.rng.pick(["+", "-", "*", "/", "**"])} ${this.scalar(depth - 1)})`;
    if (r < 0.9) return `${this.rng.pick(["sqrt", "abs", "sin", "atan", "log1p"])}(${this.scalar(depth - 1)})`;
    return `hypot(${this.scalar(depth - 1)}, ${this.scalar(depth - 1)})`;
  }

  scalarBool(depth: number): string {
    const r = this.rng.next();
    if (depth <= 0 || r < 0.4) return `(${this.scalar(depth - 1)} ${this.rng.pick([">", "<", ">=", "==", "!="])} ${this.rng.pick(this.lits)})`;
    const d = this.domain(depth - 1);
    if (r < 0.6) return `${this.rng.pick(["any", "all"])}(${this.boolJ(d, depth - 1)})`;
    if (r < 0.85) return `(${this.scalarBool(depth - 1)} ${this.rng.pick(["&&", "||"])} ${this.scalarBool(depth - 1)})`;
    return `!${this.scalarBool(depth - 1)}`;
  }
}

function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function check(expr: string, got: Float64Array | JaggedResult, want: (number | number[])[]): void {
  if (got instanceof Float64Array) {
    assert.equal(got.length, want.length, expr);
    for (let i = 0; i < want.length; i++)
      if (!same(got[i], want[i] as number)) assert.fail(`${expr}\nevent ${i}: compiled ${got[i]}, reference ${want[i]}`);
    return;
  }
  assert.equal(got.offsets.length, want.length + 1, expr);
  for (let i = 0; i < want.length; i++) {
    const row: number[] = Array.from(got.values.subarray(got.offsets[i], got.offsets[i + 1]));
    const ref = want[i] as number[];
    if (row.length !== ref.length || row.some((v, k) => !same(v, ref[k])))
      assert.fail(`${expr}\nevent ${i}: compiled [${row}], reference [${ref}]`);
  }
}

const seed = testSeed(20240611);

test(`random scalar and jagged expressions equal the reference interpreter (seed ${seed})`, () => {
  const rng = new Rng(seed);
  const sch = schema();
  const scope = new ExprScope(sch);
  const ref = new Reference(FIELDS.map((f) => f.name));
  for (const [n, e] of DEFINES) {
    scope.define(n, e);
    ref.define(n, e);
  }
  const small = randomBatch(rng, 300);
  const large = randomBatch(rng, 700, { maxJets: 12 });
  const gen = new Generator(rng);
  let scalars = 0;
  let jagged = 0;
  for (let t = 0; t < 450; t++) {
    const expr = t % 3 === 2 ? gen.numJ(gen.domain(2), 3) : t % 3 === 1 ? gen.scalarBool(3) : gen.scalar(3);
    let compiled;
    try {
      compiled = scope.compile(expr);
    } catch (e) {
      throw new Error(`compile failed for ${expr}: ${(e as Error).message}`);
    }
    // The same compiled expression on two batches: the second is larger (buffers grow) and reused.
    for (const { batch, plain } of [small, large, small]) check(expr, compiled.evaluate(batch), ref.run(expr, plain));
    if (compiled.kind === "scalar") {
      scalars++;
      const mask = compiled.evaluateMask(small.batch);
      const want = ref.run(expr, small.plain) as number[];
      for (let i = 0; i < want.length; i++) assert.equal(mask[i], want[i] && !Number.isNaN(want[i]) ? 1 : 0, `${expr} mask, event ${i}`);
    } else jagged++;
  }
  assert.ok(scalars > 250 && jagged > 120, `${scalars} scalar, ${jagged} jagged expressions`);
});

test(`a group of random expressions compiled together (shared subexpressions) equals each compiled alone (seed ${seed})`, () => {
  const rng = new Rng(seed + 7);
  const scope = new ExprScope(schema());
  for (const [n, e] of DEFINES) scope.define(n, e);
  const gen = new Generator(rng);
  const small = randomBatch(rng, 300);
  const large = randomBatch(rng, 700, { maxJets: 12 });
  for (let g = 0; g < 30; g++) {
    // Common pieces on purpose: the defines, and the same expression twice.
    const exprs = Array.from({ length: 6 }, (_, t) => (t % 3 === 2 ? gen.numJ(gen.domain(2), 3) : t % 3 === 1 ? gen.scalarBool(3) : gen.scalar(3)));
    exprs.push("count(bJet)", "sum(goodJet.pt)", exprs[0]);
    const items = exprs.map((expr, i) => ({ expr, mask: i % 3 === 1 }));
    const group = scope.compileGroup(items);
    const alone = exprs.map((e) => scope.compile(e));
    for (const { batch } of [small, large, small]) {
      const got = group.evaluate(batch);
      got.forEach((r, i) => {
        const want = items[i].mask ? alone[i].evaluateMask(batch) : alone[i].evaluate(batch);
        if (r.kind === "jagged") check(exprs[i], { offsets: r.offsets, values: r.values }, toRows(want as JaggedResult));
        else assert.deepEqual(Array.from(r.values), Array.from(want as Float64Array | Uint8Array), `${exprs[i]}${items[i].mask ? " (mask)" : ""}`);
      });
    }
  }
});

function toRows(j: JaggedResult): number[][] {
  return Array.from({ length: j.offsets.length - 1 }, (_, i) => Array.from(j.values.subarray(j.offsets[i], j.offsets[i + 1])));
}

test("a spec rebuilds the same compiled expression (as a worker does)", () => {
  const rng = new Rng(seed + 1);
  const sch = schema();
  const scope = new ExprScope(sch);
  for (const [n, e] of DEFINES) scope.define(n, e);
  const { batch } = randomBatch(rng, 200);
  for (const expr of ["count(bJet) >= 1 && ht > 50", "goodJet.pt / ht", "first(Muon.pt, -1)"]) {
    const a = scope.compile(expr);
    const spec = structuredClone(a.spec);
    const b = compileSpec(spec, structuredClone(sch));
    assert.deepEqual(b.columns, a.columns);
    const va = a.evaluate(batch);
    const vb = b.evaluate(batch);
    assert.deepEqual(vb, va, expr);
  }
});

test("a substituted column (shape systematic) changes everything downstream, defines included", () => {
  const rng = new Rng(seed + 2);
  const sch = schema();
  const { batch, plain } = randomBatch(rng, 300);
  const up = ExprScope.fromSpec({ substitutions: [["Jet_pt", "Jet_pt * 1.03"]], defines: DEFINES }, sch);
  const ref = new Reference(FIELDS.map((f) => f.name));
  for (const [n, e] of DEFINES) ref.define(n, e);
  for (const ev of plain) ev.Jet_pt = (ev.Jet_pt as number[]).map((v) => v * 1.03);
  for (const expr of ["ht", "count(goodJet)", "sum(Jet.pt)", "max(goodJet.pt, 0)"]) {
    const c = up.compile(expr);
    check(expr, c.evaluate(batch), ref.run(expr, plain));
    assert.deepEqual(compileSpec(c.spec, sch).evaluate(batch), c.evaluate(batch));
  }
});
