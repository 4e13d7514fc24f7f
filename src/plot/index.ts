// Plots of histograms: Vega-Lite specs (data) and their rendering in Node (SVG).
export { histSpec, VEGA_LITE_SCHEMA, type PlotOptions, type VegaLiteSpec } from "./spec.js";
export { toSVG, toSVGSync, toPNG } from "./render.js";
export { Plot, plot, displayBundle, defaultView, summary, registerHistDisplay, DISPLAY, type DisplayBundle } from "./display.js";
