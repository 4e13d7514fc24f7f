// Parameters in TypeScript, as papermill's translators do it for other languages: the injected cell is
// a comment and one `let NAME = <JSON>;` per parameter (JSON is valid TypeScript; NaN and infinities,
// which JSON lacks, are written as the globals). A parameter the parameters cell declares with a type
// annotation keeps it (`let mode: "fast" | "slow" = "slow";`), so code below still type-checks.
// The parameters cell is read back by a line parser, like papermill's Python inspector: a declaration
// starts a parameter, its value may continue over lines, a trailing `// comment` is its help.
import type { Json, JsonObject } from "./notebook.js";

export interface Parameter {
  name: string;
  /** The annotation, else a type read off the default's literal, else "None" (papermill's "unknown"). */
  inferred_type_name: string;
  default: string;
  help: string;
  /** Only the annotation written in the cell ("" if none): what the injected cell repeats. */
  annotation: string;
}

export function literal(v: Json): string {
  if (typeof v === "number" && !Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
  if (Array.isArray(v)) return `[${v.map(literal).join(", ")}]`;
  if (v && typeof v === "object") return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${literal(x)}`).join(", ")} }`.replace("{  }", "{}");
  return JSON.stringify(v);
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** The injected cell's source. Names that are not identifiers are refused: they could not be declared. */
export function codify(parameters: JsonObject, declared: Parameter[] = [], comment = "Parameters"): string {
  const annotations = new Map(declared.map((p) => [p.name, p.annotation]));
  let out = `// ${comment}\n`;
  for (const [name, value] of Object.entries(parameters)) {
    if (!IDENT.test(name)) throw new Error(`parameter name ${JSON.stringify(name)} is not a TypeScript identifier`);
    const type = annotations.get(name);
    out += `let ${name}${type ? `: ${type}` : ""} = ${literal(value)};\n`;
  }
  return out;
}

const DECL = /^\s*(?:export\s+)?(?:let|const|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*(.+?))?\s*=(?!=|>)\s*(.*)$/s;

/** Where a `//` comment starts outside string literals, or -1. */
function commentStart(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "/" && line[i + 1] === "/") return i;
  }
  return -1;
}

function splitComment(line: string): [string, string] {
  const at = commentStart(line);
  return at < 0 ? [line, ""] : [line.slice(0, at), line.slice(at + 2).trim()];
}

/** A type read off a default's literal; "None" when it is an expression. */
export function typeOfLiteral(text: string): string {
  const t = text.trim().replace(/;\s*$/, "").replace(/\s+as\s+const$/, "");
  if (/^[-+]?(\d[\d_]*\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) || /^[-+]?(NaN|Infinity)$/.test(t)) return "number";
  if (/^(true|false)$/.test(t)) return "boolean";
  if (/^null$/.test(t)) return "null";
  if (/^(["'`]).*\1$/s.test(t)) return "string";
  if (t.startsWith("[")) {
    const inner = t.slice(1, -1).trim();
    if (!inner) return "None";
    const first = inner.startsWith("[") || inner.startsWith("{") ? inner : inner.split(",")[0];
    const el = typeOfLiteral(first);
    return el === "None" ? "unknown[]" : `${el}[]`;
  }
  if (t.startsWith("{")) return "object";
  return "None";
}

/** The parameters a parameters cell declares, with defaults and types. */
export function inspectParameters(source: string): Parameter[] {
  const groups: { head: RegExpExecArray; lines: string[]; help: string }[] = [];
  for (const raw of source.split("\n")) {
    if (!raw.trim() || raw.trim().startsWith("//")) continue;
    const [code, help] = splitComment(raw);
    const head = DECL.exec(code);
    if (head) groups.push({ head, lines: [head[3]], help });
    else if (groups.length) {
      const g = groups[groups.length - 1];
      g.lines.push(code.trim());
      g.help = help;
    }
  }
  return groups.map(({ head, lines, help }) => {
    const value = lines.join(" ").trim().replace(/;\s*$/, "").trim();
    const annotation = (head[2] ?? "").trim();
    return { name: head[1], inferred_type_name: annotation || typeOfLiteral(value), default: value, help, annotation };
  });
}
