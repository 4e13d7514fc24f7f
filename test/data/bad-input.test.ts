// Bad input: clear errors that name the file (and the column or basket), never a crash or a hang.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DataError, openEventSource, openRootSource, type EventSource } from "../../src/data/index.js";
import { DATA, readAll } from "./util.js";

const dir = mkdtempSync(join(tmpdir(), "zhist-data-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function isDataError(path: string, ...words: string[]) {
  return (e: unknown) => {
    assert.ok(e instanceof DataError, `a DataError, got ${e}`);
    assert.ok(e.message.includes(path), `names the file: ${e.message}`);
    for (const w of words) assert.ok(e.message.includes(w), `mentions ${w}: ${e.message}`);
    return true;
  };
}

/** Opens and reads everything; the whole must fail (open or read) with a DataError. */
async function openAndRead(path: string, columns?: string[]) {
  const src: EventSource = await openEventSource(path);
  try {
    await readAll(src, columns ?? [...src.schema.fields.keys()]);
  } finally {
    await src.close();
  }
}

test("a missing file", async () => {
  const path = join(dir, "nope.root");
  await assert.rejects(openEventSource(path), isDataError(path, "cannot open"));
});

test("the malformed Parquet file", async () => {
  const path = join(DATA, "nano_dy_malformed.parquet");
  await assert.rejects(openEventSource(path), isDataError(path, "Parquet"));
});

test("a file of no known format", async () => {
  const path = join(dir, "notes.txt");
  writeFileSync(path, "not event data");
  await assert.rejects(openEventSource(path), isDataError(path, "unknown format"));
});

test("truncated copies of a ROOT file", async () => {
  const full = readFileSync(join(DATA, "nano_dy.root"));
  for (const keep of [0.05, 0.3, 0.6, 0.9, 0.99]) {
    const path = join(dir, `truncated-${keep}.root`);
    writeFileSync(path, full.subarray(0, Math.floor(full.length * keep)));
    await assert.rejects(openAndRead(path), isDataError(path), `kept ${keep}`);
  }
});

test("a truncated ROOT file whose tree still opens: the error names the branch and basket", async () => {
  // The ZSTD copy written by the compression test is not here; use a file whose tree sits before its baskets' end.
  const full = readFileSync(join(DATA, "uproot-HZZ.root"));

  for (const keep of [0.5, 0.7, 0.9]) {
    const path = join(dir, `hzz-${keep}.root`);
    writeFileSync(path, full.subarray(0, Math.floor(full.length * keep)));
    try {
      const src = await openRootSource(path);

      await assert.rejects(readAll(src, [...src.schema.fields.keys()]), isDataError(path, "basket", "column"));
      await src.close();
    } catch (e) {
      isDataError(path)(e);
    }
  }
});

test("a corrupt compressed basket names its branch and basket", async () => {
  const path = join(dir, "corrupt.root");
  copyFileSync(join(DATA, "nano_dy.root"), path);
  const { openFile } = await import("jsroot/io");
  const tree = await (await openFile(join(DATA, "nano_dy.root"))).readObject("Events");
  const branch = tree.fBranches.arr.find((x: any) => x.fName === "Jet_pt");
  const seek = Number(branch.fBasketSeek[0]);
  const bytes = readFileSync(path);
  // Keep the key header (its length is the int16 at byte 14) and the 9-byte compression header; spoil the stream.
  const payload = seek + bytes.readInt16BE(seek + 14) + 9;
  bytes.fill(0x55, payload, payload + 40);
  writeFileSync(path, bytes);
  const src = await openRootSource(path);
  try {
    await assert.rejects(readAll(src, ["Jet_pt"]), isDataError(path, `column "Jet_pt"`, "basket 0"));
  } finally {
    await src.close();
  }
});

test("unknown columns and trees, bad ranges", async () => {
  const path = join(DATA, "nano_dy.root");
  const src = await openEventSource(path);
  try {
    await assert.rejects(readAll(src, ["Jet_ptt"]), isDataError(path, "Jet_ptt", "Jet_pt"));
    await assert.rejects(readAll(src, ["nJet"], { start: 10, stop: 5 }), isDataError(path, "range"));
  } finally {
    await src.close();
  }
  await assert.rejects(openEventSource(path, { tree: "Nope" }), isDataError(path, "Nope", "Events", "Runs"));
  const pq = join(DATA, "nano_dy.parquet");
  const p = await openEventSource(pq);
  await assert.rejects(readAll(p, ["Jet_ptt"]), isDataError(pq, "Jet_ptt"));
  await p.close();
});

test("an empty tree yields no batch", async () => {
  const src = await openEventSource(join(DATA, "nano_dy_empty.root"));
  try {
    assert.equal(src.entries, 0);
    assert.ok(src.schema.fields.has("Jet_pt"), "the schema is still there");
    let batches = 0;
    for await (const _ of src.read(["nJet", "Jet_pt"])) batches++;
    assert.equal(batches, 0);
  } finally {
    await src.close();
  }
});
