// `h.widget()`: the interactive widget lives in the kernel (kernel-ext/widget), which the hist room may
// not import; the kernel registers its widget here when it starts, as src/zarr registers persistence.

/** What the widget shows first; the analyst changes it by clicking. */
export interface WidgetOptions {
  /** The axis along x; default the last ordered axis. */
  axis?: string;
  /** A second ordered axis: a 2-D heatmap. */
  y?: string;
  /** A category axis stacked (MC) with its data labels as points, or overlaid as lines. */
  stack?: string;
  overlay?: string;
  /** Labels selected per category axis (several labels are summed); axes not named are summed. */
  select?: Record<string, string | string[]>;
  log?: boolean;
  /** Fixed for the widget's life: the ratio panel and the uncertainty band (default: when they apply). */
  ratio?: boolean;
  band?: boolean;
}

/** Shows a widget for an in-memory Hist (synchronously) or a stored histogram (asynchronously). */
export type WidgetHook = (source: object, opts: WidgetOptions) => void | Promise<void>;

let hook: WidgetHook | undefined;

export function registerWidget(h: WidgetHook): void {
  hook = h;
}

export function widgetHook(): WidgetHook {
  if (!hook) throw new Error("widget(): the interactive widget needs the zhist Jupyter kernel; outside it, display the histogram (its SVG and Vega-Lite bundle) or render plot(h) from \"zhist\"");
  return hook;
}
