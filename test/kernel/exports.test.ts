// `export` in a cell: an exported top-level declaration is the declaration (visible to later cells,
// as every top-level declaration is), not tslab's "Cannot redeclare exported variable"; `export { a }`
// of declared names is nothing to do; what a cell cannot mean (default export of a value, renaming,
// re-exports) is a compile error at the statement saying what to write; diagnostics keep the columns
// of the cell as written; @module cells (real modules) keep their exports.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { KernelClient } from "./client.js";

describe("zhist kernel: export on top-level declarations of a cell", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start();
    const { reply } = await k.execute("let a = 1;", 60000);
    assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
  });
  after(async () => {
    await k?.stop();
  });

  const value = (code: string) => k.valueOf(code);
  const diagnostics = (code: string) => k.diagnosticsOf(code);

  test("export const/let/var/function/class/enum: the declarations, used in later cells", async () => {
    assert.equal(await value("export const e = 3;"), undefined);
    assert.equal(await value("export let l = 'l'; export var v = [1];"), undefined);
    assert.equal(await value("export function ef(x: number) { return x * e; }"), undefined);
    assert.equal(await value("export class EC { k = 'c'; }\nexport abstract class AC { abstract f(): number; }"), undefined);
    assert.equal(await value("export enum Color { Red, Green }"), undefined);
    assert.equal(await value("export async function af() { return 'async'; }\nexport const { dx, dy } = { dx: 1, dy: 2 };"), undefined);
    assert.equal(await value("[e, l, v, ef(2), new EC().k, Color.Green, Color[0], await af(), dx + dy]"), "[ 3, 'l', [ 1 ], 6, 'c', 1, 'Red', 'async', 3 ]");
    // Assignable in later cells, and still the earlier cells' variables.
    assert.equal(await value("l = 'L'; v.push(2); l + v.length"), "'L2'");
    assert.equal(await value("class Sub extends AC { f() { return e + 1; } } new Sub().f()"), "4");
  });

  test("export interface/type/namespace: the types are usable in later cells", async () => {
    assert.equal(await value("export interface Pt { x: number; y: number }\nexport type Pair = [Pt, Pt];\nexport namespace NS { export const inner = 'ns'; export type T = string; }"), undefined);
    assert.equal(await value("const pp: Pair = [{ x: 1, y: 2 }, { x: 3, y: 4 }]; const t: NS.T = NS.inner; [pp[1].y, t]"), "[ 4, 'ns' ]");
    assert.equal(await diagnostics("const bad: Pt = { x: 1 };"), "1:7 - Property 'y' is missing in type '{ x: number; }' but required in type 'Pt'.");
  });

  test("a cell's value and shorthand properties next to exported declarations", async () => {
    assert.equal(await value("export const w = 5;\nw * 2"), "10");
    assert.equal(await value("export const sh = { e, w };\nsh"), "{ e: 3, w: 5 }");
  });

  test("export default of a named function, class or interface declares it; of a value, a clear error", async () => {
    assert.equal(await value("export default function df() { return 'df'; }"), undefined);
    assert.equal(await value("export default class DC { k = 'dc'; }\nexport default interface DI { n: number }"), undefined);
    assert.equal(await value("const di: DI = { n: 1 }; [df(), new DC().k, di.n]"), "[ 'df', 'dc', 1 ]");
    assert.equal(await diagnostics("const x = 1;\nexport default x + 1;"), "2:1 - A notebook cell has no default export: give the value a name (const name = ...;), and later cells use that name.");
    assert.equal(await diagnostics("export default function () {}"), "1:1 - A notebook cell has no default export: name the function (function name ...), and later cells use that name.");
    assert.equal(await diagnostics("  export default class {}"), "1:3 - A notebook cell has no default export: name the class (class name ...), and later cells use that name.");
    // Nothing of a failed cell was declared.
    assert.equal(await diagnostics("x"), "1:1 - Cannot find name 'x'.");
  });

  test("export { } of declared names: nothing to do; renames and re-exports: clear errors", async () => {
    assert.equal(await value("const ex = 'ex'; interface XI { s: string }\nexport { ex, a, XI, e };"), undefined);
    assert.equal(await value("export type { Pt };\nexport {};\na"), "1");
    // The earlier cells' values are kept (tslab alone emitted `exports.a = void 0` for `export { a }`).
    assert.equal(await value("const xi: XI = { s: ex }; [xi.s, a, e]"), "[ 'ex', 1, 3 ]");
    assert.equal(await diagnostics("export { a, nope };"), "1:13 - Cannot find name 'nope'.");
    assert.equal(
      await diagnostics("export { a as b };"),
      "1:10 - A notebook cell cannot export 'a' as 'b': declare the new name instead (const b = a;, or type b = a; for a type). Every top-level declaration is visible to later cells without export.",
    );
    assert.equal(await diagnostics("export * from 'node:path';"), `1:1 - A notebook cell cannot re-export from 'node:path': import it instead (import * as m from 'node:path';), and later cells see the import.`);
    assert.equal(await diagnostics("export { sep } from 'node:path';"), `1:1 - A notebook cell cannot re-export from 'node:path': import it instead (import { sep } from 'node:path';), and later cells see the import.`);
    assert.equal(await diagnostics("export = a;"), "1:1 - 'export =' has no meaning in a notebook cell: every top-level declaration is visible to later cells; remove it.");
  });

  test("diagnostics keep the columns of the cell as written", async () => {
    assert.equal(await diagnostics("export const s: string = 1;"), "1:14 - Type 'number' is not assignable to type 'string'.");
    assert.equal(await diagnostics("let q = 0;\n  export function g(): number { return 'x'; }"), "2:33 - Type 'string' is not assignable to type 'number'.");
    assert.equal(await diagnostics("export interface Q { n: number }\nexport const qq: Q = { n: 'n' };"), "2:24 - Type 'string' is not assignable to type 'number'.");
    const { reply } = await k.execute("export const s: string = 1;", 30000);
    assert.deepEqual(reply.content.traceback, ["cell[" + reply.content.execution_count + "] line 1, column 14: Type 'number' is not assignable to type 'string'.", "    export const s: string = 1;", "                 ^"]);
  });

  test("export inside a namespace or a function body is untouched; 'export' in strings and comments too", async () => {
    assert.equal(await value("namespace Inner { export const z = 'z'; }\nInner.z"), "'z'");
    assert.equal(await value("// export const c = 1;\nconst str = 'export const no = 1;'; str"), "'export const no = 1;'");
  });

  test("@module cells are modules: their exports are kept", async () => {
    assert.equal(await value("/** @module zmod */\nexport const mx = 2;\nexport default function mdf() { return 'mdf'; }"), undefined);
    assert.equal(await value("import mdf, { mx } from './zmod';\n[mx, mdf()]"), "[ 2, 'mdf' ]");
  });
});
