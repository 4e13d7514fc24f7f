// What a TTree offers: one FieldInfo per readable branch, with what the basket decoder needs to know.
import type { FieldInfo, ElementType } from "../types.js";

/** How one entry's bytes are laid out in a basket. */
export type Layout =
  | { kind: "scalar" }
  | { kind: "counted" } // Float_t x[n]: values only, lengths from the count leaf (entry offsets give them too)
  | { kind: "fixed"; length: number } // Float_t x[3]
  | { kind: "vector" }; // std::vector<T>: per entry a 4-byte count+version header, int32 size, values

export interface BranchInfo {
  field: FieldInfo;
  layout: Layout;
  /** The jsroot TBranch object (fBasketSeek, fBasketBytes, fBasketEntry, fWriteBasket, fBaskets). */
  branch: any;
}

const LEAF_TYPES: Record<string, [ElementType, ElementType]> = {
  TLeafF: ["f32", "f32"], TLeafD: ["f64", "f64"], TLeafI: ["i32", "u32"], TLeafS: ["i16", "u16"],
  TLeafB: ["i8", "u8"], TLeafL: ["i64", "u64"], TLeafG: ["i64", "u64"], TLeafO: ["bool", "bool"],
};

const CXX_TYPES: Record<string, ElementType> = {
  float: "f32", Float_t: "f32", double: "f64", Double_t: "f64", int: "i32", Int_t: "i32", "unsigned int": "u32",
  UInt_t: "u32", short: "i16", Short_t: "i16", "unsigned short": "u16", UShort_t: "u16", char: "i8", Char_t: "i8",
  "unsigned char": "u8", UChar_t: "u8", bool: "bool", Bool_t: "bool", long: "i64", "long long": "i64", Long64_t: "i64",
  Long_t: "i64", "unsigned long": "u64", "unsigned long long": "u64", ULong64_t: "u64", ULong_t: "u64",
  int32_t: "i32", uint32_t: "u32", int64_t: "i64", uint64_t: "u64", int16_t: "i16", uint16_t: "u16",
  int8_t: "i8", uint8_t: "u8",
};

/** Every branch with one leaf of a numeric type or a std::vector of one; others (strings, objects) are left out. */
export function describeBranches(tree: any): Map<string, BranchInfo> {
  const out = new Map<string, BranchInfo>();
  const visit = (branches: any[]) => {
    for (const b of branches) {
      if (!b) continue;
      const children = b.fBranches?.arr ?? [];
      if (children.length) {
        visit(children);
        continue;
      }
      const info = describe(b);
      if (info) out.set(info.field.name, info);
    }
  };
  visit(tree.fBranches?.arr ?? []);
  return out;
}

function describe(b: any): BranchInfo | undefined {
  const leaves = b.fLeaves?.arr ?? [];
  if (leaves.length !== 1) return undefined;
  const leaf = leaves[0];
  const name: string = b.fName;
  const title: string | undefined = b.fTitle || undefined;
  const vector = /^(?:std::)?vector<\s*([\w: ]+?)\s*>$/.exec(b.fClassName ?? "");
  if (vector) {
    const type = CXX_TYPES[vector[1]];
    if (!type) return undefined;
    return { field: { name, kind: "jagged", type, title }, layout: { kind: "vector" }, branch: b };
  }
  const types = LEAF_TYPES[leaf._typename];
  if (!types) return undefined;
  const type = leaf.fIsUnsigned ? types[1] : types[0];
  if (leaf.fLeafCount) {
    // The counter comes from the leaf's count leaf, never from the branch name (NanoAOD files may give every
    // jagged branch its own counter).
    const counter: string = leaf.fLeafCount.fName;
    return { field: { name, kind: "jagged", type, counter, title }, layout: { kind: "counted" }, branch: b };
  }
  if (leaf.fLen > 1) return { field: { name, kind: "jagged", type, title }, layout: { kind: "fixed", length: leaf.fLen }, branch: b };
  return { field: { name, kind: "scalar", type, title }, layout: { kind: "scalar" }, branch: b };
}
