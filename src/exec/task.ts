// A fill task, as run by a worker thread (or in the calling thread): inspect a file (entries, sum of
// generator weights), or fill one work unit: read its columns batch by batch, evaluate the
// expressions per variation, fill temporaries per categorical key, hand them over.
import { open, stat } from "node:fs/promises";
import { isMainThread } from "node:worker_threads";
import { buildAxis, categoryAxes, type AnalysisSpec, type FileInfo, type WorkUnit } from "../analysis/index.js";
import type { Axis } from "../axis/index.js";
import type { ColumnBatch, EventSource, Schema } from "../data/types.js";
import { ComboSets, combosOf, fillSlots, systematicMajor, type Bins, type FillTarget } from "./kernel.js";
import { loadModules, type CompiledExpr, type CompiledGroup, type Evaluated, type GroupItem, type Modules } from "./modules.js";
import { transfers, type InitMessage, type Post, type Temp, type ToWorker } from "./protocol.js";

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

interface UnitPlan {
  columns: string[];
  /** The own axis of each histogram. */
  axes: Axis[];
  /** The nominal expressions evaluated in one pass, and each shape variation's in one pass of its own. */
  nominal: Pass;
  shapePasses: Pass[];
  genWeight: boolean;
  /** Slots filled: nominal, the weight variations, then the shape variations (see slotOrder). */
  slots: number;
}

/**
 * Expressions evaluated together (one kernel: selections and reductions they share are computed
 * once). Positions of each expression in the group's results; -1 where a shape variation does not
 * recompute it (the nominal result holds).
 */
interface Pass {
  group: CompiledGroup | null;
  cats: number[][];
  values: number[];
  weights: number[];
  factors: number[];
}

class PassBuilder {
  private readonly items: GroupItem[] = [];

  add(expr: string | null | undefined, mask = false): number {
    if (expr === null || expr === undefined) return -1;
    return this.items.push({ expr, mask }) - 1;
  }

  build(m: Modules, schema: Schema, defines: [string, string][], substitution: [string, string] | undefined, at: Omit<Pass, "group">): Pass {
    return { group: this.items.length ? m.compileGroup(this.items, schema, defines, substitution) : null, ...at };
  }
}

export class TaskRunner {
  private readonly axes: Axis[];
  private readonly nsys: number;
  private modules: Promise<Modules>;
  private readonly scratch = new Scratch();
  /** Set by the pool to stop a task in the calling thread between batches. */
  aborted = false;

  constructor(private readonly init: InitMessage, private readonly post: Post) {
    const { spec } = init;
    this.axes = spec.hists.map((h) => buildAxis(h.axis, h.name));
    this.nsys = 1 + 2 * spec.systematics.length;
    this.modules = loadModules(init.modules);
  }

  async handle(msg: ToWorker): Promise<void> {
    if (msg.type === "inspect") {
      try {
        this.post({ type: "inspected", id: msg.id, info: await this.inspect(msg.file, msg.tree, msg.data) });
      } catch (e) {
        this.post({ type: "inspect-failed", id: msg.id, error: errorText(e) });
      }
    } else if (msg.type === "unit") {
      try {
        await this.fillUnit(msg.unit);
      } catch (e) {
        const text = errorText(e);
        this.post({ type: "failed", unit: msg.unit.key, error: text.includes(msg.unit.file) ? text : `${msg.unit.file}: ${text}` });
      }
    }
  }

  private async inspect(file: string, tree: string, data: boolean): Promise<FileInfo> {
    const m = await this.modules;
    let st;
    try {
      st = await stat(file);
    } catch (e) {
      throw new Error(`${file}: cannot open: ${errorText(e)}`);
    }
    const src = await m.openEventSource(file, { tree });
    try {
      const base = { path: file, size: st.size, mtimeMs: st.mtimeMs, entries: src.entries };
      if (data) return { ...base, sumw: src.entries, sumwSource: "data" };
      // Without a Runs tree, genWeight is summed while filling (sumw null): the file is read once.
      // Parquet and Arrow files have one table, whatever tree is asked: no Runs to look for.
      const runs = (await isColumnarFile(file)) ? null : await openRuns(m, file);
      if (runs) {
        try {
          if (runs.schema.fields.has("genEventSumw")) return { ...base, sumw: await sumColumn(runs, "genEventSumw"), sumwSource: "Runs.genEventSumw" };
        } finally {
          await runs.close();
        }
      }
      if (src.schema.fields.has("genWeight")) return { ...base, sumw: null, sumwSource: "genWeight" };
      return { ...base, sumw: src.entries, sumwSource: "entries" };
    } finally {
      await src.close();
    }
  }

  private compile(m: Modules, schema: Schema, u: WorkUnit): UnitPlan {
    const { spec } = this.init;
    const c = (s: string, what: string, substitution?: [string, string]) => {
      try {
        return m.compile(s, schema, spec.defines, substitution);
      } catch (e) {
        throw new Error(`${what}: ${errorText(e)}`);
      }
    };
    // Each expression is compiled on its own first: errors name what they belong to, and a shape
    // variation recompiles only what reads its column. They are evaluated in the passes below.
    const axes = categoryAxes(spec);
    const cats = axes.map((a) => a.exprs.map((x, l) => c(x, `category ${a.axis} ${a.labels[l]}`)));
    const hists = spec.hists.map((h) => ({ value: c(h.expr, `hist ${h.name}`), weight: h.weight ? c(h.weight, `hist ${h.name} weight`) : undefined }));
    const weightSlots: { slot: number; expr: CompiledExpr }[] = [];
    const shapeSlots: { slot: number; cats: (CompiledExpr | null)[][]; hists: { value: CompiledExpr | null; weight: CompiledExpr | null }[] }[] = [];
    // Data gets the nominal entry only: variations are MC's, and their columns (scale factors) are MC's too.
    if (!u.data) {
      spec.systematics.forEach((s, i) => {
        if (s.kind === "weight") {
          weightSlots.push({ slot: 1 + 2 * i, expr: c(s.up, `systematic ${s.name} up`) }, { slot: 2 + 2 * i, expr: c(s.down, `systematic ${s.name} down`) });
          return;
        }
        if (!schema.fields.has(s.column)) throw new Error(`systematic ${s.name}: no column ${s.column} in the file`);
        // Only what reads the column is recompiled (and later re-evaluated) with the substitution.
        for (const [k, replacement] of [[1, s.up], [2, s.down]] as const) {
          const sub: [string, string] = [s.column, replacement];
          const what = `systematic ${s.name} ${k === 1 ? "up" : "down"}`;
          const again = (x: CompiledExpr, source: string) => (x.columns.includes(s.column) ? c(source, what, sub) : null);
          shapeSlots.push({
            slot: k + 2 * i,
            cats: cats.map((labels, a) => labels.map((x, l) => again(x, axes[a].exprs[l]))),
            hists: hists.map((h, j) => ({ value: again(h.value, spec.hists[j].expr), weight: h.weight ? again(h.weight, spec.hists[j].weight!) : null })),
          });
        }
      });
    }
    const nominal = new PassBuilder();
    const nominalPass = nominal.build(m, schema, spec.defines, undefined, {
      cats: axes.map((a) => a.exprs.map((x) => nominal.add(x, true))),
      values: spec.hists.map((h) => nominal.add(h.expr)),
      weights: spec.hists.map((h) => nominal.add(h.weight)),
      factors: weightSlots.map((w) => nominal.add(this.systematicExpr(w.slot))),
    });
    const shapePasses = shapeSlots.map((slot) => {
      const sys = spec.systematics[(slot.slot - 1) >> 1] as Extract<AnalysisSpec["systematics"][number], { kind: "shape" }>;
      const sub: [string, string] = [sys.column, slot.slot % 2 === 1 ? sys.up : sys.down];
      const b = new PassBuilder();
      return b.build(m, schema, spec.defines, sub, {
        cats: slot.cats.map((labels, a) => labels.map((x, l) => b.add(x && axes[a].exprs[l], true))),
        values: slot.hists.map((h, j) => b.add(h.value && spec.hists[j].expr)),
        weights: slot.hists.map((h, j) => b.add(h.weight && spec.hists[j].weight)),
        factors: [],
      });
    });
    const genWeight = !u.data && schema.fields.has("genWeight");
    const all: CompiledExpr[] = [...cats.flat(), ...hists.flatMap((h) => (h.weight ? [h.value, h.weight] : [h.value])), ...weightSlots.map((s) => s.expr)];
    for (const s of shapeSlots) for (const x of [...s.cats.flat(), ...s.hists.flatMap((h) => [h.value, h.weight])]) if (x) all.push(x);
    const columns = new Set(all.flatMap((x) => x.columns));
    if (genWeight) columns.add("genWeight");
    return { columns: [...columns], axes: this.axes, nominal: nominalPass, shapePasses, genWeight, slots: 1 + weightSlots.length + shapeSlots.length };
  }

  // The last plan, for the next unit of the same kind over a file of the same schema (most units):
  // compiled once, and its expressions' output arrays are already of the right sizes.
  private lastPlan: { key: string; plan: UnitPlan } | null = null;

  private planFor(m: Modules, schema: Schema, u: WorkUnit): UnitPlan {
    const key = `${u.data}|${[...schema.fields.values()].map((f) => `${f.name}:${f.kind}:${f.type}`).join(",")}`;
    if (this.lastPlan?.key !== key) this.lastPlan = { key, plan: this.compile(m, schema, u) };
    return this.lastPlan.plan;
  }

  /** The factor expression of a weight variation's slot (1 + 2i up, 2 + 2i down). */
  private systematicExpr(slot: number): string {
    const s = this.init.spec.systematics[(slot - 1) >> 1];
    return slot % 2 === 1 ? s.up : s.down;
  }

  private async fillUnit(u: WorkUnit): Promise<void> {
    const m = await this.modules;
    const src = await m.openEventSource(u.file, { tree: u.tree });
    let events = 0;
    const temps = this.temporaries(u);
    let sum = 0;
    const sumw = () => (u.sumGenWeight ? { sumw: sum } : {});
    try {
      const plan = this.planFor(m, src.schema, u);
      if (u.sumGenWeight && !plan.genWeight) throw new Error(`${u.file}: no genWeight column to sum the generator weights over`);
      // fillBatch keeps nothing of a batch: the reader may reuse its arrays.
      for await (const batch of src.read(plan.columns, { start: u.start, stop: u.stop }, this.init.batchEvents, { recycle: true })) {
        if (this.aborted) throw new Error("aborted");
        // In the calling thread, let timers (progress events) and abort listeners run between batches.
        if (isMainThread) await new Promise((r) => setImmediate(r));
        this.fillBatch(plan, u, batch, temps);
        if (u.sumGenWeight) sum = addUp(sum, columnValues(batch, "genWeight"), batch.length);
        events += batch.length;
        this.post({ type: "progress", unit: u.key, events: batch.length });
        if (temps.bytes > this.init.flushBytes) {
          const t = temps.take();
          this.post({ type: "partial", unit: u.key, temps: t, ...sumw() }, transfers(t));
        }
      }
    } finally {
      await src.close();
    }
    if (events !== u.stop - u.start) throw new Error(`${u.file}: read ${events} events of entries ${u.start}..${u.stop}`);
    const t = temps.take();
    this.post({ type: "done", unit: u.key, temps: t, events, ...sumw() }, transfers(t));
  }

  /**
   * The systematic index of each slot in filling order: nominal and weight variations first (filled
   * together, adjacent), then shape variations. Data fills the nominal slot only.
   */
  private slotOrder(u: WorkUnit): Int32Array {
    if (u.data) return Int32Array.of(0);
    const sys = this.init.spec.systematics;
    const weight = sys.flatMap((s, i) => (s.kind === "weight" ? [1 + 2 * i, 2 + 2 * i] : []));
    const shape = sys.flatMap((s, i) => (s.kind === "shape" ? [1 + 2 * i, 2 + 2 * i] : []));
    return Int32Array.from([0, ...weight, ...shape]);
  }

  /** A unit's temporaries, per histogram and combination set; its own ComboSets keep every run's additions in the same order. */
  private temporaries(u: WorkUnit) {
    const { nsys, axes } = this;
    const order = this.slotOrder(u);
    const sets = new ComboSets(categoryAxes(this.init.spec).map((a) => a.labels.length));
    const targets = this.axes.map((axis) => {
      const size = order.length * 2 * axis.extent;
      const t: FillTarget = {
        bufs: [],
        alloc(set) {
          const b = new Float64Array(size);
          t.bufs[set] = b;
          holder.bytes += b.byteLength;
          return b;
        },
      };
      return t;
    });
    const holder = {
      bytes: 0,
      sets,
      targets,
      /** Per event of the current batch, its combination set (nominal, then each shape variation's). */
      setIds: new Int32Array(0),
      take(): Temp[] {
        const out: Temp[] = [];
        targets.forEach((t, hist) => {
          const extent = axes[hist].extent;
          for (const [combo, data] of combosOf(t.bufs, sets)) out.push({ hist, combo, data: systematicMajor(data, order, nsys, extent) });
          t.bufs = [];
        });
        holder.bytes = 0;
        return out;
      },
    };
    return holder;
  }

  private fillBatch(plan: UnitPlan, u: WorkUnit, batch: ColumnBatch, temps: ReturnType<TaskRunner["temporaries"]>): void {
    const n = batch.length;
    if (!n) return;
    const scratch = this.scratch;
    scratch.reset();
    const base = scratch.f64(n);
    if (plan.genWeight) {
      const g = columnValues(batch, "genWeight");
      for (let e = 0; e < n; e++) base[e] = g[e] * u.norm;
    } else base.fill(u.data ? 1 : u.norm);
    const r = plan.nominal.group!.evaluate(batch);
    const masks = plan.nominal.cats.map((labels) => labels.map((i) => r[i].values));
    if (temps.setIds.length < 2 * n) temps.setIds = new Int32Array(2 * n);
    const combos = temps.setIds.subarray(0, n);
    temps.sets.assign(masks, n, combos);
    const factors = plan.nominal.factors.map((i) => perEvent(r[i], n, "a weight variation"));
    const ns = 1 + factors.length;
    const nominal = plan.axes.map((axis, i) => {
      const bins = binsOf(axis, r[plan.nominal.values[i]], scratch);
      const wi = plan.nominal.weights[i];
      const w = wi >= 0 ? times(base, perEvent(r[wi], n, "a weight"), scratch.f64(n)) : base;
      return { bins, w };
    });
    const stride = 2 * plan.slots;
    fillByWeight(temps.targets, nominal, combos, 0, stride, factors, n);
    // Shape variations: only what reads the varied column is evaluated again.
    plan.shapePasses.forEach((pass, k) => {
      if (!pass.group) return;
      const v = pass.group.evaluate(batch);
      let vcombos = combos;
      if (pass.cats.some((labels) => labels.some((i) => i >= 0))) {
        vcombos = temps.setIds.subarray(n, 2 * n);
        temps.sets.assign(pass.cats.map((labels, a) => labels.map((i, l) => (i >= 0 ? v[i].values : masks[a][l]))), n, vcombos);
      }
      const varied = plan.axes.map((axis, i) => {
        const vi = pass.values[i];
        const wi = pass.weights[i];
        return {
          bins: vi >= 0 ? binsOf(axis, v[vi], scratch) : nominal[i].bins,
          w: wi >= 0 ? times(base, perEvent(v[wi], n, "a weight"), scratch.f64(n)) : nominal[i].w,
        };
      });
      fillByWeight(temps.targets, varied, vcombos, 2 * (ns + k), stride, [], n);
    });
  }
}

/** fillSlots for histograms grouped by their event weight (those without a weight of their own share one). */
function fillByWeight(targets: FillTarget[], hists: { bins: Bins; w: ArrayLike<number> }[], sets: Int32Array, first: number, stride: number, factors: ArrayLike<number>[], n: number): void {
  const byWeight = new Map<ArrayLike<number>, number[]>();
  hists.forEach((h, i) => { const list = byWeight.get(h.w); if (list) list.push(i); else byWeight.set(h.w, [i]); });
  for (const [w, list] of byWeight) fillSlots(list.map((i) => targets[i]), list.map((i) => hists[i].bins), sets, first, stride, w, factors, n);
}

async function isColumnarFile(file: string): Promise<boolean> {
  const fh = await open(file, "r");
  try {
    const head = Buffer.alloc(6);
    await fh.read(head, 0, 6, 0);
    return head.subarray(0, 4).toString("latin1") === "PAR1" || head.toString("latin1") === "ARROW1" || head.readUInt32LE(0) === 0xffffffff;
  } finally {
    await fh.close();
  }
}

async function openRuns(m: Modules, file: string): Promise<EventSource | null> {
  try {
    return await m.openEventSource(file, { tree: "Runs" });
  } catch {
    return null; // no Runs tree (or not a ROOT file): the sum comes from genWeight
  }
}

async function sumColumn(src: EventSource, column: string): Promise<number> {
  let s = 0;
  for await (const b of src.read([column], { start: 0, stop: src.entries })) s = addUp(s, columnValues(b, column), b.length);
  return s;
}

/** `s` plus the values, added one after the other (the order of a plain loop over the file). */
function addUp(s: number, v: ArrayLike<number>, n: number): number {
  for (let i = 0; i < n; i++) s += v[i];
  return s;
}

function columnValues(batch: ColumnBatch, name: string): ArrayLike<number> {
  const c = batch.columns[name];
  if (!c) throw new Error(`${batch.source}: the batch has no column ${name}`);
  const v = c.values;
  return v instanceof BigInt64Array || v instanceof BigUint64Array ? Float64Array.from(v as ArrayLike<bigint>, Number) : (v as ArrayLike<number>);
}

function perEvent(r: Evaluated, n: number, what: string): ArrayLike<number> {
  if (r.kind !== "scalar") throw new Error(`${what} must give one value per event, this expression gives a list per event`);
  if (r.values.length !== n) throw new Error(`${what} gave ${r.values.length} values for ${n} events`);
  return r.values;
}

function times(a: ArrayLike<number>, b: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = a[i] * b[i];
  return out;
}

/** Extent indices of the histogram's own axis (boost's binning via the axis itself); -1 = dropped. */
function binsOf(axis: Axis, r: Evaluated, scratch: Scratch): Bins {
  const v = r.values;
  const cells = scratch.f64(v.length).fill(0); // indexBlock adds each axis's part of the index
  axis.indexBlock(v instanceof Float64Array ? v : Float64Array.from(v), 0, v.length, cells, 1);
  if (r.kind !== "jagged") return { cells, offsets: null };
  // Offsets are copied: the expression reuses its buffers at its next evaluation.
  const offsets = scratch.i32(r.offsets.length);
  offsets.set(r.offsets);
  return { cells, offsets };
}

/**
 * Per-batch arrays handed out in the same order every batch and reused by the next: a fill would
 * otherwise allocate tens of MB per batch, and the collections that external memory forces cost
 * more than the filling they interrupt.
 */
class Scratch {
  private readonly f64s: Float64Array[] = [];
  private readonly i32s: Int32Array[] = [];
  private nf = 0;
  private ni = 0;

  reset(): void {
    this.nf = this.ni = 0;
  }

  f64(n: number): Float64Array {
    return take(this.f64s, this.nf++, n, (m) => new Float64Array(m));
  }

  i32(n: number): Int32Array {
    return take(this.i32s, this.ni++, n, (m) => new Int32Array(m));
  }
}

function take<T extends Float64Array | Int32Array>(pool: T[], i: number, n: number, make: (m: number) => T): T {
  if (!pool[i] || pool[i].length < n) pool[i] = make(Math.ceil(n * 1.25));
  return pool[i].subarray(0, n) as T;
}
