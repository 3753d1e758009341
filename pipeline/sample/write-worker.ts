/** Worker thread entry of `writeSampleCards`: writes one interleaved share of the cards. */
import { parentPort, workerData } from "node:worker_threads";
import { type WorkerTask, writeCardRange } from "./write.ts";

const written = await writeCardRange(workerData as WorkerTask);
parentPort?.postMessage(written);
