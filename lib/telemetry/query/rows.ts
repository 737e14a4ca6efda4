import 'server-only';
import type SQLite from 'better-sqlite3';
import type { Compilable, Kysely } from 'kysely';
import { sqliteDatabaseOf } from '../../db/client';
import type { Database } from '../../db/schema';

// The telemetry reads' rows as arrays, in the order of their select list. On SQLite the statement
// is prepared once and run in better-sqlite3's raw mode: Kysely's driver prepares every query
// anew and builds an object per row, which cost two thirds of a year's read (1,100 hour rows of
// 19 columns: 6.8 ms as objects, 2.5 ms as arrays; scripts/bench/telemetry-api.ts). The raw
// handle is used while Kysely's connection is held (db.connection()), so no transaction of
// another caller can be open on it in between — its uncommitted rows are never read. Inside a
// transaction, and on PostgreSQL, Kysely's path is kept.

const MAX_STATEMENTS = 128;
const statements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

function prepared(database: SQLite.Database, text: string): SQLite.Statement {
  let cache = statements.get(database);
  if (cache === undefined) {
    cache = new Map();
    statements.set(database, cache);
  }
  let statement = cache.get(text);
  if (statement === undefined) {
    // A few metric combinations × four sources; the cap only guards against a leak.
    if (cache.size >= MAX_STATEMENTS) cache.clear();
    statement = database.prepare(text).raw(true);
    cache.set(text, statement);
  }
  return statement;
}

export async function selectArrays(db: Kysely<Database>, query: Compilable): Promise<unknown[][]> {
  const compiled = query.compile();
  const database = db.isTransaction ? undefined : sqliteDatabaseOf(db);
  if (database !== undefined) {
    return db
      .connection()
      .execute(async () => prepared(database, compiled.sql).all(...compiled.parameters) as unknown[][]);
  }
  const { rows } = await db.executeQuery(compiled);
  return rows.map((row) => Object.values(row as Record<string, unknown>));
}
