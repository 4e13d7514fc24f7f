// Magic parse overhead (issue 4): what a cell of magics costs before any TypeScript runs: parse,
// check against the schema of a real NanoAOD file (1499 branches) and blank, per cell.
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { MagicSession } from "../kernel-ext/magics/index.js";
import { median, round4, type BenchContext } from "./lib.js";

export const about = "magics: parse + schema check + blanking of a typical analysis cell";

const data = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "shared", "data");

const CELL = [
  "%define goodMu = Muon[Muon.pt > 10 && abs(Muon.eta) < 2.4]",
  "%category pair os: count(goodMu) >= 2 && goodMu.charge[0] != goodMu.charge[1]",
  "%systematic mes shape Muon.pt: Muon.pt * 1.01, Muon.pt * 0.99",
  '%hist ptlead Reg(25, 0, 100, "leading muon p_T [GeV]") = first(goodMu.pt, -1)',
  "const note = 'TypeScript after the magics keeps its positions';",
].join("\n");

export async function run(ctx: BenchContext): Promise<void> {
  const s = new MagicSession();
  // Declaring the dataset reads its schema once; the timed transforms then check against it.
  await s.execute(`%dataset dy ${path.join(data, "nano_dy.root")} --xsec 1 --lumi 1`);
  const times: number[] = [];
  for (let r = 0; r < 200 * Math.max(1, ctx.reps); r++) {
    const t = performance.now();
    s.transform(CELL);
    times.push(performance.now() - t);
  }
  ctx.emit({ name: "magics parse+check of a 4-magic cell", value: round4(median(times.slice(50))), unit: "ms", target: 100, schemaBranches: s.schema?.fields.size });
}
