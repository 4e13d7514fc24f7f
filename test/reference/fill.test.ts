// zhist against Python boost-histogram on the same random data (NaN, infinities, values on and
// next to every edge): values, variances, counts, sums and grown axes must agree exactly. Sums of
// doubles are compared bit for bit because both add the entries of a bin in input order.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { assertExact } from "../helpers/compare.js";
import { testSeed } from "../helpers/random.js";
import { type BoostResults, fillInBoost } from "./boost-side.js";
import { makeCases } from "./cases.js";
import { fillInZhist } from "./zhist-side.js";

const seed = testSeed(20261123);
const cases = makeCases(seed);
const rerun = `seed ${seed}; rerun with ZHIST_SEED=${seed}`;

describe(`fill matches boost-histogram (${rerun})`, () => {
  let boost: BoostResults;
  before(async () => {
    boost = await fillInBoost(cases);
  });

  cases.forEach((c, i) => {
    it(c.name, { skip: c.referenceBug ?? false }, (t) => {
      const want = boost.cases[i];
      const got = fillInZhist(c);
      const where = `${c.name} (${rerun})`;
      if (c.note) t.diagnostic(c.note);
      if (c.broadcastInPython) t.diagnostic(`Python filled with arrays, not scalars: ${c.broadcastInPython}`);

      assert.deepEqual(got.axes, want.axes, `${where}: axes after filling`);
      assertExact(got.values, boost.arrays[`${i}.values`], `${where}: values`);
      assertExact(got.counts, boost.arrays[`${i}.counts`], `${where}: counts`);
      const wantVar = boost.arrays[`${i}.variances`];
      if (wantVar === undefined) assert.equal(got.variances, null, `${where}: variances should be unknown (null)`);
      else {
        assert.ok(got.variances, `${where}: variances are null, boost-histogram knows them`);
        assertExact(got.variances, wantVar, `${where}: variances`);
      }
      if (want.sum) assert.deepEqual(got.sum, want.sum, `${where}: sum({flow}) as [value] or [value, variance]`);
    });
  });
});
