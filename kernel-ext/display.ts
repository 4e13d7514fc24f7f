// Rich display: objects that carry a MIME bundle under Symbol.for("Jupyter.display") show as that bundle;
// everything else as text/plain (util.inspect).
import { inspectValue } from "./executor.js";

export type MimeBundle = Record<string, unknown>;
export const DISPLAY = Symbol.for("Jupyter.display");

export function bundleOf(value: unknown): MimeBundle | undefined {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const fn = (value as Record<symbol, unknown>)[DISPLAY];
    if (typeof fn === "function") {
      const b = fn.call(value) as unknown;
      if (b && typeof b === "object" && !Array.isArray(b)) {
        const out: MimeBundle = {};
        for (const [mime, v] of Object.entries(b)) {
          if (v instanceof Uint8Array) out[mime] = Buffer.from(v).toString("base64");
          else if (v !== undefined) out[mime] = v;
        }
        if (!("text/plain" in out)) out["text/plain"] = inspectValue(value);
        return out;
      }
    }
  }
  return { "text/plain": typeof value === "string" ? `'${value}'` : inspectValue(value) };
}
