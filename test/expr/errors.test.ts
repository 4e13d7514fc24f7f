// Errors point at the spot with a caret and name the closest columns; type errors too.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ExprError, ExprScope, closestNames, editDistance } from "../../src/expr/index.js";
import { schema } from "./fixtures.js";

function scope(): ExprScope {
  const s = new ExprScope(schema());
  s.define("goodJet", "Jet[Jet.pt > 25]");
  return s;
}

function error(expr: string, s = scope()): ExprError {
  try {
    s.compile(expr);
  } catch (e) {
    if (e instanceof ExprError) return e;
    throw e;
  }
  assert.fail(`${expr} compiled`);
}

/** The caret line of format(): spaces up to the column, then carets. */
function caretAt(e: ExprError): { at: number; width: number } {
  const [, caret] = e.format().split("\n");
  return { at: caret.indexOf("^"), width: caret.trim().length };
}

test("an unknown column: caret under it, closest names listed", () => {
  const e = error("count(goodJet) > 2 && MET_pz > 30");
  assert.equal(e.column, 22);
  assert.deepEqual(caretAt(e), { at: 22, width: 6 });
  assert.equal(e.format(), "count(goodJet) > 2 && MET_pz > 30\n                      ^^^^^^");
  assert.match(e.message, /^unknown name MET_pz; did you mean MET_pt, MET_phi/);
  assert.ok(e.message.includes(e.format("  ")), "the message carries the caret lines");
});

test("an unknown field of a collection: caret under the field, suggestions in both spellings", () => {
  const e = error("sum(goodJet.btg)");
  assert.equal(e.column, 12);
  assert.equal(e.span, 3);
  assert.match(e.message, /unknown column Jet_btg; did you mean goodJet\.btag \(Jet_btag\)/);
});

test("case slips and far-off names", () => {
  assert.match(error("jet_pt[0]").message, /did you mean Jet_pt/);
  assert.doesNotMatch(error("xyzzy + 1").message, /did you mean/);
  assert.match(error("sums(Jet.pt)").message, /unknown function sums; did you mean sum/);
  assert.match(error("count(goodjet)").message, /did you mean goodJet/);
});

test("type errors point at the operand", () => {
  const cases: [string, number, RegExp][] = [
    ["sum(MET_pt)", 4, /sum reduces the elements of a collection, but MET_pt is one value per event/],
    ["Jet.pt + Muon.pt", 9, /cannot combine Jet\.pt \(over Jet\) with Muon\.pt \(over Muon\).*different collections/],
    ["goodJet.pt - Jet.eta", 13, /select different elements/],
    ["MET_pt[Jet.pt > 30]", 0, /MET_pt is one value per event: a mask selects elements/],
    ["Jet[Muon.pt > 3]", 4, /this mask is over Muon, but Jet is over Jet/],
    ["goodJet[Jet.pt > 30]", 8, /this mask is over Jet, but goodJet is over Jet\[mask\]/],
    ["sum(goodJet)", 4, /sum of a collection: pick a field, e.g. sum\(goodJet\.pt\)/],
    ["goodJet", 0, /goodJet is a collection, not a value/],
    ["MET", 0, /MET is a group of columns, not a value: pick one \(MET\.pt\)/],
    ["first(Jet.pt, Jet.eta)", 14, /the value if empty must be one value per event/],
    ["atan2(Jet.pt)", 0, /atan2 takes 2 arguments, not 1/],
    ["MET_pt.x", 7, /MET_pt is a value, it has no fields/],
    ["Jet.pt[-1]", 7, /negative positions/],
    ["Jet.pt | 1", 7, /the operator \| is not part of the expression language/],
    ["MET_pt = 3", 0, /an assignment expression is not part of the expression language/],
    ["'a' + 1", 0, /only numbers and booleans/],
    ["sum(Jet.pt", 10, /syntax error/],
    ["Jet.pt > 3; 1", 12, /one expression only/],
    ["", 0, /empty expression/],
  ];
  for (const [expr, column, message] of cases) {
    const e = error(expr);
    assert.match(e.message, message, expr);
    assert.equal(e.column, column, `${expr}: ${e.message}`);
  }
});

test("errors in a define name it and point into its text", () => {
  const s = scope();
  let e: unknown;
  try {
    s.define("fwdJet", "Jet[abs(Jet.etaa) > 2.5]");
  } catch (x) {
    e = x;
  }
  assert.ok(e instanceof ExprError);
  assert.equal(e.define, "fwdJet");
  assert.equal(e.column, 12);
  assert.match(e.message, /in the definition of fwdJet/);
  assert.throws(() => s.define("Jet_pt", "1"), /already a column/);
  assert.throws(() => s.define("sum", "1"), /function or constant/);
  assert.throws(() => s.define("a b", "1"), /is not a name/);
});

test("format() finds the line of a multi-line expression", () => {
  const e = error("count(goodJet) > 2 &&\n  MET_ptt > 30");
  assert.equal(e.format(), "  MET_ptt > 30\n  ^^^^^^^");
});

test("editDistance and closestNames", () => {
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.deepEqual(closestNames("Jet_ptt", ["Jet_pt", "Jet_eta", "Muon_pt", "nJet"], 2), ["Jet_pt", "Jet_eta"]);
  assert.deepEqual(closestNames("JET_PT", ["Jet_pt", "Jet_phi"], 1), ["Jet_pt"]);
});
