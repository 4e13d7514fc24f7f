// Errors of magic lines: each names the magic and the line, and shows the line with a caret under the
// offending column, as the expression language does for expressions.
import { closestNames } from "../../src/expr/index.js";

export class MagicError extends Error {
  override name = "MagicError";
  constructor(
    /** The magic (`%dataset`), or "magic" when the line names none. */
    readonly magic: string,
    /** What is wrong, without position or source. */
    readonly reason: string,
    /** 1-based line of the cell. */
    readonly line: number,
    /** 0-based column in that line. */
    readonly column: number,
    /** The text of the line. */
    readonly text: string,
    readonly span = 1,
  ) {
    super(`${magic}: ${reason} (line ${line}, column ${column + 1})\n${caret(text, column, span)}`);
  }
}

export function caret(text: string, column: number, span: number): string {
  const col = Math.max(0, Math.min(column, text.length));
  const width = Math.max(1, Math.min(span, Math.max(1, text.length - col)));
  return `  ${text}\n  ${text.slice(0, col).replace(/[^\t]/g, " ")}${"^".repeat(width)}`;
}

export function suggest(name: string, candidates: Iterable<string>, prefix = ""): string {
  const near = closestNames(name, candidates);
  return near.length ? `; did you mean ${near.map((n) => prefix + n).join(", ")}?` : "";
}
