// Every ROOT file in ../shared/data against Python uproot: entries, the schema (kinds, counters from the
// count leaf), and every value of every numeric branch, exactly.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { openEventSource } from "../../src/data/index.js";
import { runPython } from "../helpers/python.js";
import { assertSameValues, DATA, readAll, ROOT_FILES } from "./util.js";

const UPROOT_DUMP = `
import uproot, awkward as ak
tree = uproot.open(INPUT["file"])[INPUT["tree"]]
info = {"entries": tree.num_entries, "branches": {}}
for name in INPUT["branches"]:
    b = tree[name]
    arr = b.array(library="ak")
    if arr.ndim > 1:
        emit_array(name + "/c", np.asarray(ak.num(arr), dtype="f8"))
        arr = ak.flatten(arr)
    emit_array(name + "/v", np.asarray(arr).astype("f8"))
    info["branches"][name] = {"counter": b.count_branch.name if b.count_branch is not None else None}
# Numeric branches uproot can read as plain or jagged arrays: the JS schema must offer each of them.
plain = []
for name, b in tree.items():
    if len(b.branches): continue
    interp = b.interpretation
    kind = type(interp).__name__
    if kind == "AsDtype" or (kind == "AsJagged" and type(interp.content).__name__ == "AsDtype"):
        plain.append(name)
info["numeric"] = plain
emit(info)
`;

for (const [file, tree] of ROOT_FILES) {
  test(`${file}:${tree} equals uproot, every numeric branch`, async () => {
    const path = join(DATA, file);
    const src = await openEventSource(path, { tree });
    try {
      const names = [...src.schema.fields.keys()];
      const py = await runPython<{ entries: number; numeric: string[]; branches: Record<string, { counter: string | null }> }>(UPROOT_DUMP, {
        input: { file: path, tree, branches: names },
      });
      assert.equal(src.entries, py.json.entries);
      assert.deepEqual([...names].sort(), [...py.json.numeric].sort(), "the same numeric branches");
      const got = await readAll(src, names, undefined, 17);
      assert.equal(got.stop, src.entries);
      if (src.entries === 0) assert.equal(got.batches, 0, "an empty tree yields no batch");
      for (const name of names) {
        const field = src.schema.fields.get(name)!;
        assert.equal(field.counter ?? null, py.json.branches[name].counter, `${name}: counter`);
        assertSameValues(got.columns[name].values, py.arrays[name + "/v"].data, `${file} ${name} values`);
        if (field.kind === "jagged") assertSameValues(got.columns[name].counts!, py.arrays[name + "/c"].data, `${file} ${name} counts`);
      }
    } finally {
      await src.close();
    }
  });
}
