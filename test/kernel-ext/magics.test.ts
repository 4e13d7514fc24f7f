import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MagicError, transformCell, type MagicAction } from "../../kernel-ext/magics/index.js";
import type { Schema } from "../../src/data/index.js";
import { FIELDS } from "../expr/fixtures.js";

const schema: Schema = { fields: new Map(FIELDS.map((f) => [f.name, f])) };

function one(line: string): MagicAction {
  const t = transformCell(line);
  assert.equal(t.actions.length, 1);
  return t.actions[0];
}

function magicError(src: string, ctx = {}): MagicError {
  try {
    transformCell(src, ctx);
  } catch (e) {
    assert.ok(e instanceof MagicError, String(e));
    return e;
  }
  assert.fail(`no error for ${src}`);
}

/** The caret line of an error message lines up with `marker` in the source line. */
function caretAt(e: MagicError, col: number, span = 1) {
  const [, src, car] = e.message.split("\n");
  assert.equal(car.indexOf("^") - 2, col, `caret at ${car.indexOf("^") - 2}, expected ${col}\n${e.message}`);
  assert.equal(car.trim().length, span, e.message);
  assert.equal(src.slice(2), e.text);
}

describe("magic lines -> actions", () => {
  test("%dataset with files, flags, quoted label and --data", () => {
    assert.deepEqual(one('%dataset ttbar data/ttbar_*.root more.root --tree Events --xsec 831.76 --lumi 3378 --label "t t~"'), {
      magic: "dataset", at: { line: 1, text: '%dataset ttbar data/ttbar_*.root more.root --tree Events --xsec 831.76 --lumi 3378 --label "t t~"' },
      name: "ttbar", files: ["data/ttbar_*.root", "more.root"], options: { tree: "Events", xsec: 831.76, lumi: 3378, label: "t t~" },
    });
    const d = one("%dataset data d.root --data  # the real thing") as Extract<MagicAction, { magic: "dataset" }>;
    assert.deepEqual([d.files, d.options], [["d.root"], { data: true }]);
  });

  test("%define, %category and expressions with their columns", () => {
    const d = one("%define goodJet = Jet[Jet.pt > 25 && abs(Jet.eta) < 2.4]") as Extract<MagicAction, { magic: "define" }>;
    assert.equal(d.name, "goodJet");
    assert.deepEqual(d.expr, { expr: "Jet[Jet.pt > 25 && abs(Jet.eta) < 2.4]", column: 18 });
    const c = one("%category region 4j1b: count(goodJet) >= 4 && count(goodJet[goodJet.btagCSVV2 > 0.5]) == 1") as Extract<MagicAction, { magic: "category" }>;
    assert.deepEqual([c.axis, c.label, c.expr.expr], ["region", "4j1b", "count(goodJet) >= 4 && count(goodJet[goodJet.btagCSVV2 > 0.5]) == 1"]);
    const q = one('%category lep "mu mu" : nMuon >= 2 ? 1 : 0') as Extract<MagicAction, { magic: "category" }>;
    assert.deepEqual([q.label, q.expr.expr], ["mu mu", "nMuon >= 2 ? 1 : 0"]);
  });

  test("%systematic weight (a / b) and shape (x: e1, e2)", () => {
    const w = one("%systematic btag weight btagUp / btagDown          # alternative weights") as Extract<MagicAction, { magic: "systematic"; kind: "weight" }>;
    assert.deepEqual([w.name, w.kind, w.up.expr, w.down.expr], ["btag", "weight", "btagUp", "btagDown"]);
    const div = one("%systematic pu weight (puUp / puNom) / (puDown / puNom)") as Extract<MagicAction, { magic: "systematic"; kind: "weight" }>;
    assert.deepEqual([div.up.expr, div.down.expr], ["(puUp / puNom)", "(puDown / puNom)"]);
    const s = one("%systematic jes shape Jet.pt: Jet.pt * 1.03, Jet.pt * 0.97   # substituted column") as Extract<MagicAction, { magic: "systematic"; kind: "shape" }>;
    assert.deepEqual([s.column.expr, s.up.expr, s.down.expr], ["Jet.pt", "Jet.pt * 1.03", "Jet.pt * 0.97"]);
    assert.equal(s.up.column, "%systematic jes shape Jet.pt: ".length);
    const f = one("%systematic jer shape Jet.pt: max(Jet.pt * 1.1, 0), Jet.pt") as Extract<MagicAction, { magic: "systematic"; kind: "shape" }>;
    assert.deepEqual([f.up.expr, f.down.expr], ["max(Jet.pt * 1.1, 0)", "Jet.pt"]);
  });

  test("%hist with Reg, Var, Int axes, labels and a weight", () => {
    const h = one('%hist ht Reg(25, 50, 550, "H_T [GeV]") = sum(goodJet.pt)') as Extract<MagicAction, { magic: "hist" }>;
    assert.deepEqual([h.name, h.axis, h.expr.expr], ["ht", { type: "regular", bins: 25, start: 50, stop: 550, label: "H_T [GeV]" }, "sum(goodJet.pt)"]);
    const v = one('%hist m Var([0, 10, 30.5, 1e3], "m [GeV]") = first(Muon.pt, -1)') as Extract<MagicAction, { magic: "hist" }>;
    assert.deepEqual(v.axis, { type: "variable", edges: [0, 10, 30.5, 1000], label: "m [GeV]" });
    const i = one('%hist nj Int(0, 10) --weight "abs(MET_pt)" = count(Jet)') as Extract<MagicAction, { magic: "hist" }>;
    assert.deepEqual([i.axis, i.weight, i.expr.expr], [{ type: "integer", start: 0, stop: 10 }, { expr: "abs(MET_pt)", column: "%hist nj Int(0, 10) --weight \"".length }, "count(Jet)"]);
    const eq = one("%hist one Reg(2, 0, 2) = nJet == 2") as Extract<MagicAction, { magic: "hist" }>;
    assert.equal(eq.expr.expr, "nJet == 2");
  });

  test("%fill and %plot options, %analysis save/load", () => {
    assert.deepEqual((one("%fill --workers 4 --store out.zarr --datasets ttbar,wjets") as Extract<MagicAction, { magic: "fill" }>).options, { workers: 4, store: "out.zarr", datasets: ["ttbar", "wjets"] });
    assert.deepEqual((one("%fill") as Extract<MagicAction, { magic: "fill" }>).options, {});
    const p = one("%plot ht region=4j1b --stack dataset --log") as Extract<MagicAction, { magic: "plot" }>;
    assert.deepEqual([p.hist, p.select, p.options], ["ht", { region: "4j1b" }, { stack: "dataset", log: true }]);
    assert.deepEqual((one("%plot ht --overlay systematic --no-ratio --widget") as Extract<MagicAction, { magic: "plot" }>).options, { overlay: "systematic", ratio: false, widget: true });
    const s = one('%analysis save "my analysis.yaml"') as Extract<MagicAction, { magic: "analysis" }>;
    assert.deepEqual([s.command, s.file], ["save", "my analysis.yaml"]);
    assert.equal((one("%analysis load a.yaml") as Extract<MagicAction, { magic: "analysis" }>).command, "load");
  });
});

describe("blanking keeps positions", () => {
  test("magic lines become spaces of the same length; TypeScript below is untouched", () => {
    const src = [
      "%dataset dy ../shared/data/nano_dy.root --xsec 2",
      "",
      "// declare a selection",
      "  %define goodMu = Muon[Muon.pt > 20]\r",
      "%hist pt Reg(10, 0, 100) = first(goodMu.pt, -1)",
      "const x: number = 'oops';",
      "console.log(x % 2);",
    ].join("\n");
    const t = transformCell(src);
    assert.equal(t.actions.length, 3);
    assert.equal(t.code.length, src.length);
    const a = src.split("\n");
    const b = t.code.split("\n");
    assert.equal(b.length, a.length);
    for (const [i, line] of b.entries()) {
      assert.equal(line.length, a[i].length, `line ${i + 1}`);
      if ([0, 3, 4].includes(i)) assert.match(line, /^ *\r?$/);
      else assert.equal(line, a[i]);
    }
    // Every character of the TypeScript keeps its offset (diagnostics, completion, inspection).
    assert.equal(t.code.indexOf("'oops'"), src.indexOf("'oops'"));
    assert.ok(t.code.endsWith("console.log(x % 2);"));
  });

  test("a cell without magics is returned unchanged; a magic after code is an error", () => {
    const src = "const a = 1;\nconst b = a % 2;\n";
    assert.deepEqual(transformCell(src), { code: src, actions: [], analysisCell: false });
    const e = magicError("const a = 1;\n%define x = nJet");
    assert.equal(e.line, 2);
    assert.match(e.message, /^%define: magics stand at the head of the cell/);
    // `%` continuing an expression is TypeScript's modulo, not a magic.
    const mod = "const a = 7\n%a;\n";
    assert.equal(transformCell(mod).code, mod);
  });

  test("%%analysis: a whole analysis as the cell body, with or without %, all blanked", () => {
    const src = [
      "%%analysis",
      "# Drell-Yan dimuons",
      "dataset dy ../shared/data/nano_dy.root --xsec 2 --lumi 3",
      "%define goodMu = Muon[Muon.pt > 20]",
      "",
      "category charge os: count(goodMu) >= 2 && goodMu.charge[0] != goodMu.charge[1]",
      "hist pt Reg(10, 0, 100, \"p_T\") = first(goodMu.pt, -1)",
    ].join("\n");
    const t = transformCell(src);
    assert.ok(t.analysisCell);
    assert.deepEqual(t.actions.map((a) => [a.magic, a.at.line]), [["dataset", 3], ["define", 4], ["category", 6], ["hist", 7]]);
    assert.equal(t.code, src.replace(/[^\n]/g, " "));
  });
});

describe("errors name the magic and the line and point at the column", () => {
  test("a misspelled magic gets the closest names", () => {
    const e = magicError("\n%datset ttbar a.root");
    assert.equal(e.magic, "%datset");
    assert.equal(e.line, 2);
    assert.match(e.message, /unknown magic; did you mean %dataset\?/);
    caretAt(e, 0, 7);
    assert.match(magicError("%%analyis\nx").message, /the cell magic is %%analysis/);
  });

  test("unknown options, bad numbers, bad axes, missing parts", () => {
    const flag = magicError("%dataset t a.root --xsecs 3");
    assert.match(flag.message, /^%dataset: unknown option --xsecs; did you mean --xsec\? \(line 1, column 19\)/);
    caretAt(flag, 18, 7);
    const num = magicError("%dataset t a.root --lumi abc");
    assert.match(num.message, /--lumi needs a number, got "abc"/);
    caretAt(num, 25, 3);
    const axis = magicError("%hist h Rge(10, 0, 1) = nJet");
    assert.match(axis.message, /unknown axis Rge; did you mean Reg/);
    caretAt(axis, 8, 3);
    const bins = magicError("%hist h Reg(10, 5, 1) = nJet");
    assert.match(bins.message, /LO must be below HI/);
    caretAt(bins, 16, 4);
    assert.match(magicError("%hist h Reg(10, 0, 1)").message, /usage: %hist NAME/);
    assert.match(magicError("%define x nJet").message, /usage: %define NAME = EXPRESSION/);
    assert.match(magicError("%define x =   ").message, /the expression after = is missing/);
    assert.match(magicError("%systematic s wieght a / b").message, /kind must be weight or shape; did you mean weight/);
    assert.match(magicError("%systematic s weight a / b / c").message, /parentheses/);
    assert.match(magicError('%dataset t "a.root').message, /unterminated string/);
    assert.match(magicError("%fill --workers 2.5").message, /whole number/);
    assert.match(magicError("%plot ht --stack dataset --overlay region").message, /exclusive/);
    assert.match(magicError("%analysis sav x.yaml").message, /did you mean save/);
  });

  test("unknown columns are checked against the schema with carets and closest names", () => {
    const src = "%define goodJet = Jet[Jet.ptt > 25]";
    const e = magicError(src, { schema });
    assert.equal(e.magic, "%define");
    assert.match(e.message, /did you mean.*Jet\.pt/);
    caretAt(e, src.indexOf("ptt"), "ptt".length); // the field of the collection
    // A define of the same cell is known to the lines below it.
    const ok = transformCell("%define goodJet = Jet[Jet.pt > 25]\n%category nj ge2: count(goodJet) >= 2", { schema });
    assert.equal(ok.actions.length, 2);
    const cat = "%define goodJet = Jet[Jet.pt > 25]\n%category nj ge2: count(goodJets) >= 2";
    const ce = magicError(cat, { schema });
    assert.equal(ce.line, 2);
    caretAt(ce, "%category nj ge2: count(".length, "goodJets".length);
    assert.match(ce.message, /goodJet/);
    const sys = magicError("%systematic jes shape Jet.ptt: Jet.pt * 1.03, Jet.pt * 0.97", { schema });
    assert.match(sys.message, /unknown column Jet_ptt; did you mean Jet_pt/);
    caretAt(sys, "%systematic jes shape ".length, 7);
    const w = magicError("%systematic w weight MET_ptt / 1", { schema });
    caretAt(w, "%systematic w weight ".length, "MET_ptt".length);
    const h = magicError("%hist met Reg(10, 0, 100) = MET.pt + nMuons", { schema });
    caretAt(h, "%hist met Reg(10, 0, 100) = MET.pt + ".length, "nMuons".length);
    assert.match(h.message, /nMuon/);
  });

  test("%plot of an undeclared histogram gets the declared names", () => {
    const spec = { datasets: [], defines: [], categories: [], systematics: [], hists: [{ name: "ht", axis: { type: "regular" as const, bins: 1, start: 0, stop: 1 }, expr: "x" }] };
    const e = magicError("%plot hts --log", { spec });
    assert.match(e.message, /no histogram hts is declared; did you mean ht\?/);
    caretAt(e, 6, 3);
  });
});
