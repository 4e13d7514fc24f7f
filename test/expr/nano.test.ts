// Hand-computed values on a real NanoAOD file (../shared/data/nano_dy.root): the columns and the
// expected numbers come from Python uproot with plain per-event loops, the schema is the file's own.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { ColumnBatch, ElementType, FieldInfo, NumericArray, Schema } from "../../src/data/types.js";
import { ExprError, ExprScope } from "../../src/expr/index.js";
import { runPython } from "../helpers/python.js";

const FILE = "../shared/data/nano_dy.root";
const COLUMNS = ["nJet", "Jet_pt", "Jet_eta", "Jet_btagDeepB", "Muon_pt", "Muon_eta", "Muon_charge", "MET_pt", "event"];

const SNIPPET = `
import uproot
t = uproot.open(INPUT["file"])["Events"]
def elem(interp):
    return interp.content if hasattr(interp, "content") else interp
def kind(interp):
    return "jagged" if type(interp).__name__ == "AsJagged" else "scalar"
schema = []
for name in t.keys():
    interp = t[name].interpretation
    dt = getattr(elem(interp), "from_dtype", None)
    if dt is None:
        continue
    schema.append([name, kind(interp), dt.kind + str(dt.itemsize)])
cols = {}
for name in INPUT["columns"]:
    a = t[name].array(library="np")
    if t[name].interpretation.__class__.__name__ == "AsJagged":
        emit_array(name + ".counts", [len(x) for x in a])
        emit_array(name, np.concatenate([np.asarray(x, dtype="f8") for x in a]) if len(a) else [])
    else:
        emit_array(name, np.asarray(a, dtype="f8"))
jp, je, mp, mc, met = (t[c].array(library="np") for c in ["Jet_pt", "Jet_eta", "Muon_pt", "Muon_charge", "MET_pt"])
expect = {"ngood": [], "ht": [], "mu0": [], "mumax": [], "dimu": [], "lead_eta": [], "btag_lead": []}
bt = t["Jet_btagDeepB"].array(library="np")
for i in range(len(jp)):
    good = [k for k in range(len(jp[i])) if float(jp[i][k]) > 25 and abs(float(je[i][k])) < 2.4]
    expect["ngood"].append(len(good))
    s = 0.0
    for k in good:
        s += float(jp[i][k])
    expect["ht"].append(s)
    expect["mu0"].append(float(mp[i][0]) if len(mp[i]) else -1.0)
    expect["mumax"].append(max([float(x) for x in mp[i]]) if len(mp[i]) else 0.0)
    opposite = len(mp[i]) >= 2 and int(mc[i][0]) * int(mc[i][1]) < 0
    expect["dimu"].append(1.0 if opposite and float(met[i]) < 100 else 0.0)
    expect["lead_eta"].append(float(je[i][good[0]]) if good else -9.0)
    b = [k for k in good if float(bt[i][k]) > 0.5]
    expect["btag_lead"].append(float(jp[i][b[0]]) if b else float("nan"))
emit({"schema": schema, "entries": len(jp), "expect": {k: [None if v != v else v for v in vals] for k, vals in expect.items()}})
`;

const TYPES: Record<string, ElementType> = { f4: "f32", f8: "f64", i1: "i8", i2: "i16", i4: "i32", i8: "i64", u1: "u8", u2: "u16", u4: "u32", u8: "u64", b1: "bool" };

function typedArray(type: ElementType, values: Float64Array): NumericArray {
  switch (type) {
    case "f32": return Float32Array.from(values);
    case "i32": return Int32Array.from(values);
    case "u32": return Uint32Array.from(values);
    case "u64": return BigUint64Array.from(values, (v) => BigInt(v));
    case "bool": case "u8": return Uint8Array.from(values);
    default: return Float64Array.from(values);
  }
}

let schema: Schema;
let batch: ColumnBatch;
let expect: Record<string, (number | null)[]>;

before(async () => {
  const out = await runPython<{ schema: [string, "scalar" | "jagged", string][]; entries: number; expect: typeof expect }>(SNIPPET, {
    input: { file: FILE, columns: COLUMNS },
  });
  const fields = new Map<string, FieldInfo>();
  for (const [name, kind, t] of out.json.schema) fields.set(name, { name, kind, type: TYPES[t] ?? "f64" });
  schema = { fields };
  const n = out.json.entries;
  const columns: ColumnBatch["columns"] = {};
  for (const name of COLUMNS) {
    const f = fields.get(name)!;
    const values = typedArray(f.type, out.arrays[name].data);
    if (f.kind === "jagged") {
      const counts = out.arrays[name + ".counts"].data;
      const offsets = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + counts[i];
      columns[name] = { kind: "jagged", offsets, values };
    } else columns[name] = { kind: "scalar", values };
  }
  batch = { source: FILE, entryStart: 0, length: n, columns };
  expect = out.json.expect;
});

function assertValues(got: Float64Array, want: (number | null)[], what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) {
    const w = want[i] === null ? NaN : want[i]!;
    assert.ok(got[i] === w || (Number.isNaN(got[i]) && Number.isNaN(w)), `${what}, event ${i}: ${got[i]} != ${w}`);
  }
}

test("nano_dy.root: good jets, their scalar sum, leading muon pt with a default", () => {
  const scope = new ExprScope(schema);
  scope.define("goodJet", "Jet[Jet.pt > 25 && abs(Jet.eta) < 2.4]");
  assertValues(scope.compile("count(goodJet)").evaluateScalar(batch), expect.ngood, "count(goodJet)");
  assertValues(scope.compile("sum(goodJet.pt)").evaluateScalar(batch), expect.ht, "sum(goodJet.pt)");
  assertValues(scope.compile("first(Muon.pt, -1)").evaluateScalar(batch), expect.mu0, "first(Muon.pt, -1)");
  assertValues(scope.compile("max(Muon.pt, 0)").evaluateScalar(batch), expect.mumax, "max(Muon.pt, 0)");
  assertValues(scope.compile("first(goodJet.eta, -9)").evaluateScalar(batch), expect.lead_eta, "first(goodJet.eta, -9)");
  assertValues(scope.compile("first(goodJet[goodJet.btagDeepB > 0.5].pt)").evaluateScalar(batch), expect.btag_lead, "b-tagged leading pt");
  const dimu = scope.compile("count(Muon) >= 2 && Muon.charge[0] * Muon.charge[1] < 0 && MET.pt < 100");
  assertValues(dimu.evaluateScalar(batch), expect.dimu, "opposite-sign dimuon");
  assert.ok(expect.ngood.some((v) => v! > 0) && expect.mu0.some((v) => v === -1), "the file has events of both kinds");
  // Only what is used is read.
  assert.deepEqual([...scope.compile("sum(goodJet.pt)").columns].sort(), ["Jet_eta", "Jet_pt"]);
});

test("nano_dy.root: the jagged selection equals the per-event good-jet pt lists", () => {
  const scope = new ExprScope(schema);
  scope.define("goodJet", "Jet[Jet.pt > 25 && abs(Jet.eta) < 2.4]");
  const r = scope.compile("goodJet.pt").evaluateJagged(batch);
  assert.equal(r.offsets.length, batch.length + 1);
  for (let i = 0; i < batch.length; i++) assert.equal(r.offsets[i + 1] - r.offsets[i], expect.ngood[i]);
  let s = 0;
  for (let i = 0; i < batch.length; i++) {
    let row = 0;
    for (let k = r.offsets[i]; k < r.offsets[i + 1]; k++) row += r.values[k];
    s += Math.abs(row - expect.ht[i]!);
  }
  assert.equal(s, 0);
});

test("nano_dy.root: unknown names are caught against the 1499 branches with the closest ones", () => {
  const scope = new ExprScope(schema);
  const err = (expr: string) => {
    try {
      scope.compile(expr);
    } catch (e) {
      assert.ok(e instanceof ExprError);
      return e;
    }
    assert.fail(`${expr} compiled`);
  };
  const e1 = err("sum(Jet.ptt)");
  assert.equal(e1.column, 8);
  assert.match(e1.message, /unknown column Jet_ptt; did you mean Jet\.pt \(Jet_pt\)/);
  const e2 = err("MET_pT > 20");
  assert.equal(e2.column, 0);
  assert.match(e2.message, /did you mean MET_pt/);
  const e3 = err("count(Jets) > 2");
  assert.match(e3.message, /unknown name Jets; did you mean Jet\b/);
});
