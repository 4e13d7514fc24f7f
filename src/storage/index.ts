import type { UhiStorage } from "../uhi.js";
import { DoubleStorage, Int64Storage } from "./double.js";
import { MeanStorage } from "./mean.js";
import type { Storage, StorageKind } from "./storage.js";
import { WeightStorage } from "./weight.js";

export type { PerEntry, ScatterOptions, Storage, StorageKind } from "./storage.js";
export { DoubleStorage, Int64Storage, MeanStorage, WeightStorage };

export function makeStorage(kind: StorageKind, size: number): Storage {
  switch (kind) {
    case "double": return new DoubleStorage(size);
    case "int64": return new Int64Storage(size);
    case "weight": return new WeightStorage(size);
    case "mean": return new MeanStorage(size);
  }
}

export function storageFromUHI(s: UhiStorage): Storage {
  switch (s.type) {
    case "double": return new DoubleStorage(s.values.length, s.values);
    case "int": return new Int64Storage(s.values.length, s.values);
    case "weighted": return new WeightStorage(s.values.length, s.values, s.variances);
    case "mean": return MeanStorage.fromUHI(s.counts, s.values, s.variances);
  }
}
