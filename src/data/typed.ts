// Element types: sizes, constructors, and big-endian (ROOT) to native conversion.
import type { ElementType, NumericArray } from "./types.js";

type Ctor = { new (n: number): NumericArray; new (buf: ArrayBuffer, off?: number, len?: number): NumericArray };

const CTORS: Record<ElementType, Ctor> = {
  f64: Float64Array, f32: Float32Array, i64: BigInt64Array, u64: BigUint64Array, i32: Int32Array, u32: Uint32Array,
  i16: Int16Array, u16: Uint16Array, i8: Int8Array, u8: Uint8Array, bool: Uint8Array,
};

export function elementSize(t: ElementType): number {
  return CTORS[t].prototype.BYTES_PER_ELEMENT as number;
}

export function allocate(t: ElementType, n: number): NumericArray {
  return new CTORS[t](n);
}

/** Copies big-endian bytes into a fresh, aligned native array (one native byte swap, no per-element calls). */
export function fromBigEndian(bytes: Uint8Array, t: ElementType): NumericArray {
  const size = elementSize(t);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const buf = Buffer.from(copy.buffer, 0, copy.byteLength);
  if (size === 2) buf.swap16();
  else if (size === 4) buf.swap32();
  else if (size === 8) buf.swap64();
  const out = new CTORS[t](copy.buffer, 0, copy.byteLength / size);
  if (t === "bool") for (let i = 0; i < out.length; i++) (out as Uint8Array)[i] = out[i] ? 1 : 0;
  return out;
}
