// The stdin channel: the kernel asks the front end for a line (input_request) and waits for its
// input_reply. Requests go to the routing identity of the execute_request's sender, which Jupyter
// clients share between their shell and stdin sockets. One request is outstanding at a time.
import * as zmq from "zeromq";
import { decode, encode, newHeader, WireError, type Message } from "./wire.js";

interface Pending {
  requestId: string;
  resolve: (value: string) => void;
  reject: (e: unknown) => void;
}

export class StdinChannel {
  private pending?: Pending;
  private sending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sock: zmq.Router,
    private readonly key: string,
    private readonly session: string,
    private readonly log: (...a: unknown[]) => void,
  ) {}

  /** Reads input_reply messages until the socket closes; replies that answer nothing pending are logged and dropped. */
  async serve(): Promise<void> {
    try {
      for await (const frames of this.sock) {
        let msg: Message;
        try {
          msg = decode(frames, this.key);
        } catch (e) {
          this.log(`rejected a message on stdin: ${e instanceof WireError ? e.message : String(e)}`);
          continue;
        }
        const p = this.pending;
        if (msg.header.msg_type !== "input_reply" || !p || msg.parent_header.msg_id !== p.requestId) {
          this.log(`dropped an unexpected ${msg.header.msg_type} on stdin`);
          continue;
        }
        this.pending = undefined;
        p.resolve(String(msg.content.value ?? ""));
      }
    } catch {
      // the socket closed
    }
  }

  /** Asks the sender of `parent` for a line; rejects when `signal` aborts (interrupt) or nothing can reach it. */
  request(parent: Message, prompt: string, password: boolean, signal: AbortSignal): Promise<string> {
    if (this.pending) return Promise.reject(new Error("input(): another input request is still waiting for its reply"));
    if (signal.aborted) return Promise.reject(signal.reason);
    const header = newHeader("input_request", this.session);
    const frames = encode({ identities: parent.identities, header, parent_header: parent.header, content: { prompt, password } }, this.key);
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => settle(() => reject(signal.reason));
      const settle = (f: () => void) => {
        signal.removeEventListener("abort", onAbort);
        if (this.pending?.requestId === header.msg_id) this.pending = undefined;
        f();
      };
      const pending: Pending = { requestId: header.msg_id, resolve: (v) => settle(() => resolve(v)), reject: (e) => settle(() => reject(e)) };
      this.pending = pending;
      signal.addEventListener("abort", onAbort, { once: true });
      // A Router set to mandatory fails the send when the front end has no stdin socket, instead of waiting forever.
      this.sending = this.sending
        .then(() => this.sock.send(frames))
        .catch((e) => pending.reject(new Error(`input(): the front end's stdin channel cannot be reached (${(e as Error).message})`)));
    });
  }
}
