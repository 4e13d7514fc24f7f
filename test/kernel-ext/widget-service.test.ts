// Control messages are validated against the histogram (clear errors, nothing evaluated), and the
// projection service never answers a request older than the newest it has received.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { Hist, sum } from "../../src/index.js";
import { ProjectionService, answerOf, arrowToRows, histInfo, project, validateControls, type Controls } from "../../kernel-ext/widget/index.js";

function hist(): Hist {
  const h = Hist.new
    .StrCat(["ttbar", "data"], { name: "dataset" })
    .IntCat([0, 1, 2], { name: "njet" })
    .Bool({ name: "tight" })
    .Reg(10, 0, 100, { name: "pt" })
    .Var([0, 1, 2.5, 5], { name: "eta" })
    .Weight();
  for (const dataset of ["ttbar", "data"]) h.fill({ dataset, njet: [0, 1, 2, 2], tight: [true, false, true, true], pt: [5, 15, 55, 95], eta: [0.5, 1.5, 3, 4] });
  return h;
}

const good = (): Record<string, unknown> => ({
  x: "pt", y: null, range: null, rebin: 1, log: false,
  modes: { dataset: { mode: "stack", labels: [] }, njet: { mode: "select", labels: ["2"] }, tight: { mode: "sum", labels: [] } },
});

test("valid controls pass; integer and boolean labels select by their value", () => {
  const h = hist();
  const c = validateControls(good(), histInfo(h));
  assert.equal(c.x, "pt");
  const p = answerOf(project(h, { ...c, modes: { ...c.modes, tight: { mode: "select", labels: ["true"] } } }) as ReturnType<typeof project> & { spec: object; hist: Hist; nBins: number });
  const mc = arrowToRows(p.data[p.dataNames.indexOf("mc")]);
  const want = h.slice({ dataset: "ttbar", njet: 2, tight: true, eta: sum } as never);
  assert.deepEqual(mc.map((r) => r.value), Array.from(want.values().data));
});

test("bad controls are rejected with a message naming the field and what is allowed", () => {
  const info = histInfo(hist());
  const cases: [Record<string, unknown> | unknown, RegExp][] = [
    ["pt", /^controls must be an object, got "pt"/],
    [{ ...good(), extra: 1 }, /controls has no field "extra" \(fields: x, y, modes, range, rebin, log\)/],
    [{ ...good(), log: undefined }, /controls.log must be true or false/],
    [(() => { const g = good(); delete g.rebin; return g; })(), /controls.rebin is missing/],
    [{ ...good(), x: "mass" }, /controls.x: the histogram has no axis "mass" \(axes: dataset, njet, tight, pt, eta\)/],
    [{ ...good(), x: 3 }, /controls.x must be an axis name \(a string\), got 3/],
    [{ ...good(), y: "pt" }, /controls.y: axis pt is already along x/],
    [{ ...good(), y: "dataset" }, /controls.y: axis dataset is a category axis; a heatmap needs an ordered second axis/],
    [{ ...good(), y: "eta" }, /a heatmap \(y = eta\) draws no stack/],
    [{ ...good(), modes: { ...good().modes as object, pt: { mode: "sum", labels: [] } } }, /controls.modes.pt: axis pt is ordered/],
    [{ ...good(), modes: { dataset: { mode: "explode", labels: [] } } }, /controls.modes.dataset.mode must be one of select, sum, stack, overlay, got "explode"/],
    [{ ...good(), modes: { dataset: { mode: "select", labels: ["process.exit(1)"] } } }, /"process.exit\(1\)" is not a label of dataset \(labels: ttbar, data\)/],
    [{ ...good(), modes: { dataset: { mode: "select", labels: [] } } }, /"select" needs at least one label/],
    [{ ...good(), modes: { dataset: { mode: "select", labels: ["data", "data"] } } }, /"data" is listed twice/],
    [{ ...good(), modes: { njet: { mode: "select", labels: [2] } } }, /labels are strings, got 2/],
    [{ ...good(), modes: JSON.parse('{"__proto__": {"mode": "sum", "labels": []}}') }, /has no axis "__proto__"/],
    [{ ...good(), modes: { dataset: { mode: "stack", labels: [] }, njet: { mode: "overlay", labels: [] } } }, /at most one axis may be stacked or overlaid \(dataset and njet are\)/],
    [{ ...good(), range: [50, 10] }, /controls.range: lo must be below hi/],
    [{ ...good(), range: [0, "1e3"] }, /controls.range must be null or \[lo, hi\] with finite numbers/],
    [{ ...good(), range: [200, 300] }, /controls.range \[200,300\] lies outside axis pt \[0, 100\)/],
    [{ ...good(), x: "dataset", range: [0, 1] }, /a range needs an ordered axis/],
    [{ ...good(), rebin: 1.5 }, /controls.rebin must be an integer >= 1, got 1.5/],
    [{ ...good(), rebin: 11 }, /controls.rebin 11 is more than the 10 bins of pt/],
    [{ ...good(), range: [0, 30], rebin: 4 }, /controls.rebin 4 is more than the 3 bins of pt in the range/],
  ];
  for (const [raw, want] of cases) assert.throws(() => validateControls(raw, info), (e: Error) => e.name === "ControlError" && want.test(e.message), `${JSON.stringify(raw)} should fail with ${want}`);
});

test("stale requests: a running projection overtaken by newer requests is not answered; pending ones coalesce; older ones are ignored", async () => {
  const h = hist();
  const info = histInfo(h);
  const sent: Record<string, any>[] = [];
  const computed: number[] = [];
  let open!: () => void;
  let gate!: Promise<void>;
  const closeGate = () => { gate = new Promise<void>((r) => { open = r; }); };
  closeGate();
  const svc = new ProjectionService(info, async (c: Controls) => {
    computed.push(c.rebin);
    await gate; // the first projection is still running while the next requests arrive
    return answerOf(project(h, c) as never);
  }, (patch) => sent.push(patch));
  const req = (request: number, rebin: number) => ({ controls: { ...good(), rebin }, request });

  assert.deepEqual(svc.receive(req(1, 1)), { request: 1, controls: validateControls(good(), info) });
  await tick();
  assert.deepEqual([...sent], [{ busy: true }], "busy while projecting");
  svc.receive(req(2, 2));
  svc.receive(req(3, 5));
  assert.equal(svc.receive(req(2, 2)), undefined, "a request older than the newest is ignored");
  open();
  await svc.idle();
  assert.deepEqual(computed, [1, 5], "request 2 was replaced by 3 before it started");
  const answers = sent.filter((m) => m.answered !== undefined);
  assert.deepEqual(answers.map((m) => [m.answered, m.n_bins, m.busy]), [[3, 2 * 2, false]], "only the newest is answered");
  assert.equal(sent.filter((m) => m.busy === true).length, 1);

  // After the answer: a late, older request is still ignored; a bad request number is an error.
  const n = sent.length;
  svc.receive(req(3, 1));
  svc.receive(req(2, 1));
  await svc.idle();
  assert.equal(sent.length, n, "nothing answers requests 2 and 3 again");
  svc.receive({ controls: good(), request: -1 });
  svc.receive({ controls: good(), request: "4" });
  assert.deepEqual(sent.slice(n).map((m) => m.error), ["request must be a non-negative integer, got -1", 'request must be a non-negative integer, got "4"']);

  // An invalid change answers with an error at once, even while an older one runs (whose answer is then dropped).
  sent.length = 0;
  closeGate();
  svc.receive(req(4, 1));
  await tick();
  svc.receive({ controls: { ...good(), x: "nope" }, request: 5 });
  open();
  await svc.idle();
  assert.deepEqual(sent.map((m) => Object.keys(m).sort().join(",")), ["busy", "answered,error", "busy"]);
  assert.equal(sent[1].answered, 5);
  assert.equal(sent.at(-1)!.busy, false);
});

test("a projection that fails (a store chunk unreadable, a bad slice) answers its request with the error", async () => {
  const h = hist();
  const sent: Record<string, any>[] = [];
  const svc = new ProjectionService(histInfo(h), () => { throw new Error("corrupt chunk c/0/0 of /some/store"); }, (p) => sent.push(p));
  svc.receive({ controls: good(), request: 1 });
  await svc.idle();
  assert.deepEqual([...sent], [{ busy: true }, { error: "cannot project: corrupt chunk c/0/0 of /some/store", answered: 1, busy: false }]);
});

test("label lists as the front end sends them: every label = the whole axis; a partial list restricts sum, stack and overlay", () => {
  const h = hist();
  const info = histInfo(h);
  const rows = (modes: Record<string, unknown>) => {
    const a = answerOf(project(h, validateControls({ ...good(), modes }, info)) as never);
    return Object.fromEntries(a.dataNames.map((n, i) => [n, arrowToRows(a.data[i])]));
  };
  const njet = { mode: "select", labels: ["2"] };
  assert.deepEqual(rows({ dataset: { mode: "stack", labels: ["ttbar", "data"] }, njet }), rows({ dataset: { mode: "stack", labels: [] }, njet }));
  assert.deepEqual(rows({ dataset: { mode: "sum", labels: ["ttbar", "data"] }, njet }), rows({ dataset: { mode: "sum", labels: [] }, njet }));
  const partial = rows({ dataset: { mode: "sum", labels: ["ttbar"] }, njet });
  assert.deepEqual(partial.steps.map((r) => r.value), rows({ dataset: { mode: "select", labels: ["ttbar"] }, njet }).steps.map((r) => r.value));
  const want = h.slice({ dataset: "ttbar", njet: 2, tight: sum, eta: sum } as never).values().data;
  assert.deepEqual(partial.steps.slice(0, 10).map((r) => r.value), Array.from(want));
  const overlaid = rows({ dataset: { mode: "overlay", labels: ["data"] }, njet });
  assert.deepEqual([...new Set(overlaid.steps.map((r) => r.series))], ["data"]);
});

test("a view too large to draw is refused with the rebin that would fit", async () => {
  const h = Hist.new.Reg(600, 0, 1, { name: "a" }).Reg(600, 0, 1, { name: "b" }).Double();
  const info = histInfo(h);
  const c = (rebin: number) => validateControls({ x: "a", y: "b", range: null, rebin, log: false, modes: {} }, info);
  assert.throws(() => project(h, c(1)), /the view would draw 360,000 bins \(at most 250,000\): rebin a by 2 or more, or narrow its range/);
  const sent: Record<string, any>[] = [];
  const svc = new ProjectionService(info, async (x) => answerOf(project(h, x) as never), (p) => sent.push(p));
  svc.receive({ controls: { x: "a", y: "b", range: null, rebin: 1, log: false, modes: {} }, request: 1 });
  await svc.idle();
  assert.match(sent.at(-1)!.error, /^cannot project: the view would draw 360,000 bins/);
  assert.equal((project(h, c(2)) as { nBins: number }).nBins, 300 * 600);
});
