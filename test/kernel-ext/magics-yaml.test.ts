// %analysis save / load: a YAML round trip that keeps the analyst's comments.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, test } from "node:test";
import { AnalysisFileError, MagicSession, analysisYaml, readAnalysisYaml } from "../../kernel-ext/magics/index.js";

const DATA = path.resolve("../shared/data");

const YAML_TEXT = `# Drell-Yan dimuon analysis
datasets:
  dy:
    files: [${DATA}/nano_dy.root]  # Madgraph DY
    xsec: 2
    lumi: 3
  dimu:
    files:
      - ${DATA}/nano_dimuon.root
    data: true
defines:
  # muons passing the pt cut
  goodMu: Muon[Muon.pt > 20]
categories:
  charge:
    os: count(goodMu) >= 2 && goodMu.charge[0] != goodMu.charge[1]   # opposite sign
systematics:
  mes:
    kind: shape
    column: Muon_pt
    up: Muon.pt * 1.03
    down: Muon.pt * 0.97
hists:
  pt:
    axis: Reg(10, 0, 100, "p_T [GeV]")  # leading muon
    expr: first(goodMu.pt, -1)
`;

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "zhist-yaml-"));
}

describe("%analysis save / load", () => {
  test("load declares; save without changes writes the file back byte for byte", async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "a.yaml"), YAML_TEXT);
    const s = new MagicSession({ cwd: dir });
    await s.execute("%analysis load a.yaml");
    const spec = s.analysis.toSpec();
    assert.deepEqual(spec.datasets.map((d) => [d.name, d.data, d.xsec]), [["dy", false, 2], ["dimu", true, undefined]]);
    assert.deepEqual(spec.hists[0].axis, { type: "regular", bins: 10, start: 0, stop: 100, label: "p_T [GeV]" });
    assert.deepEqual(spec.systematics[0], { name: "mes", kind: "shape", column: "Muon_pt", up: "Muon.pt * 1.03", down: "Muon.pt * 0.97" });
    await s.execute("%analysis save a.yaml");
    assert.equal(fs.readFileSync(path.join(dir, "a.yaml"), "utf8"), YAML_TEXT);
    fs.rmSync(dir, { recursive: true });
  });

  test("declarations added by magics are merged in; every comment stays", async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "a.yaml"), YAML_TEXT);
    const s = new MagicSession({ cwd: dir });
    await s.execute("%analysis load a.yaml\n%define hardMu = Muon[Muon.pt > 50]\n%category charge ss: count(goodMu) >= 2 && goodMu.charge[0] == goodMu.charge[1]\n%systematic w weight 1.1 / 0.9\n%hist n Int(0, 5) = count(goodMu)");
    await s.execute("%analysis save b.yaml");
    const out = fs.readFileSync(path.join(dir, "b.yaml"), "utf8");
    for (const c of ["# Drell-Yan dimuon analysis", "# Madgraph DY", "# muons passing the pt cut", "# opposite sign", "# leading muon"]) assert.ok(out.includes(c), `${c} kept:\n${out}`);
    // Loading the saved file into a fresh session gives the same analysis.
    const t = new MagicSession({ cwd: dir });
    await t.execute("%analysis load b.yaml");
    assert.deepEqual(t.analysis.toSpec(), s.analysis.toSpec());
    assert.match(out, /hardMu: Muon\[Muon.pt > 50\]/);
    assert.match(out, /n:\n\s+axis: Int\(0, 5\)/);
    fs.rmSync(dir, { recursive: true });
  });

  test("a fresh save round-trips through load", async () => {
    const dir = tmp();
    const s = new MagicSession({ cwd: dir });
    await s.execute(`%%analysis\ndataset dy ${DATA}/nano_dy.root --xsec 2\ndefine goodMu = Muon[Muon.pt > 20]\nhist m Var([0, 10, 50], "m") = first(goodMu.pt, -1)`);
    await s.execute("%analysis save fresh.yaml");
    const { spec } = readAnalysisYaml(path.join(dir, "fresh.yaml"));
    assert.deepEqual(spec, s.analysis.toSpec());
    assert.match(analysisYaml(spec), /^# zhist analysis/);
    fs.rmSync(dir, { recursive: true });
  });

  test("bad files name the file, the line and the key", () => {
    assert.throws(() => readAnalysisYaml("x.yaml", "datasets:\n  dy:\n    xsec: 2\n"), (e: Error) => e instanceof AnalysisFileError && /x\.yaml:3:5 \(datasets\.dy\): files \(a list\) is needed/.test(e.message));
    assert.throws(() => readAnalysisYaml("x.yaml", "hists:\n  h:\n    axis: Reg(1, 2)\n    expr: x\n"), /x\.yaml:3:5 \(hists\.h\.axis\): Reg needs BINS, LO, HI/);
    assert.throws(() => readAnalysisYaml("x.yaml", "datasetz: {}\n"), /unknown section datasetz/);
    assert.throws(() => readAnalysisYaml("x.yaml", "a: [\n"), /x\.yaml:\d+:\d+:/);
  });
});
