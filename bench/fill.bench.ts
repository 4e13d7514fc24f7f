// Fill rate (million entries per second) of zhist against Python boost-histogram filling the
// very same arrays in the same run. Python's timing covers only the fill calls: the arrays are
// loaded (numpy.fromfile) and the interpreter started before the clock starts.
import { Hist } from "../src/index.js"; // the package entry ("zhist"); relative so a clean build needs no dist/
import { startPythonSession } from "../test/helpers/python.js";
import { Rng } from "../test/helpers/random.js";
import { type BenchContext, median, rateResult, timeRuns } from "./lib.js";

export const about = "fill rate, 1-D/2-D Regular and 5-D (3 StrCat scalar labels + 2 Regular), vs boost-histogram";

const DATASETS = ["ttbar", "wjets", "singletop", "dy", "data"];
const REGIONS = ["4j1b", "4j2b", "3j1b"];
const SYSTS = ["nominal", "jes_up", "jes_down", "btag_up"];

/** Values spread over the axis range and a little beyond, so that flow bins are exercised too. */
function uniform(rng: Rng, n: number, lo: number, hi: number): Float64Array {
  const pad = (hi - lo) * 0.05;
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(lo - pad, hi + pad);
  return a;
}

interface Case {
  name: string;
  /** Entries per repetition. */
  n: number;
  zhist(): { make(): any; fill(h: any): void };
  /** Python: a statement building `h`, and one filling it. */
  py: { make: string; fill: string };
}

export async function run(ctx: BenchContext): Promise<void> {
  const n = Math.round(1e7 * ctx.scale);
  const rng = new Rng(20261123);
  const x = uniform(rng, n, 0, 1);
  const y = uniform(rng, n, 0, 1);
  const w = uniform(rng, n, 0.5, 1.5);
  const pt = uniform(rng, n, 0, 500);
  const eta = uniform(rng, n, -2.5, 2.5);
  // The usual HEP call: scalar category labels, arrays for the dense axes, one call per key.
  const chunks = 20;
  const per = Math.floor(n / chunks);
  const keys = Array.from({ length: chunks }, () => [rng.pick(DATASETS), rng.pick(REGIONS), rng.pick(SYSTS)]);

  const cases: Case[] = [
    {
      name: "fill.reg1d",
      n,
      zhist: () => ({
        make: () => Hist.new.Reg(100, 0, 1, { name: "x" }).Double(),
        fill: (h) => h.fill({ x }),
      }),
      py: { make: "bh.Histogram(bh.axis.Regular(100, 0, 1))", fill: "h.fill(x)" },
    },
    {
      name: "fill.reg1d.weight",
      n,
      zhist: () => ({
        make: () => Hist.new.Reg(100, 0, 1, { name: "x" }).Weight(),
        fill: (h) => h.fill({ x, weight: w }),
      }),
      py: { make: "bh.Histogram(bh.axis.Regular(100, 0, 1), storage=bh.storage.Weight())", fill: "h.fill(x, weight=w)" },
    },
    {
      name: "fill.reg2d",
      n,
      zhist: () => ({
        make: () => Hist.new.Reg(100, 0, 1, { name: "x" }).Reg(100, 0, 1, { name: "y" }).Double(),
        fill: (h) => h.fill({ x, y }),
      }),
      py: { make: "bh.Histogram(bh.axis.Regular(100, 0, 1), bh.axis.Regular(100, 0, 1))", fill: "h.fill(x, y)" },
    },
    {
      name: "fill.cat3reg2",
      n: per * chunks,
      zhist: () => ({
        make: () =>
          Hist.new.StrCat([], { name: "dataset", growth: true })
            .StrCat([], { name: "region", growth: true })
            .StrCat([], { name: "syst", growth: true })
            .Reg(50, 0, 500, { name: "pt" })
            .Reg(20, -2.5, 2.5, { name: "eta" })
            .Double(),
        fill: (h) => {
          for (let c = 0; c < chunks; c++) {
            const [dataset, region, syst] = keys[c];
            const s = c * per;
            h.fill({ dataset, region, syst, pt: pt.subarray(s, s + per), eta: eta.subarray(s, s + per) });
          }
        },
      }),
      py: {
        make:
          "bh.Histogram(*[bh.axis.StrCategory([], growth=True) for _ in range(3)], " +
          "bh.axis.Regular(50, 0, 500), bh.axis.Regular(20, -2.5, 2.5))",
        fill:
          "for c, (d, r, s) in enumerate(KEYS):\n" +
          "        h.fill(d, r, s, pt[c*PER:(c+1)*PER], eta[c*PER:(c+1)*PER])",
      },
    },
  ];

  // Python and zhist take turns, one repetition each, so that load from elsewhere on the machine
  // (it is shared and noisy) hits both sides alike.
  const py = await startPythonSession(pythonTimer(cases), { input: { keys, per }, arrays: { x, y, w, pt, eta } });
  try {
    for (const [i, c] of cases.entries()) {
      const { make, fill } = c.zhist();
      fill(make()); // warm-up: V8 optimizes the hot loop, as in a long-running kernel
      await py.call({ case: i });
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let r = 0; r < ctx.reps; r++) {
        theirs.push(await py.call<number>({ case: i }));
        ours.push((await timeRuns(1, make, fill, false))[0]);
      }
      const rate = (secs: number[]) => c.n / median(secs) / 1e6;
      ctx.emit(rateResult(c.name, rate(ours), "Mfill/s", rate(theirs), { baselineName: "boost-histogram", entries: c.n }));
    }
  } finally {
    await py.close();
  }
}

function pythonTimer(cases: Case[]): string {
  const funcs = cases
    .map(
      (c, i) => `
def make_${i}():
    return ${c.py.make}
def fill_${i}(h):
    ${c.py.fill}
CASES.append((make_${i}, fill_${i}))`,
    )
    .join("\n");
  return `
import time
import boost_histogram as bh
x, y, w, pt, eta = (ARRAYS[k] for k in ("x", "y", "w", "pt", "eta"))
KEYS, PER = INPUT["keys"], INPUT["per"]
CASES = []
${funcs}
def handle(msg):
    make, fill = CASES[msg["case"]]
    h = make()
    t0 = time.perf_counter()
    fill(h)
    return time.perf_counter() - t0
`;
}
