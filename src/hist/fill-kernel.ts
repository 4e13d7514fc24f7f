// Fused fill loops, generated per histogram layout: for the common case (regular and integer axes
// given arrays, category labels as scalars, count or weight storage), one pass over the entries
// computes the cell and adds to it, with every constant inlined. The arithmetic is boost's, so the
// bins are the same as the general path's (and boost-histogram's).
import type { Axis } from "../axis/index.js";
import { Integer } from "../axis/integer.js";
import { Regular } from "../axis/regular.js";
import type { PerEntry, Storage } from "../storage/index.js";

type Kernel = (columns: Float64Array[], n: number, base: number, fields: Float64Array[], weight: PerEntry | undefined) => void;

const kernels = new Map<string, Kernel>();

const lit = (x: number) => (Object.is(x, -0) ? "-0" : String(x));

/** One axis' contribution to the cell `c`, or `continue` for an entry with no bin. */
function axisCode(axis: Axis, k: number, stride: number): string | null {
  const uf = Number(axis.traits.underflow);
  const under = axis.traits.underflow ? "" : "continue;";
  if (axis instanceof Regular && !axis.traits.circular && !axis.traits.growth) {
    const bins = axis.size;
    const over = axis.traits.overflow
      ? `c += ${lit((bins + uf) * stride)};`
      : `if (z === 1) c += ${lit((bins - 1 + uf) * stride)}; else continue;`; // last edge inclusive without overflow
    return `z = (x${k}[i] - ${lit(axis.start)}) / ${lit(axis.stop - axis.start)};
      if (z < 1) { if (z >= 0) c += (((z * ${bins}) | 0) + ${uf}) * ${stride}; else { ${under} } }
      else { ${over} }`;
  }
  if (axis instanceof Integer && !axis.traits.circular && !axis.traits.growth) {
    const bins = axis.size;
    const over = axis.traits.overflow ? `c += ${lit((bins + uf) * stride)};` : "continue;";
    return `z = Math.floor(x${k}[i]) - ${lit(axis.start)};
      if (z < ${bins}) { if (z >= 0) c += (z + ${uf}) * ${stride}; else { ${under} } }
      else { ${over} }`;
  }
  return null;
}

function storageCode(storage: Storage, weight: PerEntry | undefined): string | null {
  const w = weight === undefined ? "1" : typeof weight === "number" ? "weight" : "weight[i]";
  switch (storage.kind) {
    case "double":
      return `v[c] += ${w};`;
    case "int64":
      return weight === undefined ? "v[c] += 1;" : null; // integer weights are checked on the general path
    case "weight":
      return weight === undefined ? "v[c] += 1; w2[c] += 1;" : `{ const ww = ${w}; v[c] += ww; w2[c] += ww * ww; }`;
    default:
      return null;
  }
}

/**
 * Fills through a generated loop if the layout allows it; returns false (having done nothing) when
 * it does not, and the general path must run. `base` is the cell offset of the scalar values.
 */
export function fusedFill(
  axes: readonly Axis[], columns: readonly (ArrayLike<unknown> | null)[], strides: readonly number[],
  base: number, storage: Storage, weight: PerEntry | undefined, n: number,
): boolean {
  const parts: string[] = [];
  const cols: Float64Array[] = [];
  for (let k = 0; k < axes.length; k++) {
    const col = columns[k];
    if (!col) continue;
    if (!(col instanceof Float64Array)) return false;
    const code = axisCode(axes[k], cols.length, strides[k]);
    if (code === null) return false;
    parts.push(code);
    cols.push(col);
  }
  const add = storageCode(storage, weight);
  if (add === null || cols.length === 0) return false;
  const source = `return function fill(columns, n, base, fields, weight) {
    const [${cols.map((_, k) => `x${k}`).join(", ")}] = columns;
    const v = fields[0], w2 = fields[1];
    let z = 0;
    for (let i = 0; i < n; i++) {
      let c = base;
      ${parts.join("\n      ")}
      ${add}
    }
  }`;
  let kernel = kernels.get(source);
  if (!kernel) {
    kernel = new Function(source)() as Kernel;
    kernels.set(source, kernel);
  }
  kernel(cols, n, base, storage.fields, weight);
  if (weight !== undefined && storage.kind === "double") storage.varianceKnown = false;
  return true;
}
