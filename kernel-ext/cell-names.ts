// The names the top-level statements of a cell, or of earlier cells (tslab's declarations of them,
// `prevDecl`), declare: values, and with `types` also interfaces and type aliases.
import type * as TsNs from "@tslab/typescript-for-tslab";

/** A position in a cell as tslab's converter gives them (line and character from 0). */
export interface Position {
  offset: number;
  line: number;
  character: number;
}

export function declaredNames(ts: typeof TsNs, sf: TsNs.SourceFile, types: boolean): Set<string> {
  const names = new Set<string>();
  const add = (name: TsNs.Node | undefined) => {
    if (!name) return;
    if (ts.isIdentifier(name)) names.add(name.text);
    else if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name))
      for (const el of name.elements) if (!ts.isOmittedExpression(el)) add(el.name);
  };
  for (const stmt of sf.statements) {
    if (ts.isVariableStatement(stmt)) for (const d of stmt.declarationList.declarations) add(d.name);
    else if (
      ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt) || ts.isEnumDeclaration(stmt) || ts.isModuleDeclaration(stmt) ||
      ts.isImportEqualsDeclaration(stmt) || (types && (ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt)))
    )
      add(stmt.name);
    else if (ts.isImportDeclaration(stmt) && stmt.importClause) {
      const { name, namedBindings } = stmt.importClause;
      add(name);
      if (namedBindings && ts.isNamespaceImport(namedBindings)) add(namedBindings.name);
      else if (namedBindings) for (const el of namedBindings.elements) add(el.name);
    }
  }
  return names;
}

// The last prevDecl parsed, with its names: every cell compiles against the same prevDecl twice or more.
let last: { prevDecl: string; values: Set<string>; all: Set<string> } | undefined;

export function earlierNames(ts: typeof TsNs, prevDecl: string, types: boolean): Set<string> {
  if (last?.prevDecl !== prevDecl) {
    const sf = ts.createSourceFile("__prev__.d.ts", prevDecl, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    last = { prevDecl, values: declaredNames(ts, sf, false), all: declaredNames(ts, sf, true) };
  }
  return types ? last.all : last.values;
}
