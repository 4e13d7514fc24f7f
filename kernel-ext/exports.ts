// `export` in a cell (`export const e = 3;`, written out of habit by users of TypeScript files). tslab
// appends `export { ... }` of every top-level name of the cell to it, so that later cells see them;
// an exported declaration then clashes with it ("Cannot redeclare exported variable 'e'"), and an
// `export { a }` of an earlier cell's name is emitted as `exports.a = void 0` (the value is lost).
// Before the compile, the `export` of a top-level declaration is blanked (spaces: columns stay), so
// the cell is the declaration, visible to later cells as every top-level declaration is; likewise
// `export default` of a named function, class or interface. `export { a, b }` of names the cell or
// earlier cells declare is blanked as a whole (nothing to do: they are visible already). What has no
// meaning in a cell (`export default <value>`, a renaming `export { a as b }`, re-exports `from`,
// `export =`) is a compile error at the statement, saying what to write instead.
import type * as TsNs from "@tslab/typescript-for-tslab";
import { declaredNames, earlierNames, type Position } from "./cell-names.js";

/** A diagnostic as tslab's converter gives them (line and character from 0). */
export interface CellDiagnostic {
  start: Position;
  end: Position;
  messageText: string;
  category: number;
  code: number;
}

export type Rewritten = { src: string; diagnostics?: undefined } | { src?: undefined; diagnostics: CellDiagnostic[] };

/**
 * The cell with the `export`s of its top-level statements blanked; or the errors of those a cell
 * cannot have; undefined when it has none.
 */
export function rewriteExports(ts: typeof TsNs, prevDecl: string, src: string): Rewritten | undefined {
  if (!/\bexport\b/.test(src)) return undefined;
  const sf = ts.createSourceFile("__tslab__.ts", src, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const blanks: [number, number][] = [];
  const diagnostics: CellDiagnostic[] = [];
  const error = (from: number, to: number, messageText: string, code = 0) => {
    const at = (offset: number): Position => ({ offset, ...sf.getLineAndCharacterOfPosition(offset) });
    diagnostics.push({ start: at(from), end: at(to), messageText, category: ts.DiagnosticCategory.Error, code });
  };
  let cellNames: Set<string> | undefined;
  for (const stmt of sf.statements) {
    if (ts.isExportDeclaration(stmt)) {
      const start = stmt.getStart(sf);
      if (stmt.moduleSpecifier) {
        const from = stmt.moduleSpecifier.getText(sf);
        const what = stmt.exportClause && ts.isNamedExports(stmt.exportClause) ? `{ ${stmt.exportClause.elements.map((e) => e.name.text).join(", ")} }` : `* as ${stmt.exportClause ? stmt.exportClause.name.text : "m"}`;
        error(start, stmt.end, `A notebook cell cannot re-export from ${from}: import it instead (import ${what} from ${from};), and later cells see the import.`);
        continue;
      }
      // `export { a, b }`: each name must be declared; a renaming has no declaration to become.
      const elements = stmt.exportClause && ts.isNamedExports(stmt.exportClause) ? stmt.exportClause.elements : [];
      let ok = true;
      for (const el of elements) {
        const local = el.propertyName ?? el.name;
        if (el.propertyName && el.propertyName.text !== el.name.text) {
          ok = false;
          error(el.getStart(sf), el.end, `A notebook cell cannot export '${local.text}' as '${el.name.text}': declare the new name instead (const ${el.name.text} = ${local.text};, or type ${el.name.text} = ${local.text}; for a type). Every top-level declaration is visible to later cells without export.`);
          continue;
        }
        cellNames ??= declaredNames(ts, sf, true);
        if (!cellNames.has(local.text) && !earlierNames(ts, prevDecl, true).has(local.text)) {
          ok = false;
          error(local.getStart(sf), local.end, `Cannot find name '${local.text}'.`, 2304);
        }
      }
      if (ok) blanks.push([start, stmt.end]);
      continue;
    }
    if (ts.isExportAssignment(stmt)) {
      const start = stmt.getStart(sf);
      const head = src.slice(start, stmt.expression.getStart(sf)).replace(/\s+/g, " ").trim();
      if (stmt.isExportEquals) error(start, stmt.expression.getStart(sf), `'${head}' has no meaning in a notebook cell: every top-level declaration is visible to later cells; remove it.`);
      else error(start, stmt.expression.getStart(sf), `A notebook cell has no default export: give the value a name (const name = ...;), and later cells use that name.`);
      continue;
    }
    if (!ts.canHaveModifiers(stmt)) continue;
    const modifiers = ts.getModifiers(stmt) ?? [];
    const exported = modifiers.find((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    const dflt = modifiers.find((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (dflt && !(stmt as { name?: TsNs.Node }).name) {
      const kind = ts.isClassDeclaration(stmt) ? "class" : "function";
      error(exported.getStart(sf), dflt.end, `A notebook cell has no default export: name the ${kind} (${kind} name ...), and later cells use that name.`);
      continue;
    }
    blanks.push([exported.getStart(sf), exported.end]);
    if (dflt) blanks.push([dflt.getStart(sf), dflt.end]);
  }
  if (diagnostics.length) return { diagnostics };
  if (!blanks.length) return undefined;
  let out = "";
  let from = 0;
  for (const [s, e] of blanks) {
    // Spaces for everything but line breaks: every position keeps its line and column.
    out += src.slice(from, s) + src.slice(s, e).replace(/[^\r\n\u2028\u2029]/g, " ");
    from = e;
  }
  return { src: out + src.slice(from) };
}
