// Temporaries a task hands over before its unit is finished, kept on disk until the unit lands whole.
// Format: a little-endian header (count, then hist, combo, length per temporary) and the data.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Temp } from "./protocol.js";

export function writeStaged(dir: string, n: number, temps: Temp[]): string {
  fs.mkdirSync(dir, { recursive: true });
  const header = new Int32Array(1 + 3 * temps.length);
  header[0] = temps.length;
  temps.forEach((t, i) => header.set([t.hist, t.combo, t.data.length], 1 + 3 * i));
  const file = path.join(dir, `${n}.bin`);
  const fd = fs.openSync(file, "w");
  try {
    fs.writeSync(fd, new Uint8Array(header.buffer));
    for (const t of temps) fs.writeSync(fd, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

export function* readStaged(file: string): Generator<Temp> {
  const bytes = fs.readFileSync(file);
  const count = bytes.readInt32LE(0);
  let at = 4 + 12 * count;
  for (let i = 0; i < count; i++) {
    const [hist, combo, length] = [0, 1, 2].map((k) => bytes.readInt32LE(4 + 12 * i + 4 * k));
    const data = new Float64Array(length);
    new Uint8Array(data.buffer).set(bytes.subarray(at, at + 8 * length));
    at += 8 * length;
    yield { hist, combo, data };
  }
}
