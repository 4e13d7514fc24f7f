// UHI slicing and projection of zhist against boost-histogram after the same fills: the kept axes,
// the values and the variances with flow bins, exactly. Merged bins are sums over the source bins
// in storage order on both sides, so bit-for-bit equality is expected.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { assertExact } from "../helpers/compare.js";
import { testSeed } from "../helpers/random.js";
import { type BoostResults, fillInBoost } from "./boost-side.js";
import { makeSelectionCases } from "./selection-cases.js";
import { buildInZhist, selectInZhist } from "./zhist-side.js";

const seed = testSeed(20261124);
const cases = makeSelectionCases(seed);
const rerun = `seed ${seed}; rerun with ZHIST_SEED=${seed}`;

describe(`slice and project match boost-histogram (${rerun})`, () => {
  let boost: BoostResults;
  before(async () => {
    boost = await fillInBoost(cases);
  });

  cases.forEach((c, i) => {
    describe(c.name, () => {
      (c.selections ?? []).forEach((s, j) => {
        it(s.name, () => {
          const want = boost.cases[i].selections[j];
          const got = selectInZhist(buildInZhist(c), s);
          const where = `${c.name}: ${s.name} ${JSON.stringify(s.sel ?? { project: s.project })} (${rerun})`;
          if ("scalar" in want) {
            assert.ok("scalar" in got, `${where}: boost-histogram reduced to a scalar, zhist did not`);
            assert.deepEqual(got.scalar, want.scalar, `${where}: the scalar`);
            return;
          }
          assert.ok(!("scalar" in got), `${where}: zhist reduced to a scalar, boost-histogram kept axes`);
          assert.deepEqual(got.axes, want.axes, `${where}: the axes kept`);
          assertExact(got.values, boost.arrays[`${i}.${j}.values`], `${where}: values`);
          const wantVar = boost.arrays[`${i}.${j}.variances`];
          if (wantVar === undefined) assert.equal(got.variances, null, `${where}: variances should be unknown (null)`);
          else {
            assert.ok(got.variances, `${where}: variances are null, boost-histogram knows them`);
            assertExact(got.variances, wantVar, `${where}: variances`);
          }
        });
      });
    });
  });
});
