// Synthetic NanoAOD-like event files for the end-to-end benchmark: Arrow IPC (the fastest format src/data
// reads: no decompression, columns taken straight from the mapped table), jagged columns as lists.
// Multiplicities follow NanoAOD's: about 9 jets, 1 muon, 1 electron, 50 generator particles per event.
// Files go under bench/data/ (gitignored) and are made once: `node dist/bench/nanogen.js [events] [files]`.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Field, Float32, Int32, List, Table, makeData, makeVector, tableToIPC } from "apache-arrow";

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bench", "data");

// xorshift32: fast, reproducible, good enough for kinematics.
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/** Poisson by inversion (small means). */
function poisson(r: () => number, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let p = r();
  while (p > l) { k++; p *= r(); }
  return k;
}

interface Collection { name: string; mean: number; fields: { name: string; gen: (r: () => number) => number; int?: boolean }[] }

const expo = (scale: number, min: number) => (r: () => number) => min - scale * Math.log(1 - r());
const eta = (w: number) => (r: () => number) => (r() * 2 - 1) * w;
const phi = (r: () => number) => (r() * 2 - 1) * Math.PI;

const COLLECTIONS: Collection[] = [
  { name: "Jet", mean: 9, fields: [{ name: "pt", gen: expo(30, 15) }, { name: "eta", gen: eta(4.7) }, { name: "phi", gen: phi }, { name: "mass", gen: expo(5, 1) }, { name: "btagDeepB", gen: (r) => r() }] },
  { name: "Muon", mean: 1, fields: [{ name: "pt", gen: expo(25, 3) }, { name: "eta", gen: eta(2.4) }, { name: "phi", gen: phi }, { name: "charge", gen: (r) => (r() < 0.5 ? -1 : 1), int: true }, { name: "pfRelIso04_all", gen: expo(0.1, 0) }] },
  { name: "Electron", mean: 1, fields: [{ name: "pt", gen: expo(25, 5) }, { name: "eta", gen: eta(2.5) }, { name: "phi", gen: phi }, { name: "charge", gen: (r) => (r() < 0.5 ? -1 : 1), int: true }] },
  { name: "GenPart", mean: 50, fields: [{ name: "pt", gen: expo(20, 0) }, { name: "eta", gen: eta(6) }, { name: "phi", gen: phi }, { name: "pdgId", gen: (r) => [1, 2, 21, 11, 13, 22, 211][Math.floor(r() * 7)], int: true }] },
];
const SCALARS = ["MET_pt", "MET_phi", "genWeight", "puWeight", "puWeightUp", "puWeightDown", "btagWeight", "btagWeightUp", "btagWeightDown"];

export function generateFile(path: string, events: number, seed: number): void {
  const r = rng(seed * 2654435761);
  const columns: Record<string, unknown> = {};
  for (const c of COLLECTIONS) {
    const counts = new Int32Array(events);
    const offsets = new Int32Array(events + 1);
    for (let e = 0; e < events; e++) { counts[e] = poisson(r, c.mean); offsets[e + 1] = offsets[e] + counts[e]; }
    const total = offsets[events];
    columns[`n${c.name}`] = makeVector(counts);
    for (const f of c.fields) {
      const values = f.int ? new Int32Array(total) : new Float32Array(total);
      for (let i = 0; i < total; i++) values[i] = f.gen(r);
      const type = f.int ? new Int32() : new Float32();
      const child = makeData({ type, length: total, data: values } as never);
      columns[`${c.name}_${f.name}`] = makeVector(makeData({ type: new List(new Field("item", type, false)), length: events, nullCount: 0, valueOffsets: offsets, child } as never));
    }
  }
  for (const s of SCALARS) {
    const v = new Float32Array(events);
    for (let e = 0; e < events; e++) {
      const x = r();
      v[e] = s === "MET_pt" ? -40 * Math.log(1 - x) : s === "MET_phi" ? (x * 2 - 1) * Math.PI : s === "genWeight" ? (x < 0.1 ? -1 : 1) * 1.5 : 0.9 + 0.2 * x;
    }
    columns[s] = makeVector(v);
  }
  const bytes = tableToIPC(new Table(columns as never), "file");
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path + ".tmp", bytes);
  renameSync(path + ".tmp", path);
}

export interface Sample { files: string[]; events: number }

/** The benchmark's files (made if missing): `files` files of `perFile` events each. */
export function ensureSample(files: number, perFile: number, log = (s: string) => process.stderr.write(s + "\n")): Sample {
  const dir = join(DATA_DIR, `nano-${perFile}`);
  const out: string[] = [];
  for (let i = 0; i < files; i++) {
    const p = join(dir, `nano_${i}.arrow`);
    if (!existsSync(p)) {
      const t0 = Date.now();
      generateFile(p, perFile, i + 1);
      log(`# generated ${p} (${perFile} events, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    out.push(p);
  }
  return { files: out, events: files * perFile };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const events = Number(process.argv[2] ?? 10_000_000);
  const files = Number(process.argv[3] ?? 20);
  const s = ensureSample(files, Math.ceil(events / files));
  console.log(JSON.stringify({ files: s.files.length, events: s.events, dir: dirname(s.files[0]), bytes: s.files.reduce((n, f) => n + readFileSync(f).byteLength, 0) }));
}
