// End-to-end demo of the public API (`npm run demo`): build a histogram, fill a million
// synthetic entries per dataset, save it as Zarr in UHI layout, reopen it and print a summary.
import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { Hist } from "../src/index.js"; // the package entry ("zhist"); relative so a clean build needs no dist/
import { Rng } from "../test/helpers/random.js";

const N = Number(process.env.DEMO_ENTRIES ?? 1_000_000);
const OUT = process.env.DEMO_OUT ?? "out/demo.zarr";
const rng = new Rng(7);

const h = Hist.new
  .Reg(25, 50, 550, { name: "mbjj", label: "m_bjj [GeV]" })
  .StrCat([], { name: "dataset", growth: true })
  .Weight() as Hist; // the cast is a no-op once Hist.new is typed HistBuilder<Hist>

// A falling background plus a peak near the top mass, as a trijet mass might look.
const t0 = performance.now();
for (const [dataset, peak, xsecWeight] of [["ttbar", 0.35, 0.02], ["wjets", 0, 0.5]] as const) {
  const mbjj = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    mbjj[i] = rng.next() < peak ? 173 + 25 * rng.normal() : 50 - 120 * Math.log(1 - rng.next());
  }
  h.fill({ mbjj, dataset, weight: xsecWeight });
}
const fillMs = performance.now() - t0;

console.log(`filled ${2 * N} entries in ${fillMs.toFixed(0)} ms (${((2 * N) / fillMs / 1e3).toFixed(1)} M/s)`);
console.log(`axes: ${h.axes.map((a: { name: string; size: number }) => `${a.name}[${a.size}]`).join(" x ")}`);
console.log(`sum (with flow): ${JSON.stringify(h.sum({ flow: true }))}`);

// A text plot of the ttbar projection: enough to see that the peak is where it should be.
const ttbar = h.slice({ dataset: "ttbar" }).values();
const max = Math.max(...ttbar.data);
ttbar.data.forEach((v: number, i: number) => {
  const lo = 50 + i * 20;
  console.log(`${String(lo).padStart(4)}-${String(lo + 20).padEnd(4)} ${"#".repeat(Math.round((40 * v) / max)).padEnd(40)} ${v.toFixed(1)}`);
});

// Saving is the Zarr layer's job; say so plainly if it is not wired in yet rather than pretend.
rmSync(OUT, { recursive: true, force: true });
mkdirSync(dirname(OUT), { recursive: true });
const t1 = performance.now();
try {
  await h.save(OUT, "mbjj");
} catch (e) {
  if (!(e instanceof Error && /no Zarr backend/.test(e.message))) throw e;
  console.log(`not saved: ${e.message}`);
  process.exit(0);
}
// Store-backed histograms answer asynchronously.
const z = (await Hist.open(`${OUT}/mbjj`)) as { sum(o: { flow: boolean }): Promise<unknown> };
const back = await z.sum({ flow: true });
console.log(`saved to ${OUT}/mbjj and reopened in ${(performance.now() - t1).toFixed(0)} ms; sum there: ${JSON.stringify(back)}`);
