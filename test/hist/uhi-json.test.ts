// UHI interchange checked by the real tools: our JSON validates against uhi's schema, and Python's
// `hist` builds from it the same histogram (values and variances, flow bins included).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Hist, uhiFromJSON, uhiToJSON } from "../../src/index.js";
import { runPython } from "../helpers/python.js";

function samples(): Record<string, Hist> {
  const x = Float64Array.from({ length: 400 }, (_, i) => ((i * 37) % 101) / 10 - 0.5);
  const w = Float64Array.from({ length: 400 }, (_, i) => 0.5 + (i % 7) / 3);
  const out: Record<string, Hist> = {};
  out.reg_double = Hist.new.Reg(10, 0, 10, { name: "x", label: "x [GeV]" }).Double().fill({ x });
  out.var_weight = Hist.new.Var([0, 1, 2.5, 5, 10], { name: "x" }).Weight().fill({ x, weight: w });
  out.int_int64 = Hist.new.Int(0, 8, { name: "n" }).Int64().fill({ n: x });
  out.cat_weight = Hist.new.StrCat([], { name: "ds", growth: true }).IntCat([1, 2], { name: "c" }).Reg(5, 0, 10, { name: "x", underflow: false }).Weight()
    .fill({ ds: "ttbar", c: 1, x, weight: w }).fill({ ds: "data", c: [2, 3], x: [1, 2] });
  out.bool_mean = Hist.new.Bool({ name: "b" }).Reg(4, 0, 10, { name: "x", circular: true }).Mean()
    .fill({ b: Array.from(x, (v) => v > 5), x, sample: w });
  return out;
}

test("toUHI JSON validates against the uhi schema, and hist rebuilds the same histograms", async () => {
  const hists = samples();
  const doc = Object.fromEntries(Object.entries(hists).map(([k, h]) => [k, uhiToJSON(h.toUHI())]));
  const { json } = await runPython<Record<string, { values: number[]; variances: number[] | null; axes: string[] }>>(`
import uhi.schema, uhi.io.json, hist, json
uhi.schema.validate(INPUT)  # raises on any schema error
out = {}
for name, ir in INPUT.items():
    ir = json.loads(json.dumps(ir), object_hook=uhi.io.json.object_hook)
    h = hist.Hist(ir)
    v = h.variances(flow=True)
    out[name] = {"values": h.values(flow=True).ravel().tolist(),
                 "variances": None if v is None else np.nan_to_num(v).ravel().tolist(),
                 "axes": [type(a).__name__ for a in h.axes]}
emit(out)
`, { input: doc });
  for (const [name, h] of Object.entries(hists)) {
    assert.deepEqual(json[name].values, Array.from(h.values({ flow: true }).data), `${name} values`);
    if (h.kind === "weight") assert.deepEqual(json[name].variances, Array.from(h.variances({ flow: true })!.data), `${name} variances`);
  }
  assert.deepEqual(json.int_int64.axes, ["Integer"]);
  assert.deepEqual(json.cat_weight.axes, ["StrCategory", "IntCategory", "Regular"]);
  assert.deepEqual(json.bool_mean.axes, ["Boolean", "Regular"]);
});

test("UHI JSON written by hist reads back into zhist with the same bins", async () => {
  const { json } = await runPython<Record<string, unknown>>(`
import hist, json, uhi.io.json
h = hist.Hist.new.Reg(4, 0, 4, name="x").StrCat(["a", "b"], name="c", growth=True).Weight()
h.fill(x=[0.5, 1.5, 1.5, 9], c=["a", "b", "b", "a"], weight=[1, 2, 3, 4])
emit(json.loads(json.dumps(h, default=uhi.io.json.default)))
`);
  const h = Hist.fromUHI(uhiFromJSON(json));
  assert.deepEqual(h.axes.map((a) => [a.kind, a.name, a.traits.growth]), [["regular", "x", false], ["str_category", "c", true]]);
  assert.deepEqual(Array.from(h.slice({ c: "b" }).values().data), [0, 5, 0, 0]);
  assert.deepEqual(Array.from(h.slice({ c: "a" }).variances({ flow: true })!.data), [0, 1, 0, 0, 0, 16]);
  // And back again: a round trip keeps every field.
  assert.deepEqual(Hist.fromUHI(uhiFromJSON(uhiToJSON(h.toUHI()))).toUHI(), h.toUHI());
});
