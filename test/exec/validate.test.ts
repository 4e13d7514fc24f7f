// The engine on real NanoAOD files, with the real readers and expression compiler, against Python:
// uproot + awkward compute the same selections and weights, boost-histogram fills the same N-D
// histogram. Counts of data are exact; weighted sums agree within 1e-12 relative.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Analysis, Int, Reg, Var } from "../../src/analysis/index.js";
import "../../src/exec/index.js";
import type { Hist } from "../../src/hist/index.js";
import { runPython } from "../helpers/python.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const data = join(root, "..", "shared", "data");
const file = (f: string) => join(data, f);
const have = ["nano_dy.root", "nano_dimuon.root", "open-data-example.root"].every((f) => existsSync(file(f)));

const INPUT = {
  datasets: [
    { name: "dy", file: file("nano_dy.root"), xsec: 5765.4, lumi: 41.5, data: false },
    { name: "dimuon", file: file("nano_dimuon.root"), data: true },
    { name: "opendata", file: file("open-data-example.root"), xsec: 2.5, lumi: 10, data: false },
  ],
};

function analysis(): Analysis {
  const a = new Analysis();
  for (const d of INPUT.datasets) a.dataset(d.name, [d.file], d.data ? { data: true } : { xsec: d.xsec, lumi: d.lumi });
  a.define("goodMu", "Muon[Muon.pt > 10 && abs(Muon.eta) < 2.4]");
  a.category("nmu", "zero", "count(goodMu) == 0");
  a.category("nmu", "one", "count(goodMu) == 1");
  a.category("nmu", "atleast1", "count(goodMu) >= 1");
  a.category("ch", "pos", "sum(goodMu.charge) > 0");
  a.category("ch", "nonpos", "sum(goodMu.charge) <= 0");
  a.systematic("musf", "weight", { up: "1 + 0.01 * nMuon", down: "1 - 0.01 * nMuon" });
  a.systematic("muscale", "shape", { column: "Muon.pt", up: "Muon.pt * 1.01", down: "Muon.pt * 0.99" });
  a.hist("mupt", Reg(20, 0, 100, "muon p_T"), "goodMu.pt");
  a.hist("nmuon", Int(0, 6), "nMuon");
  a.hist("st", Var([0, 20, 40, 60, 100, 200]), "sum(goodMu.pt)", { weight: "1 + 0.5 * (nMuon > 1)" });
  return a;
}

const PYTHON = `
import uproot, awkward as ak, boost_histogram as bh
systs = ["nominal", "musf_up", "musf_down", "muscale_up", "muscale_down"]
def own(name):
    if name == "mupt": return bh.axis.Regular(20, 0, 100)
    if name == "nmuon": return bh.axis.Integer(0, 6)
    return bh.axis.Variable([0, 20, 40, 60, 100, 200])
names = [d["name"] for d in INPUT["datasets"]]
hs = {n: bh.Histogram(bh.axis.StrCategory(names, growth=True), bh.axis.StrCategory(["zero", "one", "atleast1"]), bh.axis.StrCategory(["pos", "nonpos"]),
                      bh.axis.StrCategory(systs), own(n), storage=bh.storage.Weight()) for n in ["mupt", "nmuon", "st"]}
info = {}
for d in INPUT["datasets"]:
    f = uproot.open(d["file"])
    ev = f["Events"].arrays(["nMuon", "Muon_pt", "Muon_eta", "Muon_charge"] + (["genWeight"] if "genWeight" in f["Events"] else []))
    n = len(ev)
    if d["data"]:
        base = np.ones(n)
    else:
        if "Runs" in f and "genEventSumw" in f["Runs"]:
            sumw = float(np.sum(f["Runs"]["genEventSumw"].array(library="np")))
        elif "genWeight" in ev.fields:
            sumw = float(np.sum(ak.to_numpy(ev.genWeight).astype("f8")))
        else:
            sumw = float(n)
        norm = (d["xsec"] * d["lumi"]) / sumw
        info[d["name"]] = {"sumw": sumw, "norm": norm}
        g = ak.to_numpy(ev.genWeight).astype("f8") if "genWeight" in ev.fields else None
        base = g * norm if g is not None else np.full(n, norm)
    nmu = ak.to_numpy(ev.nMuon).astype("f8")
    for s in (["nominal"] if d["data"] else systs):
        pt = ak.values_astype(ev.Muon_pt, "f8")
        if s == "muscale_up": pt = pt * 1.01
        if s == "muscale_down": pt = pt * 0.99
        good = (pt > 10) & (abs(ev.Muon_eta) < 2.4)
        gpt = pt[good]
        cnt = ak.to_numpy(ak.num(gpt))
        chg = ak.to_numpy(ak.sum(ev.Muon_charge[good], axis=1))
        w = base
        if s == "musf_up": w = w * (1 + 0.01 * nmu)
        if s == "musf_down": w = w * (1 - 0.01 * nmu)
        st_w = base * (1 + 0.5 * (nmu > 1))
        if s == "musf_up": st_w = st_w * (1 + 0.01 * nmu)
        if s == "musf_down": st_w = st_w * (1 - 0.01 * nmu)
        masks_n = {"zero": cnt == 0, "one": cnt == 1, "atleast1": cnt >= 1}
        masks_c = {"pos": chg > 0, "nonpos": chg <= 0}
        st = ak.to_numpy(ak.sum(gpt, axis=1))
        for ln, mn in masks_n.items():
            for lc, mc in masks_c.items():
                m = mn & mc
                if not m.any(): continue
                key = dict(dataset=None)
                sel = gpt[m]
                ww = ak.flatten(ak.broadcast_arrays(w[m], sel)[0])
                hs["mupt"].fill(d["name"], ln, lc, s, ak.to_numpy(ak.flatten(sel)), weight=ak.to_numpy(ww))
                hs["nmuon"].fill(d["name"], ln, lc, s, nmu[m].astype("i8"), weight=w[m])
                hs["st"].fill(d["name"], ln, lc, s, st[m], weight=st_w[m])
for n, h in hs.items():
    emit_array(n + "_values", h.view(flow=True).value)
    emit_array(n + "_variances", h.view(flow=True).variance)
emit(info)
`;

describe("validation against uproot + boost-histogram", { skip: !have && "../shared/data files not found" }, () => {
  test("three files, two overlapping category axes, a weight and a shape systematic", { timeout: 300_000 }, async () => {
    const [hists, py] = await Promise.all([
      analysis().fill({ workers: 2, unitEvents: 30_000 }),
      runPython<Record<string, { sumw: number; norm: number }>>(PYTHON, { input: INPUT, timeoutMs: 240_000 }),
    ]);
    for (const name of ["mupt", "nmuon", "st"]) {
      const h = hists[name] as Hist;
      const meta = JSON.parse(h.metadata.datasets as string);
      for (const [d, x] of Object.entries(py.json)) {
        assert.equal(meta[d].sumw, x.sumw, `${d} sum of weights`);
        assert.ok(Math.abs(meta[d].norm - x.norm) <= 1e-15 * Math.abs(x.norm), `${d} norm ${meta[d].norm} vs ${x.norm}`);
      }
      const values = h.values({ flow: true });
      const variances = h.variances({ flow: true })!;
      const want = py.arrays[`${name}_values`];
      // A growing dataset axis has no flow bin, the fixed ones have their overflow bin, in both.
      assert.deepEqual(values.shape, want.shape, `${name} shape`);
      const wantVar = py.arrays[`${name}_variances`].data;
      const dsExtent = want.data.length / want.shape[0];
      let nonzero = 0;
      for (let i = 0; i < want.data.length; i++) {
        const isData = Math.floor(i / dsExtent) === 1;
        for (const [got, exp, what] of [[values.data[i], want.data[i], "value"], [variances.data[i], wantVar[i], "variance"]] as const) {
          if (exp !== 0) nonzero++;
          if (isData) assert.equal(got, exp, `${name} cell ${i} ${what} (data: exact counts)`);
          else assert.ok(Math.abs(got - exp) <= 1e-12 * Math.abs(exp), `${name} cell ${i} ${what}: ${got} vs ${exp}`);
        }
      }
      assert.ok(nonzero > 20, `${name}: only ${nonzero} nonzero cells`);
    }
  });
});
