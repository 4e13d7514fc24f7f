// Rendering a Vega-Lite spec in Node, without a browser: vega-lite compiles to Vega, vega's View runs
// headless (renderer "none") and serializes the scene graph to SVG.
import { createRequire } from "node:module";
import type * as Vega from "vega";
import type * as VegaLite from "vega-lite";
import type { VegaLiteSpec } from "./spec.js";

// vega and vega-lite take a quarter of a second to load: they load on the first plot, not when zhist
// is imported (synchronously, through their CommonJS builds, since display must stay synchronous).
const require = createRequire(import.meta.url);
let libs: { vega: typeof Vega; vegaLite: typeof VegaLite } | undefined;
function load(): { vega: typeof Vega; vegaLite: typeof VegaLite } {
  return (libs ??= { vega: require("vega") as typeof Vega, vegaLite: require("vega-lite") as typeof VegaLite });
}

/**
 * The same SVG, synchronously: with inline data the dataflow evaluates at once, and the headless SVG
 * renderer only writes text. This is what display uses, so that `[Symbol.for("Jupyter.display")]()`
 * returns a bundle rather than a promise. The view's size comes from its private layout fields
 * (vega is pinned; the tests compare with toSVG).
 */
export function toSVGSync(spec: VegaLiteSpec): string {
  const { vega, vegaLite } = load();
  const compiled = vegaLite.compile(spec as VegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    void view.run();
    const v = view as unknown as { _viewWidth?: number; _viewHeight?: number; _origin?: [number, number] };
    if (typeof v._viewWidth !== "number" || typeof v._viewHeight !== "number" || !v._origin) throw new Error("vega's view layout is not where toSVGSync expects it");
    const pad = view.padding() as { left: number; right: number; top: number; bottom: number };
    const width = Math.max(0, v._viewWidth + pad.left + pad.right);
    const height = Math.max(0, v._viewHeight + pad.top + pad.bottom);
    // Not in vega's typings, but exported by vega-scenegraph (the renderer behind view.toSVG()).
    const Renderer = (vega as unknown as { SVGStringRenderer: new (loader: unknown) => StringRenderer }).SVGStringRenderer;
    const r = new Renderer(view.loader());
    r.initialize(null, width, height, [pad.left + v._origin[0], pad.top + v._origin[1]]);
    r.background(view.background());
    r.render((view.scenegraph() as unknown as { root: unknown }).root);
    const svg = r.svg();
    if (typeof svg !== "string") throw new Error("vega rendered no SVG");
    return svg;
  } finally {
    view.finalize();
  }
}

interface StringRenderer {
  initialize(el: null, width: number, height: number, origin: [number, number]): StringRenderer;
  background(color: unknown): StringRenderer;
  render(scene: unknown): StringRenderer;
  svg(): string | null;
}

export async function toSVG(spec: VegaLiteSpec): Promise<string> {
  const { vega, vegaLite } = load();
  const compiled = vegaLite.compile(spec as VegaLite.TopLevelSpec).spec;
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
