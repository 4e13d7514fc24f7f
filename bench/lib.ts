// Shared pieces of the benchmarks: result lines (GUIDE section 4), repeated timing, medians.

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The same quantity for the comparison measured in the same run (e.g. Python boost-histogram). */
  baseline?: number;
  /** value / baseline for rates (higher is better); stated per benchmark where it differs. */
  ratio?: number;
  [extra: string]: unknown;
}

/** A benchmark file (bench/<name>.bench.ts) exports `run` and, optionally, a one-line `about`. */
export interface BenchModule {
  about?: string;
  /** Takes minutes: left out of the default set, run only when named on the command line. */
  slow?: boolean;
  run(ctx: BenchContext): Promise<void>;
}

export interface BenchContext {
  /** Repetitions per measurement (median reported); BENCH_REPS overrides. */
  reps: number;
  /** Scales problem sizes down for a quick check (BENCH_SCALE=0.1); 1 = the sizes the issue asks. */
  scale: number;
  emit(result: BenchResult): void;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Rounds for printing without hiding differences that matter (4 significant digits). */
export function round4(x: number): number {
  return Number(x.toPrecision(4));
}

/**
 * Times `body` `reps` times (after `setup` each time, which is not timed) and returns the
 * seconds of each run. An untimed warm-up run first lets V8 optimize the hot loop, as a
 * long-running kernel would have done.
 */
export async function timeRuns<S>(reps: number, setup: () => S, body: (s: S) => unknown, warmUp = true): Promise<number[]> {
  if (warmUp) await body(setup());
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = setup();
    const t0 = process.hrtime.bigint();
    await body(s);
    out.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return out;
}

/** A result line comparing a rate (higher is better) with its baseline. */
export function rateResult(name: string, value: number, unit: string, baseline?: number, extra: Record<string, unknown> = {}): BenchResult {
  const r: BenchResult = { name, value: round4(value), unit };
  if (baseline !== undefined) {
    r.baseline = round4(baseline);
    r.ratio = round4(value / baseline);
  }
  return { ...r, ...extra };
}

/** mulberry32: a fast seeded generator, plenty for synthetic events; the same numbers every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
