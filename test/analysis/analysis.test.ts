import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Analysis, Int, Reg, Var, buildAxis, categoryAxes, completedSumw, planUnits, systematicLabels, type FileInfo } from "../../src/analysis/index.js";

function sample(): Analysis {
  return new Analysis()
    .dataset("ttbar", ["a.root", "b.root"], { xsec: 831.76, lumi: 3378, label: "t t~" })
    .dataset("data", "d.root", { data: true })
    .define("goodJet", "Jet[Jet.pt > 25]")
    .category("region", "4j1b", "count(goodJet) >= 4")
    .category("region", "4j2b", "count(goodJet) >= 4")
    .category("lep", "mu", "nMuon == 1")
    .systematic("btag", "weight", { up: "btagUp", down: "btagDown" })
    .systematic("jes", "shape", { column: "Jet.pt", up: "Jet.pt * 1.03", down: "Jet.pt * 0.97" })
    .hist("ht", Reg(25, 50, 550, { label: "H_T [GeV]" }), "sum(goodJet.pt)");
}

describe("Analysis", () => {
  test("records declarations as plain data", () => {
    const spec = sample().toSpec();
    assert.deepEqual(spec.datasets[0], { name: "ttbar", files: ["a.root", "b.root"], tree: "Events", data: false, xsec: 831.76, lumi: 3378, label: "t t~" });
    assert.deepEqual(spec.datasets[1], { name: "data", files: ["d.root"], tree: "Events", data: true });
    assert.deepEqual(spec.systematics[1], { name: "jes", kind: "shape", column: "Jet_pt", up: "Jet.pt * 1.03", down: "Jet.pt * 0.97" });
    assert.deepEqual(categoryAxes(spec).map((a) => [a.axis, a.labels]), [["region", ["4j1b", "4j2b"]], ["lep", ["mu"]]]);
    assert.deepEqual(systematicLabels(spec), ["nominal", "btag_up", "btag_down", "jes_up", "jes_down"]);
    assert.deepEqual(structuredClone(spec), spec);
  });

  test("refuses duplicates, bad names and bad numbers where they are written", () => {
    const a = sample();
    assert.throws(() => a.dataset("ttbar", ["x.root"]), /already declared/);
    assert.throws(() => a.dataset("w", []), /no files/);
    assert.throws(() => a.dataset("w", ["x"], { xsec: -1 }), /xsec must be a positive number/);
    assert.throws(() => a.define("good jet", "x"), /not a valid name/);
    assert.throws(() => a.category("region", "4j1b", "x"), /already declared/);
    assert.throws(() => a.category("dataset", "x", "x"), /reserved/);
    assert.throws(() => a.systematic("nominal", "weight", { up: "a", down: "b" }), /reserved/);
    assert.throws(() => a.systematic("s", "shape", { up: "a", down: "b" } as never), /needs the column/);
    assert.throws(() => a.hist("ht", Reg(1, 0, 1), "x"), /already declared/);
    assert.throws(() => a.hist("h2", Reg(1, 0, 1), ""), /non-empty/);
    assert.throws(() => Reg(0, 0, 1), RangeError);
    assert.throws(() => Var([1]), RangeError);
  });

  test("axis factories match the builder's axes", () => {
    assert.equal(buildAxis(Reg(25, 50, 550, "H_T"), "ht").label, "H_T");
    assert.equal(buildAxis(Reg(25, 50, 550), "ht").name, "ht");
    assert.equal(buildAxis(Var([0, 1, 5]), "v").extent, 4);
    assert.equal(buildAxis(Int(0, 5, { underflow: false }), "n").extent, 6);
  });

  test("fill needs a registered engine and something to fill", async () => {
    await assert.rejects(new Analysis().fill(), /no dataset/);
  });

  test("work units: deterministic keys, split by range, changed by the definition, the file and the normalization", () => {
    const spec = sample().toSpec();
    const info = (path: string, entries: number, mtimeMs = 1): FileInfo => ({ path, size: 100, mtimeMs, entries, sumw: entries * 2, sumwSource: "Runs.genEventSumw" });
    const infos = new Map<string, FileInfo | Error>([["a.root", info("a.root", 250)], ["b.root", info("b.root", 100)], ["d.root", info("d.root", 10)]]);
    const p = planUnits(spec, infos, 100);
    assert.deepEqual(p.units.map((u) => [u.dataset, u.file, u.start, u.stop]), [
      ["ttbar", "a.root", 0, 100], ["ttbar", "a.root", 100, 200], ["ttbar", "a.root", 200, 250], ["ttbar", "b.root", 0, 100], ["data", "d.root", 0, 10],
    ]);
    assert.equal(p.norms.ttbar.norm, (831.76 * 3378) / 700);
    assert.equal(p.units[0].norm, p.norms.ttbar.norm);
    assert.deepEqual(planUnits(spec, infos, 100).units.map((u) => u.key), p.units.map((u) => u.key));
    assert.equal(new Set(p.units.map((u) => u.key)).size, p.units.length);
    const touched = new Map(infos).set("b.root", info("b.root", 100, 2));
    const q = planUnits(spec, touched, 100);
    assert.equal(q.units[4].key, p.units[4].key, "data does not depend on the MC files");
    assert.equal(q.units[0].key, p.units[0].key, "a.root's units do not depend on b.root's mtime");
    assert.notEqual(q.units[3].key, p.units[3].key);
    const more = planUnits(spec, new Map(infos).set("b.root", info("b.root", 101)), 100);
    assert.notEqual(more.units[0].key, p.units[0].key, "a changed sum of weights changes every unit of the dataset");
    const other = sample().hist("extra", Reg(2, 0, 1), "x").toSpec();
    assert.notEqual(planUnits(other, infos, 100).units[4].key, p.units[4].key);
    const broken = new Map(infos).set("b.root", new Error("b.root: cannot open"));
    const r = planUnits(spec, broken, 100);
    assert.deepEqual(r.failures, [{ dataset: "ttbar", file: "b.root", error: "b.root: cannot open" }]);
    assert.deepEqual(r.units.map((u) => u.dataset), ["data"]);
  });

  test("work units of a dataset without Runs sum genWeight while filling: unnormalized, keyed by their own file", () => {
    const spec = sample().toSpec();
    const info = (path: string, entries: number, mtimeMs = 1): FileInfo => ({ path, size: 100, mtimeMs, entries, sumw: null, sumwSource: "genWeight" });
    const infos = new Map<string, FileInfo | Error>([["a.root", info("a.root", 250)], ["b.root", info("b.root", 100)], ["d.root", info("d.root", 10)]]);
    const p = planUnits(spec, infos, 100);
    assert.equal(p.norms.ttbar.norm, null);
    assert.deepEqual(p.norms.ttbar.deferred, { knownSumw: 0 });
    assert.ok(p.units.filter((u) => u.dataset === "ttbar").every((u) => u.sumGenWeight && u.norm === 1));
    assert.equal(p.units.at(-1)!.sumGenWeight, false, "data sums nothing");
    const touched = planUnits(spec, new Map(infos).set("b.root", info("b.root", 100, 2)), 100);
    assert.equal(touched.units[0].key, p.units[0].key, "a.root's units do not depend on b.root");
    assert.notEqual(touched.norms.ttbar.fingerprint, p.norms.ttbar.fingerprint, "the dataset's fingerprint does");
    const sums = new Map(p.units.map((u, i) => [u.key, i + 0.5]));
    assert.equal(completedSumw(p.norms.ttbar, p.units.slice(0, 4).map((u) => u.key), sums), 0.5 + 1.5 + 2.5 + 3.5);
  });
});
