// Fills every case into Python boost-histogram in one interpreter (startup and imports cost more
// than all the fills) and returns what zhist must reproduce, bit for bit.
import { type NdArray, runPython } from "../helpers/python.js";
import type { Case } from "./cases.js";

export interface BoostAxis {
  extent: number;
  size: number;
  edges?: number[]; // continuous and integer axes, after growth
  categories?: (string | number)[]; // category axes, after growth
}

export interface BoostCase {
  axes: BoostAxis[];
  sum: { flow: number[]; noflow: number[] }; // [value] or [value, variance]
  /** Per selection: the remaining axes (arrays `${i}.${j}.values` etc.), or the scalar it reduced to. */
  selections: ({ axes: BoostAxis[] } | { scalar: number[] })[];
}

export interface BoostResults {
  cases: BoostCase[];
  arrays: Record<string, NdArray>; // `${i}.values`, `${i}.variances`, `${i}.counts`
}

const SNIPPET = String.raw`
import boost_histogram as bh

def make_axis(a):
    f = a["flags"]
    kind = a["kind"]
    flow = {k: f[k] for k in ("underflow", "overflow", "growth", "circular") if k in f}
    if kind == "reg":
        return bh.axis.Regular(a["bins"], a["lo"], a["hi"], **flow)
    if kind == "var":
        return bh.axis.Variable(a["edges"], **flow)
    if kind == "int":
        return bh.axis.Integer(a["lo"], a["hi"], **flow)
    cat = {k: f[k] for k in ("overflow", "growth") if k in f}
    if kind == "strcat":
        return bh.axis.StrCategory(a["labels"], **cat)
    if kind == "intcat":
        return bh.axis.IntCategory(a["labels"], **cat)
    if kind == "bool":
        return bh.axis.Boolean()
    raise ValueError(kind)

STORAGE = {"double": bh.storage.Double, "int64": bh.storage.Int64,
           "weight": bh.storage.Weight, "mean": bh.storage.Mean}

def arg(a, kind=None):
    if "array" in a:
        v = ARRAYS[a["array"]]
        # boost-histogram insists on integer arrays for integer axes, booleans for Boolean.
        if kind in ("int", "intcat"):
            return v.astype(np.int64)
        if kind == "bool":
            return v.astype(bool)
        return v
    if "strings" in a:
        return a["strings"]
    return a["scalar"]

def describe(ax, spec):
    d = {"extent": int(ax.extent), "size": int(ax.size)}
    if spec["kind"] in ("reg", "var", "int"):
        d["edges"] = [float(e) for e in ax.edges]
    elif spec["kind"] in ("strcat", "intcat"):
        d["categories"] = [c if isinstance(c, str) else int(c) for c in ax]
    return d

def as_list(s):
    if hasattr(s, "variance"):
        return [float(s.value), float(s.variance)]
    return [float(s)]

def locator(s):
    if s is None:
        return None
    if "index" in s:
        return s["index"]
    if "loc" in s:
        return bh.loc(s["loc"], s.get("offset", 0))
    return bh.underflow if s["flow"] == "underflow" else bh.overflow

def selection(s):
    if s == "sum":
        return sum
    if "range" in s:
        a = s.get("action")
        step = None if a is None else sum if a == "sum" else bh.rebin(a["rebin"])
        return slice(locator(s["range"][0]), locator(s["range"][1]), step)
    if "rebin" in s:
        return slice(None, None, bh.rebin(s["rebin"]))
    if "labels" in s:
        return [bh.loc(l) for l in s["labels"]]
    return locator(s)

def describe_any(ax):
    d = {"extent": int(ax.extent), "size": int(ax.size)}
    if isinstance(ax, (bh.axis.StrCategory, bh.axis.IntCategory)):
        d["categories"] = [c if isinstance(c, str) else int(c) for c in ax]
    elif not isinstance(ax, bh.axis.Boolean):
        d["edges"] = [float(e) for e in ax.edges]
    return d

def select(i, c, h):
    names = [a["name"] for a in c["axes"]]
    res = []
    for j, s in enumerate(c.get("selections") or []):
        if "project" in s:
            r = h.project(*[names.index(n) for n in s["project"]])
        else:
            r = h[{names.index(k): selection(v) for k, v in s["sel"].items()}]
        if not isinstance(r, bh.Histogram):
            res.append({"scalar": as_list(r)})
            continue
        emit_array(f"{i}.{j}.values", r.values(flow=True))
        var = r.variances(flow=True)
        if var is not None:
            emit_array(f"{i}.{j}.variances", var)
        res.append({"axes": [describe_any(ax) for ax in r.axes]})
    return res

out = []
for i, c in enumerate(INPUT):
    h = bh.Histogram(*[make_axis(a) for a in c["axes"]], storage=STORAGE[c["storage"]]())
    for fill in c["fills"]:
        kw = {}
        if "weight" in fill:
            kw["weight"] = arg(fill["weight"])
        if "sample" in fill:
            kw["sample"] = arg(fill["sample"])
        args = [arg(a, spec["kind"]) for a, spec in zip(fill["args"], c["axes"])]
        if c["broadcast"]:
            n = max(len(a) for a in args if not np.isscalar(a))
            args = [[a] * n if np.isscalar(a) else a for a in args]
        h.fill(*args, **kw)
    emit_array(f"{i}.values", h.values(flow=True))
    var = h.variances(flow=True)
    if var is not None:
        emit_array(f"{i}.variances", var)
    emit_array(f"{i}.counts", h.counts(flow=True))
    res = {"axes": [describe(ax, spec) for ax, spec in zip(h.axes, c["axes"])]}
    if c["storage"] != "mean":
        res["sum"] = {"flow": as_list(h.sum(flow=True)), "noflow": as_list(h.sum(flow=False))}
    res["selections"] = select(i, c, h)
    out.append(res)
emit(out)
`;

export async function fillInBoost(cases: Case[]): Promise<BoostResults> {
  const arrays: Record<string, Float64Array> = {};
  for (const c of cases) Object.assign(arrays, c.arrays);
  const input = cases.map(({ axes, storage, fills, broadcastInPython, selections }) => ({
    axes,
    storage,
    fills,
    selections,
    broadcast: !!broadcastInPython,
  }));
  const r = await runPython<BoostCase[]>(SNIPPET, { input, arrays });
  return { cases: r.json, arrays: r.arrays };
}
