// The engine tests' analysis over fixture files, and its expected histograms computed by plain loops
// over the fixture's event formulas (independent of the engine, the kernels and the expressions).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Analysis, Int, Reg, Var, type AnalysisSpec } from "../../src/analysis/index.js";
import "../../src/exec/index.js";
import { histAxes } from "../../src/exec/index.js";
import { event, type FixtureFile } from "./fixture-source.js";

export const modules = {
  source: fileURLToPath(new URL("./fixture-source.js", import.meta.url)),
  expr: fileURLToPath(new URL("./fixture-expr.js", import.meta.url)),
};

export interface Files { mc1: string[]; mc2: string[]; data: string[]; files: Record<string, FixtureFile> }

export function makeFiles(dir: string, scale = 1, delayMs = 0): Files {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, FixtureFile> = {};
  const put = (name: string, f: FixtureFile) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify({ ...f, delayMs }));
    files[p] = f;
    return p;
  };
  return {
    mc1: [put("mc1_a.json", { entries: 1000 * scale, seed: 1, runs: true }), put("mc1_b.json", { entries: 700 * scale, seed: 2, runs: true })],
    mc2: [put("mc2_a.json", { entries: 1300 * scale, seed: 3 })],
    data: [put("data_a.json", { entries: 900 * scale, seed: 4 }), put("data_b.json", { entries: 333 * scale, seed: 5 })],
    files,
  };
}

export function sumw(f: Files, paths: string[]): number {
  let s = 0;
  for (const p of paths) for (let i = 0; i < f.files[p].entries; i++) s += event.genWeight(f.files[p].seed, i);
  return s;
}

/** xsec x lumi chosen so that the weight factor is a power of two: every weighted sum stays exact. */
export function fixtureAnalysis(f: Files): Analysis {
  const a = new Analysis();
  a.dataset("mc1", f.mc1, { xsec: sumw(f, f.mc1), lumi: 2, label: "MC one" });
  a.dataset("mc2", f.mc2, { xsec: sumw(f, f.mc2) * 0.25, lumi: 1 });
  a.dataset("data", f.data, { data: true });
  a.define("xx", "x + y");
  a.category("region", "low", "x < 60");
  a.category("region", "high", "x >= 40");
  a.category("region", "all", "1");
  a.category("jets", "j0", "nJet == 0");
  a.category("jets", "j1p", "nJet >= 1");
  a.systematic("sfw", "weight", { up: "sf", down: "2 - sf" });
  a.systematic("jes", "shape", { column: "Jet.pt", up: "Jet.pt * 1.25", down: "Jet.pt * 0.75" });
  a.systematic("xshift", "shape", { column: "x", up: "x + 8", down: "x - 8" });
  a.hist("x", Reg(20, 0, 125, { label: "x" }), "x");
  a.hist("jetpt", Var([0, 20, 40, 60, 100], "jet pt"), "Jet.pt");
  a.hist("xy", Reg(10, 0, 200), "xx", { weight: "sf" });
  a.hist("n", Int(0, 5), "n");
  return a;
}

interface Ev { x: number; y: number; n: number; sf: number; nJet: number; jets: number[] }

function ev(seed: number, i: number, variation: string): Ev {
  const nJet = event.nJet(seed, i);
  const jets = Array.from({ length: nJet }, (_, k) => Math.fround(event.jetPt(seed, i, k)));
  let x = event.x(seed, i);
  if (variation === "jes_up") jets.forEach((p, k) => (jets[k] = p * 1.25));
  if (variation === "jes_down") jets.forEach((p, k) => (jets[k] = p * 0.75));
  if (variation === "xshift_up") x = x + 8;
  if (variation === "xshift_down") x = x - 8;
  return { x, y: event.y(seed, i), n: event.n(seed, i), sf: event.sf(seed, i), nJet, jets };
}

/** Expected values and variances (flow included, C order) of every histogram. */
export function expected(spec: AnalysisSpec, f: Files, datasets = spec.datasets.map((d) => d.name)) {
  const out: Record<string, { values: Float64Array; variances: Float64Array }> = {};
  const systs = ["nominal", "sfw_up", "sfw_down", "jes_up", "jes_down", "xshift_up", "xshift_down"];
  for (const h of spec.hists) {
    const axes = histAxes(spec, h, datasets);
    const ext = axes.map((a) => a.extent);
    const size = ext.reduce((a, b) => a * b, 1);
    const values = new Float64Array(size);
    const variances = new Float64Array(size);
    const own = axes[4];
    const uf = own.traits.underflow ? 1 : 0;
    datasets.forEach((dsName, di) => {
      const d = spec.datasets.find((x) => x.name === dsName)!;
      const norm = d.data ? 1 : (d.xsec! * d.lumi!) / sumw(f, d.files);
      for (const path of d.files) {
        const { seed, entries } = f.files[path];
        for (let i = 0; i < entries; i++) {
          const slots = d.data ? ["nominal"] : systs;
          for (const s of slots) {
            const e = ev(seed, i, s);
            let w = d.data ? 1 : event.genWeight(seed, i) * norm;
            if (h.name === "xy") w = w * e.sf;
            if (s === "sfw_up") w = w * e.sf;
            if (s === "sfw_down") w = w * (2 - e.sf);
            const regions = [e.x < 60, e.x >= 40, true];
            const jets = [e.nJet === 0, e.nJet >= 1];
            const vals = h.name === "x" ? [e.x] : h.name === "jetpt" ? e.jets : h.name === "xy" ? [e.x + e.y] : [e.n];
            for (const v of vals) {
              const j = own.index(v);
              if (j < -uf || j >= own.extent - uf) continue;
              regions.forEach((r, ri) => jets.forEach((jj, ji) => {
                if (!r || !jj) return;
                const idx = [di, ri, ji, systs.indexOf(s), j + uf];
                let flat = 0;
                idx.forEach((k, a) => (flat = flat * ext[a] + k));
                values[flat] += w;
                variances[flat] += w * w;
              }));
            }
          }
        }
      }
    });
    out[h.name] = { values, variances };
  }
  return out;
}
