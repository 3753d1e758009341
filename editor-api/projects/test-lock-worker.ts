/**
 * A lock holder in its own process, for the cross-process lock tests. It takes the lock of
 * project argv[3] in the database at argv[2] (a SQLite file or a `postgres://` URL) with a lease of argv[4] milliseconds, prints
 * `locked`, and releases the lock when a line arrives on stdin, then prints `released`.
 */
import { once } from "node:events";
import { createInterface } from "node:readline";
import { openDatabase } from "../db/open.ts";
import { createProjectLock } from "./project-lock.ts";

const [location, projectId, leaseText] = process.argv.slice(2);
const db = openDatabase(location);
const lock = createProjectLock({ db, leaseMs: Number(leaseText), ownerPrefix: "worker" });
const lines = createInterface({ input: process.stdin });
await lock.run(projectId, async () => {
  process.stdout.write("locked\n");
  await once(lines, "line");
});
process.stdout.write("released\n");
lines.close();
process.stdin.destroy();
db.close();
