// Module resolution for cells, at compile time (types) and run time. Cells run from the notebook's
// directory, which need not hold node_modules: "zhist" is always this package, and packages this
// package depends on (zarrita, vega, apache-arrow) are found here when the notebook's folder lacks them.
// ESM-only packages cannot be require()d by tslab's CommonJS output, so they are imported before the cell runs.
import { builtinModules, createRequire } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The zhist package root (holds package.json and dist/). */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const distDir = path.join(packageRoot, "dist");

/** Run-time entry files of zhist's own specifiers. */
export const zhistEntries: Record<string, string> = {
  zhist: path.join(distDir, "src", "index.js"),
  "zhist/kernel": path.join(distDir, "kernel-ext", "api.js"),
};

/** package.json of zhist as the cell compiler sees it: with the "./kernel" subpath typed. */
export function zhistPackageJson(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8"));
  pkg.exports = {
    ".": { types: "./dist/src/index.d.ts", default: "./dist/src/index.js" },
    "./kernel": { types: "./dist/kernel-ext/api.d.ts", default: "./dist/kernel-ext/api.js" },
  };
  return JSON.stringify(pkg);
}

/**
 * Maps a path under <cwd>/node_modules to where it really is: zhist's own files, or this package's
 * dependencies when the notebook folder does not have them. Returns the path unchanged otherwise.
 */
export function forwardPath(cwd: string, p: string): string {
  const nm = path.join(cwd, "node_modules") + path.sep;
  if (!p.startsWith(nm)) return p;
  const rest = p.slice(nm.length);
  if (rest === path.join("zhist", "kernel.d.ts")) return path.join(distDir, "kernel-ext", "api.d.ts");
  if (rest === "zhist" || rest.startsWith("zhist/")) return path.join(packageRoot, rest.slice("zhist".length));
  const ownNm = path.join(packageRoot, "node_modules");
  if (path.join(cwd, "node_modules") === ownNm) return p;
  if (fs.existsSync(p)) return p;
  const name = rest.startsWith("@") ? rest.split("/").slice(0, 2).join("/") : rest.split("/")[0];
  if (fs.existsSync(path.join(cwd, "node_modules", name))) return p;
  const alt = path.join(ownNm, rest);
  return fs.existsSync(alt) || fs.existsSync(path.join(ownNm, name)) ? alt : p;
}

const builtins = new Set(builtinModules);

function isBare(spec: string): boolean {
  return !spec.startsWith(".") && !spec.startsWith("/") && !spec.startsWith("node:") && !builtins.has(spec);
}

function packageDir(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const cand = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(cand, "package.json"))) return cand;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const conditions = ["node", "import", "module", "default"];

function pickTarget(t: unknown): string | undefined {
  if (typeof t === "string") return t;
  if (Array.isArray(t)) {
    for (const x of t) {
      const r = pickTarget(x);
      if (r) return r;
    }
    return undefined;
  }
  if (t && typeof t === "object") {
    for (const [k, v] of Object.entries(t)) if (conditions.includes(k)) {
      const r = pickTarget(v);
      if (r) return r;
    }
  }
  return undefined;
}

/** The ESM entry file of a bare specifier (package exports with import conditions), or undefined. */
export function resolveEsm(cwd: string, spec: string): string | undefined {
  const parts = spec.split("/");
  const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  const sub = "." + spec.slice(name.length);
  const dir = packageDir(cwd, name) ?? packageDir(packageRoot, name);
  if (!dir) return undefined;
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  let target: string | undefined;
  if (pkg.exports !== undefined) {
    const ex = pkg.exports;
    const map: Record<string, unknown> = typeof ex === "string" || Array.isArray(ex) || !Object.keys(ex).some((k) => k.startsWith(".")) ? { ".": ex } : ex;
    if (map[sub] !== undefined) target = pickTarget(map[sub]);
    else {
      for (const [k, v] of Object.entries(map)) {
        const star = k.indexOf("*");
        if (star < 0) continue;
        const pre = k.slice(0, star), post = k.slice(star + 1);
        if (sub.startsWith(pre) && sub.endsWith(post) && sub.length >= k.length - 1) {
          const t = pickTarget(v);
          if (t) target = t.replaceAll("*", sub.slice(pre.length, sub.length - post.length));
          break;
        }
      }
    }
  } else if (sub === ".") target = pkg.module ?? pkg.main ?? "index.js";
  else target = sub;
  if (!target) return undefined;
  const file = path.join(dir, target);
  return fs.existsSync(file) ? file : undefined;
}

function isEsmFile(file: string): boolean {
  if (file.endsWith(".mjs")) return true;
  if (!file.endsWith(".js")) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pj = path.join(dir, "package.json");
    if (fs.existsSync(pj)) {
      try {
        return JSON.parse(fs.readFileSync(pj, "utf8")).type === "module";
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * Resolves cell imports for tslab's CommonJS output: zhist's specifiers and ESM-only packages are
 * imported ahead (`prepare`), then served synchronously by `require`.
 */
export class CellModules {
  private readonly loaded = new Map<string, Record<string, unknown>>();
  private readonly cwdRequire: NodeJS.Require;
  private readonly ownRequire: NodeJS.Require;

  constructor(private readonly cwd: string) {
    this.cwdRequire = createRequire(path.join(cwd, "__cell__.js"));
    this.ownRequire = createRequire(path.join(packageRoot, "package.json"));
  }

  /** Imports ahead what the cell names and CommonJS cannot load. Unresolvable names are left for require to report. */
  async prepare(specifiers: readonly string[]): Promise<void> {
    for (const spec of specifiers) {
      if (this.loaded.has(spec)) continue;
      let file = zhistEntries[spec];
      if (!file && path.isAbsolute(spec)) {
        // An absolute path to an ES module (a project's own dist file): CommonJS cannot load it either.
        if (!fs.existsSync(spec) || !isEsmFile(spec)) continue;
        file = spec;
      } else if (!file) {
        if (!isBare(spec)) continue;
        if (this.resolvesAsCommonJs(spec)) continue;
        file = resolveEsm(this.cwd, spec) as string;
        if (!file || !isEsmFile(file)) continue;
      }
      const ns = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      // __esModule makes TypeScript's interop helpers use the namespace as is (default import = its default export).
      this.loaded.set(spec, Object.defineProperty({ ...ns }, "__esModule", { value: true }));
    }
  }

  private resolvesAsCommonJs(spec: string): boolean {
    for (const req of [this.cwdRequire, this.ownRequire]) {
      try {
        return !isEsmFile(req.resolve(spec));
      } catch {
        // try the next place, then the ESM resolver
      }
    }
    return false;
  }

  /** A require for cells: prepared modules, then the notebook folder, then this package's dependencies. */
  wrap(fallback: (id: string) => unknown): (id: string) => unknown {
    return (id: string) => {
      const m = this.loaded.get(id);
      if (m) return m;
      try {
        return fallback(id);
      } catch (e) {
        if (isBare(id) && (e as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") return this.ownRequire(id);
        throw e;
      }
    };
  }
}
