/**
 * The worker thread of `workerWriter`: serialises and writes the cards it is sent with a
 * `localWriter`, and replies with each outcome.
 */
import { parentPort, workerData } from "node:worker_threads";
import { localWriter, type WorkerReply, type WorkerRequest } from "./writer.ts";

const port = parentPort;
if (port === null) throw new Error("write-worker.ts runs only as a worker thread");

const reply = (message: WorkerReply) => port.postMessage(message);
const writer = localWriter(workerData.contentDir as string, (context, failure) =>
  reply({ kind: "late", context, failure }),
);

port.on("message", (request: WorkerRequest) => {
  if (request.kind === "flush") {
    void writer.flush().then(() => reply({ kind: "flushed", requestId: request.requestId }));
    return;
  }
  writer.write(request.card, request.context).then(
    (outcome) => reply({ kind: "written", requestId: request.requestId, outcome }),
    (failure) => reply({ kind: "failed", requestId: request.requestId, failure }),
  );
});
