// One end-to-end fill in its own process, so that its peak RSS is its own: the analysis of the issue's
// workload shape (3 datasets, 2 category axes of 5 labels, nominal + 10 weight systematics up/down +
// a jet-pt shape systematic up/down, 5 variables) over the given files. Prints one JSON line.
import { fileURLToPath } from "node:url";
import { Analysis, Int, Reg } from "../src/analysis/index.js";
import "../src/exec/index.js";

export interface ChildArgs { datasets: Record<string, string[]>; workers: number; store?: string; unitEvents?: number; simple?: { tree?: string } }

export function benchAnalysis(datasets: Record<string, string[]>): Analysis {
  const a = new Analysis();
  const names = Object.keys(datasets);
  names.forEach((n, i) => a.dataset(n, datasets[n], i === names.length - 1 ? { data: true } : { xsec: 100 * (i + 1), lumi: 1000 }));
  a.define("goodJet", "Jet[Jet.pt > 25 && abs(Jet.eta) < 2.4]");
  a.define("bJet", "goodJet[goodJet.btagDeepB > 0.7]");
  a.define("goodMu", "Muon[Muon.pt > 20 && Muon.pfRelIso04_all < 0.15]");
  a.define("goodEl", "Electron[Electron.pt > 20]");
  a.category("region", "0b", "count(bJet) == 0");
  a.category("region", "1b", "count(bJet) == 1");
  a.category("region", "2b", "count(bJet) >= 2");
  a.category("region", "4j", "count(goodJet) >= 4");
  a.category("region", "all", "count(goodJet) >= 0");
  a.category("lepton", "mu", "count(goodMu) == 1 && count(goodEl) == 0");
  a.category("lepton", "el", "count(goodEl) == 1 && count(goodMu) == 0");
  a.category("lepton", "emu", "count(goodEl) >= 1 && count(goodMu) >= 1");
  a.category("lepton", "none", "count(goodEl) == 0 && count(goodMu) == 0");
  a.category("lepton", "any", "count(goodEl) + count(goodMu) >= 1");
  a.systematic("pu", "weight", { up: "puWeightUp / puWeight", down: "puWeightDown / puWeight" });
  a.systematic("btag", "weight", { up: "btagWeightUp / btagWeight", down: "btagWeightDown / btagWeight" });
  for (let i = 3; i <= 10; i++) a.systematic(`w${i}`, "weight", { up: `1 + ${0.01 * i} * (MET_pt > ${10 * i})`, down: `1 - ${0.01 * i} * (MET_pt > ${10 * i})` });
  a.systematic("jes", "shape", { column: "Jet.pt", up: "Jet.pt * 1.03", down: "Jet.pt * 0.97" });
  a.hist("ht", Reg(50, 0, 1500, "H_T [GeV]"), "sum(goodJet.pt)");
  a.hist("njet", Int(0, 15, "jets"), "count(goodJet)");
  a.hist("met", Reg(50, 0, 400, "MET [GeV]"), "MET_pt");
  a.hist("jetpt", Reg(50, 0, 500, "jet p_T [GeV]"), "goodJet.pt");
  a.hist("mupt", Reg(50, 0, 300, "muon p_T [GeV]"), "goodMu.pt");
  return a;
}

/** The open-data file: dimuon selections, a muon weight systematic and a muon-pt shape one. */
export function openDataAnalysis(file: string): Analysis {
  const a = new Analysis();
  a.dataset("opendata", [file], { data: true });
  a.define("goodMu", "Muon[Muon.pt > 10 && abs(Muon.eta) < 2.4]");
  a.category("nmu", "1", "count(goodMu) == 1");
  a.category("nmu", "2", "count(goodMu) == 2");
  a.category("nmu", "ge1", "count(goodMu) >= 1");
  a.hist("mupt", Reg(50, 0, 200), "goodMu.pt");
  a.hist("nmuon", Int(0, 10), "nMuon");
  return a;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2]) {
  const args = JSON.parse(process.argv[2]) as ChildArgs & { opendata?: string };
  const a = args.opendata ? openDataAnalysis(args.opendata) : benchAnalysis(args.datasets);
  let events = 0;
  const t0 = process.hrtime.bigint();
  await a.fill({ workers: args.workers, store: args.store, unitEvents: args.unitEvents ?? 250_000, onProgress: (p) => { events = p.eventsDone; } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ events, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
}
