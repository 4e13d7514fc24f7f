// Shorthand properties naming an earlier cell's values (`let a = 1;`, then `{ a }`): the value is the
// earlier cell's variable, read when the literal is evaluated; a local of the same name shadows it;
// destructuring declarations still declare; diagnostics keep the columns of the cell as written.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { KernelClient } from "./client.js";

describe("zhist kernel: shorthand properties of earlier cells' variables", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start();
    for (const cell of ["let a = 1;", "const e = 3;", "function f() { return 'f'; }", "class C { k = 'c'; }", "import * as path from 'node:path';"]) {
      const { reply } = await k.execute(cell, 60000);
      assert.equal(reply.content.status, "ok", `${cell}: ${JSON.stringify(reply.content)}`);
    }
  });
  after(async () => {
    await k?.stop();
  });

  const value = (code: string) => k.valueOf(code);
  const diagnostics = (code: string) => k.diagnosticsOf(code);

  test("{ a } of an earlier cell's let, alone, beside other properties, nested", async () => {
    assert.equal(await value("const o = { a }; o"), "{ a: 1 }");
    assert.equal(await value("({ a, b: 2 })"), "{ a: 1, b: 2 }");
    assert.equal(await value("({ x: { a }, y: [{ a }] })"), "{ x: { a: 1 }, y: [ { a: 1 } ] }");
    assert.equal(await value("o.a + 1"), "2");
  });

  test("earlier cells' const, function, class and import", async () => {
    assert.equal(await value("const r = { e, f, C, path }; [r.e, r.f(), new r.C().k, r.path.sep]"), "[ 3, 'f', 'c', '/' ]");
  });

  test("inside functions and arrow bodies: the earlier variable as it is when called", async () => {
    assert.equal(await value("const g = () => ({ a }); function gf() { return { a, e }; } a = 7; [g(), gf()]"), "[ { a: 7 }, { a: 7, e: 3 } ]");
    assert.equal(await value("g()"), "{ a: 7 }");
  });

  test("a local of the same name shadows the earlier cell's variable", async () => {
    assert.equal(await value("function h(a: string) { return { a }; } h('param')"), "{ a: 'param' }");
    assert.equal(await value("(() => { const a = 'inner'; return { a, e }; })()"), "{ a: 'inner', e: 3 }");
    assert.equal(await value("const seen: unknown[] = []; for (const a of ['loop']) seen.push({ a }); seen"), "[ { a: 'loop' } ]");
    assert.equal(await value("let caught: unknown; try { throw 'thrown'; } catch (a) { caught = { a }; } caught"), "{ a: 'thrown' }");
    assert.equal(await value("a"), "7");
  });

  test("destructuring: declarations declare, assignments assign the earlier variable", async () => {
    assert.equal(await value("const { a: z } = { a: 5 }; [z, a]"), "[ 5, 7 ]");
    assert.equal(await value("({ a } = { a: 42 }); a"), "42");
    assert.equal(await value("({ a = 9 } = {}); a"), "9");
    assert.equal(await value("a"), "9");
    // A cell's own declaration of the name: its shorthand is the cell's variable.
    assert.equal(await value("const { e } = { e: 'own' }; ({ e })"), "{ e: 'own' }");
  });

  test("diagnostics keep the columns of the cell as written", async () => {
    assert.equal(await diagnostics("const p = { a, f }; const s: string = 1;"), "1:27 - Type 'number' is not assignable to type 'string'.");
    assert.equal(
      await diagnostics("const t: { f: unknown } = { a, f };"),
      [
        "1:29 - Type '{ a: number; f: () => string; }' is not assignable to type '{ f: unknown; }'.",
        "1:29 - Object literal may only specify known properties, and 'a' does not exist in type '{ f: unknown; }'.",
      ].join("\n"),
    );
    assert.equal(await diagnostics("\nconst n: number = { a };"), "2:7 - Type '{ a: number; }' is not assignable to type 'number'.");
    assert.equal(await diagnostics("({ a, nope })"), "1:7 - No value exists in scope for the shorthand property 'nope'. Either declare one or provide an initializer.");
  });
});
