import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { Journal } from "../../src/exec/index.js";
import type { Hist } from "../../src/hist/index.js";
import { Analysis, Reg } from "../../src/analysis/index.js";
import { expected, fixtureAnalysis, makeFiles, modules } from "./setup.js";

const dir = mkdtempSync(join(tmpdir(), "zhist-resume-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function journalUnits(store: string): string[] {
  const f = join(store, ".zhist", "journal");
  if (!existsSync(f)) return [];
  return readFileSync(f, "utf8").split("\n").filter((l) => l.startsWith("C ")).flatMap((l) => l.split(" ")[2].split(",").map((e) => e.split("=")[0]));
}

describe("resume", () => {
  test("an epoch that was not committed is rolled back on the next open; a committed one is kept", async () => {
    const store = join(dir, "epochs");
    const a = join(store, "a");
    const b = join(store, "b");
    const put = (f: string, s: string) => { writeFileSync(f + ".tmp", s); renameSync(f + ".tmp", f); };
    await Journal.open(store).then((j) => j.close());
    put(a, "old");
    let j = await Journal.open(store);
    let e = j.begin();
    e.preserve([a]);
    put(a, "new");
    e.preserve([b]);
    put(b, "created");
    e.preserve([a]); // once per epoch
    put(a, "newer");
    await j.close(); // as if killed before the journal line
    j = await Journal.open(store);
    assert.equal(readFileSync(a, "utf8"), "old");
    assert.equal(existsSync(b), false);
    assert.deepEqual(readdirSync(join(store, ".zhist")).filter((n) => n.startsWith("epoch-")), []);
    e = j.begin();
    e.preserve([a]);
    put(a, "committed");
    j.commit(e, ["u1", "u2"]);
    await j.close();
    // A torn line after the commit (killed mid-write) is ignored.
    writeFileSync(join(store, ".zhist", "journal"), readFileSync(join(store, ".zhist", "journal"), "utf8") + "C zzz u3,u4 0123");
    j = await Journal.open(store);
    assert.equal(readFileSync(a, "utf8"), "committed");
    assert.deepEqual([...j.done].sort(), ["u1", "u2"]);
    await j.close();
  });

  test("a second fill of the same store waits for the lock and is refused", async () => {
    const store = join(dir, "locked");
    const j = await Journal.open(store);
    await assert.rejects(Journal.open(store), /another fill holds this store/);
    await j.close();
  });

  test("a dataset lands as soon as its last unit is done, MC before data (whatever the declaration order)", async () => {
    const files = makeFiles(join(dir, "in-order"));
    const a = new Analysis();
    a.dataset("data", files.data, { data: true }); // 900 + 333 entries: 3 units of 500
    a.dataset("mc1", files.mc1, { xsec: 1, lumi: 1 }); // 1000 + 700 entries: 4 units
    a.hist("x", Reg(20, 0, 125), "x");
    const store = join(dir, "order");
    const hists = await a.fill({ workers: 1, modules, store, unitEvents: 500, landEveryMs: 1e9 });
    const commits = readFileSync(join(store, ".zhist", "journal"), "utf8").split("\n").filter((l) => l.startsWith("C "));
    assert.deepEqual(commits.map((l) => l.split(" ")[2].split(",").length), [4, 3], "one landing per dataset, mc1's first");
    // The same as the one-landing fill in memory (the fixture's weights are exact in any order).
    const inMemory = (await a.fill({ workers: 1, modules, unitEvents: 500 })).x as Hist;
    const got = await (hists.x as { values(o: { flow: boolean }): Promise<{ data: Float64Array }> }).values({ flow: true });
    assert.deepEqual([...got.data], [...inMemory.values({ flow: true }).data]);
    assert.ok(got.data.some((v) => v !== 0));
  });

  test("kill -9 midway (twice), rerun: exactly the missing units, equal to an uninterrupted fill bin by bin", { timeout: 240_000 }, async () => {
    const files = makeFiles(join(dir, "in"), 1, 8);
    const store = join(dir, "killed");
    const child = fileURLToPath(new URL("./kill-child.js", import.meta.url));
    const total = 4233 / 100; // upper bound of the units (files split in ranges of 100)
    for (let round = 0; round < 2; round++) {
      const before = journalUnits(store).length;
      const p = fork(child, [JSON.stringify(files), store, "2"], { stdio: "inherit" });
      let finished = false;
      p.on("message", (m) => { if (m === "finished") finished = true; });
      const exited = new Promise((r) => p.on("exit", r));
      const t0 = Date.now();
      while (journalUnits(store).length < before + 3 && Date.now() - t0 < 60_000) await sleep(5);
      p.kill("SIGKILL");
      await exited;
      assert.equal(finished, false, "the child was killed before it finished");
      assert.ok(journalUnits(store).length < total, "units were left to do");
    }
    const done = journalUnits(store);
    assert.equal(new Set(done).size, done.length, "no unit journaled twice");
    const a = fixtureAnalysis(files);
    const resumed = await a.fill({ workers: 2, modules, store, unitEvents: 100, batchEvents: 50 });
    const all = journalUnits(store);
    assert.equal(new Set(all).size, all.length, "no unit journaled twice after the rerun");
    const clean = await a.fill({ workers: 1, modules, store: join(dir, "clean"), unitEvents: 100, batchEvents: 50 });
    assert.equal(journalUnits(join(dir, "clean")).length, all.length);
    const want = expected(a.toSpec(), files);
    for (const name of Object.keys(want)) {
      const r = resumed[name] as Hist;
      const c = clean[name] as Hist;
      const [rv, cv] = [await r.values({ flow: true }), await c.values({ flow: true })];
      const [rw, cw] = [await r.variances({ flow: true }), await c.variances({ flow: true })];
      assert.deepEqual(rv.data, cv.data, `${name} values`);
      assert.deepEqual(rw!.data, cw!.data, `${name} variances`);
      assert.deepEqual(rv.data, want[name].values, `${name} values vs reference`);
    }
  });
});
