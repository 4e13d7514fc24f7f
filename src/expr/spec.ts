// The plain-data form of an expression: what the analysis keeps and ships to the workers, where
// compileSpec turns it back into a compiled expression against the file's schema.

export interface ExprSpec {
  /** The expression text, or the source text of a function standing in for it. */
  expr: string;
  /** True when `expr` is a function's source. */
  isFunction?: boolean;
  /** Named expressions, in order; each may use the names before it. */
  defines?: [name: string, expr: string][];
  /** Columns replaced by expressions over the original columns (a shape systematic: `Jet_pt` -> `Jet_pt * 1.03`). */
  substitutions?: [column: string, expr: string][];
}
