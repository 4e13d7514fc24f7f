// Reading rate (events per second) of open-data-example.root (100k events, nMuon + Muon_* jagged) through
// src/data against Python uproot reading the same columns into arrays, interleaved in the same run. Both
// include opening the file, decompression and conversion to native arrays.
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openEventSource } from "../src/data/index.js";
import { startPythonSession } from "../test/helpers/python.js";
import { type BenchContext, median, rateResult } from "./lib.js";

export const about = "events/s reading open-data-example.root (nMuon + Muon_pt/eta/phi), vs uproot";

const COLUMN_SETS: Record<string, string[]> = {
  "nMuon+Muon_pt": ["nMuon", "Muon_pt"],
  "nMuon+Muon_pt,eta,phi,mass,charge": ["nMuon", "Muon_pt", "Muon_eta", "Muon_phi", "Muon_mass", "Muon_charge"],
};

function dataFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, "..", "shared", "data", "open-data-example.root");
}

export async function run(ctx: BenchContext): Promise<void> {
  const path = dataFile();
  const py = await startPythonSession(`
import time, uproot
def handle(msg):
    t0 = time.perf_counter()
    with uproot.open(msg["path"]) as f:
        arrays = f["Events"].arrays(msg["columns"], library="np")
    return {"seconds": time.perf_counter() - t0, "events": len(arrays[msg["columns"][0]])}
`);
  try {
    for (const [label, columns] of Object.entries(COLUMN_SETS)) {
      const js: number[] = [], readOnly: number[] = [], pyRates: number[] = [];
      for (let rep = -1; rep < ctx.reps; rep++) {
        const t0 = process.hrtime.bigint();
        const src = await openEventSource(path);
        const t1 = process.hrtime.bigint();
        let events = 0;
        for await (const b of src.read(columns)) events += b.length;
        const t2 = process.hrtime.bigint();
        await src.close();
        const s = Number(process.hrtime.bigint() - t0) / 1e9;
        const r = await py.call<{ seconds: number; events: number }>({ path, columns });
        if (rep < 0) continue; // warm-up of both
        js.push(events / s);
        readOnly.push(events / (Number(t2 - t1) / 1e9));
        pyRates.push(r.events / r.seconds);
      }
      ctx.emit(rateResult(`read open-data-example.root ${label}`, median(js), "events/s", median(pyRates), {
        baselineTool: "uproot",
        // This file keeps its baskets inside the TTree object: opening it (jsroot inflating the tree) is most of the time.
        readAfterOpen: Math.round(median(readOnly)),
      }));
    }
  } finally {
    await py.close();
  }
}
