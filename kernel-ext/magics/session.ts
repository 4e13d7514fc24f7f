// Running magics: each action is one call on the analysis API (magics are sugar), made on the
// session's Analysis. Re-running a cell re-declares the same things: an identical declaration is
// skipped, a different one is an error (the registry never silently changes under filled results).
import * as path from "node:path";
import "../../src/index.js"; // registers the fill engine, the Zarr backend and Hist display
import { Analysis, type AnalysisSpec, type FillProgress } from "../../src/analysis/index.js";
import { type Schema, openEventSource } from "../../src/data/index.js";
import { Hist as HistClass, type Hist, sum } from "../../src/hist/index.js";
import { Plot } from "../../src/plot/index.js";
import { type HistWidget, openWidget } from "../widget/index.js"; // also gives h.widget() its kernel side
import type { Document } from "yaml";
import { type MagicContext, type TransformResult, transformCell } from "./cell.js";
import { checkActions } from "./check.js";
import { MagicError, suggest } from "./errors.js";
import { expandGlob } from "./glob.js";
import type { MagicAction } from "./parse.js";
import { readAnalysisYaml, writeAnalysisYaml } from "./yaml.js";

export interface SessionOptions {
  analysis?: Analysis;
  /** Where relative file names (datasets, stores, YAML files) resolve. Default: the process' cwd. */
  cwd?: string;
  /** Opens a dataset's first file for its schema; default src/data's openEventSource. */
  openSchema?: (file: string, tree: string) => Promise<Schema>;
}

export interface RunOptions {
  onProgress?: (p: FillProgress) => void;
  signal?: AbortSignal;
}

/** What `%fill` leaves: the histograms by name; displays as a short list. */
export class FillResult {
  constructor(readonly hists: Record<string, unknown>) {}
  toString(): string {
    const lines = Object.entries(this.hists).map(([n, h]) => {
      const x = h as { shape?: number[]; path?: string };
      return `  ${n}: ${x.shape ? x.shape.join(" x ") : "?"} bins${x.path ? ` in ${x.path}` : ""}`;
    });
    return `filled ${lines.length} histogram${lines.length === 1 ? "" : "s"}\n${lines.join("\n")}`;
  }
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": this.toString() };
  }
}

async function defaultSchema(file: string, tree: string): Promise<Schema> {
  const src = await openEventSource(file, { tree });
  try { return src.schema; } finally { await src.close(); }
}

export class MagicSession {
  readonly analysis: Analysis;
  readonly cwd: string;
  /** Histograms of the last %fill, by name. */
  results: Record<string, unknown> = {};
  /** Schema of the first dataset's first file: what expressions are checked against. */
  schema: Schema | null = null;
  private readonly openSchema: (file: string, tree: string) => Promise<Schema>;
  /** The last YAML loaded (or saved): a save merges into it, so its comments carry over. */
  private doc: { file: string; doc: Document; text: string } | null = null;

  constructor(opts: SessionOptions = {}) {
    this.analysis = opts.analysis ?? new Analysis();
    this.cwd = opts.cwd ?? process.cwd();
    this.openSchema = opts.openSchema ?? defaultSchema;
  }

  context(): MagicContext {
    return { schema: this.schema, spec: this.analysis.toSpec() };
  }

  /** Parses and checks a cell's magics; returns the blanked TypeScript and the actions. */
  transform(source: string): TransformResult {
    return transformCell(source, this.context());
  }

  /** Runs the actions in order; resolves with the value to display (a Plot, a FillResult) if any. */
  async run(actions: readonly MagicAction[], opts: RunOptions = {}): Promise<unknown> {
    let shown: unknown;
    for (let i = 0; i < actions.length; i++) {
      const hadSchema = this.schema !== null;
      const v = await this.apply(actions[i], opts);
      if (v !== undefined) shown = v;
      // The schema just became known: check what this cell declares next against it.
      if (!hadSchema && this.schema) checkActions(actions.slice(i + 1), this.context());
    }
    return shown;
  }

  /** transform + run: the blanked code, the actions and the value to display. */
  async execute(source: string, opts: RunOptions = {}): Promise<TransformResult & { value: unknown }> {
    const t = this.transform(source);
    return { ...t, value: await this.run(t.actions, opts) };
  }

  private resolve(f: string): string {
    return path.resolve(this.cwd, f);
  }

  private async apply(a: MagicAction, opts: RunOptions): Promise<unknown> {
    const fail = (reason: string, token?: string): never => {
      const i = token ? a.at.text.indexOf(token) : -1;
      const col = i >= 0 ? i : a.at.text.search(/\S/);
      throw new MagicError(`%${a.magic}`, reason, a.at.line, col, a.at.text, token && i >= 0 ? token.length : 1);
    };
    const guard = <T>(f: () => T, token?: string): T => {
      try { return f(); } catch (e) { if (e instanceof MagicError) throw e; return fail((e as Error).message, token); }
    };
    const spec = this.analysis.toSpec();
    switch (a.magic) {
      case "dataset": {
        const files = a.files.flatMap((f) => {
          const list = expandGlob(f, this.cwd);
          if (!list.length) fail(`no file matches ${f}`, f);
          return list.map((x) => this.resolve(x));
        });
        const old = spec.datasets.find((d) => d.name === a.name);
        const probe = new Analysis().dataset(a.name, files, a.options).toSpec().datasets[0];
        if (old && sameJSON(old, probe)) return undefined;
        guard(() => this.analysis.dataset(a.name, files, a.options), a.name);
        if (!this.schema) {
          try { this.schema = await this.openSchema(files[0], a.options.tree ?? "Events"); } catch (e) { fail(`cannot read the schema of ${files[0]}: ${(e as Error).message}`, a.files[0]); }
        }
        return undefined;
      }
      case "define":
        if (spec.defines.some(([n, e]) => n === a.name && e === a.expr.expr)) return undefined;
        guard(() => this.analysis.define(a.name, a.expr.expr), a.name);
        return undefined;
      case "category":
        if (spec.categories.some((c) => c.axis === a.axis && c.label === a.label && c.expr === a.expr.expr)) return undefined;
        guard(() => this.analysis.category(a.axis, a.label, a.expr.expr), a.label);
        return undefined;
      case "systematic": {
        const probe = a.kind === "weight"
          ? new Analysis().systematic(a.name, "weight", { up: a.up.expr, down: a.down.expr })
          : new Analysis().systematic(a.name, "shape", { column: a.column.expr, up: a.up.expr, down: a.down.expr });
        if (spec.systematics.some((s) => sameJSON(s, probe.toSpec().systematics[0]))) return undefined;
        guard(() => a.kind === "weight"
          ? this.analysis.systematic(a.name, "weight", { up: a.up.expr, down: a.down.expr })
          : this.analysis.systematic(a.name, "shape", { column: a.column.expr, up: a.up.expr, down: a.down.expr }), a.name);
        return undefined;
      }
      case "hist": {
        const w = a.weight ? { weight: a.weight.expr } : {};
        const probe = new Analysis().hist(a.name, a.axis, a.expr.expr, w).toSpec().hists[0];
        if (spec.hists.some((h) => sameJSON(h, probe))) return undefined;
        guard(() => this.analysis.hist(a.name, a.axis, a.expr.expr, w), a.name);
        return undefined;
      }
      case "fill": {
        const o = { ...a.options, ...(a.options.store ? { store: this.resolve(a.options.store) } : {}), onProgress: opts.onProgress, signal: opts.signal };
        if (a.options.datasets) for (const d of a.options.datasets) if (!spec.datasets.some((x) => x.name === d)) fail(`no dataset ${d} is declared${suggest(d, spec.datasets.map((x) => x.name))}`, d);
        try {
          this.results = await this.analysis.fill(o);
        } catch (e) {
          const partial = (e as { hists?: Record<string, unknown> }).hists;
          if (partial) this.results = partial;
          throw e;
        }
        return new FillResult(this.results);
      }
      case "plot":
        return this.plot(a, fail);
      case "analysis": {
        const file = this.resolve(a.file);
        if (a.command === "save") {
          const text = guard(() => writeAnalysisYaml(file, spec, this.doc ?? undefined), a.file);
          this.doc = guard(() => ({ file, doc: readAnalysisYaml(file, text).doc, text }), a.file);
          return undefined;
        }
        const loaded = guard(() => readAnalysisYaml(file), a.file);
        this.doc = { file, doc: loaded.doc, text: loaded.text };
        guard(() => declareAll(this.analysis, loaded.spec), a.file);
        if (!this.schema && loaded.spec.datasets.length) {
          const d = loaded.spec.datasets[0];
          const first = expandGlob(d.files[0], this.cwd)[0];
          if (first) try { this.schema = await this.openSchema(this.resolve(first), d.tree); } catch { /* reported when filled */ }
        }
        return undefined;
      }
    }
  }

  private async plot(a: Extract<MagicAction, { magic: "plot" }>, fail: (reason: string, token?: string) => never): Promise<Plot | HistWidget> {
    let stored = this.results[a.hist] as (Hist | { slice(s: unknown): Promise<Hist>; axes: Hist["axes"] }) | undefined;
    // `%plot out.zarr/ht`: a histogram of a store, filled in an earlier session.
    if (!stored && a.hist.includes("/")) {
      try { stored = (await HistClass.open(this.resolve(a.hist))) as unknown as typeof stored; } catch (e) { fail(`cannot open ${a.hist}: ${(e as Error).message}`, a.hist); }
    }
    if (!stored) {
      const declared = this.analysis.toSpec().hists.some((h) => h.name === a.hist);
      fail(declared ? `${a.hist} is not filled yet: run %fill first` : `no histogram ${a.hist}${suggest(a.hist, Object.keys(this.results))}`, a.hist);
    }
    const axes = stored!.axes;
    const names = axes.map((x) => x.name);
    const select: Record<string, string> = {};
    for (const [k, v] of Object.entries(a.select)) {
      const ax = axes.find((x) => x.name === k);
      if (!ax) fail(`${a.hist} has no axis ${k}${suggest(k, names)}`, `${k}=`);
      const labels = (ax as { categories?: readonly unknown[] }).categories;
      if (!labels) fail(`${k} is not a category axis: select labels of category axes only`, `${k}=`);
      if (!labels!.includes(v)) fail(`${k} has no label ${v}${suggest(v, labels!.map(String))}`, `${k}=${v}`);
      select[k] = v;
    }
    for (const k of [a.options.stack, a.options.overlay, a.options.axis]) if (k !== undefined && !names.includes(k)) fail(`${a.hist} has no axis ${k}${suggest(k, names)}`, k);
    if (a.options.widget) {
      // The widget projects the whole histogram as the analyst clicks: it starts from this view.
      const { widget: _, ...o } = a.options;
      try {
        return await openWidget(stored as Parameters<typeof openWidget>[0], { ...o, select });
      } catch (e) {
        return fail((e as Error).message);
      }
    }
    // The systematic axis shows its nominal entry unless the plot asks for the variations.
    if (names.includes("systematic") && !("systematic" in select) && a.options.stack !== "systematic" && a.options.overlay !== "systematic") select.systematic = "nominal";
    // Axes the plot does not draw are summed in the slice itself, so that a store-backed histogram
    // reads and returns only the bins drawn (hist's convention: an axis not selected is summed).
    const x = a.options.axis ?? [...axes].reverse().find((ax) => ax.traits.ordered && ax.kind !== "boolean")?.name ?? names[names.length - 1];
    const drawn = new Set([x, a.options.stack, a.options.overlay]);
    const selection: Record<string, string | typeof sum> = { ...select };
    for (const n of names) if (n && !(n in selection) && !drawn.has(n)) selection[n] = sum;
    const h = (await (stored as { slice(s: unknown): Hist | Promise<Hist> }).slice(selection)) as Hist;
    return new Plot(h, { ...a.options });
  }
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Declares a whole spec (a loaded YAML) on `analysis`, skipping identical declarations. */
export function declareAll(analysis: Analysis, spec: AnalysisSpec): void {
  const have = analysis.toSpec();
  const has = (list: unknown[], x: unknown) => list.some((y) => sameJSON(y, x));
  for (const d of spec.datasets) if (!has(have.datasets, d)) analysis.dataset(d.name, d.files, { tree: d.tree, xsec: d.xsec, lumi: d.lumi, data: d.data, ...(d.label !== undefined ? { label: d.label } : {}) });
  for (const [n, e] of spec.defines) if (!has(have.defines, [n, e])) analysis.define(n, e);
  for (const c of spec.categories) if (!has(have.categories, c)) analysis.category(c.axis, c.label, c.expr);
  for (const s of spec.systematics) {
    if (have.systematics.some((x) => x.name === s.name && x.kind === s.kind && x.up === s.up && x.down === s.down)) continue;
    if (s.kind === "shape") analysis.systematic(s.name, "shape", { column: s.column, up: s.up, down: s.down });
    else analysis.systematic(s.name, "weight", { up: s.up, down: s.down });
  }
  for (const h of spec.hists) if (!has(have.hists, h)) analysis.hist(h.name, h.axis, h.expr, h.weight !== undefined ? { weight: h.weight } : {});
}
