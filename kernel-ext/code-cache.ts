// Loads a large CommonJS file (tslab's TypeScript, 9 MB) with a V8 code cache on disk: compiling it and
// the functions start-up calls costs a few hundred ms per kernel start otherwise. Node 20 has no
// built-in compile cache (module.enableCompileCache is Node 22). Any failure falls back to compiling.
import * as fs from "node:fs";
import { createRequire, Module } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";

export interface CachedModule {
  exports: unknown;
  /** Writes the cache (after the code has run, so that it holds the functions compiled since) unless a valid one was read. */
  save(): void;
}

function cacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "zhist");
}

/** Requires `file` (registering it in require.cache, so later `require`s get this instance) through the code cache named `key`. */
export function requireWithCodeCache(file: string, key: string): CachedModule {
  const cacheFile = path.join(cacheDir(), `${key}-v8-${process.versions.v8}-${process.arch}.v8cache`.replace(/[^\w.+-]/g, "_"));
  const source = fs.readFileSync(file, "utf8");
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const valid = cachedData !== undefined && !script.cachedDataRejected;
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const require = createRequire(file);
  require.cache[file] = mod;
  try {
    script.runInThisContext()(mod.exports, require, mod, file, path.dirname(file));
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  mod.loaded = true;
  return {
    exports: mod.exports,
    save() {
      if (valid) return;
      try {
        fs.mkdirSync(cacheDir(), { recursive: true });
        // Written aside and renamed: a kernel starting meanwhile reads the old cache or the new, never half.
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        // a read-only home: no cache, the kernel starts as before
      }
    },
  };
}
