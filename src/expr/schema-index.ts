// What names a schema offers to expressions: columns (`Jet_pt`, `MET_pt`), collections (`Jet`, from
// jagged columns named `Jet_*`) and groups of scalars (`MET`, from scalar columns named `MET_*`).
import type { FieldInfo, Schema } from "../data/types.js";

/**
 * The collection of a jagged column: the part of its name before the first `_` (NanoAOD's
 * `Jet_pt` -> `Jet`), or the whole name. Not the counter's name: some files give every jagged
 * branch its own counter (`Jet_pt[nJet_pt]`).
 */
export function collectionOf(name: string): string {
  const cut = name.indexOf("_");
  return cut > 0 ? name.slice(0, cut) : name;
}

export class SchemaIndex {
  readonly fields: Map<string, FieldInfo>;
  /** Collection -> its jagged columns, in schema order. */
  readonly collections = new Map<string, string[]>();
  /** Prefix -> scalar columns `prefix_*` (for `MET.pt`). */
  readonly records = new Map<string, string[]>();

  constructor(readonly schema: Schema) {
    this.fields = schema.fields;
    for (const [name, f] of schema.fields) {
      const cut = name.indexOf("_");
      if (f.kind === "jagged") push(this.collections, collectionOf(name), name);
      else if (cut > 0) push(this.records, name.slice(0, cut), name);
    }
  }

  /** Every name an identifier may spell, for suggestions. */
  names(): string[] {
    return [...this.fields.keys(), ...this.collections.keys(), ...this.records.keys()];
  }

  /**
   * The column that gives a collection's offsets when an expression reads none of its columns
   * (`count(Jet)`): the narrowest one, to read as few bytes as possible.
   */
  representative(collection: string): string {
    const cols = this.collections.get(collection);
    if (!cols?.length) throw new Error(`no jagged column in collection ${collection}`);
    let best = cols[0];
    for (const c of cols) if (width(this.fields.get(c)!) < width(this.fields.get(best)!)) best = c;
    return best;
  }
}

function width(f: FieldInfo): number {
  return f.type === "bool" || f.type.endsWith("8") ? 1 : f.type.endsWith("16") ? 2 : f.type.endsWith("64") ? 8 : 4;
}

function push(m: Map<string, string[]>, k: string, v: string): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
