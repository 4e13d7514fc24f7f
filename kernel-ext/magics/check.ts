// Checks of magic actions that need more than the line: expressions against the dataset's schema
// (src/expr's ExprScope: carets and closest names), names of histograms and axes already declared.
import { type AnalysisSpec, columnName } from "../../src/analysis/index.js";
import type { Schema } from "../../src/data/index.js";
import { ExprError, ExprScope } from "../../src/expr/index.js";
import { MagicError, suggest } from "./errors.js";
import type { ExprAt, MagicAction } from "./parse.js";

export interface CheckContext {
  schema?: Schema | null;
  spec?: AnalysisSpec;
}

/** Throws MagicError at the first problem. Without a schema only the names are checked. */
export function checkActions(actions: readonly MagicAction[], ctx: CheckContext): void {
  const spec = ctx.spec;
  const hists = new Set(spec?.hists.map((h) => h.name) ?? []);
  let scope: ExprScope | null = null;
  if (ctx.schema) {
    scope = new ExprScope(ctx.schema);
    // Earlier cells' defines were checked when they ran; a failure here would not be this cell's fault.
    for (const [n, e] of spec?.defines ?? []) try { scope.define(n, e); } catch { /* checked where declared */ }
  }
  for (const a of actions) {
    const fail = (reason: string, column: number, span = 1): never => { throw new MagicError(`%${a.magic}`, reason, a.at.line, column, a.at.text, span); };
    const check = (e: ExprAt, f: (expr: string) => unknown) => {
      try {
        f(e.expr);
      } catch (err) {
        if (err instanceof ExprError && err.source === e.expr) fail(err.reason, e.column + err.column, err.span);
        if (err instanceof ExprError) fail(`${err.reason}${err.define ? ` (in the definition of ${err.define})` : ""}`, e.column, e.expr.length);
        throw err;
      }
    };
    switch (a.magic) {
      case "define":
        if (scope) check(a.expr, (x) => scope!.define(a.name, x));
        break;
      case "category":
        if (scope) check(a.expr, (x) => scope!.info(x));
        break;
      case "hist":
        hists.add(a.name);
        if (scope) {
          check(a.expr, (x) => scope!.info(x));
          if (a.weight) check(a.weight, (x) => scope!.info(x));
        }
        break;
      case "systematic":
        if (!ctx.schema) break;
        if (a.kind === "shape") {
          const col = columnName(a.column.expr);
          const names = [...ctx.schema.fields.keys()];
          if (!ctx.schema.fields.has(col)) fail(`unknown column ${col}${suggest(col, names)}`, a.column.column, a.column.expr.length);
          // Variations read the original columns, as the engine substitutes them.
          for (const v of [a.up, a.down]) check(v, (x) => new ExprScope(ctx.schema!).substitute(col, x));
        } else for (const v of [a.up, a.down]) check(v, (x) => scope!.info(x));
        break;
      case "plot":
        if (spec && !hists.has(a.hist) && !a.hist.includes("/")) {
          const i = a.at.text.indexOf(a.hist);
          fail(`no histogram ${a.hist} is declared${suggest(a.hist, hists)}`, i, a.hist.length);
        }
        break;
    }
  }
}
