// A histogram widget: one ipywidgets model over the kernel's comms (widgets/PROTOCOL.md), opened with
// its first projection, whose display carries the static bundle (SVG, Vega-Lite, text) as fallback.
import type { WidgetOptions } from "../../src/hist/index.js";
import { DISPLAY, summary, toSVGSync } from "../../src/plot/index.js";
import { defaultControls } from "./defaults.js";
import { type HistInfo, MODEL_IDENTITY, histInfo } from "./model.js";
import { type Answer, type BaseOptions, type Projection, type Source, answerOf, isStored, project, projectInMemory, projectStored } from "./project.js";
import { ProjectionService } from "./service.js";
import type { Controls } from "./controls.js";

/** What the widget needs of kernel-ext/comms.ts's CommRegistry. */
export interface WidgetComms {
  openWidget(state: Record<string, unknown>, buffers?: Buffer[], bufferPaths?: (string | number)[][]): string;
  updateWidget(id: string, patch: Record<string, unknown>, buffers?: Buffer[], bufferPaths?: (string | number)[][]): void;
  watchWidget(id: string, watcher: { change(state: Record<string, unknown>): Record<string, unknown> | void; close?(): void }): void;
}

export class HistWidget {
  private constructor(
    readonly modelId: string,
    readonly service: ProjectionService,
    private readonly fallback: Record<string, unknown>,
  ) {}

  /** Opens the model for `source` with its first view already projected. */
  static open(comms: WidgetComms, source: Source, opts: WidgetOptions = {}): HistWidget | Promise<HistWidget> {
    const { info, controls, base } = prepare(source, opts);
    if (isStored(source)) return projectStored(source, controls, base).then((p) => HistWidget.build(comms, source, info, controls, base, p));
    return HistWidget.build(comms, source, info, controls, base, projectInMemory(source, controls, base));
  }

  private static build(comms: WidgetComms, source: Source, info: HistInfo, controls: Controls, base: BaseOptions, first: Projection): HistWidget {
    const answer = answerOf(first);
    const state = {
      ...MODEL_IDENTITY,
      hist: info,
      controls,
      request: 0,
      ...modelFields(answer),
      answered: 0,
      error: "",
      busy: false,
    };
    const id = comms.openWidget(state, answer.data, answer.data.map((_, i) => ["data", i]));
    let service: ProjectionService;
    const compute = async (c: Controls): Promise<Answer> => {
      const answer = answerOf(await project(source, c, base));
      // A store's slice re-reads its axes: categories grown by a fill since show up in the controls.
      const now = infoOf(source);
      if (JSON.stringify(now) !== JSON.stringify(service.info)) {
        service.info = now;
        answer.extra = { hist: now };
      }
      return answer;
    };
    service = new ProjectionService(info, compute, (patch, buffers, paths) => comms.updateWidget(id, patch, buffers, paths));
    comms.watchWidget(id, { change: (s) => service.receive(s), close: () => service.close() });
    const text = isStored(source) ? String(source) : summary(source);
    return new HistWidget(id, service, { "image/svg+xml": toSVGSync(first.spec), "application/vnd.vegalite.v5+json": first.spec, "text/plain": text });
  }

  /** The widget view, and the static bundle for front ends without a widget manager. */
  [DISPLAY](): Record<string, unknown> {
    return { "application/vnd.jupyter.widget-view+json": { model_id: this.modelId, version_major: 2, version_minor: 0 }, ...this.fallback };
  }

  toString(): string {
    return `HistWidget ${this.modelId}`;
  }
}

function prepare(source: Source, opts: WidgetOptions): { info: HistInfo; controls: Controls; base: BaseOptions } {
  const info = infoOf(source);
  const controls = defaultControls(info, source.metadata, opts);
  const base: BaseOptions = {};
  if (opts.ratio !== undefined) base.ratio = opts.ratio;
  if (opts.band !== undefined) base.band = opts.band;
  return { info, controls, base };
}

function infoOf(source: Source): HistInfo {
  return isStored(source)
    ? histInfo({ name: source.name, label: String(source.metadata.label ?? ""), kind: source.kind, axes: source.axes })
    : histInfo(source);
}

/** The model fields of an answer; buffers travel at ["data", i], the state holds null there. */
function modelFields(a: Answer): Record<string, unknown> {
  return { spec: a.spec, data_names: a.dataNames, data: a.data.map(() => null), n_bins: a.nBins };
}
