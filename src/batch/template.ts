// Output paths templated with parameters as papermill does it (Python's str.format over the
// parameters and the built-in `pm`): `out/{dataset}.ipynb`, `{pm[run_uuid]}`, `{{` for a brace,
// field access `{cfg[name]}` / `{cfg.name}` / `{list[0]}`, and the common format specs (`{n:03d}`).
import { randomUUID } from "node:crypto";
import type { Json, JsonObject } from "./notebook.js";

export class MissingParameterError extends Error {
  override name = "PapermillMissingParameterException";
}

/** papermill's built-in parameters, only for paths: a run id and the start time. */
export function builtinParameters(now = new Date()): JsonObject {
  const iso = (d: Date, local: boolean) => {
    const p = (n: number, w = 2) => String(n).padStart(w, "0");
    const [y, mo, da, h, mi, s, ms] = local
      ? [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()]
      : [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()];
    return `${y}-${p(mo)}-${p(da)} ${p(h)}:${p(mi)}:${p(s)}.${p(ms, 3)}000${local ? "" : "+00:00"}`;
  };
  return { pm: { run_uuid: randomUUID(), current_datetime_local: iso(now, true), current_datetime_utc: iso(now, false) } };
}

/** Python's str() of a value, which is what a bare `{name}` writes. */
export function pythonStr(v: Json): string {
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return Number.isNaN(v) ? "nan" : !Number.isFinite(v) ? (v > 0 ? "inf" : "-inf") : String(v);
  if (typeof v === "string") return v;
  const repr = (x: Json): string => (typeof x === "string" ? `'${x.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'` : pythonStr(x));
  if (Array.isArray(v)) return `[${v.map(repr).join(", ")}]`;
  return `{${Object.entries(v).map(([k, x]) => `${repr(k)}: ${repr(x)}`).join(", ")}}`;
}

function lookup(field: string, params: JsonObject): Json {
  const m = /^([^.[]+)(.*)$/.exec(field);
  if (!m) throw new Error(`bad format field {${field}}`);
  if (!(m[1] in params)) throw new MissingParameterError(`Missing parameter '${m[1]}'`);
  let v: Json = params[m[1]];
  const re = /\.([^.[]+)|\[([^\]]+)\]/gy;
  re.lastIndex = 0;
  const rest = m[2];
  let step: RegExpExecArray | null;
  while (re.lastIndex < rest.length && (step = re.exec(rest))) {
    const key = step[1] ?? step[2];
    const index = Array.isArray(v) && /^\d+$/.test(key) ? Number(key) : key;
    if (v === null || typeof v !== "object" || !(index in v)) throw new MissingParameterError(`Missing parameter '${field}'`);
    v = (v as Record<string | number, Json>)[index];
  }
  return v;
}

// [[fill]align][sign][0][width][,][.precision][type]
const SPEC = /^(?:(.)?([<>^=]))?([-+ ])?(0)?(\d+)?(,)?(?:\.(\d+))?([sdfeEgG%x]?)$/;

function applySpec(v: Json, spec: string): string {
  if (!spec) return pythonStr(v);
  const m = SPEC.exec(spec);
  if (!m) throw new Error(`format spec ":${spec}" is not supported in output paths`);
  const [, fill0, align0, sign, zero, width, comma, precision, type] = m;
  let s: string;
  if (typeof v === "number" && type !== "s") {
    const p = precision === undefined ? undefined : Number(precision);
    switch (type) {
      case "d": s = String(Math.trunc(v)); break;
      case "f": s = v.toFixed(p ?? 6); break;
      case "e": case "E": s = v.toExponential(p ?? 6).replace(/e([-+])(\d)$/, "e$10$2"); if (type === "E") s = s.toUpperCase(); break;
      case "%": s = (v * 100).toFixed(p ?? 6) + "%"; break;
      case "x": s = Math.trunc(v).toString(16); break;
      default: s = p === undefined ? pythonStr(v) : String(Number(v.toPrecision(p)));
    }
    if (comma) s = s.replace(/^(-?\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, ","));
    if (sign && v >= 0) s = (sign === " " ? " " : "+") + s;
  } else {
    s = pythonStr(v);
    if (precision !== undefined) s = s.slice(0, Number(precision));
  }
  const w = width ? Number(width) : 0;
  if (s.length >= w) return s;
  const numeric = typeof v === "number";
  const fill = fill0 ?? (zero && !align0 ? "0" : " ");
  const align = align0 ?? (zero ? "=" : numeric ? ">" : "<");
  const pad = fill.repeat(w - s.length);
  if (align === "<") return s + pad;
  if (align === "^") {
    const left = Math.floor(pad.length / 2);
    return pad.slice(0, left) + s + pad.slice(left);
  }
  if (align === "=" && /^[-+ ]/.test(s)) return s[0] + pad + s.slice(1);
  return pad + s;
}

/** `path.format(**params)`. */
export function formatPath(template: string, params: JsonObject): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === "{" && template[i + 1] === "{") { out += "{"; i++; continue; }
    if (c === "}" && template[i + 1] === "}") { out += "}"; i++; continue; }
    if (c === "}") throw new Error(`single '}' in ${template}`);
    if (c !== "{") { out += c; continue; }
    const end = template.indexOf("}", i);
    if (end < 0) throw new Error(`unmatched '{' in ${template}`);
    const body = template.slice(i + 1, end);
    const colon = body.indexOf(":");
    let field = colon < 0 ? body : body.slice(0, colon);
    const spec = colon < 0 ? "" : body.slice(colon + 1);
    field = field.replace(/![rsa]$/, "");
    if (!field) throw new Error(`positional field {} in ${template}: name a parameter`);
    out += applySpec(lookup(field, params), spec);
    i = end;
  }
  return out;
}
