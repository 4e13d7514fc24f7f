// zarr-python 3 and hist read what zhist writes, and zhist reads what zarr-python writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readHist, writeHist } from "../../src/zarr/layout.js";
import type { UhiStorageType } from "../../src/uhi.js";
import { makeHist } from "./fixtures.js";
import { plain, runPython } from "./python.js";
import { tempStore } from "./tmp.js";

// Rebuilds the histogram from a plain zarr read of the group, two ways: (a) the UHI dict
// handed to hist.Hist (uhi's own IR path; uhi.io has no Zarr reader of its own), (b) axes
// constructed by hand from the attributes and the view assigned. Returns what both saw.
const READ_WITH_HIST = String.raw`
import json, sys
import numpy as np, zarr, hist
args = json.load(sys.stdin)
g = zarr.open_group(args["root"], path=args["group"], mode="r")
def attrs(node): return {k: v for k, v in node.attrs.items()}
def meta_wi(node):
    out = {}
    if "metadata" in node: out["metadata"] = attrs(node["metadata"])
    if "writer_info" in node: out["writer_info"] = {k: attrs(v) for k, v in node["writer_info"].groups()}
    return out
names = sorted((k for k in g["axes"].group_keys()), key=lambda k: int(k.split("_")[1]))
axes = []
for name in names:
    node = g["axes"][name]
    axis = attrs(node)
    if "edges" in node: axis["edges"] = node["edges"][:]
    axis.update(meta_wi(node))
    axes.append(axis)
storage = {"type": g["storage"].attrs["type"]}
for key, arr in g["storage"].arrays():
    storage[key] = arr[...]
    assert arr.metadata.fill_value == 0
ir = {"uhi_schema": g.attrs["uhi_schema"], "axes": axes, "storage": storage, **meta_wi(g)}
h = hist.Hist(ir)

def build_axis(a):
    md = a.get("metadata", {}); kw = {"name": md.get("name", ""), "label": md.get("label", "")}
    growth = a.get("writer_info", {}).get("boost-histogram", {}).get("growth", False)
    t = a["type"]
    if t == "regular": return hist.axis.Regular(a["bins"], a["lower"], a["upper"], underflow=a["underflow"], overflow=a["overflow"], circular=a["circular"], **kw)
    if t == "variable": return hist.axis.Variable(a["edges"], underflow=a["underflow"], overflow=a["overflow"], circular=a["circular"], **kw)
    if t == "category_str": return hist.axis.StrCategory(a["categories"], growth=growth, overflow=a["flow"], **kw)
    if t == "category_int": return hist.axis.IntCategory(a["categories"], growth=growth, overflow=a["flow"], **kw)
    if t == "boolean": return hist.axis.Boolean(**kw)
stype = {"double": hist.storage.Double(), "int": hist.storage.Int64(), "weighted": hist.storage.Weight(), "mean": hist.storage.Mean()}[storage["type"]]
manual = hist.Hist(*[build_axis(a) for a in axes], storage=stype)
view = manual.view(flow=True)
if storage["type"] in ("double", "int"):
    view[...] = storage["values"]
elif storage["type"] == "weighted":
    view["value"] = storage["values"]; view["variance"] = storage["variances"]
else:
    view["count"] = storage["counts"]; view["value"] = storage["values"]; view["_sum_of_deltas_squared"] = storage["variances"] * np.maximum(storage["counts"] - 1, 0)

def summary(x):
    out = {"axes": [type(a).__name__ for a in x.axes], "names": list(x.axes.name), "values": x.values(flow=True).ravel().tolist(), "shape": list(x.values(flow=True).shape)}
    v = x.variances(flow=True)
    if storage["type"] == "mean":
        # A mean bin's sample variance only exists with more than one entry (NaN otherwise).
        view = x.view(flow=True)
        out["counts"] = view["count"].ravel().tolist()
        v = np.where(view["count"] > 1, view.variance, 0.0)
    out["variances"] = None if v is None else v.ravel().tolist()
    return out
print(json.dumps({"uhi": summary(h), "manual": summary(manual), "dimension_names": list(g["storage"]["values"].metadata.dimension_names)}))
`;

for (const type of ["double", "int", "weighted", "mean"] as UhiStorageType[]) {
  test(`zarr-python 3 reads our ${type} histogram and hist rebuilds it`, async () => {
    const root = tempStore();
    const ir = makeHist(type);
    await writeHist(root, "hists/mbjj", ir);
    type Summary = { axes: string[]; names: string[]; values: number[]; variances: number[] | null; counts?: number[]; shape: number[] };
    const seen = runPython<{ uhi: Summary; manual: Summary; dimension_names: string[] }>(READ_WITH_HIST, { root, group: "hists/mbjj" });
    const storage = plain(ir.storage) as Record<string, number[]>;
    for (const h of [seen.uhi, seen.manual]) {
      assert.deepEqual(h.axes, ["StrCategory", "Regular", "Variable", "IntCategory", "Boolean", "Regular"]);
      assert.deepEqual(h.names, ["dataset", "mbjj", "pt", "njet", "pass", "phi"]);
      assert.deepEqual(h.shape, [2, 7, 4, 4, 2, 5]);
      assert.deepEqual(h.values, storage.values);
      if (type === "weighted") assert.deepEqual(h.variances, storage.variances);
      if (type === "mean") {
        assert.deepEqual(h.counts, storage.counts);
        const defined = storage.variances.map((v, i) => (storage.counts[i] > 1 ? v : 0));
        h.variances!.forEach((v, i) => assert.ok(Math.abs(v - defined[i]) <= 1e-9 * Math.abs(defined[i]), `variance ${i}: ${v} vs ${defined[i]}`));
      }
    }
    assert.deepEqual(seen.dimension_names, ["dataset", "mbjj", "pt", "njet", "pass", "phi"]);
  });
}

// zarr-python writes the layout from a filled hist.Hist, with its own codec defaults for
// zstd (level 0, here with checksum on) and chunking; zhist must read it exactly.
const WRITE_WITH_ZARR_PYTHON = String.raw`
import json, sys
import numpy as np, zarr, hist
from zarr.codecs import ZstdCodec, BytesCodec
args = json.load(sys.stdin)
h = hist.Hist.new.StrCat(["data", "ttbar", "wjets"], name="dataset", growth=True).Var([0, 10, 30, 100], name="pt").Reg(12, -3, 3, name="eta").Weight()
rng = np.random.default_rng(1)
for ds in ["data", "ttbar", "wjets"]:
    h.fill(dataset=ds, pt=rng.exponential(30, 500), eta=rng.normal(0, 1.5, 500), weight=rng.uniform(0.5, 1.5, 500))
ir = h._to_uhi_()
root = zarr.open_group(args["root"], mode="w")
g = root.create_group("h", attributes={"uhi_schema": 1})
def meta_wi(node, d):
    if d.get("metadata") is not None: node.create_group("metadata", attributes=d["metadata"])
    if d.get("writer_info"):
        wi = node.create_group("writer_info")
        for lib, info in d["writer_info"].items(): wi.create_group(lib, attributes=info)
meta_wi(g, ir)
axes = g.create_group("axes")
for i, a in enumerate(ir["axes"]):
    a = dict(a)
    edges = a.pop("edges", None)
    md, wi = a.pop("metadata", None), a.pop("writer_info", None)
    node = axes.create_group(f"axis_{i}", attributes=a)
    meta_wi(node, {"metadata": md, "writer_info": wi})
    if edges is not None: node.create_array("edges", data=np.asarray(edges, dtype="f8"))
st = g.create_group("storage", attributes={"type": ir["storage"]["type"]})
for key in ("values", "variances"):
    data = np.asarray(ir["storage"][key], dtype="f8")
    arr = st.create_array(key, shape=data.shape, dtype="f8", chunks=(1, 3, 7), fill_value=0.0,
                          serializer=BytesCodec(), compressors=[ZstdCodec(level=0, checksum=True)])
    arr[...] = data
print(json.dumps({"values": ir["storage"]["values"].ravel().tolist(), "variances": ir["storage"]["variances"].ravel().tolist(),
                  "categories": ir["axes"][0]["categories"], "edges": list(ir["axes"][1]["edges"])}))
`;

test("zhist reads a histogram that zarr-python 3 wrote (zstd level 0 with checksum, its own chunks)", async () => {
  const root = tempStore();
  const expected = runPython<{ values: number[]; variances: number[]; categories: string[]; edges: number[] }>(WRITE_WITH_ZARR_PYTHON, { root });
  const back = await readHist(root, "h");
  assert.deepEqual(back.axes.map((a) => a.type), ["category_str", "variable", "regular"]);
  assert.deepEqual((back.axes[0] as { categories: string[] }).categories, expected.categories);
  assert.deepEqual((back.axes[1] as { edges: number[] }).edges, expected.edges);
  assert.equal(back.storage.type, "weighted");
  assert.deepEqual(Array.from(back.storage.values), expected.values);
  assert.deepEqual(Array.from((back.storage as { variances: Float64Array }).variances), expected.variances);
  assert.ok(expected.values.some((v) => v > 0));
});
