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
