// A stand-in expression compiler for engine tests (the real one is src/expr): JavaScript arithmetic
// over column names, defines substituted as text, evaluated per event or, when a jagged column is
// read, per element (all jagged columns of one expression share their offsets; scalars broadcast).
import type { ColumnBatch, Schema } from "../../src/data/types.js";

export function compile(source: string, schema: Schema, opts: { defines?: Record<string, string>; substitutions?: [string, string][] } = {}) {
  let text = source;
  for (let pass = 0; pass < 10; pass++) {
    for (const [name, body] of Object.entries(opts.defines ?? {})) text = text.replace(new RegExp(`\\b${name}\\b`, "g"), `(${body})`);
  }
  text = text.replace(/\b([A-Za-z_]\w*)\.(\w+)\b/g, "$1_$2");
  for (const [column, expr] of opts.substitutions ?? []) {
    text = text.replace(new RegExp(`\\b${column}\\b`, "g"), `(${expr.replace(/\b([A-Za-z_]\w*)\.(\w+)\b/g, "$1_$2")})`);
  }
  const ids = [...new Set(text.match(/\b[A-Za-z_]\w*\b/g) ?? [])];
  const columns = ids.filter((i) => schema.fields.has(i));
  const unknown = ids.filter((i) => !schema.fields.has(i) && !(i in Math) && i !== "Math");
  if (unknown.length) throw new Error(`unknown column ${unknown[0]}`);
  const jagged = columns.filter((c) => schema.fields.get(c)!.kind === "jagged");
  const fn = new Function(...columns, `return (${text.replace(/\b(abs|sqrt|min|max)\(/g, "Math.$1(")});`) as (...a: number[]) => number;
  return {
    columns,
    kind: jagged.length ? "jagged" : "scalar",
    evaluate(batch: ColumnBatch) {
      const cols = columns.map((c) => batch.columns[c]);
      const args = new Array<number>(columns.length);
      if (!jagged.length) {
        const out = new Float64Array(batch.length);
        for (let e = 0; e < batch.length; e++) {
          for (let k = 0; k < cols.length; k++) args[k] = Number(cols[k].values[e]);
          out[e] = Number(fn(...args));
        }
        return out;
      }
      const ref = batch.columns[jagged[0]];
      if (ref.kind !== "jagged") throw new Error("expected jagged");
      const out = new Float64Array(ref.values.length);
      for (let e = 0; e < batch.length; e++) {
        for (let i = ref.offsets[e]; i < ref.offsets[e + 1]; i++) {
          for (let k = 0; k < cols.length; k++) args[k] = Number(cols[k].kind === "jagged" ? cols[k].values[i] : cols[k].values[e]);
          out[i] = Number(fn(...args));
        }
      }
      return { offsets: ref.offsets, values: out };
    },
  };
}
