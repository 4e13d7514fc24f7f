// Fused fill loops compiled to WebAssembly, generated per histogram layout (the layouts of
// fill-kernel.ts: regular and integer axes given arrays, labels as scalars, count or weight
// storage). V8's JS code for the same loop runs at about half of boost-histogram's C++ speed;
// the same loop in wasm runs at native speed. The bytes are written here by a tiny emitter, so
// nothing is needed at build or install time.
//
// Entries are copied chunk by chunk into wasm memory and the cells that the fill can reach (one
// contiguous window: the scalar labels fix the outer offset) are copied in before and out after,
// so a fill must be long compared with that window to gain (see `wasmFill`). The arithmetic is
// boost's, entry by entry in entry order, so the sums are the same to the bit as the JS paths'.
import type { Axis } from "../axis/index.js";
import { Integer } from "../axis/integer.js";
import { Regular } from "../axis/regular.js";
import type { PerEntry, Storage } from "../storage/index.js";

// The ES lib has no WebAssembly types (they come with the DOM lib); the few used here:
declare namespace WebAssembly {
  class Module { constructor(bytes: Uint8Array) }
  class Instance { constructor(module: Module, imports: object); readonly exports: Record<string, unknown> }
  class Memory { constructor(desc: { initial: number }); readonly buffer: ArrayBuffer; grow(pages: number): number }
}

/** Entries per chunk: the columns of a chunk stay in L2 cache between copy and kernel. */
const CHUNK = 8192;

/** Size limits, exported so that tests can force this path whatever the sizes. */
export const wasmFill = {
  /** Fewest entries worth the call and window copies. */
  minEntries: 1024,
  /** Largest window (cells) per entry of the fill: copying the window in and out costs per cell. */
  maxWindowPerEntry: 4,
  /** Largest window in cells: wasm memory never shrinks, so it stays below 20 MB. */
  maxWindow: 1 << 20,
  /** Two entries per step where the layout allows (a test compares with the scalar kernel). */
  simd: true,
};

// --- a tiny WebAssembly emitter: only what the kernels use -----------------------------------

const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, select: 0x1b,
  localGet: 0x20, localSet: 0x21, localTee: 0x22, f64Load: 0x2b, f64Store: 0x39,
  i32Const: 0x41, f64Const: 0x44, i32Eqz: 0x45, i32Eq: 0x46, i32Ne: 0x47, i32LtS: 0x48, i32LtU: 0x49, i32GeU: 0x4f,
  f64Eq: 0x61, f64Lt: 0x63, f64Ge: 0x66,
  i32Add: 0x6a, i32Mul: 0x6c, i32Shl: 0x74,
  f64Floor: 0x9c, f64Add: 0xa0, f64Sub: 0xa1, f64Mul: 0xa2, f64Div: 0xa3, f64Min: 0xa4, f64Max: 0xa5,
} as const;
/** SIMD opcodes (after the 0xfd prefix). */
const SIMD = {
  load: 0x00, store: 0x0b, const: 0x0c, shuffle: 0x0d, f64x2Splat: 0x14, i32x4ExtractLane: 0x1b, f64x2Eq: 0x47, bitselect: 0x52, f64x2Floor: 0x75,
  i32x4Add: 0xae, i32x4Mul: 0xb5, i32x4MinS: 0xb6, i32x4MaxS: 0xb8,
  f64x2Add: 0xf0, f64x2Sub: 0xf1, f64x2Mul: 0xf2, f64x2Div: 0xf3, i32x4TruncSatF64x2SZero: 0xfc,
} as const;
const VOID = 0x40;
const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

function uleb(x: number): number[] {
  const out: number[] = [];
  do {
    let b = x & 0x7f;
    x >>>= 7;
    if (x) b |= 0x80;
    out.push(b);
  } while (x);
  return out;
}

function sleb(x: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = x & 0x7f;
    x >>= 7;
    if ((x === 0 && !(b & 0x40)) || (x === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

const f64 = (x: number) => [OP.f64Const, ...new Uint8Array(Float64Array.of(x).buffer)];
const i32 = (x: number) => [OP.i32Const, ...sleb(x | 0)];
const str = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
/** Aligned 8-byte access at address (on the stack) + offset. */
const mem = (op: number, offset: number) => [op, 3, ...uleb(offset)];
const I32_TRUNC_SAT_F64_S = [0xfc, 0x02];
const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const f64x2 = (x: number) => simd(SIMD.const, ...new Uint8Array(Float64Array.of(x, x).buffer));
/** Shuffle lanes picking double `a` then double `b` of the two operands' four (0-1 first, 2-3 second). */
const lanesOf = (a: number, b: number) => [...Array.from({ length: 8 }, (_, i) => a * 8 + i), ...Array.from({ length: 8 }, (_, i) => b * 8 + i)];
const i32x4 = (x: number) => simd(SIMD.const, ...new Uint8Array(Int32Array.of(x, x, x, x).buffer));

/** A module importing memory "m"."mem" and exporting `fill(n: i32, w: f64)`. */
function moduleBytes(locals: number[], body: number[]): Uint8Array {
  const type = [0x60, ...vec([[I32], [F64]]), 0];
  const code = [...vec(locals.map((t) => [1, t])), ...body, OP.end];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([type])),
    ...section(2, vec([[...str("m"), ...str("mem"), 0x02, 0x00, 1]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str("fill"), 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

// --- kernels ------------------------------------------------------------------------------------

// Locals: params n (0), w (1); then p (byte offset of the entry), end, c (cell), ix; z; v128 cells, vz.
const N = 0, W = 1, P = 2, END = 3, C = 4, IX = 5, Z = 6, CELLS = 7, VZ = 8;
const LOCALS = [I32, I32, I32, I32, F64, V128, V128];

interface Layout {
  axes: (Regular | Integer)[];
  strides: number[];
  /** Cells the fill can reach, from the cell of the scalar labels on. */
  window: number;
}

/**
 * The bin of one axis as boost computes it, without branches when the axis has both flow bins
 * (flow entries are common in HEP data and mispredicted branches cost more than the arithmetic):
 * clamp floor(z * bins) to [-1, bins], NaN to bins. For z in [0, 1) floor is boost's truncation;
 * z * bins rounding up to bins lands in overflow, as in boost. Leaves the cell index along the
 * axis (0..extent-1) in IX, or `br 0` (to the end of the entry) when the entry has no bin.
 */
function axisCode(axis: Regular | Integer, colOffset: number): number[] {
  const { underflow, overflow } = axis.traits;
  const bins = axis.size;
  const load = [OP.localGet, P, ...mem(OP.f64Load, colOffset)];
  const z = axis instanceof Regular
    // z = (x - start) / (stop - start); floor(z * bins)
    ? [...load, ...f64(axis.start), OP.f64Sub, ...f64(axis.stop - axis.start), OP.f64Div, OP.localTee, Z, ...f64(bins), OP.f64Mul, OP.f64Floor]
    // z = floor(x) - start, the bin itself
    : [...load, OP.f64Floor, ...f64(axis.start), OP.f64Sub, OP.localTee, Z];
  // Clamped as integers: wasm's f64.min/max handle NaN and -0 with extra instructions, while an
  // i32 select is one cmov. trunc_sat saturates infinities and gives 0 for NaN, fixed after.
  const code = [
    ...z, ...I32_TRUNC_SAT_F64_S, OP.localSet, IX,
    ...i32(-1), OP.localGet, IX, OP.localGet, IX, ...i32(-1), OP.i32LtS, OP.select,
    OP.localSet, IX, OP.localGet, IX, ...i32(bins), OP.localGet, IX, ...i32(bins), OP.i32LtS, OP.select,
    ...i32(bins), OP.localGet, Z, OP.localGet, Z, OP.f64Eq, OP.select, // NaN -> bins
    OP.localSet, IX,
  ];
  if (!underflow) code.push(OP.localGet, IX, ...i32(-1), OP.i32Eq, OP.brIf, 0);
  if (!overflow) {
    code.push(OP.localGet, IX, ...i32(bins), OP.i32Eq, OP.if, VOID);
    // Without an overflow bin the upper edge of the last regular bin is inclusive.
    if (axis instanceof Regular) code.push(OP.localGet, Z, ...f64(1), OP.f64Eq, OP.i32Eqz, OP.brIf, 1, ...i32(bins - 1), OP.localSet, IX);
    else code.push(OP.br, 1);
    code.push(OP.end);
  }
  if (underflow) code.push(OP.localGet, IX, ...i32(1), OP.i32Add, OP.localSet, IX);
  return code;
}

/**
 * The same bins for two entries at once (SIMD), for an axis with both flow bins: adds
 * bin * `scale` to the lanes of CELLS (the bin being -1..bins here, the flow offsets are added
 * once for all axes). Two divisions per instruction halve the cost of the slowest operation.
 */
function axisCodeSimd(axis: Regular | Integer, colOffset: number, scale: number, first: boolean): number[] {
  const bins = axis.size;
  const load = [OP.localGet, P, ...simd(SIMD.load, 4, ...uleb(colOffset))];
  const z = axis instanceof Regular
    ? [...load, ...f64x2(axis.start), ...simd(SIMD.f64x2Sub), ...f64x2(axis.stop - axis.start), ...simd(SIMD.f64x2Div),
      OP.localTee, VZ, ...f64x2(bins), ...simd(SIMD.f64x2Mul), ...simd(SIMD.f64x2Floor)]
    : [...load, ...simd(SIMD.f64x2Floor), ...f64x2(axis.start), ...simd(SIMD.f64x2Sub), OP.localTee, VZ];
  return [
    ...z, ...f64x2(bins), OP.localGet, VZ, OP.localGet, VZ, ...simd(SIMD.f64x2Eq), ...simd(SIMD.bitselect), // NaN -> bins
    ...simd(SIMD.i32x4TruncSatF64x2SZero), ...i32x4(-1), ...simd(SIMD.i32x4MaxS), ...i32x4(bins), ...simd(SIMD.i32x4MinS),
    ...(scale === 1 ? [] : [...i32x4(scale), ...simd(SIMD.i32x4Mul)]),
    ...(first ? [] : [OP.localGet, CELLS, ...simd(SIMD.i32x4Add)]),
    OP.localSet, CELLS,
  ];
}

/** The weight of an entry: 1, the scalar argument `w`, or one per entry; `sum2` adds w and w*w. */
interface Add { weight: "one" | "scalar" | "array"; sum2: boolean }

/** Adds the entry at byte offset P + `entry` to the cell whose byte offset is in C. */
function addCode(add: Add, wOffset: number, hist: number, entry: number): number[] {
  const w = add.weight === "array" ? [OP.localGet, P, ...mem(OP.f64Load, wOffset + entry)] : add.weight === "scalar" ? [OP.localGet, W] : f64(1);
  const addAt = (offset: number, value: number[]) => [
    OP.localGet, C, OP.localGet, C, ...mem(OP.f64Load, offset), ...value, OP.f64Add, ...mem(OP.f64Store, offset),
  ];
  if (!add.sum2) return addAt(hist, w);
  // the weight in Z (free here), then w and w*w
  return [...w, OP.localSet, Z, ...addAt(hist, [OP.localGet, Z]), ...addAt(hist + 8, [OP.localGet, Z, OP.localGet, Z, OP.f64Mul])];
}

function kernelBytes(layout: Layout, add: Add, useSimd: boolean): Uint8Array {
  const nCols = layout.axes.length;
  const wOffset = nCols * CHUNK * 8;
  const hist = (nCols + 1) * CHUNK * 8;
  const shift = add.sum2 ? 4 : 3; // sum2: {sum w, sum w^2} interleaved per cell (one cache line, not two)
  const body: number[] = [
    OP.localGet, N, OP.i32Eqz, OP.if, VOID, OP.br, 1, OP.end, // return if n == 0 (br 1 = the function)
    OP.localGet, N, ...i32(3), OP.i32Shl, OP.localSet, END,
  ];
  if (useSimd) {
    // Pairs of entries while two are left, then the last one if n is odd.
    const cells = layout.axes.flatMap((a, k) => axisCodeSimd(a, k * CHUNK * 8, layout.strides[k] << shift, k === 0));
    const flow = layout.strides.reduce((acc, s) => acc + s, 0) << shift; // the underflow bins
    cells.push(OP.localGet, CELLS, ...i32x4(flow), ...simd(SIMD.i32x4Add), OP.localSet, CELLS);
    const lane = (l: number, entry: number) => [
      OP.localGet, CELLS, ...simd(SIMD.i32x4ExtractLane, l), OP.localSet, C, ...addCode(add, wOffset, hist, entry),
    ];
    // Weight cells take {w, w*w} of a pair's two entries as two vector adds, one per entry, in order.
    const laneW = (l: number) => [
      OP.localGet, CELLS, ...simd(SIMD.i32x4ExtractLane, l), OP.localTee, C, OP.localGet, C, ...simd(SIMD.load, 4, ...uleb(hist)),
      OP.localGet, VZ, OP.localGet, VZ, OP.localGet, VZ, ...simd(SIMD.f64x2Mul),
      ...simd(SIMD.shuffle, ...lanesOf(l, 2 + l)), ...simd(SIMD.f64x2Add), ...simd(SIMD.store, 4, ...uleb(hist)),
    ];
    const pair = add.sum2
      ? [...cells,
        ...(add.weight === "array" ? [OP.localGet, P, ...simd(SIMD.load, 4, ...uleb(wOffset))] : add.weight === "scalar" ? [OP.localGet, W, ...simd(SIMD.f64x2Splat)] : f64x2(1)),
        OP.localSet, VZ, ...laneW(0), ...laneW(1)]
      : [...cells, ...lane(0, 0), ...lane(1, 8)];
    body.push(
      OP.block, VOID, OP.loop, VOID,
      OP.localGet, P, ...i32(8), OP.i32Add, OP.localGet, END, OP.i32GeU, OP.brIf, 1,
      ...pair,
      OP.localGet, P, ...i32(16), OP.i32Add, OP.localSet, P, OP.br, 0,
      OP.end, OP.end,
      OP.localGet, P, OP.localGet, END, OP.i32LtU, OP.if, VOID, ...cells, ...lane(0, 0), OP.end,
    );
    return moduleBytes(LOCALS, body);
  }
  body.push(OP.loop, VOID, OP.block, VOID, ...i32(0), OP.localSet, C);
  layout.axes.forEach((a, k) => {
    body.push(...axisCode(a, k * CHUNK * 8), OP.localGet, C, OP.localGet, IX, ...i32(layout.strides[k]), OP.i32Mul, OP.i32Add, OP.localSet, C);
  });
  body.push(
    OP.localGet, C, ...i32(shift), OP.i32Shl, OP.localSet, C,
    ...addCode(add, wOffset, hist, 0),
    OP.end, // block: `br 0` in the axis code lands here, skipping the entry
    OP.localGet, P, ...i32(8), OP.i32Add, OP.localTee, P, OP.localGet, END, OP.i32LtU, OP.brIf, 0,
    OP.end, // loop
  );
  return moduleBytes(LOCALS, body);
}

const lit = (x: number) => (Object.is(x, -0) ? "-0" : x);

let memory: WebAssembly.Memory | undefined;
const kernels = new Map<string, (n: number, w: number) => void>();

function memoryOf(bytes: number): WebAssembly.Memory {
  memory ??= new WebAssembly.Memory({ initial: 1 });
  const have = memory.buffer.byteLength;
  if (have < bytes) memory.grow(Math.ceil((bytes - have) / 65536));
  return memory;
}

/**
 * Fills through a wasm kernel if the layout and sizes allow it; returns false (having done
 * nothing) otherwise. Same arguments as `fusedFill`.
 */
export function wasmFusedFill(
  axes: readonly Axis[], columns: readonly (ArrayLike<unknown> | null)[], strides: readonly number[],
  base: number, storage: Storage, weight: PerEntry | undefined, n: number,
): boolean {
  if (typeof WebAssembly !== "object" || n < wasmFill.minEntries) return false;
  const cols: Float64Array[] = [];
  const layout: Layout = { axes: [], strides: [], window: 1 };
  for (let k = 0; k < axes.length; k++) {
    const col = columns[k];
    if (!col) continue;
    const a = axes[k];
    if (!(col instanceof Float64Array) || !(a instanceof Regular || a instanceof Integer) || a.traits.circular || a.traits.growth) return false;
    layout.axes.push(a);
    layout.strides.push(strides[k]);
    layout.window += (a.extent - 1) * strides[k];
    cols.push(col);
  }
  const { window } = layout;
  if (cols.length === 0 || window > wasmFill.maxWindow || window > n * wasmFill.maxWindowPerEntry) return false;
  const perEntry = weight !== undefined && typeof weight !== "number";
  const add: Add = { weight: weight === undefined ? "one" : perEntry ? "array" : "scalar", sum2: storage.kind === "weight" };
  // Int64 weights are checked on the general path; Mean needs samples.
  if (!(storage.kind === "double" || storage.kind === "weight" || (storage.kind === "int64" && weight === undefined))) return false;
  // SIMD where every axis has both flow bins, so that no entry is skipped (the usual layout).
  const useSimd = wasmFill.simd && layout.axes.every((a) => a.traits.underflow && a.traits.overflow);
  const key = JSON.stringify([layout.axes.map((a) => [a.kind, lit(a.start), lit(a.stop), a.size, a.traits]), layout.strides, add, useSimd]);
  let kernel = kernels.get(key);
  if (!kernel) {
    const module = new WebAssembly.Module(kernelBytes(layout, add, useSimd));
    kernel = new WebAssembly.Instance(module, { m: { mem: memoryOf(0) } }).exports.fill as (n: number, w: number) => void;
    if (kernels.size >= 256) kernels.clear(); // a few KB each; a long session may see many layouts
    kernels.set(key, kernel);
  }

  const { sum2 } = add;
  const histAt = (cols.length + 1) * CHUNK; // in float64 units
  const m = memoryOf((histAt + window * (sum2 ? 2 : 1)) * 8);
  const heap = new Float64Array(m.buffer);
  const [v, w2] = storage.fields;
  if (sum2) {
    for (let i = 0; i < window; i++) { heap[histAt + 2 * i] = v[base + i]; heap[histAt + 2 * i + 1] = w2[base + i]; }
  } else heap.set(v.subarray(base, base + window), histAt);
  const w = typeof weight === "number" ? weight : 1;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    for (let k = 0; k < cols.length; k++) heap.set(cols[k].subarray(start, end), k * CHUNK);
    if (perEntry) heap.set(weight.subarray(start, end), cols.length * CHUNK);
    kernel(end - start, w);
  }
  if (sum2) {
    for (let i = 0; i < window; i++) { v[base + i] = heap[histAt + 2 * i]; w2[base + i] = heap[histAt + 2 * i + 1]; }
  } else v.set(heap.subarray(histAt, histAt + window), base);
  if (weight !== undefined && storage.kind === "double") storage.varianceKnown = false;
  return true;
}
