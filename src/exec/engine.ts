// The fill engine: inspects the files, plans the work units, runs them on a pool of lanes, lands their
// temporaries (in memory, or in the store under the journal's exactly-once epochs), reports progress
// and stops on abort.
//
// Memory stays bounded whatever the histogram size: a task holds only the temporaries of the keys it
// touched and hands them over once they pass `memoryBytes / 4`; the accumulator merges finished units'
// temporaries up to `memoryBytes` and then lands them; temporaries handed over before a unit finishes
// are staged on disk (store) or landed at once (memory, where the result is in memory anyway).
import * as fs from "node:fs";
import * as path from "node:path";
import { completedSumw, normFactor, planUnits, sha, type AnalysisSpec, type DatasetNorm, type FileInfo, type FillOptions, type FillProgress, type Plan, type WorkUnit } from "../analysis/index.js";
import { StoredHist } from "../zarr/persist.js";
import { Journal, type Epoch } from "./journal.js";
import { DEFAULT_MODULES } from "./modules.js";
import { InThreadLane, WorkerLane, type Lane } from "./pool.js";
import type { FromWorker, InitMessage, Temp, ToWorker } from "./protocol.js";
import { MemoryTarget, StoreTarget, type HistMetadata, type Target } from "./targets.js";
import { readStaged, writeStaged } from "./staging.js";

export interface UnitFailure {
  dataset: string;
  file: string;
  /** Entry range, absent when the file could not be opened at all. */
  range?: [number, number];
  error: string;
}

/** Some work units failed; every other one was filled. `hists` holds what was filled. */
export class FillError extends Error {
  override name = "FillError";
  constructor(readonly failures: UnitFailure[], readonly hists: Record<string, unknown>) {
    super(`${failures.length} work unit(s) failed:\n${failures.map((f) => `  ${f.dataset}: ${f.error}`).join("\n")}`);
  }
}

type Job = { msg: ToWorker; unit?: WorkUnit };

interface Pending { dataset: string; temp: Temp }

export async function runFill(spec: AnalysisSpec, opts: FillOptions): Promise<Record<string, unknown>> {
  const only = opts.datasets;
  if (only) {
    const unknown = only.filter((d) => !spec.datasets.some((x) => x.name === d));
    if (unknown.length) throw new Error(`fill: unknown dataset(s) ${unknown.join(", ")}; declared: ${spec.datasets.map((d) => d.name).join(", ")}`);
  }
  if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("aborted");
  const memoryBytes = opts.memoryBytes ?? 256 * 2 ** 20;
  const init: InitMessage = {
    type: "init",
    spec,
    modules: { ...DEFAULT_MODULES, ...(opts.modules ?? {}) },
    batchEvents: opts.batchEvents ?? 100_000,
    flushBytes: Math.max(4096, memoryBytes / 4),
  };
  return new Engine(spec, opts, init, memoryBytes).run();
}

class Engine {
  private lanes: Lane[] = [];
  private idle: Lane[] = [];
  private queue: Job[] = [];
  private running = new Map<Lane, Job>();
  private nextId = 0;
  private inspected = new Map<number, (r: FileInfo | Error) => void>();
  private units = new Map<string, WorkUnit>();
  private failures: UnitFailure[] = [];
  private journal: Journal | null = null;
  private target: Target | null = null;
  // Finished units' temporaries not yet landed (store mode).
  private pending = new Map<string, Pending>();
  private pendingBytes = 0;
  private pendingUnits: string[] = [];
  private staged = new Map<string, string[]>();
  private landing: Promise<void> = Promise.resolve();
  private landingNow = false;
  private lastLand = Date.now();
  private lastLandingMs = 0;
  private planned: Plan | null = null;
  private fatal: Error | null = null;
  private finish: (() => void) | null = null;
  private aborted = false;
  // Progress
  private readonly t0 = Date.now();
  private progress: Record<string, { eventsDone: number; eventsTotal: number; unitsDone: number; unitsTotal: number; unitsFailed: number }> = {};
  private unitEvents = new Map<string, number>();
  // Units' sums of genWeight (deferred normalization), as last reported by their task.
  private unitSums = new Map<string, number>();

  constructor(private readonly spec: AnalysisSpec, private readonly opts: FillOptions, private readonly init: InitMessage, private readonly memoryBytes: number) {}

  async run(): Promise<Record<string, unknown>> {
    const n = Math.max(1, Math.floor(this.opts.workers ?? 1));
    const inThread = (this.opts.workers ?? 1) <= 1;
    for (let i = 0; i < n; i++) this.addLane(inThread);
    const onAbort = () => this.abort();
    this.opts.signal?.addEventListener("abort", onAbort, { once: true });
    const ticker = this.opts.onProgress ? setInterval(() => this.report(false), 100) : null;
    try {
      const plan = await this.plan();
      const result = await this.execute(plan);
      if (ticker) clearInterval(ticker);
      this.report(true);
      if (this.failures.length) throw new FillError(this.failures, result);
      return result;
    } finally {
      if (ticker) clearInterval(ticker);
      this.opts.signal?.removeEventListener("abort", onAbort);
      await Promise.all(this.lanes.map((l) => l.terminate()));
      await this.journal?.close();
    }
  }

  private addLane(inThread: boolean): void {
    const lane: Lane = inThread
      ? new InThreadLane(this.init, (l, m) => this.onMessage(l, m))
      : new WorkerLane(this.init, (l, m) => this.onMessage(l, m), (l, e) => this.onCrash(l, e));
    this.lanes.push(lane);
    this.idle.push(lane);
  }

  // ---- planning -------------------------------------------------------------------------------------

  private async plan(): Promise<Plan> {
    const selected = this.spec.datasets.filter((d) => !this.opts.datasets || this.opts.datasets.includes(d.name));
    const infos = new Map<string, FileInfo | Error>();
    await Promise.all(selected.flatMap((d) => d.files.map(async (file) => {
      if (infos.has(file)) return;
      infos.set(file, new Error("pending"));
      infos.set(file, await this.inspect(file, d.tree, d.data));
    })));
    this.checkAborted();
    return planUnits(this.spec, infos, this.opts.unitEvents ?? 500_000, this.opts.datasets);
  }

  private inspect(file: string, tree: string, data: boolean): Promise<FileInfo | Error> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.inspected.set(id, resolve);
      this.submit({ msg: { type: "inspect", id, file, tree, data } });
    });
  }

  // ---- execution ------------------------------------------------------------------------------------

  private async execute(plan: Plan): Promise<Record<string, unknown>> {
    this.planned = plan;
    for (const f of plan.failures) this.failures.push({ dataset: f.dataset, file: f.file, error: f.error });
    const datasets = Object.keys(plan.norms);
    const metadata: HistMetadata = { analysis: plan.definition, datasets: plan.norms };
    let todo = plan.units;
    if (this.opts.store) {
      fs.mkdirSync(this.opts.store, { recursive: true });
      this.journal = await Journal.open(this.opts.store);
      this.target = await StoreTarget.open(this.spec, this.opts.store, datasets, metadata);
      todo = todo.filter((u) => !this.journal!.done.has(u.key));
      // Data last: data fill the nominal slot only, so the landing that ends the fill (after the last
      // units, not overlapped with filling) rewrites the fewest chunks. MC datasets land as they finish.
      todo = [...todo.filter((u) => !u.data), ...todo.filter((u) => u.data)];
    } else {
      this.target = new MemoryTarget(this.spec, datasets, metadata);
    }
    for (const d of this.spec.datasets) {
      this.progress[d.name] = { eventsDone: 0, eventsTotal: 0, unitsDone: 0, unitsTotal: 0, unitsFailed: 0 };
    }
    for (const f of plan.failures) this.progress[f.dataset].unitsFailed++;
    for (const u of todo) {
      this.units.set(u.key, u);
      const p = this.progress[u.dataset];
      p.eventsTotal += u.stop - u.start;
      p.unitsTotal++;
    }
    await new Promise<void>((resolve) => {
      this.finish = resolve;
      for (const u of todo) this.submit({ msg: { type: "unit", unit: u }, unit: u });
      this.maybeFinish();
    });
    while (this.work.size) await Promise.all([...this.work]);
    if (this.fatal) throw this.fatal;
    if (!this.aborted) await this.land();
    await this.landing;
    if (this.fatal) throw this.fatal;
    this.checkAborted();
    await this.normalize(plan);
    const names = this.spec.hists.map((h) => h.name);
    if (this.target instanceof MemoryTarget) {
      const hs = this.target.hists;
      return Object.fromEntries(names.map((n, i) => [n, hs[i]]));
    }
    const out: Record<string, unknown> = {};
    for (const n of names) out[n] = await StoredHist.open(path.join(this.opts.store!, n));
    return out;
  }

  private submit(job: Job): void {
    this.queue.push(job);
    this.dispatch();
  }

  private dispatch(): void {
    // Back-pressure: while a landing runs and finished temporaries already fill the budget, wait.
    while (this.idle.length && this.queue.length && !this.aborted && !this.fatal) {
      if (this.queue[0].unit && this.landingNow && this.pendingBytes > this.memoryBytes) return;
      const lane = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.set(lane, job);
      lane.send(job.msg);
    }
  }

  private release(lane: Lane): void {
    this.running.delete(lane);
    if (this.lanes.includes(lane)) this.idle.push(lane);
    this.dispatch();
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (!this.finish) return;
    const unitsLeft = this.queue.some((j) => j.unit) || [...this.running.values()].some((j) => j.unit);
    if (!unitsLeft || this.aborted || this.fatal) {
      const f = this.finish;
      this.finish = null;
      f();
    }
  }

  private onMessage(lane: Lane, m: FromWorker): void {
    if (this.aborted) return;
    switch (m.type) {
      case "inspected":
      case "inspect-failed": {
        const r = this.inspected.get(m.id);
        this.inspected.delete(m.id);
        r?.(m.type === "inspected" ? m.info : new Error(m.error));
        this.release(lane);
        return;
      }
      case "progress": {
        const u = this.units.get(m.unit);
        if (!u) return;
        this.progress[u.dataset].eventsDone += m.events;
        this.unitEvents.set(m.unit, (this.unitEvents.get(m.unit) ?? 0) + m.events);
        return;
      }
      case "partial": {
        const u = this.units.get(m.unit)!;
        if (m.sumw !== undefined) this.unitSums.set(u.key, m.sumw);
        this.guard(this.takePartial(u, m.temps));
        return;
      }
      case "done": {
        const u = this.units.get(m.unit)!;
        if (m.sumw !== undefined) this.unitSums.set(u.key, m.sumw);
        this.progress[u.dataset].unitsDone++;
        this.guard(this.takeDone(u, m.temps));
        this.release(lane);
        return;
      }
      case "failed": {
        const u = this.units.get(m.unit)!;
        this.failUnit(u, m.error);
        this.release(lane);
        return;
      }
    }
  }

  private onCrash(lane: Lane, error: Error): void {
    const job = this.running.get(lane);
    this.lanes = this.lanes.filter((l) => l !== lane);
    this.running.delete(lane);
    if (this.aborted) return;
    if (job?.unit) this.failUnit(job.unit, `${job.unit.file}: the worker died: ${error.message}`);
    if (job?.msg.type === "inspect") {
      const r = this.inspected.get(job.msg.id);
      this.inspected.delete(job.msg.id);
      r?.(new Error(`${job.msg.file}: the worker died: ${error.message}`));
    }
    this.addLane(false);
    this.dispatch();
    this.maybeFinish();
  }

  private failUnit(u: WorkUnit, error: string): void {
    const p = this.progress[u.dataset];
    p.unitsFailed++;
    p.eventsDone -= this.unitEvents.get(u.key) ?? 0;
    p.eventsTotal -= u.stop - u.start;
    this.failures.push({ dataset: u.dataset, file: u.file, range: [u.start, u.stop], error });
    // In memory, what the unit handed over before failing stays filled, and so does its sum.
    if (this.journal) this.unitSums.delete(u.key);
    const files = this.staged.get(u.key);
    this.staged.delete(u.key);
    for (const f of files ?? []) fs.rmSync(f, { force: true });
  }

  // Accumulations under way (a message's temporaries being merged, staged or landed); run() waits for them.
  private work = new Set<Promise<void>>();

  private guard(p: Promise<void>): void {
    const q = p.catch((e) => this.fail(e as Error)).finally(() => this.work.delete(q));
    this.work.add(q);
  }

  private fail(e: Error): void {
    if (!this.fatal) this.fatal = e;
    this.maybeFinish();
  }

  // ---- accumulation ---------------------------------------------------------------------------------

  private async takePartial(u: WorkUnit, temps: Temp[]): Promise<void> {
    if (!this.journal) {
      for (const t of temps) await this.target!.land(u.dataset, t, null);
      return;
    }
    // Not landed before the whole unit is: an epoch holds whole units only (see journal.ts).
    const files = this.staged.get(u.key) ?? [];
    this.staged.set(u.key, files);
    files.push(writeStaged(path.join(this.journal.stagingDir, u.key), files.length, temps));
  }

  private async takeDone(u: WorkUnit, temps: Temp[]): Promise<void> {
    if (!this.journal) {
      for (const t of temps) await this.target!.land(u.dataset, t, null);
      return;
    }
    for (const t of temps) {
      const id = `${u.dataset}\u0000${t.hist}:${t.combo}`;
      const have = this.pending.get(id);
      if (have) {
        const a = have.temp.data;
        const b = t.data;
        for (let i = 0; i < a.length; i++) a[i] += b[i];
      } else {
        this.pending.set(id, { dataset: u.dataset, temp: t });
        this.pendingBytes += t.data.byteLength;
      }
    }
    this.pendingUnits.push(u.key);
    // A finished dataset's keys take no more entries in this fill: landing them now, while the workers
    // fill the next dataset, keeps them out of the last landing (which is waited for).
    const p = this.progress[u.dataset];
    const datasetDone = p.unitsDone + p.unitsFailed >= p.unitsTotal;
    const every = this.opts.landEveryUnits ?? Infinity;
    // A landing rewrites every chunk its units touched (on this thread): landing no more often than
    // every 4 landing durations keeps it under a fifth of the time, so it never becomes the bottleneck.
    const interval = Math.max(this.opts.landEveryMs ?? 30_000, 4 * this.lastLandingMs);
    if (datasetDone || this.pendingBytes > this.memoryBytes || this.pendingUnits.length >= every || Date.now() - this.lastLand >= interval) {
      void this.land();
    }
  }

  /** Lands the finished units' temporaries in one epoch and journals them; landings run one at a time. */
  private land(): Promise<void> {
    if (!this.journal || !this.pendingUnits.length) return this.landing;
    const pending = this.pending;
    const units = this.pendingUnits;
    this.pending = new Map();
    this.pendingBytes = 0;
    this.pendingUnits = [];
    this.lastLand = Date.now();
    const journal = this.journal;
    const target = this.target!;
    this.landing = this.landing.then(async () => {
      // On abort, landings not yet started are dropped (their units run again next time): prompt stop.
      if (this.fatal || this.aborted) return;
      this.landingNow = true;
      const started = Date.now();
      const epoch: Epoch = journal.begin();
      // Deferred datasets whose last units are in this epoch are scaled in it, as their chunks land.
      const completing = this.completing(units);
      const store = target as StoreTarget;
      try {
        store.scaleWhileLanding(new Map([...completing].map(([d, c]) => [d, c.norm.norm!])));
        for (const { dataset, temp } of pending.values()) await target.land(dataset, temp, epoch);
        for (const key of units) {
          const u = this.units.get(key)!;
          for (const file of this.staged.get(key) ?? []) for (const t of readStaged(file)) await target.land(u.dataset, t, epoch);
        }
        for (const [dataset, c] of completing) await target.scale(dataset, c.norm.norm!, epoch);
        journal.commit(epoch, [...units, ...[...completing.values()].map((c) => c.marker)], this.unitSums);
        this.lastLandingMs = Date.now() - started;
      } catch (e) {
        epoch.rollBack();
        this.fail(e as Error);
        return;
      } finally {
        store.scaleWhileLanding(new Map());
        this.landingNow = false;
      }
      for (const key of units) {
        const files = this.staged.get(key);
        this.staged.delete(key);
        if (files?.length) fs.rmSync(path.dirname(files[0]), { recursive: true, force: true });
      }
      this.lastLand = Date.now();
      this.dispatch();
    });
    return this.landing;
  }

  /**
   * Scales each deferred dataset (sum of generator weights summed while filling) by xsec x lumi / sumw
   * once all its units are in. In a store, only when every unit is journaled (a rerun completes the
   * others), in an epoch of its own whose journal line marks it done: exactly once, crash-safe.
   */
  /** The journal line that marks a deferred dataset scaled. */
  private static marker(name: string, n: DatasetNorm): string {
    return `scaled-${sha({ dataset: name, fingerprint: n.fingerprint }, 16)}`;
  }

  /** Deferred datasets not yet scaled whose every unit is journaled or among `units`, with their numbers. */
  private completing(units: string[]): Map<string, { norm: DatasetNorm; marker: string }> {
    const out = new Map<string, { norm: DatasetNorm; marker: string }>();
    const plan = this.planned;
    const journal = this.journal!;
    if (!plan) return out;
    const now = new Set(units);
    const sums = new Map([...journal.sums, ...units.filter((k) => this.unitSums.has(k)).map((k) => [k, this.unitSums.get(k)!] as const)]);
    for (const [name, n] of Object.entries(plan.norms)) {
      const marker = Engine.marker(name, n);
      if (!n.deferred || journal.done.has(marker)) continue;
      const keys = plan.units.filter((u) => u.dataset === name).map((u) => u.key);
      if (!keys.some((k) => now.has(k)) || !keys.every((k) => now.has(k) || journal.done.has(k))) continue;
      const sumw = completedSumw(n, keys, sums);
      out.set(name, { norm: { ...n, sumw, norm: normFactor(n.xsec ?? 1, n.lumi ?? 1, sumw) }, marker });
    }
    return out;
  }

  private async normalize(plan: Plan): Promise<void> {
    const target = this.target!;
    const journal = this.journal;
    const sums = journal ? journal.sums : this.unitSums;
    const updated: Record<string, DatasetNorm> = {};
    for (const [name, n] of Object.entries(plan.norms)) {
      if (!n.deferred) continue;
      const keys = plan.units.filter((u) => u.dataset === name).map((u) => u.key);
      if (journal && !keys.every((k) => journal.done.has(k))) continue;
      const sumw = completedSumw(n, keys, sums);
      const norm = normFactor(n.xsec ?? 1, n.lumi ?? 1, sumw);
      if (journal) {
        const marker = Engine.marker(name, n);
        if (!journal.done.has(marker)) {
          const epoch = journal.begin();
          try {
            await target.scale(name, norm, epoch);
            journal.commit(epoch, [marker]);
          } catch (e) {
            epoch.rollBack();
            throw e;
          }
        }
      } else await target.scale(name, norm, null);
      updated[name] = { ...n, sumw, norm };
    }
    if (Object.keys(updated).length) await target.updateDatasets(updated);
  }

  // ---- progress and abort ---------------------------------------------------------------------------

  private report(done: boolean): void {
    const cb = this.opts.onProgress;
    if (!cb) return;
    const ds = Object.values(this.progress);
    const sum = (k: keyof (typeof ds)[number]) => ds.reduce((n, p) => n + p[k], 0);
    const elapsed = (Date.now() - this.t0) / 1000;
    const eventsDone = sum("eventsDone");
    const eventsTotal = sum("eventsTotal");
    const rate = elapsed > 0 ? eventsDone / elapsed : 0;
    const p: FillProgress = {
      eventsDone, eventsTotal, eventsPerSecond: rate,
      etaSeconds: rate > 0 ? Math.max(0, eventsTotal - eventsDone) / rate : null,
      elapsedSeconds: elapsed,
      unitsDone: sum("unitsDone"), unitsTotal: sum("unitsTotal"), unitsFailed: sum("unitsFailed"),
      datasets: structuredClone(this.progress),
      done,
    };
    try {
      cb(p);
    } catch {
      // A failing progress display must not stop the fill.
    }
  }

  private abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    // Workers stop now; units already finished are still landed and journaled by run()'s caller path.
    for (const l of this.lanes) void l.terminate();
    for (const [, job] of this.running) if (job.msg.type === "inspect") this.inspected.get(job.msg.id)?.(new Error("aborted"));
    this.maybeFinish();
  }

  private checkAborted(): void {
    if (this.aborted) {
      const reason = this.opts.signal?.reason;
      throw reason instanceof Error ? reason : Object.assign(new Error("fill aborted"), { name: "AbortError" });
    }
  }
}
