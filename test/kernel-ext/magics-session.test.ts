// The magics drive the analysis API on real files: declarations equal the API's, a fill and a plot
// come out, re-running a cell is harmless, and errors found at run time still point into the line.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, test } from "node:test";
import { FillResult, MagicError, MagicSession, expandGlob } from "../../kernel-ext/magics/index.js";
import { Analysis, Hist, Reg } from "../../src/index.js";
import { DISPLAY, Plot } from "../../src/plot/index.js";

const DATA = path.resolve("../shared/data");

const CELL = [
  `%dataset dy ${DATA}/nano_d?.root --xsec 2 --lumi 3 --label "DY"`,
  `%dataset dimu ${DATA}/nano_dimu*.root --data`,
  "%define goodMu = Muon[Muon.pt > 20]",
  "%category charge os: count(goodMu) >= 2 && goodMu.charge[0] != goodMu.charge[1]",
  "%category charge all: count(goodMu) >= 0",
  "%systematic w weight 1.1 / 0.9",
  "%systematic mes shape Muon.pt: Muon.pt * 1.03, Muon.pt * 0.97",
  '%hist pt Reg(10, 0, 100, "p_T [GeV]") = first(goodMu.pt, -1)',
  "const note: string = 'declared';",
].join("\n");

async function fails(p: Promise<unknown>): Promise<MagicError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof MagicError, String(e));
    return e;
  }
  assert.fail("no error");
}

describe("MagicSession", () => {
  test("magics are sugar: the same declarations as the API calls", async () => {
    const s = new MagicSession();
    const r = await s.execute(CELL);
    assert.equal(r.value, undefined);
    assert.equal(r.code.split("\n")[8], "const note: string = 'declared';");
    const api = new Analysis()
      .dataset("dy", [`${DATA}/nano_dy.root`], { xsec: 2, lumi: 3, label: "DY" })
      .dataset("dimu", [`${DATA}/nano_dimuon.root`], { data: true })
      .define("goodMu", "Muon[Muon.pt > 20]")
      .category("charge", "os", "count(goodMu) >= 2 && goodMu.charge[0] != goodMu.charge[1]")
      .category("charge", "all", "count(goodMu) >= 0")
      .systematic("w", "weight", { up: "1.1", down: "0.9" })
      .systematic("mes", "shape", { column: "Muon.pt", up: "Muon.pt * 1.03", down: "Muon.pt * 0.97" })
      .hist("pt", Reg(10, 0, 100, "p_T [GeV]"), "first(goodMu.pt, -1)");
    assert.deepEqual(s.analysis.toSpec(), api.toSpec());
    assert.ok(s.schema?.fields.has("Muon_pt"));
    // Re-running the same cell declares nothing twice; a changed declaration is an error at its line.
    await s.execute(CELL);
    assert.deepEqual(s.analysis.toSpec(), api.toSpec());
    const e = await fails(s.execute("%define goodMu = Muon[Muon.pt > 25]"));
    assert.match(e.message, /goodMu is already defined/);
  });

  test("%fill then %plot: a stacked plot with data, displayable", async () => {
    const s = new MagicSession();
    await s.execute(CELL);
    const progress: boolean[] = [];
    const filled = await s.execute("%fill --workers 0", { onProgress: (p) => progress.push(p.done) });
    assert.ok(filled.value instanceof FillResult);
    assert.ok(progress.at(-1));
    const h = s.results.pt as Hist;
    assert.deepEqual(h.axes.map((a) => a.name), ["dataset", "charge", "systematic", "pt"]);
    const { value } = await s.execute("%plot pt charge=os --stack dataset --log");
    assert.ok(value instanceof Plot);
    const p = value as Plot;
    assert.deepEqual(p.hist.axes.map((a) => a.name), ["dataset", "pt"]);
    const nominal = h.slice({ charge: "os", systematic: "nominal" });
    // Axes not drawn are summed: without --stack the dataset axis goes too.
    const summed = (await s.execute("%plot pt charge=os")).value as Plot;
    assert.deepEqual(summed.hist.axes.map((a) => a.name), ["pt"]);
    assert.deepEqual(Array.from(summed.hist.values().data), Array.from(nominal.project("pt").values().data));
    assert.deepEqual(Array.from(p.hist.values().data), Array.from(nominal.values().data));
    const spec = p.spec();
    assert.deepEqual([...new Set(spec.datasets.mc.map((r: { series: string }) => r.series))], ["dy"]);
    assert.ok(spec.datasets.data.length > 0, "dimu is data: points");
    const bundle = await p[DISPLAY]();
    assert.match(bundle["image/svg+xml"], /<svg/);
    assert.match(bundle["text/plain"], /dataset: str category \[dy, dimu\]/);
    const bad = await fails(s.execute("%plot pt chrge=os"));
    assert.match(bad.message, /pt has no axis chrge; did you mean charge/);
    const label = await fails(s.execute("%plot pt charge=ox"));
    assert.match(label.message, /charge has no label ox; did you mean os/);
  });

  test("columns are checked once the first dataset's schema is known, in the same cell", async () => {
    const s = new MagicSession();
    const src = `%dataset dy ${DATA}/nano_dy.root\n%define goodMu = Muon[Muon.ptt > 20]`;
    const e = await fails(s.execute(src));
    assert.equal(e.line, 2);
    assert.match(e.message, /did you mean.*Muon\.pt/);
    assert.equal(e.column, src.split("\n")[1].indexOf("ptt"));
    // Later cells are checked before anything runs.
    const t = () => s.transform("%hist x Reg(1, 0, 1) = MET.ptt");
    assert.throws(t, /MET/);
    const missing = await fails(new MagicSession().execute("%dataset x /nonexistent/dir/*.root"));
    assert.match(missing.message, /no file matches \/nonexistent\/dir\/\*\.root/);
    assert.equal(missing.column, "%dataset x ".length);
  });

  test("%fill --store: store-backed histograms, %plot slices them from the store", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-magic-store-"));
    const s = new MagicSession({ cwd: dir });
    await s.execute(CELL);
    const r = await s.execute("%fill --workers 0 --store out.zarr");
    assert.match(String(r.value), /pt: 2 x 2 x 5 x 10 bins in .*out\.zarr/);
    assert.ok(fs.existsSync(path.join(dir, "out.zarr")));
    const { value } = await s.execute("%plot pt charge=all --stack dataset");
    const p = value as Plot;
    const mem = new MagicSession();
    await mem.execute(CELL);
    await mem.execute("%fill --workers 0");
    const q = (await mem.execute("%plot pt charge=all --stack dataset")).value as Plot;
    assert.deepEqual(Array.from(p.hist.values().data), Array.from(q.hist.values().data));
    assert.ok(p.spec().datasets.data.length > 0, "data known from the store's metadata");
    // A later session plots straight from the store.
    const later = new MagicSession({ cwd: dir });
    const fromStore = (await later.execute("%plot out.zarr/pt charge=all --stack dataset")).value as Plot;
    assert.deepEqual(Array.from(fromStore.hist.values().data), Array.from(q.hist.values().data));
    assert.match((await fails(later.execute("%plot out.zarr/nope"))).message, /cannot open out\.zarr\/nope/);
    fs.rmSync(dir, { recursive: true });
  });

  test("%plot before %fill says so", async () => {
    const s = new MagicSession();
    await s.execute(CELL);
    assert.match((await fails(s.execute("%plot pt"))).message, /not filled yet: run %fill first/);
  });

  test("expandGlob: * and ? in segments, sorted, missing directories match nothing", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhist-glob-"));
    for (const f of ["b_1.root", "a_1.root", "a_22.root", "c.txt"]) fs.writeFileSync(path.join(dir, f), "");
    assert.deepEqual(expandGlob("*_?.root", dir), ["a_1.root", "b_1.root"]);
    assert.deepEqual(expandGlob(`${dir}/a_*.root`), [`${dir}/a_1.root`, `${dir}/a_22.root`]);
    assert.deepEqual(expandGlob("nothere/*.root", dir), []);
    assert.deepEqual(expandGlob("plain.root", dir), ["plain.root"]);
    fs.rmSync(dir, { recursive: true });
  });
});
