// The control bar: x axis, y axis (2-D), per category axis a mode and its labels, x range, rebin,
// log. Rebuilt from the model's state; every user change yields a whole new Controls.
import { CATEGORY_MODES, type CategoryMode, type Controls, type HistInfo, isCategory, labelsOf, validRange, validRebin, withMode, withX, withY } from "./protocol.js";

type Emit = (next: Controls) => void;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = cls;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  const l = el("label", "zhist-field");
  l.append(document.createTextNode(text + " "), control);
  return l;
}

function select(cls: string, options: [value: string, text: string][], value: string, attrs: Record<string, string> = {}): HTMLSelectElement {
  const s = el("select", cls, attrs);
  for (const [v, t] of options) {
    const o = el("option", "");
    o.value = v;
    o.textContent = t;
    s.append(o);
  }
  s.value = value;
  return s;
}

/** A typed value applies on Enter or when the field loses focus (callers skip unchanged values). */
function onCommit(input: HTMLInputElement, commit: () => void): void {
  input.onchange = commit;
  input.onkeydown = (e) => {
    if (e.key === "Enter") commit();
  };
}

const axisText = (a: { name: string; label: string }) => (a.label && a.label !== a.name ? `${a.name} (${a.label})` : a.name);

// Which rendering of a root is current: a replaced field still fires "change" as it loses focus
// (after Enter re-rendered the bar), and must not send its stale controls as a second request.
const generation = new WeakMap<HTMLElement, number>();

/** Replaces the children of `root` with controls showing `c`; user edits call `emit`. */
export function renderControls(root: HTMLElement, hist: HistInfo, c: Controls, emitAny: Emit): void {
  const current = (generation.get(root) ?? 0) + 1;
  generation.set(root, current);
  const emit: Emit = (next) => {
    if (generation.get(root) === current) emitAny(next);
  };
  const rows: HTMLElement[] = [];
  const first = el("div", "zhist-row");
  const xAxis = hist.axes.find((a) => a.name === c.x);
  const orderedX = !!xAxis && !isCategory(xAxis);

  const x = select("zhist-x", hist.axes.map((a) => [a.name, axisText(a)]), c.x);
  x.onchange = () => emit(withX(c, hist, x.value));
  first.append(labelled("x", x));

  const yChoices = hist.axes.filter((a) => !isCategory(a) && a.name !== c.x);
  const y = select("zhist-y", [["", "none (1-D)"], ...yChoices.map((a): [string, string] => [a.name, axisText(a)])], c.y ?? "");
  y.disabled = !orderedX || yChoices.length === 0;
  y.onchange = () => emit(withY(c, hist, y.value || null));
  first.append(labelled("y", y));

  const lo = el("input", "zhist-range-lo", { type: "number", step: "any", size: "8" });
  const hi = el("input", "zhist-range-hi", { type: "number", step: "any", size: "8" });
  lo.value = String(c.range?.[0] ?? xAxis?.lo ?? "");
  hi.value = String(c.range?.[1] ?? xAxis?.hi ?? "");
  lo.disabled = hi.disabled = !orderedX;
  const setRange = () => {
    const range = validRange(Number(lo.value), Number(hi.value));
    const whole = range && xAxis && range[0] <= (xAxis.lo ?? -Infinity) && range[1] >= (xAxis.hi ?? Infinity);
    const next = whole ? null : range;
    if (JSON.stringify(next) !== JSON.stringify(c.range)) emit({ ...c, range: next });
  };
  onCommit(lo, setRange);
  onCommit(hi, setRange);
  first.append(labelled("range", lo), hi);

  const rebin = el("input", "zhist-rebin", { type: "number", min: "1", step: "1", size: "3" });
  rebin.value = String(c.rebin);
  rebin.disabled = !orderedX;
  onCommit(rebin, () => {
    const n = validRebin(Number(rebin.value));
    if (n === null) rebin.value = String(c.rebin);
    else if (n !== c.rebin) emit({ ...c, rebin: n });
  });
  first.append(labelled("rebin", rebin));

  const log = el("input", "zhist-log", { type: "checkbox" });
  log.checked = c.log;
  log.onchange = () => emit({ ...c, log: log.checked });
  first.append(labelled("log", log));
  rows.push(first);

  for (const a of hist.axes.filter((a) => isCategory(a) && a.name !== c.x)) {
    const row = el("div", "zhist-row zhist-category", { "data-axis": a.name });
    const m = c.modes[a.name] ?? { mode: "sum" as CategoryMode, labels: labelsOf(a) };
    const mode = select("zhist-mode", CATEGORY_MODES.map((k) => [k, k]), m.mode, { "data-axis": a.name });
    mode.onchange = () => emit(withMode(c, hist, a.name, mode.value as CategoryMode));
    const labels = select("zhist-labels", labelsOf(a).map((l) => [l, l]), "", { "data-axis": a.name, multiple: "" });
    labels.size = Math.min(4, Math.max(2, labelsOf(a).length));
    // An empty list outside "select" means every label (PROTOCOL: sum, stack and overlay take all).
    const shown = m.labels.length || m.mode === "select" ? m.labels : labelsOf(a);
    for (const o of Array.from(labels.options)) o.selected = shown.includes(o.value);
    labels.onchange = () => {
      const chosen = Array.from(labels.selectedOptions, (o) => o.value);
      // Every label outside "select" is the whole axis: [] keeps it whole as the store grows.
      const whole = m.mode !== "select" && chosen.length === labelsOf(a).length;
      if (chosen.length) emit({ ...c, modes: { ...c.modes, [a.name]: { mode: m.mode, labels: whole ? [] : chosen } } });
    };
    row.append(document.createTextNode(axisText(a) + " "), mode, labels);
    rows.push(row);
  }
  root.replaceChildren(...rows);
}
