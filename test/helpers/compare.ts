// Exact comparison of float64 arrays, with a message that points at the first differing cells
// (as N-D indices), because "arrays differ" alone is useless for a histogram with 10^4 cells.

export interface Nd {
  data: ArrayLike<number>;
  shape: readonly number[];
}

/** Same bits, except that every NaN equals every NaN and +0 equals -0 (both print as 0 in views). */
export function sameDouble(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function ndIndex(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** Returns null when equal, else a description of the differences (at most `maxShown` cells). */
export function diffExact(got: Nd, want: Nd, maxShown = 8): string | null {
  const gs = JSON.stringify(Array.from(got.shape));
  const ws = JSON.stringify(Array.from(want.shape));
  if (gs !== ws) return `shape differs: got ${gs}, want ${ws}`;
  if (got.data.length !== want.data.length) return `length differs: got ${got.data.length}, want ${want.data.length}`;
  const lines: string[] = [];
  let count = 0;
  for (let i = 0; i < want.data.length; i++) {
    if (!sameDouble(got.data[i], want.data[i])) {
      count++;
      if (lines.length < maxShown) {
        const g = got.data[i];
        const w = want.data[i];
        lines.push(`  at [${ndIndex(i, want.shape).join(", ")}]: got ${g}, want ${w} (diff ${g - w})`);
      }
    }
  }
  if (count === 0) return null;
  return `${count} of ${want.data.length} cells differ (index with flow bins, shape ${ws}):\n${lines.join("\n")}`;
}

/** Throws with `context` (say, the case name and seed) when the arrays are not exactly equal. */
export function assertExact(got: Nd, want: Nd, context: string): void {
  const d = diffExact(got, want);
  if (d !== null) throw new Error(`${context}: ${d}`);
}
