// The progress of a %fill as one output updated in place through its display id (GUIDE 3.7: never
// printed into whichever cell runs later). Without a widget manager this text/HTML bar is what shows;
// the ipywidgets bar over comms comes with the widget front end.
import { randomUUID } from "node:crypto";
import type { FillProgress } from "../src/analysis/index.js";
import type { KernelBridge } from "./api.js";

const BRIDGE = Symbol.for("zhist.kernel.bridge");

function seconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return "…";
  return s < 60 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** One line of text and a small HTML bar for a progress event. */
export function progressBundle(p: FillProgress): Record<string, string> {
  const pct = p.eventsTotal > 0 ? (100 * p.eventsDone) / p.eventsTotal : 100;
  const rate = `${(p.eventsPerSecond / 1e3).toFixed(1)} kHz`;
  const state = p.done ? `done in ${seconds(p.elapsedSeconds)}` : `ETA ${seconds(p.etaSeconds)}`;
  const failed = p.unitsFailed ? `, ${p.unitsFailed} units failed` : "";
  const perDataset = Object.entries(p.datasets).map(([name, d]) => {
    const dp = d.eventsTotal > 0 ? Math.round((100 * d.eventsDone) / d.eventsTotal) : 100;
    return `${name} ${dp}%`;
  });
  const line = `fill: ${p.eventsDone.toLocaleString("en")} / ${p.eventsTotal.toLocaleString("en")} events (${pct.toFixed(0)}%), ${rate}, ${state}${failed}`;
  const escape = (s: string) => s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
  return {
    "text/plain": `${line}\n  ${perDataset.join(", ")}`,
    "text/html": `<div><progress value="${pct.toFixed(1)}" max="100" style="width:40ex"></progress> ${escape(line)}<br><small>${escape(perDataset.join(", "))}</small></div>`,
  };
}

/** A progress callback that shows the first event as a new output and updates that output after. */
export function progressDisplay(): (p: FillProgress) => void {
  const bridge = (globalThis as Record<symbol, unknown>)[BRIDGE] as KernelBridge | undefined;
  const displayId = `zhist-fill-${randomUUID()}`;
  let shown = false;
  return (p) => {
    if (!bridge) return;
    bridge.display(progressBundle(p), { displayId, update: shown });
    shown = true;
  };
}
