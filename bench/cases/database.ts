/**
 * Statement latency of the editor database: microseconds per primary-key read and per upsert on
 * PostgreSQL (the server at TEST_DATABASE_URL, in a schema of its own) against the same
 * statements on a SQLite file. Each call blocks the event loop for that long. `size` is the
 * number of statements of each kind.
 */
import { join } from "node:path";
import type { Database } from "../../editor-api/db/database.ts";
import { openDatabase } from "../../editor-api/db/open.ts";
import { createTestDatabase, testServerUrl } from "../../editor-api/db/test-database.ts";
import type { BenchCase, BenchRow } from "../types.ts";

/** Statements run before timing, so that both databases have prepared and cached them. */
const WARM_UP = 200;

type Latency = { readUs: number; writeUs: number };

function measure(db: Database, count: number): Latency {
  const read = db.prepare("SELECT state, version FROM project_workflow WHERE project_id = ?");
  const write = db.prepare(
    `INSERT INTO rate_limit_hits (key, window_start, count) VALUES (?, 0, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_hits.count + 1`,
  );
  for (let index = 0; index < WARM_UP; index++) {
    read.get(`P${index}`);
    write.run(`warm-up-${index % 50}`);
  }
  let start = performance.now();
  for (let index = 0; index < count; index++) read.get(`P${index}`);
  const readUs = ((performance.now() - start) * 1000) / count;
  start = performance.now();
  for (let index = 0; index < count; index++) write.run(`key-${index % 50}`);
  const writeUs = ((performance.now() - start) * 1000) / count;
  return { readUs, writeUs };
}

const databaseCase: BenchCase = {
  name: "database",
  description: "µs per statement on PostgreSQL vs SQLite (size = statements of each kind)",
  async skipReason() {
    return testServerUrl() ? undefined : "TEST_DATABASE_URL is not set to a postgres:// URL";
  },
  async run({ size, workDir, log }) {
    const count = Math.max(100, size);
    const sqlite = openDatabase(join(workDir, "editor.db"));
    const reference = measure(sqlite, count);
    sqlite.close();
    log(`sqlite: ${reference.readUs.toFixed(0)} µs per read`);

    const server = createTestDatabase(workDir);
    const postgres = server.open();
    let measured: Latency;
    try {
      measured = measure(postgres, count);
    } finally {
      postgres.close();
      server.drop();
    }
    log(`postgresql: ${measured.readUs.toFixed(0)} µs per read`);

    const row = (name: string, value: number, baseline: number): BenchRow => ({
      name,
      size: count,
      value: Math.round(value),
      unit: "µs",
      reference: Math.round(baseline),
      referenceLabel: "SQLite file",
    });
    return [
      row("database: primary-key read", measured.readUs, reference.readUs),
      row("database: upsert", measured.writeUs, reference.writeUs),
    ];
  },
};

export default databaseCase;
