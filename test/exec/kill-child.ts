// Child process of the kill -9 test: fills a store and is killed midway by the parent.
import type { Files } from "./setup.js";
import { fixtureAnalysis, modules } from "./setup.js";

const [filesJson, store, workers] = process.argv.slice(2);
const files = JSON.parse(filesJson) as Files;
await fixtureAnalysis(files).fill({ workers: Number(workers), modules, store, unitEvents: 100, batchEvents: 50, landEveryUnits: 1 });
process.send?.("finished");
