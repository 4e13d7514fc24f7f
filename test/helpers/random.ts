// Seeded randomness for tests, so that any failure reproduces from the printed seed.

/**
 * The seed for a test file: $ZHIST_SEED if set ("random" picks a fresh one), else `fallback`.
 * A fixed fallback keeps CI deterministic; run with ZHIST_SEED=random locally to explore.
 */
export function testSeed(fallback: number): number {
  const env = process.env.ZHIST_SEED;
  if (env === "random") return (Math.random() * 2 ** 32) >>> 0;
  if (env !== undefined && env !== "") {
    const n = Number(env);
    if (!Number.isInteger(n)) throw new Error(`ZHIST_SEED must be an integer or "random", got ${env}`);
    return n >>> 0;
  }
  return fallback >>> 0;
}

/** A small, fast 32-bit generator (mulberry32); statistical quality is ample for test data. */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1) with 32 random bits. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** Integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length)];
  }
  /** Standard normal by Box-Muller; good enough for realistic-looking fills. */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The next double after x towards +inf or -inf (C's nextafter); NaN and infinities pass through. */
export function nextAfter(x: number, direction: 1 | -1): number {
  if (Number.isNaN(x) || !Number.isFinite(x)) return x;
  if (x === 0) return direction * Number.MIN_VALUE;
  f64[0] = x;
  const awayFromZero = x > 0 === direction > 0;
  u64[0] = awayFromZero ? u64[0] + 1n : u64[0] - 1n;
  return f64[0];
}

/**
 * Awkward values for a binned axis with the given edges: the edges themselves (as two common
 * formulas compute them, so both rounding outcomes are hit), their neighbouring doubles, NaN,
 * both infinities, and values far outside.
 */
export function edgeValues(edges: readonly number[]): number[] {
  const out: number[] = [NaN, Infinity, -Infinity, -1e300, 1e300, -0, 0];
  for (const e of edges) out.push(e, nextAfter(e, 1), nextAfter(e, -1));
  const lo = edges[0];
  const hi = edges[edges.length - 1];
  const n = edges.length - 1;
  for (let i = 0; i <= n; i++) {
    const z = i / n;
    out.push(lo + (i * (hi - lo)) / n, (1 - z) * lo + z * hi);
  }
  return out;
}

/**
 * `n` values: a mixture of uniform values over [lo - pad, hi + pad), and (with probability
 * `awkwardShare`) values drawn from `awkward`, so edges and non-finite values appear often.
 */
export function mixedValues(rng: Rng, n: number, lo: number, hi: number, awkward: readonly number[], awkwardShare = 0.2): Float64Array {
  const pad = (hi - lo) * 0.1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = rng.next() < awkwardShare ? rng.pick(awkward) : rng.uniform(lo - pad, hi + pad);
  }
  return out;
}

/** A seeded uniform [0, 1) function (a 32-bit integer hash of a counter): the store tests' data. */
export function makeRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    s = (s ^ (s + Math.imul(s ^ (s >>> 7), 61))) >>> 0;
    return ((s ^ (s >>> 14)) >>> 0) / 2 ** 32;
  };
}
