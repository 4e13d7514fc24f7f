// A cell with magics -> the TypeScript left to compile plus the declarations to run. Magic lines are
// blanked in place (every character but line breaks becomes a space), so TypeScript's diagnostics,
// completion and inspection positions in the rest of the cell are unchanged.
import type { AnalysisSpec } from "../../src/analysis/index.js";
import type { Schema } from "../../src/data/index.js";
import { checkActions } from "./check.js";
import { MagicError } from "./errors.js";
import { MAGICS, type MagicAction, parseMagicLine } from "./parse.js";

export interface MagicContext {
  /** The schema of the analysis' datasets: expressions are checked against it (carets, closest names). */
  schema?: Schema | null;
  /** Declarations made by earlier cells (defines usable here, histograms %plot may name). */
  spec?: AnalysisSpec;
}

export interface TransformResult {
  /** The cell with every magic line blanked: same length, same line and column of every character. */
  code: string;
  /** One action per magic line, in order. */
  actions: MagicAction[];
  /** True for a %%analysis cell (no TypeScript at all). */
  analysisCell: boolean;
}

const MAGIC_LINE = /^(\s*)%(?!%)/;
const CELL_MAGIC = /^\s*%%(\S*)/;

/** Replaces every character but line breaks by a space. */
export function blank(text: string): string {
  return text.replace(/[^\r\n]/g, " ");
}

/**
 * Parses the magics at the head of a cell (lines starting with %, blank lines and // comments may sit
 * between them) and blanks them. Throws MagicError (line, column, caret).
 */
export function transformCell(source: string, ctx: MagicContext = {}): TransformResult {
  const lines = source.split("\n");
  const actions: MagicAction[] = [];
  const first = CELL_MAGIC.exec(lines[0] ?? "");
  if (first) {
    if (first[1] !== "analysis") {
      const at = lines[0].indexOf("%%");
      throw new MagicError(`%%${first[1]}`, `unknown cell magic; the cell magic is %%analysis`, 1, at, lines[0].replace(/\r$/, ""), first[1].length + 2);
    }
    const rest = lines[0].slice(lines[0].indexOf("%%analysis") + 10).trim();
    if (rest && !rest.startsWith("#")) throw new MagicError("%%analysis", "takes no arguments; the declarations go on the lines below", 1, lines[0].indexOf(rest), lines[0], rest.length);
    // Every line of the body is a declaration, with or without its %.
    for (let i = 1; i < lines.length; i++) {
      const text = lines[i].replace(/\r$/, "");
      const m = /^\s*%?/.exec(text)!;
      const body = text.slice(m[0].length);
      if (!body.trim() || body.trimStart().startsWith("#") || body.trimStart().startsWith("//")) continue;
      actions.push(parseMagicLine(text, i + 1, m[0].length));
    }
    checkActions(actions, ctx);
    return { code: blank(source), actions, analysisCell: true };
  }
  const out = [...lines];
  let head = true;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].replace(/\r$/, "");
    const m = MAGIC_LINE.exec(text);
    if (m && /^[A-Za-z]/.test(text.slice(m[0].length))) {
      if (!head) {
        // After TypeScript, `%name` may be a modulo continuing an expression: only a magic's name is an error.
        const word = /^[A-Za-z_]\w*/.exec(text.slice(m[0].length))![0];
        if ((MAGICS as readonly string[]).includes(word)) throw new MagicError(`%${word}`, "magics stand at the head of the cell, before any TypeScript", i + 1, m[1].length, text, word.length + 1);
        continue;
      }
      actions.push(parseMagicLine(text, i + 1, m[0].length));
      out[i] = blank(lines[i]);
    } else if (text.trim() && !text.trim().startsWith("//")) head = false;
  }
  checkActions(actions, ctx);
  return { code: out.join("\n"), actions, analysisCell: false };
}
