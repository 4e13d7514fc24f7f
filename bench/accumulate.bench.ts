// Zarr accumulate throughput: MB/s of chunk data (decoded float64 bytes) read, added and written back
// through the store-backed path, against a raw fs.writeFileSync of the same bytes in the same run.
// Every case runs twice: with the chunk cache (the default: a chunk landed into again is read and
// compared, not decoded) and without it (ZHIST_CHUNK_CACHE_MB=0: every chunk decoded), names ".nocache".
//
// The store is the layout a real fill lands in: a growing category axis (chunk size 1) over two dense
// Regular axes kept whole, so one chunk is 400 x 1000 float64 = 3.2 MB per field. Every timed pass
// adds into chunks that already exist, so each chunk is really read, (decoded,) added, encoded and
// renamed into place under its lock. Each timed pass is one call of a public landing path over all the
// keys' chunks, so the chunks land concurrently (codec workers decode, add and encode while the main
// thread reads, locks and writes; `workers` and `inFlight` in the JSON say how many). Three contents:
//   slab    a filled histogram slab (1e5 entries over 4e5 cells: mostly zeros plus counts) per key,
//           accumulateRegion over [keys, 400, 1000]
//   dense   every cell a random float (the worst case for the codec), accumulateRegion
//   landing a Weight block (values + variances) over [keys, 400, 1000] landed by accumulateStorage (the
//           call StoredHist.add makes; StoredHist.fill makes it per key); MB counts both fields
// The baseline writes the same decoded bytes (one file per chunk and field, overwritten each pass).
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Hist } from "../src/index.js";
import { accumulateStorage } from "../src/zarr/accumulate.js";
import * as os from "node:os";
import { accumulateChunk, accumulateRegion, chunkKey, growCategory, openField, readChunk, type StoredArray } from "../src/zarr/index.js";
import { codecWorkerCount, currentChunkCache, landingConcurrency } from "../src/zarr/codec-pool.js";
import { Rng } from "../test/helpers/random.js";
import { type BenchContext, median, rateResult } from "./lib.js";

export const about = "Zarr accumulate throughput (read-add-write of 3.2 MB chunks: slab, dense, Weight landing) vs fs.writeFileSync";

/** Chunk cache hits so far (for the hits of one case: the difference). */
const cacheHits = () => currentChunkCache()?.hits ?? 0;

/** What the landing ran with, for the JSON lines: codec workers, chunks in flight, the machine's load, cache hits since `hits0`. */
function concurrency(hits0: number): Record<string, unknown> {
  return {
    workers: codecWorkerCount(), inFlight: landingConcurrency(), cores: os.availableParallelism(), loadavg1: Number(os.loadavg()[0].toFixed(2)),
    chunkCacheHits: cacheHits() - hits0,
  };
}

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "bench", "out");
const ETA = [398, -2.5, 2.5] as const;
const PT = [998, 0, 500] as const;

/** A 2-D (eta, pt) slab as a fill makes it: `n` entries, a falling pt spectrum, central eta. */
function slabHist(rng: Rng, n: number, kind: "Double" | "Weight"): Hist {
  const eta = new Float64Array(n);
  const pt = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    eta[i] = 1.2 * rng.normal();
    pt[i] = -60 * Math.log(1 - rng.next());
    w[i] = rng.uniform(0.5, 1.5);
  }
  const b = Hist.new.Reg(...ETA, { name: "eta" }).Reg(...PT, { name: "pt" });
  const h = kind === "Double" ? b.Double() : b.Weight();
  h.fill({ eta, pt, weight: w });
  return h;
}

export async function run(ctx: BenchContext): Promise<void> {
  const before = process.env.ZHIST_CHUNK_CACHE_MB;
  try {
    for (const cache of [true, false]) {
      if (cache) process.env.ZHIST_CHUNK_CACHE_MB = before ?? "";
      else process.env.ZHIST_CHUNK_CACHE_MB = "0";
      await runCases(ctx, cache ? "" : ".nocache");
    }
  } finally {
    if (before === undefined) delete process.env.ZHIST_CHUNK_CACHE_MB;
    else process.env.ZHIST_CHUNK_CACHE_MB = before;
  }
}

async function runCases(ctx: BenchContext, suffix: string): Promise<void> {
  const keys = Math.max(2, Math.round(12 * ctx.scale));
  const dir = path.join(OUT, `accumulate-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "raw"), { recursive: true });
  try {
    const rng = new Rng(20261124);
    const labels = Array.from({ length: keys }, (_, i) => `key${i}`);
    const stores: Record<string, string> = {};
    for (const kind of ["Double", "Weight"] as const) {
      const b = Hist.new.StrCat([], { name: "key", growth: true }).Reg(...ETA, { name: "eta" }).Reg(...PT, { name: "pt" });
      await (kind === "Double" ? b.Double() : b.Weight()).save(dir, kind);
      stores[kind] = path.join(dir, kind);
      await growCategory(stores[kind], "/", 0, labels);
    }
    const values = await openField(stores.Double, "/", "values");
    const n = values.chunkShape.reduce((a, b) => a * b, 1);
    const chunkBytes = n * 8;

    const slab = slabHist(rng, 100_000, "Double").values({ flow: true }).data;
    const dense = Float64Array.from({ length: n }, () => rng.uniform(0, 100));
    await chunkCase(ctx, dir, `zarr.accumulate.slab${suffix}`, values, keys, slab, slabHist(rng, 100_000, "Double").values({ flow: true }).data);
    await chunkCase(ctx, dir, `zarr.accumulate.dense${suffix}`, values, keys, dense, Float64Array.from({ length: n }, () => rng.uniform(0, 100)));

    // Landing: the Weight temporary of one key, as StoredHist.fill lands it (both fields, one lock).
    const weightArrays = await Promise.all(["values", "variances"].map((f) => openField(stores.Weight, "/", f)));
    const temp = slabHist(rng, 100_000, "Weight");
    // The keys' temporaries side by side: one block over [keys, eta, pt], landed in one call.
    const blockShape = [keys, ...temp.axes.map((a) => a.extent)];
    const block = temp.storage.like(keys * n);
    block.fields.forEach((f, i) => { for (let k = 0; k < keys; k++) f.set(temp.storage.fields[i], k * n); });
    const land = () => accumulateStorage(weightArrays, ["values", "variances"], "weighted", [0, 0, 0], block, blockShape);
    const fieldsRaw = temp.storage.fields.map((f) => new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
    const rawLand = () => {
      for (let k = 0; k < keys; k++) fieldsRaw.forEach((bytes, f) => fs.writeFileSync(path.join(dir, "raw", `land-${k}-${f}`), bytes));
    };
    await land(); // first pass creates the chunks: every timed pass reads existing ones
    const hits0 = cacheHits();
    const { ours, raw } = await timePair(ctx.reps, land, rawLand);
    // Check: every key received the temporary reps + 2 times (creation, warm-up, timed passes).
    const got = await readChunk(weightArrays[0], [keys - 1, 0, 0]);
    const tv = temp.storage.fields[0];
    let expect = 0;
    for (let i = 0; i < tv.length; i++) expect += tv[i];
    let sum = 0;
    for (let i = 0; i < got!.length; i++) sum += got![i];
    const passes = ctx.reps + 2;
    if (Math.abs(sum - passes * expect) > 1e-9 * passes * expect) throw new Error(`zarr.accumulate.landing: stored sum ${sum}, expected ${passes * expect}`);
    const mb = (keys * 2 * chunkBytes) / 1e6;
    ctx.emit(rateResult(`zarr.accumulate.landing${suffix}`, mb / median(ours), "MB/s", mb / median(raw), {
      baselineName: "fs.writeFileSync", path: "accumulateStorage", chunks: keys * 2, chunkMB: chunkBytes / 1e6, storedMBPerChunk: storedMB(weightArrays[0], keys),
      ...concurrency(hits0),
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function chunkCase(ctx: BenchContext, dir: string, name: string, array: StoredArray, keys: number, initial: Float64Array, delta: Float64Array): Promise<void> {
  // Chunks of this case live at a fresh range of keys' chunks: rewrite them with the initial contents.
  for (let k = 0; k < keys; k++) {
    await fs.promises.rm(array.store.pathOf(chunkKey(array, [k, 0, 0])), { force: true });
    await accumulateChunk(array, [k, 0, 0], initial);
  }
  const bytes = new Uint8Array(delta.buffer, delta.byteOffset, delta.byteLength);
  // The delta of every key side by side: one block over [keys, eta, pt], landed in one call.
  const block = new Float64Array(keys * delta.length);
  for (let k = 0; k < keys; k++) block.set(delta, k * delta.length);
  const ours = () => accumulateRegion(array, [0, 0, 0], block, [keys, ...array.chunkShape.slice(1)]);
  const raw = () => {
    for (let k = 0; k < keys; k++) fs.writeFileSync(path.join(dir, "raw", `${name}-${k}`), bytes);
  };
  const hits0 = cacheHits();
  const t = await timePair(ctx.reps, ours, raw);
  // Check one chunk: initial + delta added (reps + 1) times, in the same order as the store did it.
  const expect = Float64Array.from(initial);
  for (let r = 0; r < ctx.reps + 1; r++) for (let i = 0; i < expect.length; i++) expect[i] += delta[i];
  const got = await readChunk(array, [keys - 1, 0, 0]);
  for (let i = 0; i < expect.length; i++) {
    if (got![i] !== expect[i]) throw new Error(`${name}: chunk cell ${i} holds ${got![i]}, expected ${expect[i]}`);
  }
  const mb = (keys * delta.byteLength) / 1e6;
  let nonzero = 0;
  for (let i = 0; i < delta.length; i++) if (delta[i] !== 0) nonzero++;
  ctx.emit(rateResult(name, mb / median(t.ours), "MB/s", mb / median(t.raw), {
    baselineName: "fs.writeFileSync", chunks: keys, chunkMB: delta.byteLength / 1e6, nonzeroFraction: Number((nonzero / delta.length).toFixed(3)),
    storedMBPerChunk: storedMB(array, keys), path: "accumulateRegion", ...concurrency(hits0),
  }));
}

/** One untimed warm-up of each, then `reps` alternating timed passes of ours and the raw baseline. */
async function timePair(reps: number, ours: () => Promise<void>, raw: () => void): Promise<{ ours: number[]; raw: number[] }> {
  await ours();
  raw();
  const out = { ours: [] as number[], raw: [] as number[] };
  for (let r = 0; r < reps; r++) {
    let t0 = process.hrtime.bigint();
    await ours();
    out.ours.push(Number(process.hrtime.bigint() - t0) / 1e9);
    t0 = process.hrtime.bigint();
    raw();
    out.raw.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return out;
}

/** Mean size on disk (encoded) of the chunks of keys 0..keys-1. */
function storedMB(array: StoredArray, keys: number): number {
  let total = 0;
  for (let k = 0; k < keys; k++) total += fs.statSync(array.store.pathOf(chunkKey(array, [k, 0, 0]))).size;
  return Number((total / keys / 1e6).toPrecision(4));
}
