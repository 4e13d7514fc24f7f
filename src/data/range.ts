// Argument checks shared by every reader.
import { DataError } from "./errors.js";
import type { EntryRange } from "./types.js";

/** Events per batch when the caller does not say. */
export const DEFAULT_BATCH = 100_000;

export function checkColumns(path: string, columns: readonly string[], available: Iterable<string>): void {
  const have = new Set(available);
  for (const c of columns) {
    if (!have.has(c)) {
      const near = closest(c, have);
      throw new DataError(path, `no such column${near.length ? `; closest: ${near.join(", ")}` : ""}`, { column: c });
    }
  }
}

export function clampRange(path: string, entries: number, range?: EntryRange): EntryRange {
  const start = range?.start ?? 0;
  const stop = Math.min(range?.stop ?? entries, entries);
  if (!Number.isInteger(start) || !Number.isInteger(stop) || start < 0 || start > stop)
    throw new DataError(path, `bad entry range [${range?.start}, ${range?.stop}) for ${entries} entries`);
  return { start, stop };
}

function closest(name: string, have: Set<string>): string[] {
  const lower = name.toLowerCase();
  return [...have]
    .map((h) => [h, editDistance(lower, h.toLowerCase())] as const)
    .filter(([, d]) => d <= Math.max(2, name.length / 3))
    .sort((x, y) => x[1] - y[1])
    .slice(0, 3)
    .map(([h]) => h);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
