// Parameter values as papermill reads them: `-p` values typed like Python's papermill._resolve_type,
// YAML (files and strings) read as PyYAML's safe loader with timestamps left as strings, and the
// sources merged in papermill's order whatever their order on the command line:
// -b (base64 YAML), then -f files, then -y strings, then -p, then -r (later ones win).
import * as fs from "node:fs";
import { parse, type ScalarTag } from "yaml";
import type { Json, JsonObject } from "./notebook.js";

export interface ParameterSources {
  base64: string[];
  files: string[];
  yaml: string[];
  typed: [string, string][];
  raw: [string, string][];
}

export const noSources = (): ParameterSources => ({ base64: [], files: [], yaml: [], typed: [], raw: [] });

// Python's int() and float() on a string: surrounding whitespace, a sign, single underscores between digits.
const DIGITS = "[0-9](?:_?[0-9])*";
const PY_INT = new RegExp(`^\\s*[-+]?${DIGITS}\\s*$`);
const PY_FLOAT = new RegExp(`^\\s*[-+]?(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.?)(?:[eE][-+]?${DIGITS})?\\s*$`);
const PY_SPECIAL = /^\s*([-+]?)(nan|inf|infinity)\s*$/i;

/** `-p NAME VALUE`: "True"/"False"/"None", then an int, then a float, else the string itself. */
export function resolveType(value: string): Json {
  if (value === "True") return true;
  if (value === "False") return false;
  if (value === "None") return null;
  if (PY_INT.test(value)) return Number(value.trim().replaceAll("_", ""));
  if (PY_FLOAT.test(value)) return Number(value.trim().replaceAll("_", ""));
  const special = PY_SPECIAL.exec(value);
  if (special) return special[2].toLowerCase() === "nan" ? NaN : special[1] === "-" ? -Infinity : Infinity;
  return value;
}

// PyYAML (YAML 1.1) booleans; the yaml package's 1.1 schema also takes y/n, which PyYAML does not.
const pyBool: ScalarTag = {
  tag: "tag:yaml.org,2002:bool",
  default: true,
  test: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  resolve: (s: string) => /^(?:yes|true|on)$/i.test(s),
};

// PyYAML's floats need a dot and a signed exponent, and no sign before a leading dot: `1e3`,
// `1.0e3` and `-.5` stay strings there.
const pyExpString: ScalarTag = {
  tag: "tag:yaml.org,2002:str",
  default: true,
  test: /^[-+]?(?:[0-9][0-9_]*[eE][-+]?[0-9]+|(?:[0-9][0-9_]*)?\.[0-9_]*[eE][0-9]+|[-+]\.[0-9_]+(?:[eE][-+]?[0-9]+)?)$/,
  resolve: (s: string) => s,
};

/** Parses YAML as papermill's NoDatesSafeLoader does and returns a plain JSON value. */
export function parseYaml(text: string, where: string): Json {
  let doc: unknown;
  try {
    doc = parse(text, {
      version: "1.1",
      customTags: (tags) => [pyBool, pyExpString, ...tags.filter((t) => typeof t === "object" && t.tag !== "tag:yaml.org,2002:timestamp" && t.tag !== "tag:yaml.org,2002:bool")],
    });
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  return plain(doc);
}

function plain(v: unknown): Json {
  if (v === undefined || v === null) return null;
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (v instanceof Set) return Object.fromEntries([...v].map((k) => [String(k), null]));
  if (v instanceof Uint8Array) return Buffer.from(v).toString("utf8");
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  if (typeof v === "bigint") return Number(v);
  return v as Json;
}

function mapping(v: Json, where: string): JsonObject {
  if (v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw new Error(`${where}: parameters must be a YAML mapping of names to values`);
  return v;
}

/** The final parameters, in papermill's precedence. */
export function mergeParameters(src: ParameterSources): JsonObject {
  const out: JsonObject = {};
  for (const b of src.base64) Object.assign(out, mapping(parseYaml(Buffer.from(b, "base64").toString("utf8"), "-b"), "-b"));
  for (const f of src.files) {
    let text: string;
    try {
      text = fs.readFileSync(f, "utf8");
    } catch (e) {
      throw new Error(`parameters file ${f}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
    Object.assign(out, mapping(parseYaml(text, f), f));
  }
  for (const y of src.yaml) Object.assign(out, mapping(parseYaml(y, "-y"), "-y"));
  for (const [name, value] of src.typed) out[name] = resolveType(value);
  for (const [name, value] of src.raw) out[name] = value;
  return out;
}
