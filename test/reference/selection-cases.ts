// Cases for slicing and projecting (UHI indexing) after a fill, compared with boost-histogram's
// `h[{axis: ...}]` and `h.project(...)`.
import { Rng } from "../helpers/random.js";
import { type AxisSpec, type Case, CaseBuilder, type SelectionSpec, type StorageSpec, extrasFor, valuesFor } from "./cases.js";

const L = (v: number | string, offset?: number) => (offset === undefined ? { loc: v } : { loc: v, offset });

/** Selections on a dataset x Regular x Variable histogram, one at a time and combined. */
const SELECTIONS_3D: SelectionSpec[] = [
  { name: "a label removes the category axis", sel: { dataset: L("ttbar") } },
  { name: "sum over the category axis", sel: { dataset: "sum" } },
  { name: "loc range folds the cut bins into flow", sel: { x: { range: [L(50), L(150)] } } },
  { name: "loc range inside bins", sel: { x: { range: [L(55.5), L(144.9)] } } },
  { name: "loc range with rebin(2)", sel: { x: { range: [L(50), L(150)], action: { rebin: 2 } } } },
  { name: "rebin(4) of the whole axis", sel: { x: { rebin: 4 } } },
  { name: "range summed", sel: { x: { range: [L(50), L(150)], action: "sum" } } },
  { name: "open range from an index, summed", sel: { y: { range: [{ index: 1 }, null], action: "sum" } } },
  { name: "index range", sel: { y: { range: [{ index: 1 }, { index: 3 }] } } },
  { name: "underflow bin", sel: { x: { flow: "underflow" } } },
  { name: "overflow bin and an index", sel: { x: { flow: "overflow" }, y: { index: 2 } } },
  { name: "loc with offset", sel: { x: L(100, 1) } },
  { name: "labels picked out of order", sel: { dataset: { labels: ["data", "ttbar"] } } },
  { name: "label, sum and range together", sel: { dataset: L("wjets"), x: "sum", y: { range: [L(-1), L(1)] } } },
  { name: "everything summed to a scalar", sel: { dataset: "sum", x: "sum", y: "sum" } },
  { name: "project(y, x) reorders", project: ["y", "x"] },
  { name: "project(dataset)", project: ["dataset"] },
];

/** On axes without flow bins the cut bins are dropped, and circular axes wrap. */
const SELECTIONS_NOFLOW: SelectionSpec[] = [
  { name: "range on a no-flow axis drops the cut bins", sel: { x: { range: [L(0.2), L(0.7)] } } },
  { name: "rebin(2) on a no-flow axis", sel: { x: { rebin: 2 } } },
  { name: "sum over a no-flow axis", sel: { x: "sum" } },
  { name: "an IntCategory label", sel: { n: L(3) } },
  { name: "IntCategory summed (flow bin included)", sel: { n: "sum" } },
  { name: "project(n)", project: ["n"] },
];

export function makeSelectionCases(seed: number): Case[] {
  const rng = new Rng(seed);
  const cases: Case[] = [];
  for (const [storage, weighted] of [["double", false], ["double", true], ["weight", true], ["mean", false]] as [StorageSpec, boolean][]) {
    const b = new CaseBuilder(rng, `s3${storage}${weighted}`);
    const axes: AxisSpec[] = [
      { name: "dataset", kind: "strcat", labels: [], flags: { growth: true } },
      { name: "x", kind: "reg", bins: 20, lo: 0, hi: 200, flags: {} },
      { name: "y", kind: "var", edges: [-2.5, -1, 0, 0.5, 1, 2.5], flags: {} },
    ];
    const fills = ["ttbar", "wjets", "data", "ttbar"].map((dataset) => ({
      args: [{ scalar: dataset }, valuesFor(b, axes[1], 2000), valuesFor(b, axes[2], 2000)],
      ...extrasFor(b, storage, 2000, weighted),
    }));
    cases.push({ name: `3-D ${storage}${weighted ? ", weighted" : ""}`, axes, storage, fills, arrays: b.arrays, selections: SELECTIONS_3D });
  }
  {
    const b = new CaseBuilder(rng, "snoflow");
    const axes: AxisSpec[] = [
      { name: "x", kind: "reg", bins: 10, lo: 0, hi: 1, flags: { underflow: false, overflow: false } },
      { name: "n", kind: "intcat", labels: [1, 3, 5], flags: {} },
    ];
    const fills = [{ args: [valuesFor(b, axes[0], 3000), valuesFor(b, axes[1], 3000)], ...extrasFor(b, "weight", 3000, true) }];
    cases.push({ name: "2-D no-flow Regular x IntCategory, weight", axes, storage: "weight", fills, arrays: b.arrays, selections: SELECTIONS_NOFLOW });
  }
  return cases;
}
