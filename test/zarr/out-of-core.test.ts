// Out-of-core reads with chunks decoded in the codec workers (decodeFrame) and added in grid order:
// streamRemap and StoredHist.project/slice/sum give bit-identical results with and without workers
// (ZHIST_CODEC_WORKERS=0 in a child process) and equal a sequential reference, on stores whose
// categorical keys add into the same destination cells (where the order of the additions shows in
// the last bits); a corrupt chunk still fails naming the chunk and its file.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Hist, sum, type StoredHistogram } from "../../src/index.js";
import { chunkGridShape } from "../../src/zarr/array.js";
import { gridPoints } from "../../src/zarr/block.js";
import { readChunk } from "../../src/zarr/chunks.js";
import { decodeChunk, encodeChunk } from "../../src/zarr/codec.js";
import { FrameError } from "../../src/zarr/codec-jobs.js";
import { codecWorkerCount, decodeFrame, releaseDecoded } from "../../src/zarr/codec-pool.js";
import { openField } from "../../src/zarr/layout.js";
import { listFiles, tempStore } from "./tmp.js";
import { makeRandom } from "../helpers/random.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const PT = 200;
const ETA = 50;

/** dataset x region x syst keys (4 x 3 x 3, every one filled) over eta x pt, weights far from dyadic. */
async function buildStore(kind: "Weight" | "Double" | "Mean"): Promise<string> {
  const dir = tempStore();
  const h = Hist.new
    .StrCat([], { name: "dataset", growth: true })
    .StrCat([], { name: "region", growth: true })
    .StrCat(["nominal", "up", "down"], { name: "syst" })
    .Reg(ETA, -2.5, 2.5, { name: "eta" })
    .Reg(PT, 0, 200, { name: "pt" })[kind]();
  await h.save(dir, "h");
  const stored = (await Hist.open(path.join(dir, "h"))) as StoredHistogram;
  const rnd = makeRandom(kind.length);
  for (const dataset of ["ttbar", "wjets", "zz", "data"]) {
    for (const region of ["sr", "cr", "vr"]) {
      for (const syst of ["nominal", "up", "down"]) {
        const n = 3000;
        const eta = Float64Array.from({ length: n }, () => rnd() * 6 - 3);
        const pt = Float64Array.from({ length: n }, () => rnd() * 220 - 10);
        const weight = Float64Array.from({ length: n }, () => 0.1 + rnd() * 1.7);
        const sample = Float64Array.from({ length: n }, () => rnd() * 100);
        await stored.fill({ dataset, region, syst, eta, pt, weight, ...(kind === "Mean" ? { sample } : {}) });
      }
    }
  }
  return path.join(dir, "h");
}

// Every field of every result, as the bytes of its float64s (flow included), in a child process.
const script = (store: string) => `
  import { Hist, loc, rebin, sum } from ${JSON.stringify(path.join(here, "../../src/index.js"))};
  const h = await Hist.open(${JSON.stringify(store)});
  const bits = (a) => a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex") : null;
  const fields = (r) => [r.values({ flow: true }), r.variances({ flow: true }), r.counts({ flow: true })].map((f) => bits(f?.data ?? null));
  const out = {
    pt: fields(await h.project("pt")),
    etaDataset: fields(await h.project("eta", "dataset")),
    sliceSum: fields(await h.slice({ dataset: sum, region: "sr", pt: [loc(20), loc(180), rebin(4)] })),
    sliceKeys: fields(await h.slice({ dataset: ["wjets", "ttbar"], syst: sum, eta: sum })),
    total: await h.sum({ flow: true }),
  };
  process.stdout.write(JSON.stringify(out));
`;

function inChild(store: string, workers: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script(store)], {
    env: { ...process.env, ZHIST_CODEC_WORKERS: workers }, timeout: 120_000, maxBuffer: 64 << 20,
  });
  return JSON.parse(out.toString()) as Record<string, unknown>;
}

for (const kind of ["Weight", "Double", "Mean"] as const) {
  test(`${kind}: project, slice and sum are bit-identical with and without codec workers`, async () => {
    const store = await buildStore(kind);
    const without = inChild(store, "0");
    const withWorkers = inChild(store, "2");
    assert.deepEqual(withWorkers, without);
    assert.ok(typeof (without.pt as string[])[0] === "string" && (without.pt as string[])[0].length === (PT + 2) * 16);
  });
}

test("streamRemap adds the chunks in grid order: project('pt') equals the sequential sum bit for bit, and another order would not", async () => {
  const store = await buildStore("Weight");
  const stored = (await Hist.open(store)) as StoredHistogram;
  const got = (await stored.project("pt")).values({ flow: true }).data as Float64Array;
  // By hand: every cell of every chunk added into its pt cell (summing eta and the categories) as the
  // scatter adds, chunk after chunk in grid order; and with the chunks in reverse order.
  const values = await openField(path.dirname(store), path.basename(store), "values");
  const grid = chunkGridShape(values);
  const chunks: Float64Array[] = [];
  for (const coords of gridPoints(grid.map(() => 0), grid)) {
    const chunk = await readChunk(values, coords);
    if (!chunk) continue;
    assert.equal(chunk.length, (ETA + 2) * (PT + 2), "one chunk per categorical key");
    chunks.push(chunk);
  }
  assert.equal(chunks.length, 4 * 3 * 3);
  const add = (order: Float64Array[]) => {
    const acc = new Float64Array(PT + 2);
    for (const chunk of order) for (let i = 0; i < chunk.length; i++) acc[i % (PT + 2)] += chunk[i];
    return acc;
  };
  const forward = add(chunks);
  const reverse = add([...chunks].reverse());
  assert.deepEqual(Buffer.from(got.buffer, got.byteOffset, got.byteLength), Buffer.from(forward.buffer));
  assert.ok(forward.some((x, i) => x !== reverse[i]), "the store's sums depend on the order of the chunks");
});

test("decodeFrame decodes as decodeChunk does; a frame that does not decode rejects with a FrameError", async () => {
  const codecs = { endian: "little" as const, zstd: { level: 1, checksum: false } };
  const values = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 1e3);
  const frame = await encodeChunk(values, codecs);
  const want = await decodeChunk(frame, codecs, values.length);
  const got = await decodeFrame(frame.slice(), codecs, values.length);
  assert.deepEqual(got, want);
  releaseDecoded(got);
  await assert.rejects(decodeFrame(new TextEncoder().encode("not a zstd frame"), codecs, values.length), FrameError);
  // A valid frame of another length is refused too.
  const short = await encodeChunk(values.subarray(0, 100), codecs);
  await assert.rejects(decodeFrame(short, codecs, values.length), (err: Error) => err instanceof FrameError && /decoded 800 bytes, expected 40000/.test(err.message));
});

test("a corrupt chunk (garbage, or a frame of the wrong length) fails naming the chunk and its file, with and without workers", async () => {
  const store = await buildStore("Weight");
  const stored = (await Hist.open(store)) as StoredHistogram;
  const chunks = listFiles(path.join(store, "storage", "variances")).filter((f) => f.startsWith("c."));
  const bad = chunks[Math.floor(chunks.length / 2)];
  const file = path.join(store, "storage", "variances", bad);
  fs.writeFileSync(file, "not zstd");
  await assert.rejects(stored.project("pt"), (err: Error) => err.message.includes(`corrupt chunk ${bad} of array /storage/variances`) && err.message.includes(file));
  // The chunks in flight finished: the same histogram still reads what is sound.
  await stored.slice({ dataset: "ttbar", region: "sr", syst: "nominal" });
  const codecs = (await openField(path.dirname(store), path.basename(store), "variances")).codecs;
  fs.writeFileSync(file, await encodeChunk(new Float64Array(10), codecs));
  await assert.rejects(stored.sum(), (err: Error) => err.message.includes(`corrupt chunk ${bad}`) && err.message.includes(file) && /expected/.test(err.message));
  if (codecWorkerCount() === 0) return;
  const child = `
    import { Hist } from ${JSON.stringify(path.join(here, "../../src/index.js"))};
    const h = await Hist.open(${JSON.stringify(store)});
    try { await h.project("pt"); } catch (err) { process.stdout.write(err.message); }
  `;
  for (const workers of ["0", "2"]) {
    const msg = execFileSync(process.execPath, ["--input-type=module", "-e", child], { env: { ...process.env, ZHIST_CODEC_WORKERS: workers }, timeout: 60_000 }).toString();
    assert.ok(msg.includes(`corrupt chunk ${bad}`) && msg.includes(file), `workers=${workers}: ${msg}`);
  }
});

test("a selection of one key reads only its chunks, with workers: the other keys' chunks may be garbage", async () => {
  const store = await buildStore("Double");
  const stored = (await Hist.open(store)) as StoredHistogram;
  const want = (await stored.slice({ dataset: "zz", region: "cr", syst: sum })).values({ flow: true }).data;
  for (const f of listFiles(path.join(store, "storage", "values")).filter((f) => f.startsWith("c.") && !f.startsWith("c.2.1."))) {
    fs.writeFileSync(path.join(store, "storage", "values", f), "garbage");
  }
  assert.deepEqual((await stored.slice({ dataset: "zz", region: "cr", syst: sum })).values({ flow: true }).data, want);
  await assert.rejects(stored.project("pt"), /corrupt chunk/);
});
