// How the cell compiler (tslab's TypeScript) finds files: zhist and this package's dependencies from
// any notebook folder, and package "exports" types that tslab's Node 10 resolution would not read.
// Doc comments of the standard library and @types are read only once asked for (deferDocs).
import * as path from "node:path";
import type * as TsNs from "@tslab/typescript-for-tslab";
import { forwardPath, zhistPackageJson } from "./resolve.js";

const patched = new WeakSet<object>();

/**
 * Doc comments of the TypeScript standard library and of @types packages (mostly @types/node, 2 MB)
 * are a third of the first program's parse time, and only inspection shows them. Until restoreDocs()
 * they are read as plain comments: `/**` becomes `/* ` (same length, so no position moves).
 */
class DeferredDocs {
  deferring = true;
  readonly served = new Set<string>();
  readonly watchers = new Map<string, ((fileName: string, kind: number) => void)[]>();

  constructor(private readonly libDir: string) {}

  applies(p: string): boolean {
    return this.deferring && p.endsWith(".d.ts") && (p.startsWith(this.libDir) || p.includes("/node_modules/@types/"));
  }

  strip(p: string, text: string): string {
    this.served.add(p);
    return text.replace(/\/\*\*(?!\/)/g, "/* ");
  }
}

let docs: DeferredDocs | undefined;

/**
 * Reads the deferred doc comments back: the files read without them are reported changed to the
 * compiler's watchers, so that its next program re-reads them whole (about a second, once).
 */
export function restoreDocs(changed: number): void {
  if (!docs?.deferring) return;
  docs.deferring = false;
  for (const file of docs.served) for (const cb of docs.watchers.get(file) ?? []) cb(file, changed);
}

/** Patches `ts.sys` (once per TypeScript instance) to see the notebook folder `cwd` as described above. */
export function patchCompilerHost(ts: typeof TsNs, cwd: string): void {
  if (patched.has(ts.sys)) return;
  patched.add(ts.sys);
  const sys = ts.sys as unknown as Record<string, (...a: any[]) => any>;
  const zhistPkg = path.join(cwd, "node_modules", "zhist", "package.json");
  docs = new DeferredDocs(path.dirname(ts.getDefaultLibFilePath({})) + path.sep);
  const deferred = docs;
  const watchFile = sys.watchFile;
  if (watchFile) {
    // Kept per file so that restoreDocs can tell the compiler which files to read again.
    sys.watchFile = function (this: unknown, p: string, cb: (fileName: string, kind: number) => void, ...rest: unknown[]) {
      const list = deferred.watchers.get(p) ?? [];
      list.push(cb);
      deferred.watchers.set(p, list);
      const w = watchFile.call(ts.sys, p, cb, ...rest);
      return {
        close() {
          deferred.watchers.set(p, (deferred.watchers.get(p) ?? []).filter((x) => x !== cb));
          w?.close();
        },
      };
    };
  }
  for (const fn of ["fileExists", "directoryExists", "readFile", "realpath", "getDirectories"] as const) {
    const orig = sys[fn];
    if (!orig) continue;
    sys[fn] = function (this: unknown, p: string, ...rest: unknown[]) {
      if (fn === "readFile" && p === zhistPkg) return zhistPackageJson();
      if (fn === "fileExists" && p === zhistPkg) return true;
      const out = orig.call(ts.sys, typeof p === "string" ? forwardPath(cwd, p) : p, ...rest);
      if (fn === "readFile" && typeof out === "string" && deferred.applies(p)) return deferred.strip(p, out);
      // tslab resolves like Node 10, which ignores package "exports": give ESM-only packages their "types".
      if (fn === "readFile" && typeof out === "string" && p.endsWith("/package.json") && p.includes("/node_modules/")) return withTypes(out);
      return out;
    };
  }
}

function withTypes(text: string): string {
  try {
    const pkg = JSON.parse(text);
    if (pkg.types || pkg.typings || !pkg.exports) return text;
    const dot = typeof pkg.exports === "object" && !Array.isArray(pkg.exports) ? (pkg.exports["."] ?? pkg.exports) : undefined;
    const types = dot && typeof dot === "object" ? (dot.types ?? dot.import?.types ?? dot.default?.types) : undefined;
    return typeof types === "string" ? JSON.stringify({ ...pkg, types }) : text;
  } catch {
    return text;
  }
}
