// Rendering a Vega-Lite spec in Node, without a browser: vega-lite compiles to Vega, vega's View runs
// headless (renderer "none") and serializes the scene graph to SVG.
import * as vega from "vega";
import * as vegaLite from "vega-lite";
import type { VegaLiteSpec } from "./spec.js";

export async function toSVG(spec: VegaLiteSpec): Promise<string> {
  const compiled = vegaLite.compile(spec as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * PNG of an SVG through @resvg/resvg-js (prebuilt binaries in its registry packages, no native build).
 * Optional: resolves null when that package is not installed. `scale` multiplies the SVG's size.
 */
export async function toPNG(svg: string, scale = 2): Promise<Uint8Array | null> {
  let mod: { Resvg: new (svg: string, opts: unknown) => { render(): { asPng(): Uint8Array } } };
  try {
    mod = (await import("@resvg/resvg-js" as string)) as typeof mod;
  } catch {
    return null;
  }
  const r = new mod.Resvg(svg, { fitTo: { mode: "zoom", value: scale }, background: "white", font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } });
  return r.render().asPng();
}
