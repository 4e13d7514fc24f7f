// The Jupyter wire protocol (messaging spec 5.3): frames <-> messages, HMAC-SHA256 signed.
// Every incoming message is verified before anything reads its content.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
const DELIM = Buffer.from("<IDS|MSG>");

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export interface Message {
  identities: Buffer[];
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: Record<string, any>;
  buffers: Buffer[];
}

export class WireError extends Error {
  override name = "WireError";
}

export function sign(key: string, parts: readonly (Buffer | string)[]): string {
  if (!key) return "";
  const h = createHmac("sha256", key);
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

/** Splits routing identities, checks the signature, parses the four JSON frames; throws WireError when any fails. */
export function decode(frames: readonly Buffer[], key: string): Message {
  const at = frames.findIndex((f) => f.equals(DELIM));
  if (at < 0) throw new WireError("no <IDS|MSG> delimiter");
  if (frames.length < at + 6) throw new WireError(`too few frames (${frames.length})`);
  const signature = frames[at + 1].toString("ascii");
  const parts = frames.slice(at + 2, at + 6);
  if (key) {
    const want = Buffer.from(sign(key, parts), "ascii");
    const got = Buffer.from(signature, "ascii");
    if (got.length !== want.length || !timingSafeEqual(got, want)) throw new WireError("bad signature");
  }
  const json = (b: Buffer, what: string) => {
    try {
      const v = JSON.parse(b.toString("utf8"));
      if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error("not an object");
      return v;
    } catch (e) {
      throw new WireError(`malformed ${what}: ${(e as Error).message}`);
    }
  };
  const header = json(parts[0], "header") as Header;
  if (typeof header.msg_type !== "string" || typeof header.msg_id !== "string") throw new WireError("header without msg_type/msg_id");
  return {
    identities: frames.slice(0, at),
    header,
    parent_header: json(parts[1], "parent header"),
    metadata: json(parts[2], "metadata"),
    content: json(parts[3], "content"),
    buffers: frames.slice(at + 6),
  };
}

export function newHeader(msgType: string, session: string, username = "zhist"): Header {
  return { msg_id: randomUUID(), session, username, date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
}

export interface Outgoing {
  identities?: Buffer[];
  header: Header;
  parent_header: Partial<Header>;
  metadata?: Record<string, unknown>;
  content: unknown;
  buffers?: readonly (Buffer | ArrayBufferView | ArrayBuffer)[];
}

export function encode(msg: Outgoing, key: string): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata ?? {}, msg.content].map((p) => Buffer.from(JSON.stringify(p), "utf8"));
  const buffers = (msg.buffers ?? []).map(toBuffer);
  return [...(msg.identities ?? []), DELIM, Buffer.from(sign(key, parts), "ascii"), ...parts, ...buffers];
}

export function toBuffer(b: Buffer | ArrayBufferView | ArrayBuffer): Buffer {
  if (Buffer.isBuffer(b)) return b;
  if (b instanceof ArrayBuffer) return Buffer.from(b);
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
