// Growing a categorical axis in place. Chunk size is 1 along categorical axes, so a new
// label is only a new chunk index: growth rewrites zarr.json files and never a chunk.
//
// Order matters for readers that race the growth: the storage arrays are widened first and
// the axis's `categories` attribute last. Readers take extents from the axes, so they see
// either the old labels over a (possibly already wider) array, or the new labels over the
// widened array; never labels without bins.
import { uhiAxisExtent, uhiStorageFields, type UhiStorageType } from "../uhi.js";
import { joinKey, readDocument, writeDocument, type ArrayDocument } from "./array.js";
import { axisGroupNames } from "./layout.js";
import { withLock, type LockOptions } from "./lock.js";
import { AtomicFileStore } from "./store.js";

export interface GrowResult {
  /** Every label of the axis after growth, in index order. */
  categories: (string | number)[];
  /** The labels this call appended (already-present and repeated ones are skipped). */
  added: (string | number)[];
}

export async function growCategory(
  storeRoot: string,
  groupPath: string,
  axisIndex: number,
  newLabels: readonly (string | number)[],
  lockOptions?: LockOptions,
): Promise<GrowResult> {
  const store = new AtomicFileStore(storeRoot);
  const group = joinKey(groupPath);
  const axisNames = await axisGroupNames(store, group);
  if (axisIndex < 0 || axisIndex >= axisNames.length) {
    throw new RangeError(`growCategory: axis ${axisIndex} does not exist in ${store.pathOf(group)} (${axisNames.length} axes)`);
  }
  const axisPath = joinKey(group, "axes", `axis_${axisIndex}`);
  // One metadata lock per histogram: growth of different axes also rewrites the same arrays.
  return withLock(
    store.pathOf(joinKey(group, "zarr.json")),
    async () => {
      // Re-read under the lock: another writer may have appended labels since we looked.
      const axisDoc = await readDocument(store, axisPath);
      const attrs = axisDoc?.attributes as { type?: string; categories?: (string | number)[]; flow?: boolean } | undefined;
      const where = store.pathOf(axisPath);
      if (!attrs || (attrs.type !== "category_str" && attrs.type !== "category_int")) {
        throw new Error(`growCategory: ${where} is not a category axis (type ${JSON.stringify(attrs?.type)})`);
      }
      const wanted = attrs.type === "category_str" ? "string" : "number";
      for (const label of newLabels) {
        if (typeof label !== wanted || (wanted === "number" && !Number.isInteger(label))) {
          throw new TypeError(`growCategory: label ${JSON.stringify(label)} does not fit ${attrs.type} axis ${where}`);
        }
      }
      const existing = attrs.categories ?? [];
      const seen = new Set<string | number>(existing);
      const added: (string | number)[] = [];
      for (const label of newLabels) {
        if (seen.has(label)) continue;
        seen.add(label);
        added.push(label);
      }
      if (added.length === 0) return { categories: existing, added };
      if (attrs.flow) {
        // The flow bin sits after the last label; a new label would take its index and its chunks.
        throw new Error(`growCategory: ${where} has a flow bin; growing it would move chunks (growth axes are written with flow: false)`);
      }
      const categories = [...existing, ...added];
      const extent = uhiAxisExtent({ type: attrs.type, categories, flow: false } as never);

      const storageAttrs = (await readDocument(store, joinKey(group, "storage")))?.attributes as { type?: UhiStorageType } | undefined;
      for (const field of uhiStorageFields(storageAttrs?.type ?? "double")) {
        const arrayPath = joinKey(group, "storage", field);
        const doc = (await readDocument(store, arrayPath)) as ArrayDocument | undefined;
        if (!doc) throw new Error(`growCategory: missing array ${store.pathOf(arrayPath)}`);
        if (doc.shape[axisIndex] >= extent) continue; // already widened by an interrupted growth
        const shape = [...doc.shape];
        shape[axisIndex] = extent;
        await writeDocument(store, arrayPath, { ...doc, shape });
      }
      await writeDocument(store, axisPath, { ...axisDoc!, attributes: { ...axisDoc!.attributes, categories } });
      return { categories, added };
    },
    lockOptions,
  );
}
