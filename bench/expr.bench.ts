// Expression throughput: a typical selection + reduction compiled from text, against the same
// computation written by hand as a plain loop, on synthetic NanoAOD-like jagged data (about 9 jets
// per event), measured in the same run, interleaved. ratio = compiled / hand-written (1 = as fast).
import type { ColumnBatch } from "../src/data/types.js";
import { ExprScope } from "../src/expr/index.js";
import { median, rateResult, type BenchContext, rng } from "./lib.js";

export const about = "compiled expressions vs hand-written loops, events/s (9 jets/event)";

function syntheticBatch(events: number): ColumnBatch {
  const r = rng(42);
  const offsets = new Int32Array(events + 1);
  // Poisson-like multiplicity around 9 (sum of uniforms), never negative.
  for (let i = 0; i < events; i++) offsets[i + 1] = offsets[i] + Math.max(0, Math.round(9 + (r() + r() + r() - 1.5) * 6));
  const total = offsets[events];
  const pt = new Float32Array(total);
  const eta = new Float32Array(total);
  const btag = new Float32Array(total);
  for (let j = 0; j < total; j++) {
    pt[j] = 15 + -Math.log(1 - r()) * 30;
    eta[j] = (r() - 0.5) * 6;
    btag[j] = r();
  }
  const met = Float32Array.from({ length: events }, () => -Math.log(1 - r()) * 40);
  return {
    source: "synthetic",
    entryStart: 0,
    length: events,
    columns: {
      Jet_pt: { kind: "jagged", offsets, values: pt },
      Jet_eta: { kind: "jagged", offsets: offsets.slice(), values: eta },
      Jet_btagDeepB: { kind: "jagged", offsets: offsets.slice(), values: btag },
      MET_pt: { kind: "scalar", values: met },
    },
  };
}

/** The hand-written version of HT_SELECTED below: what an analyst would write in a plain loop. */
function handWritten(batch: ColumnBatch, out: Float64Array): void {
  const ptCol = batch.columns.Jet_pt as { offsets: Int32Array; values: Float32Array };
  const eta = (batch.columns.Jet_eta as { values: Float32Array }).values;
  const btag = (batch.columns.Jet_btagDeepB as { values: Float32Array }).values;
  const met = (batch.columns.MET_pt as { values: Float32Array }).values;
  const { offsets, values: pt } = ptCol;
  for (let i = 0, n = batch.length; i < n; i++) {
    let nGood = 0;
    let nB = 0;
    let ht = 0;
    for (let j = offsets[i], e = offsets[i + 1]; j < e; j++) {
      if (pt[j] > 25 && Math.abs(eta[j]) < 2.4) {
        nGood++;
        ht += pt[j];
        if (btag[j] > 0.5) nB++;
      }
    }
    out[i] = nGood >= 4 && nB >= 1 && met[i] > 20 ? ht : -1;
  }
}

const HT_SELECTED = "count(goodJet) >= 4 && count(goodJet[goodJet.btagDeepB > 0.5]) >= 1 && MET_pt > 20 ? sum(goodJet.pt) : -1";

export async function run(ctx: BenchContext): Promise<void> {
  const events = Math.max(10_000, Math.round(2_000_000 * ctx.scale));
  const batch = syntheticBatch(events);
  const schema = {
    fields: new Map([
      ["Jet_pt", { name: "Jet_pt", kind: "jagged" as const, type: "f32" as const }],
      ["Jet_eta", { name: "Jet_eta", kind: "jagged" as const, type: "f32" as const }],
      ["Jet_btagDeepB", { name: "Jet_btagDeepB", kind: "jagged" as const, type: "f32" as const }],
      ["MET_pt", { name: "MET_pt", kind: "scalar" as const, type: "f32" as const }],
    ]),
  };
  const scope = new ExprScope(schema);
  scope.define("goodJet", "Jet[Jet.pt > 25 && abs(Jet.eta) < 2.4]");
  const compiled = scope.compile(HT_SELECTED);
  const jaggedExpr = scope.compile("goodJet.pt * 1.02");
  const out = new Float64Array(events);

  // Same answer first: a benchmark of a wrong kernel measures nothing.
  handWritten(batch, out);
  const got = compiled.evaluateScalar(batch);
  for (let i = 0; i < events; i++) if (got[i] !== out[i]) throw new Error(`expr bench: event ${i}: compiled ${got[i]}, hand-written ${out[i]}`);

  const time = (f: () => void) => {
    const t0 = process.hrtime.bigint();
    f();
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const reps = Math.max(3, ctx.reps);
  const tc: number[] = [];
  const th: number[] = [];
  const tj: number[] = [];
  for (let w = 0; w < 2; w++) {
    compiled.evaluate(batch);
    handWritten(batch, out);
    jaggedExpr.evaluate(batch);
  }
  for (let r = 0; r < reps; r++) {
    tc.push(time(() => compiled.evaluate(batch)));
    th.push(time(() => handWritten(batch, out)));
    tj.push(time(() => jaggedExpr.evaluate(batch)));
  }
  const jets = (batch.columns.Jet_pt as { offsets: Int32Array }).offsets[events];
  const extra = { events, jetsPerEvent: Number((jets / events).toFixed(2)), expr: HT_SELECTED };
  ctx.emit(rateResult("expr selection+reduction (compiled vs hand-written loop)", events / median(tc), "events/s", events / median(th), extra));
  ctx.emit(rateResult("expr jagged selection goodJet.pt * 1.02", events / median(tj), "events/s", undefined, { events }));
}
