// A small tokenizer for magic lines: words, quoted strings ("..." or '...', backslash escapes) and
// --flags, each with its position, so that errors point at the right column. Nothing is evaluated.

export interface Token {
  /** The word, or the string's content without quotes and escapes. */
  value: string;
  /** Offsets in the line: [start, end). */
  start: number;
  end: number;
  quoted: boolean;
}

export class TokenizeError extends Error {
  constructor(readonly reason: string, readonly column: number, readonly span = 1) {
    super(reason);
  }
}

/** Tokens of `text[from..to)`. */
export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === " " || c === "\t") { i++; continue; }
    if (c === '"' || c === "'") {
      const start = i;
      let value = "";
      i++;
      while (i < to && text[i] !== c) {
        if (text[i] === "\\" && i + 1 < to) i++;
        value += text[i++];
      }
      if (i >= to) throw new TokenizeError("unterminated string", start, to - start);
      i++;
      out.push({ value, start, end: i, quoted: true });
      continue;
    }
    const start = i;
    while (i < to && text[i] !== " " && text[i] !== "\t") i++;
    out.push({ value: text.slice(start, i), start, end: i, quoted: false });
  }
  return out;
}

/**
 * Where a `#` comment starts (outside quotes and brackets, at the start or after a blank), or the
 * line's length.
 */
export function commentStart(text: string, from = 0): number {
  let quote = "";
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "#" && (i === from || /\s/.test(text[i - 1]))) return i;
  }
  return text.length;
}

/**
 * Offsets of `sep` in `text[from..to)` at bracket depth 0 and outside quotes: how `a / b` and
 * `x: e1, e2` are split without parsing the expressions.
 */
export function splitTopLevel(text: string, sep: string, from: number, to: number): number[] {
  const at: number[] = [];
  let depth = 0;
  let quote = "";
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (depth === 0 && text.startsWith(sep, i)) at.push(i);
  }
  return at;
}

/** [start, end) of `text[from..to)` without surrounding blanks. */
export function trimRange(text: string, from: number, to: number): [number, number] {
  while (from < to && /\s/.test(text[from])) from++;
  while (to > from && /\s/.test(text[to - 1])) to--;
  return [from, to];
}
