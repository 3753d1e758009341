/**
 * A worker process for the concurrent-claim test: it runs every due job of the queue in the
 * database at argv[2] (a path or URL) under the owner name argv[3], printing one line per job it ran.
 */
import pino from "pino";
import { openDatabase } from "../db/open.ts";
import { createRebuildQueue } from "./queue.ts";

const [databasePath, owner] = process.argv.slice(2);
const db = openDatabase(databasePath);
const queue = createRebuildQueue({
  db,
  owner,
  logger: pino({ level: "silent" }),
  debounceMs: 0,
  notify: () => {},
  run: async (job) => {
    process.stdout.write(`${job.id}\n`);
    // Yield so the other worker gets a chance to claim while this job is running.
    await new Promise((resolve) => setTimeout(resolve, 5));
  },
});
await queue.runDue();
db.close();
