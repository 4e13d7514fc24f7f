// How a histogram's storage arrays are cut into chunks.
//
// Categorical axes get chunk size 1: growing a category then only adds chunk indices, it
// never moves an existing chunk, and one categorical key (dataset x region x systematic)
// is exactly the set of chunks a worker's temporary histogram lands in. A boolean axis has
// two fixed bins, so it is kept whole. Dense axes (regular, variable) are kept whole while
// the chunk stays under the byte budget; beyond it the outermost dense axes are split
// first, because projections and plots read along the innermost ones.
import { uhiAxisExtent, type UhiAxis } from "../uhi.js";

/** About 8 MiB of float64 per chunk: large enough to compress well, small enough to lock. */
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

export function isCategorical(axis: UhiAxis): boolean {
  return axis.type === "category_str" || axis.type === "category_int";
}

export function chunkShapeFor(axes: readonly UhiAxis[], maxChunkBytes = DEFAULT_CHUNK_BYTES): number[] {
  const chunk = axes.map((axis) => (isCategorical(axis) ? 1 : Math.max(1, uhiAxisExtent(axis))));
  let budget = Math.max(1, Math.floor(maxChunkBytes / 8));
  for (let a = 0; a < axes.length; a++) if (axes[a].type === "boolean") budget = Math.max(1, Math.floor(budget / 2));
  for (let a = axes.length - 1; a >= 0; a--) {
    if (isCategorical(axes[a]) || axes[a].type === "boolean") continue;
    const extent = chunk[a];
    if (extent <= budget) {
      budget = Math.floor(budget / extent);
      continue;
    }
    // Split into the fewest pieces that fit, of near-equal size (no sliver chunk at the end).
    const pieces = Math.ceil(extent / Math.max(1, budget));
    chunk[a] = Math.ceil(extent / pieces);
    budget = 1;
  }
  return chunk;
}
