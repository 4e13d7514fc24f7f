// Entry point of a fill worker thread: one TaskRunner, fed by the engine's messages.
import { parentPort, workerData } from "node:worker_threads";
import type { InitMessage, ToWorker } from "./protocol.js";
import { TaskRunner } from "./task.js";

if (!parentPort) throw new Error("src/exec/worker.js runs as a worker thread only");
const port = parentPort;
const runner = new TaskRunner(workerData as InitMessage, (m, transfer) => port.postMessage(m, transfer ?? []));
port.on("message", (msg: ToWorker) => { void runner.handle(msg); });
