import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { Hist } from "../../src/hist/index.js";
import { FillError, readDatasetsMetadata } from "../../src/exec/index.js";
import type { FillProgress } from "../../src/analysis/index.js";
import { expected, fixtureAnalysis, makeFiles, modules } from "./setup.js";

const dir = mkdtempSync(join(tmpdir(), "zhist-exec-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const files = makeFiles(join(dir, "in"));
const analysis = fixtureAnalysis(files);
const want = expected(analysis.toSpec(), files);

async function viewOf(h: unknown): Promise<{ values: Float64Array; variances: Float64Array }> {
  const x = h as Hist;
  const v = await x.values({ flow: true });
  const w = await x.variances({ flow: true });
  return { values: v.data, variances: w!.data };
}

async function assertExpected(hists: Record<string, unknown>, label: string) {
  for (const [name, w] of Object.entries(want)) {
    const got = await viewOf(hists[name]);
    assert.equal(got.values.length, w.values.length, `${label} ${name}: size`);
    for (let i = 0; i < w.values.length; i++) {
      if (got.values[i] !== w.values[i] || got.variances[i] !== w.variances[i]) {
        assert.fail(`${label} ${name}: cell ${i}: got ${got.values[i]}/${got.variances[i]}, expected ${w.values[i]}/${w.variances[i]}`);
      }
    }
  }
}

describe("fill", () => {
  for (const workers of [0, 1, 2, 4]) {
    test(`in memory with ${workers} worker(s) equals the plain reference bin by bin`, async () => {
      const hists = await analysis.fill({ workers, modules, unitEvents: 250, batchEvents: 64 });
      await assertExpected(hists, `workers=${workers}`);
    });
  }

  test("the reference has entries in every histogram and every systematic", () => {
    for (const w of Object.values(want)) assert.ok(w.values.some((v) => v !== 0));
  });

  for (const workers of [1, 2]) {
    test(`into a store with ${workers} worker(s), small landings and tiny temporaries (staged)`, async () => {
      const store = join(dir, `store-${workers}`);
      const hists = await analysis.fill({ workers, modules, store, unitEvents: 300, batchEvents: 50, landEveryUnits: 2, memoryBytes: 8192 });
      await assertExpected(hists, `store workers=${workers}`);
      // A second fill finds every unit journaled and adds nothing.
      const again = await analysis.fill({ workers, modules, store, unitEvents: 300, batchEvents: 50 });
      await assertExpected(again, `refill workers=${workers}`);
      const meta = (hists.x as { metadata: Record<string, unknown> }).metadata;
      const ds = readDatasetsMetadata(meta);
      assert.equal(ds.mc1.norm, 2);
      assert.deepEqual(ds.mc1.sumwSources, ["Runs.genEventSumw"]);
      assert.deepEqual(ds.mc2.sumwSources, ["genWeight"]);
      assert.equal(ds.data.norm, 1);
      assert.deepEqual(emptyDirectories(store), [], "no directory for a chunk never written (normalizing mc2 walks every key)");
    });
  }

  test("datasets option fills only those; a later fill adds the others to the store", async () => {
    const store = join(dir, "store-subsets");
    await analysis.fill({ workers: 2, modules, store, unitEvents: 500, datasets: ["data"] });
    const hists = await analysis.fill({ workers: 2, modules, store, unitEvents: 500, datasets: ["mc2", "mc1"] });
    const order = ["data", "mc1", "mc2"]; // first fill first, then declaration order
    const w = expected(analysis.toSpec(), files, order);
    for (const [name, e] of Object.entries(w)) {
      const got = await viewOf(hists[name]);
      assert.deepEqual(got.values, e.values, name);
      assert.deepEqual(got.variances, e.variances, name);
    }
  });

  test("progress events: about 10 per second, per dataset, ending with done", async () => {
    const slow = makeFiles(join(dir, "slow"), 1, 15);
    const a = fixtureAnalysis(slow);
    const events: FillProgress[] = [];
    const t0 = Date.now();
    await a.fill({ workers: 2, modules, unitEvents: 400, batchEvents: 100, onProgress: (p) => events.push(p) });
    const seconds = (Date.now() - t0) / 1000;
    const last = events.at(-1)!;
    assert.equal(last.done, true);
    assert.equal(last.eventsDone, last.eventsTotal);
    assert.equal(last.eventsTotal, 1000 + 700 + 1300 + 900 + 333);
    assert.equal(last.datasets.mc1.eventsDone, 1700);
    assert.equal(last.unitsDone, last.unitsTotal);
    assert.ok(events.length >= Math.floor(seconds * 5), `${events.length} events in ${seconds} s`);
    assert.ok(events.length <= seconds * 15 + 3, `${events.length} events in ${seconds} s`);
    for (let i = 1; i < events.length; i++) assert.ok(events[i].eventsDone >= events[i - 1].eventsDone);
    assert.ok(events.some((p) => !p.done && p.eventsDone > 0 && p.eventsDone < p.eventsTotal && p.etaSeconds !== null && p.eventsPerSecond > 0));
  });

  test("abort stops the workers promptly; a rerun into the store completes exactly", async () => {
    const slow = makeFiles(join(dir, "slow-abort"), 1, 30);
    const a = fixtureAnalysis(slow);
    const store = join(dir, "store-abort");
    const ac = new AbortController();
    let abortedAt = 0;
    const run = a.fill({
      workers: 2, modules, store, unitEvents: 200, batchEvents: 50, landEveryUnits: 1, signal: ac.signal,
      onProgress: () => { if (!abortedAt && journaled(store) >= 2) { abortedAt = Date.now(); ac.abort(); } },
    });
    await assert.rejects(run, (e: Error) => e.name === "AbortError");
    assert.ok(Date.now() - abortedAt < 3000, `took ${Date.now() - abortedAt} ms to stop`);
    const done: FillProgress[] = [];
    const hists = await a.fill({ workers: 2, modules, store, unitEvents: 200, batchEvents: 50, onProgress: (p) => done.push(p) });
    assert.ok(done.at(-1)!.unitsTotal <= 23 - 2, `the rerun skips units landed before the abort (${done.at(-1)!.unitsTotal} of 23 run)`);
    const w = expected(a.toSpec(), slow);
    for (const [name, e] of Object.entries(w)) {
      const got = await viewOf(hists[name]);
      assert.deepEqual(got.values, e.values, name);
    }
  });

  test("a missing and a corrupt file fail their dataset with errors naming them; the others complete", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ this is not json");
    const missing = join(dir, "nope.json");
    const a = fixtureAnalysis(files);
    const spec = a.toSpec();
    const broken = new (a.constructor as new () => typeof a)();
    for (const d of spec.datasets) {
      const extra = d.name === "mc2" ? [bad] : d.name === "data" ? [missing] : [];
      broken.dataset(d.name, [...d.files, ...extra], d.data ? { data: true } : { xsec: d.xsec, lumi: d.lumi });
    }
    for (const [n, e] of spec.defines) broken.define(n, e);
    for (const c of spec.categories) broken.category(c.axis, c.label, c.expr);
    for (const s of spec.systematics) s.kind === "weight" ? broken.systematic(s.name, "weight", s) : broken.systematic(s.name, "shape", s);
    for (const h of spec.hists) broken.hist(h.name, h.axis, h.expr, h.weight ? { weight: h.weight } : {});
    const err = await broken.fill({ workers: 2, modules, unitEvents: 400 }).then(() => null, (e) => e);
    assert.ok(err instanceof FillError, String(err));
    assert.equal(err.failures.length, 2);
    assert.match(err.message, /bad\.json/);
    assert.match(err.message, /nope\.json/);
    // mc1 is complete and equal to the reference on its dataset slice.
    const w = expected(spec, files, ["mc1"]);
    for (const [name, e] of Object.entries(w)) {
      const h = err.hists[name] as Hist;
      assert.deepEqual(h.slice({ dataset: "mc1" }).values({ flow: true }).data, (await sliceExpected(spec, e, name)).data);
    }
  });
});

// The mc1 slice of a reference computed with mc1 alone: drop the dataset axis.
async function sliceExpected(spec: ReturnType<typeof fixtureAnalysis>["toSpec"] extends () => infer S ? S : never, e: { values: Float64Array }, name: string) {
  const { Hist } = await import("../../src/hist/index.js");
  const { histAxes } = await import("../../src/exec/index.js");
  const h = new Hist(histAxes(spec, spec.hists.find((x) => x.name === name)!, ["mc1"]), "weight");
  h.storage.fields[0].set(e.values);
  return h.slice({ dataset: "mc1" }).values({ flow: true });
}

function emptyDirectories(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = readdirSync(d, { withFileTypes: true });
    if (!entries.length) out.push(d);
    for (const e of entries) if (e.isDirectory()) walk(join(d, e.name));
  };
  walk(root);
  return out;
}

/** Units committed in a store's journal. */
export function journaled(store: string): number {
  const f = join(store, ".zhist", "journal");
  if (!existsSync(f)) return 0;
  return readFileSync(f, "utf8").split("\n").filter((l) => l.startsWith("C ")).reduce((n, l) => n + l.split(" ")[2].split(",").length, 0);
}
