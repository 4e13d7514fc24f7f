// Notebook documents (nbformat 4) as nbformat itself reads and writes them: multi-line strings joined
// on read and split on write, keys sorted, one-space indent, cell ids (4.5). Writes are atomic (a
// temporary file renamed), so a run killed mid-write still leaves the previous complete notebook.
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface Output extends JsonObject {
  output_type: string;
}

export interface Cell {
  id?: string;
  cell_type: "code" | "markdown" | "raw";
  metadata: JsonObject;
  source: string;
  execution_count?: number | null;
  outputs?: Output[];
  attachments?: JsonObject;
}

export interface Notebook {
  cells: Cell[];
  metadata: JsonObject;
  nbformat: number;
  nbformat_minor: number;
}

const joined = (v: Json | undefined): string => (Array.isArray(v) ? v.join("") : typeof v === "string" ? v : "");

/** Parses an .ipynb text; throws naming `where` when it is not a version 4 notebook. */
export function parseNotebook(text: string, where: string): Notebook {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not a notebook (${(e as Error).message})`);
  }
  if (!doc || typeof doc !== "object" || !Array.isArray(doc.cells)) throw new Error(`${where}: not a notebook (no cells list)`);
  if (doc.nbformat !== 4) throw new Error(`${where}: nbformat ${doc.nbformat}; zhist run reads version 4 notebooks (convert with jupyter nbconvert --to notebook)`);
  const cells: Cell[] = doc.cells.map((c: any, i: number) => {
    if (!c || !["code", "markdown", "raw"].includes(c.cell_type)) throw new Error(`${where}: cell ${i} has no known cell_type`);
    const cell: Cell = { ...c, metadata: c.metadata ?? {}, source: joined(c.source) };
    if (c.cell_type === "code") cell.outputs = (c.outputs ?? []).map(joinOutput);
    return cell;
  });
  return { cells, metadata: doc.metadata ?? {}, nbformat: 4, nbformat_minor: Number(doc.nbformat_minor ?? 0) };
}

function joinOutput(o: any): Output {
  const out = { ...o };
  if (out.output_type === "stream") out.text = joined(out.text);
  if (out.data && typeof out.data === "object") {
    out.data = Object.fromEntries(Object.entries(out.data).map(([k, v]) => [k, Array.isArray(v) && isTextMime(k) ? joined(v as Json) : v]));
  }
  return out;
}

const isTextMime = (mime: string) => mime !== "application/json" && !mime.endsWith("+json");

export function readNotebook(file: string): Notebook {
  return parseNotebook(file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(file, "utf8"), file);
}

/** nbformat's random cell id: eight hex digits. */
export const newCellId = () => randomUUID().replaceAll("-", "").slice(0, 8);

/** Upgrades to 4.5 as nbformat.v4.upgrade does: every cell gets a unique, valid id. */
export function upgrade(nb: Notebook): Notebook {
  const seen = new Set<string>();
  for (const c of nb.cells) {
    if (typeof c.id !== "string" || !/^[a-zA-Z0-9-_]{1,64}$/.test(c.id) || seen.has(c.id)) c.id = newCellId();
    seen.add(c.id);
  }
  nb.nbformat_minor = Math.max(nb.nbformat_minor, 5);
  return nb;
}

export function codeCell(source: string, metadata: JsonObject = {}): Cell {
  return { id: newCellId(), cell_type: "code", metadata, source, execution_count: null, outputs: [] };
}

export function markdownCell(source: string, metadata: JsonObject = {}): Cell {
  return { id: newCellId(), cell_type: "markdown", metadata, source };
}

export function tagsOf(cell: Cell): string[] {
  const t = cell.metadata.tags;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : [];
}

export function firstTagged(nb: Notebook, tag: string): number {
  return nb.cells.findIndex((c) => tagsOf(c).includes(tag));
}

// nbformat's writer: strings of sources, stream text and text mime data as lists of lines.
const lines = (s: string): string[] => s.match(/[^\n]*\n|[^\n]+$/g) ?? [];

function forWriting(nb: Notebook): unknown {
  return {
    ...nb,
    cells: nb.cells.map((c) => {
      const out: Record<string, unknown> = { ...c, source: lines(c.source) };
      if (c.cell_type === "code") {
        out.outputs = (c.outputs ?? []).map((o) => {
          if (o.output_type === "stream" && typeof o.text === "string") return { ...o, text: lines(o.text) };
          if ((o.output_type === "display_data" || o.output_type === "execute_result") && o.data && typeof o.data === "object" && !Array.isArray(o.data)) {
            return { ...o, data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, typeof v === "string" && isTextMime(k) ? lines(v) : v])) };
          }
          return o;
        });
      } else {
        delete out.outputs;
        delete out.execution_count;
      }
      return out;
    }),
  };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(sortKeys(forWriting(nb)), null, 1) + "\n";
}

/** Writes atomically; "-" writes to stdout. */
export function writeNotebook(nb: Notebook, file: string): void {
  const text = serializeNotebook(nb);
  if (file === "-") {
    process.stdout.write(text);
    return;
  }
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
