// Shorthand properties naming an earlier cell's variable (`let a = 1;` then `{ a }`). tslab's converter
// rewrites references to earlier cells' variables into `exports.a`, finding them by the symbol at each
// identifier; at a shorthand property that symbol is the new property's, not the variable's, so `{ a }`
// is left as is and fails at run time ("a is not defined"). Spelled `{ a: a }` before the compile, the
// value is an ordinary reference that tslab rewrites (`{ a: exports.a }`), or keeps when a local of the
// same name shadows the earlier cell's: the type checker still decides which variable it is.
import type * as TsNs from "@tslab/typescript-for-tslab";
import { earlierNames, type Position } from "./cell-names.js";

/** Where the cell's text was widened: `length` characters inserted at `at` (an offset of the original). */
interface Insert {
  at: number;
  length: number;
}

export interface Expanded {
  /** The cell with its shorthand properties spelled out. */
  src: string;
  /** Maps tslab's diagnostics of the expanded cell back to the positions of the cell as written. */
  restore<R>(result: R): R;
}

interface Diagnostic {
  start: Position;
  end: Position;
  fileName?: string;
}

/**
 * The cell with each shorthand property of an object literal that names an earlier cell's value
 * spelled out (`{ a }` -> `{ a: a }`, `{ a = 1 } = o` -> `{ a: a = 1 } = o`); undefined when there is
 * none. Binding patterns (`const { a } = o`) declare, and are not shorthand property assignments.
 */
export function expandShorthands(ts: typeof TsNs, prevDecl: string, src: string): Expanded | undefined {
  if (!prevDecl || !src.includes("{")) return undefined;
  const names = earlierNames(ts, prevDecl, false);
  if (!names.size) return undefined;
  const sf = ts.createSourceFile("__tslab__.ts", src, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const inserts: (Insert & { text: string })[] = [];
  const visit = (node: TsNs.Node): void => {
    // `{ a? }` and `{ a! }` are errors the compile should report as written (tokens the parser keeps internally).
    if (ts.isShorthandPropertyAssignment(node) && names.has(node.name.text) && !(node as { questionToken?: unknown }).questionToken && !(node as { exclamationToken?: unknown }).exclamationToken) {
      const at = node.name.getStart(sf);
      // The property's key is the inserted text, the value the name as written (escapes kept).
      inserts.push({ at, length: node.name.end - at + 2, text: `${src.slice(at, node.name.end)}: ` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (!inserts.length) return undefined;
  inserts.sort((x, y) => x.at - y.at);
  let out = "";
  let from = 0;
  for (const ins of inserts) {
    out += src.slice(from, ins.at) + ins.text;
    from = ins.at;
  }
  out += src.slice(from);
  return { src: out, restore: (result) => restorePositions(result, inserts, sf) };
}

function restorePositions<R>(result: R, inserts: Insert[], sf: TsNs.SourceFile): R {
  const diagnostics = (result as { diagnostics?: Diagnostic[] }).diagnostics;
  if (!diagnostics?.length) return result;
  const original = (p: Position): Position => {
    let shift = 0;
    for (const ins of inserts) {
      const start = ins.at + shift;
      if (p.offset < start) break;
      // Inside the inserted key (`a: `): the name as written, which the key repeats.
      if (p.offset < start + ins.length) {
        const offset = ins.at + Math.min(p.offset - start, ins.length - 2);
        return { offset, ...sf.getLineAndCharacterOfPosition(offset) };
      }
      shift += ins.length;
    }
    const offset = p.offset - shift;
    return { offset, ...sf.getLineAndCharacterOfPosition(offset) };
  };
  // tslab gives the messages chained under one diagnostic the same position objects, and leaves out
  // their file name: positions shared with a diagnostic of another file are that file's, kept.
  const foreign = new Set<Position>();
  for (const d of diagnostics) if (d.fileName !== undefined) foreign.add(d.start).add(d.end);
  const mapped = new Map<Position, Position>();
  const map = (p: Position) => {
    if (foreign.has(p)) return p;
    let m = mapped.get(p);
    if (!m) mapped.set(p, (m = original(p)));
    return m;
  };
  for (const d of diagnostics) if (d.fileName === undefined) Object.assign(d, { start: map(d.start), end: map(d.end) });
  return result;
}
