/** Prepared statements cached per connection, so hot queries are compiled once. */
import type { Database, Statement } from "./database.ts";

const caches = new WeakMap<Database, Map<string, Statement>>();

/** Returns the prepared statement for `sql` on this connection, preparing it on first use. */
export function prepared(db: Database, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
