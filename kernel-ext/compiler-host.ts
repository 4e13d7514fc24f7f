// How the cell compiler (tslab's TypeScript) finds files: zhist and this package's dependencies from
// any notebook folder, and package "exports" types that tslab's Node 10 resolution would not read.
import * as path from "node:path";
import type * as TsNs from "@tslab/typescript-for-tslab";
import { forwardPath, zhistPackageJson } from "./resolve.js";

const patched = new WeakSet<object>();

/** Patches `ts.sys` (once per TypeScript instance) to see the notebook folder `cwd` as described above. */
export function patchCompilerHost(ts: typeof TsNs, cwd: string): void {
  if (patched.has(ts.sys)) return;
  patched.add(ts.sys);
  const sys = ts.sys as unknown as Record<string, (...a: any[]) => any>;
  const zhistPkg = path.join(cwd, "node_modules", "zhist", "package.json");
  for (const fn of ["fileExists", "directoryExists", "readFile", "realpath", "getDirectories"] as const) {
    const orig = sys[fn];
    if (!orig) continue;
    sys[fn] = function (this: unknown, p: string, ...rest: unknown[]) {
      if (fn === "readFile" && p === zhistPkg) return zhistPackageJson();
      if (fn === "fileExists" && p === zhistPkg) return true;
      const out = orig.call(ts.sys, typeof p === "string" ? forwardPath(cwd, p) : p, ...rest);
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
