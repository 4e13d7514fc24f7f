// ROOT files written by uproot with each compression ROOT uses (zlib, LZ4, LZMA, ZSTD), from the real
// open-data events, in many baskets; read back in batches and ranges that cut the baskets.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openRootSource } from "../../src/data/index.js";
import { runPython } from "../helpers/python.js";
import { assertSameValues, DATA, readAll } from "./util.js";

const dir = mkdtempSync(join(tmpdir(), "zhist-data-"));
const EVENTS = 20_000;
const CHUNK = 3_000; // one basket per extend call: 7 baskets, the last one short
const COLUMNS = ["nMuon", "Muon_pt", "Muon_eta", "Muon_charge", "Jet_pt", "nJet_pt", "run"];
// LZMA9: level 9, as CMS writes NanoAOD (a dictionary of 64 MiB; jsroot's own LZMA decoder rejects it).
const ALGORITHMS = ["ZLIB", "LZ4", "LZMA", "LZMA9", "ZSTD"] as const;
let reference: Awaited<ReturnType<typeof runPython>>;

before(async () => {
  reference = await runPython(
    `
import uproot, awkward as ak
src = uproot.open(INPUT["source"])["Events"].arrays(["nMuon", "Muon_pt", "Muon_eta", "Muon_charge"], entry_stop=INPUT["events"])
muon = ak.zip({"pt": src.Muon_pt, "eta": src.Muon_eta, "charge": src.Muon_charge})
# A jagged branch alone gets its own counter ("nJet_pt"): the reader must take it from the count leaf.
jet_pt = src.Muon_pt * 2
run = np.arange(len(src), dtype=np.int64) * 3 + 190000
for algo in INPUT["algorithms"]:
    comp = uproot.LZMA(9) if algo == "LZMA9" else getattr(uproot, algo)(4 if algo != "LZMA" else 2)
    with uproot.recreate(INPUT["dir"] + "/" + algo + ".root", compression=comp) as f:
        # mktree: a TTree (assigning a dict would make an RNTuple in uproot 5.7).
        t = f.mktree("Events", {"Muon": muon.type.content, "Jet_pt": jet_pt.type.content, "run": np.int64})
        for start in range(0, len(src), INPUT["chunk"]):
            sl = slice(start, start + INPUT["chunk"])
            t.extend({"Muon": muon[sl], "Jet_pt": jet_pt[sl], "run": run[sl]})
t = uproot.open(INPUT["dir"] + "/ZSTD.root")["Events"]
out = {"fCompress": {a: uproot.open(INPUT["dir"] + "/" + a + ".root").file.fCompress for a in INPUT["algorithms"]},
       "baskets": t["Muon_pt"].num_baskets}
for name in INPUT["columns"]:
    arr = t[name].array(library="ak")
    if arr.ndim > 1:
        emit_array(name + "/c", np.asarray(ak.num(arr), dtype="f8"))
        arr = ak.flatten(arr)
    emit_array(name + "/v", np.asarray(arr).astype("f8"))
emit(out)
`,
    { input: { source: join(DATA, "open-data-example.root"), events: EVENTS, chunk: CHUNK, dir, algorithms: ALGORITHMS, columns: COLUMNS } },
  );
});

after(() => rmSync(dir, { recursive: true, force: true }));

function checkAgainstReference(got: Awaited<ReturnType<typeof readAll>>, what: string, lo = 0, hi = EVENTS) {
  for (const c of COLUMNS) {
    const counts = reference.arrays[c + "/c"]?.data;
    let values = reference.arrays[c + "/v"].data;
    if (counts) {
      let a = 0, b = 0;
      for (let i = 0; i < hi; i++) (i < lo ? (a += counts[i]) : 0), (b += counts[i]);
      values = values.subarray(a, b);
      assertSameValues(got.columns[c].counts!, counts.subarray(lo, hi), `${what} ${c} counts`);
    } else values = values.subarray(lo, hi);
    assertSameValues(got.columns[c].values, values, `${what} ${c} values`);
  }
}

for (const algo of ALGORITHMS) {
  test(`${algo}-compressed ROOT file written by uproot reads the same as uproot`, async () => {
    const json = reference.json as { fCompress: Record<string, number>; baskets: number };
    assert.ok(json.baskets >= 7, "the file has several baskets per branch");
    const code = { ZLIB: 1, LZMA: 2, LZMA9: 2, LZ4: 4, ZSTD: 5 }[algo];
    assert.equal(Math.floor(json.fCompress[algo] / 100), code, "the file really uses " + algo);
    if (algo === "LZMA9") assert.equal(json.fCompress[algo] % 100, 9);
    const src = await openRootSource(join(dir, algo + ".root"));
    try {
      assert.equal(src.entries, EVENTS);
      assert.equal(src.schema.fields.get("Jet_pt")!.counter, "nJet_pt");
      assert.equal(src.schema.fields.get("Muon_pt")!.counter, "nMuon");
      checkAgainstReference(await readAll(src, COLUMNS), algo);
    } finally {
      await src.close();
    }
  });
}

test("batches and ranges that cut baskets give the same events", async () => {
  const zstd = await openRootSource(join(dir, "ZSTD.root"));
  try {
    for (const [range, batch] of [
      [undefined, 1000],
      [undefined, 2999],
      [{ start: 0, stop: EVENTS }, 7001],
      [{ start: 2990, stop: 9010 }, 1234],
      [{ start: 5999, stop: 6001 }, 1],
      [{ start: 17_000, stop: 25_000 }, 100_000],
      [{ start: 123, stop: 123 }, 10],
    ] as const) {
      const got = await readAll(zstd, COLUMNS, range, batch);
      const lo = range?.start ?? 0, hi = Math.min(range?.stop ?? EVENTS, EVENTS);
      assert.equal(got.stop, hi, "stops at the range end");
      assert.equal(got.batches, Math.ceil((hi - lo) / batch), "batches of the asked size");
      checkAgainstReference(got, `range ${JSON.stringify(range)} batch ${batch}`, lo, hi);
    }
  } finally {
    await zstd.close();
  }
});
