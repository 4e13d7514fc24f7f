// File patterns of %dataset (`data/ttbar_*.root`): * and ? within one path segment, expanded in
// sorted order. Node 20 has no fs.glob.
import * as fs from "node:fs";
import * as path from "node:path";

const WILD = /[*?]/;

function segmentRegex(seg: string): RegExp {
  const body = seg.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
  return new RegExp(`^${body}$`);
}

/** The files matching `pattern` (relative to `cwd` unless absolute); a plain path is returned as is. */
export function expandGlob(pattern: string, cwd = process.cwd()): string[] {
  if (!WILD.test(pattern)) return [pattern];
  const absolute = path.isAbsolute(pattern);
  const segs = pattern.split("/");
  let found: string[] = [absolute ? "/" : ""];
  for (let i = absolute ? 1 : 0; i < segs.length; i++) {
    const seg = segs[i];
    const next: string[] = [];
    for (const base of found) {
      if (!WILD.test(seg)) { next.push(base ? path.posix.join(base, seg) : seg); continue; }
      const dir = path.resolve(cwd, base || ".");
      let names: string[];
      try { names = fs.readdirSync(dir); } catch { continue; }
      const re = segmentRegex(seg);
      for (const n of names.sort()) if (re.test(n) && !n.startsWith(".")) next.push(base ? path.posix.join(base, n) : n);
    }
    found = next;
  }
  return found.filter((f) => fs.existsSync(path.resolve(cwd, f)));
}
