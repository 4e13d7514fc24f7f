// Errors of the expression language: every one points into the text the analyst wrote, so that a
// magic line or a notebook cell can show the offending spot with a caret.

export class ExprError extends Error {
  override name = "ExprError";
  /** 0-based offset of the offending spot in `source`. */
  readonly column: number;
  /** Characters underlined (at least 1). */
  readonly span: number;
  constructor(
    /** What is wrong, without the source text. */
    readonly reason: string,
    /** The expression text (or function source) the error points into. */
    readonly source: string,
    column: number,
    span = 1,
    /** The defined name whose expression holds the error, when it is not the expression compiled. */
    readonly define?: string,
  ) {
    const col = Math.max(0, Math.min(column, source.length));
    super(render(reason, source, col, Math.max(1, span), define));
    this.column = col;
    this.span = Math.max(1, span);
  }

  /** The source line holding the error and a caret under the offending spot (indented by `indent`). */
  format(indent = ""): string {
    return caretLines(this.source, this.column, this.span, indent);
  }
}

function render(reason: string, source: string, column: number, span: number, define?: string): string {
  const where = define === undefined ? "" : ` (in the definition of ${define})`;
  return `${reason}${where}\n${caretLines(source, column, span, "  ")}`;
}

function caretLines(source: string, column: number, span: number, indent: string): string {
  const lineStart = source.lastIndexOf("\n", column - 1) + 1;
  let lineEnd = source.indexOf("\n", column);
  if (lineEnd < 0) lineEnd = source.length;
  const line = source.slice(lineStart, lineEnd);
  const col = column - lineStart;
  const width = Math.max(1, Math.min(span, line.length - col));
  // Tabs stay tabs under the caret so that it lines up in any tab width.
  const pad = line.slice(0, col).replace(/[^\t]/g, " ");
  return `${indent}${line}\n${indent}${pad}${"^".repeat(width)}`;
}

/** Levenshtein distance (insertions, deletions, substitutions), two rows of memory. */
export function editDistance(a: string, b: string): number {
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * The candidates nearest to `name`: case is ignored first (`jet_pt` is surely `Jet_pt`), exact case
 * breaks ties; names too far to be a typo are left out.
 */
export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = name.toLowerCase();
  const maxDistance = Math.max(2, Math.ceil(name.length / 2));
  const scored: { c: string; d: number; e: number }[] = [];
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d <= maxDistance) scored.push({ c, d, e: editDistance(name, c) });
  }
  scored.sort((x, y) => x.d - y.d || x.e - y.e || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0));
  return scored.slice(0, limit).map((s) => s.c);
}

export function didYouMean(names: string[]): string {
  return names.length ? `; did you mean ${names.join(", ")}?` : "";
}
