// Synthetic NanoAOD-like batches and their schema, plus the same events as plain JS arrays for the
// reference evaluator.
import type { ColumnBatch, ElementType, FieldInfo, NumericArray, Schema } from "../../src/data/types.js";
import { Rng } from "../helpers/random.js";

export const FIELDS: FieldInfo[] = [
  { name: "nJet", kind: "scalar", type: "u32" },
  { name: "MET_pt", kind: "scalar", type: "f32" },
  { name: "MET_phi", kind: "scalar", type: "f64" },
  { name: "run", kind: "scalar", type: "i64" },
  { name: "HLT_IsoMu24", kind: "scalar", type: "bool" },
  { name: "Jet_pt", kind: "jagged", type: "f32", counter: "nJet" },
  { name: "Jet_eta", kind: "jagged", type: "f32", counter: "nJet" },
  { name: "Jet_btag", kind: "jagged", type: "f32", counter: "nJet" },
  { name: "Jet_jetId", kind: "jagged", type: "i32", counter: "nJet" },
  { name: "Jet_isTight", kind: "jagged", type: "bool", counter: "nJet" },
  { name: "nMuon", kind: "scalar", type: "u32" },
  { name: "Muon_pt", kind: "jagged", type: "f64", counter: "nMuon" },
  { name: "Muon_eta", kind: "jagged", type: "f64", counter: "nMuon" },
  { name: "Muon_charge", kind: "jagged", type: "i32", counter: "nMuon" },
];

export function schema(fields: FieldInfo[] = FIELDS): Schema {
  return { fields: new Map(fields.map((f) => [f.name, f])) };
}

/** Events as plain arrays: scalars by name, jagged columns as arrays per event. */
export interface PlainEvent {
  [column: string]: number | boolean | (number | boolean)[];
}

function arrayFor(type: ElementType, n: number): NumericArray {
  switch (type) {
    case "f32":
      return new Float32Array(n);
    case "f64":
      return new Float64Array(n);
    case "i32":
      return new Int32Array(n);
    case "u32":
      return new Uint32Array(n);
    case "i64":
      return new BigInt64Array(n);
    case "bool":
    case "u8":
      return new Uint8Array(n);
    default:
      throw new Error(`fixture: no array for ${type}`);
  }
}

function value(rng: Rng, field: string, nanRate: number): number {
  if (rng.next() < nanRate && /pt|eta|phi|btag/.test(field)) return NaN;
  if (field.endsWith("_pt")) return rng.next() < 0.05 ? 0 : rng.uniform(0, 120);
  if (field.endsWith("_eta")) return rng.uniform(-3, 3);
  if (field.endsWith("_phi")) return rng.uniform(-Math.PI, Math.PI);
  if (field.endsWith("_btag")) return rng.next();
  if (field.endsWith("_jetId")) return rng.int(0, 7);
  if (field.endsWith("_charge")) return rng.pick([-1, 1]);
  if (field.startsWith("HLT_") || field.endsWith("_isTight")) return rng.next() < 0.5 ? 1 : 0;
  if (field === "run") return rng.int(1, 5);
  return rng.uniform(0, 200);
}

/**
 * A random batch: multiplicities 0..maxJets (empty events common), NaN in float columns at `nanRate`.
 * The counters (nJet, nMuon) agree with the jagged columns.
 */
export function randomBatch(rng: Rng, events: number, opts: { maxJets?: number; nanRate?: number; fields?: FieldInfo[] } = {}): { batch: ColumnBatch; plain: PlainEvent[] } {
  const fields = opts.fields ?? FIELDS;
  const maxJets = opts.maxJets ?? 6;
  const nanRate = opts.nanRate ?? 0.03;
  const counts: Record<string, number[]> = {};
  for (const coll of ["Jet", "Muon"]) counts[coll] = Array.from({ length: events }, () => (rng.next() < 0.2 ? 0 : rng.int(0, coll === "Jet" ? maxJets + 1 : 4)));
  const plain: PlainEvent[] = Array.from({ length: events }, () => ({}));
  const columns: ColumnBatch["columns"] = {};
  for (const f of fields) {
    if (f.kind === "scalar") {
      const a = arrayFor(f.type, events);
      for (let i = 0; i < events; i++) {
        const coll = f.name.startsWith("n") ? f.name.slice(1) : "";
        const v = counts[coll] ? counts[coll][i] : value(rng, f.name, opts.nanRate ?? 0.03);
        if (a instanceof BigInt64Array) a[i] = BigInt(v);
        else a[i] = v;
        plain[i][f.name] = f.type === "bool" ? a[i] !== 0 : Number(a[i]);
      }
      columns[f.name] = { kind: "scalar", values: a };
    } else {
      const coll = f.name.slice(0, f.name.indexOf("_"));
      const c = counts[coll];
      const offsets = new Int32Array(events + 1);
      for (let i = 0; i < events; i++) offsets[i + 1] = offsets[i] + c[i];
      const a = arrayFor(f.type, offsets[events]);
      for (let i = 0; i < events; i++) {
        const row: (number | boolean)[] = [];
        for (let j = offsets[i]; j < offsets[i + 1]; j++) {
          (a as Float64Array)[j] = value(rng, f.name, nanRate);
          row.push(f.type === "bool" ? a[j] !== 0 : Number(a[j]));
        }
        plain[i][f.name] = row;
      }
      columns[f.name] = { kind: "jagged", offsets, values: a };
    }
  }
  return { batch: { source: "random", entryStart: 0, length: events, columns }, plain };
}
