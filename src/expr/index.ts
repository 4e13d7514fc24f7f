// The expression language (GUIDE 3.5): parse (acorn), check against a schema, compile to fused loops.
export { ExprScope, compileSpec, type ExprInfo } from "./scope.js";
export { CompiledExpr, type JaggedResult } from "./compiled.js";
export { CompiledGroup, type GroupItem, type GroupResult } from "./group.js";
export { ExprError, closestNames, editDistance } from "./errors.js";
export { JaggedRow, freeIdentifiers } from "./function.js";
export type { ExprSpec } from "./spec.js";
