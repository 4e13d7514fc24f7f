// zhist's version for writer_info, read from the package.json above this file so that it
// cannot drift from the published version (works from src/ under ts tooling and from dist/).
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

function findVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "zhist" && pkg.version) return pkg.version;
    } catch {
      /* keep walking up */
    }
    dir = path.dirname(dir);
  }
  return "unknown";
}

export const ZHIST_VERSION: string = findVersion();
