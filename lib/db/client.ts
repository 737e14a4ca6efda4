import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Env } from '../env-schema';
import type { Database } from './schema';

export type DbEngine = 'sqlite' | 'postgres';

export type DbHandle = {
  db: Kysely<Database>;
  engine: DbEngine;
  close: () => Promise<void>;
};

const INT8_OID = 20;

export function sqlitePathFor(env: Pick<Env, 'DATABASE_URL' | 'dataDir'>): string {
  if (env.DATABASE_URL?.startsWith('file:')) return path.resolve(env.DATABASE_URL.slice('file:'.length));
  return path.join(env.dataDir, 'kinetic.db');
}

/**
 * The better-sqlite3 handle behind each Kysely opened by openSqlite, keyed by its executor's
 * adapter: Kysely hands that same object to the transactions it opens, so a transaction finds the
 * handle too. Lets the samples bulk path keep prepared statements, which Kysely's SQLite driver
 * prepares again on every query (scripts/bench/ingest.ts).
 */
const sqliteDatabases = new WeakMap<object, SQLite.Database>();

/** The better-sqlite3 handle under `db` (or one of its transactions); undefined on PostgreSQL. */
export function sqliteDatabaseOf(db: Kysely<Database>): SQLite.Database | undefined {
  return sqliteDatabases.get(db.getExecutor().adapter);
}

/**
 * Kysely's SQLite driver opens transactions with a plain (deferred) `begin`: the transaction reads
 * under a snapshot and asks for the write lock at its first write. When another process (the
 * worker, the CLI) committed in between, SQLite cannot upgrade that snapshot and answers "database
 * is locked" at once, without waiting out busy_timeout. `begin immediate` takes the write lock
 * first, so a transaction waits its turn (busy_timeout) instead of failing. Every Kinetic
 * transaction writes, so nothing is lost by it.
 */
class ImmediateTransactionsDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateTransactionsDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionsDriver(this.#config);
  }
}

export function openSqlite(file: string): DbHandle {
  fs.mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // FULL keeps every acknowledged commit through a power cut; NORMAL would need a benchmark
  // showing the write path needs it.
  database.pragma('synchronous = FULL');
  const db = new Kysely<Database>({ dialect: new ImmediateTransactionsDialect({ database }) });
  sqliteDatabases.set(db.getExecutor().adapter, database);
  return { db, engine: 'sqlite', close: () => db.destroy() };
}

/** `copy … from stdin`: a statement whose rows follow it as a data stream rather than as parameters. */
const COPY_FROM_STDIN = /^\s*copy\s[^;]*\sfrom\s+stdin\b/i;

/**
 * A pg client that also runs `copy … from stdin` given its whole data as the one Buffer parameter,
 * which plain pg cannot (it answers COPY's request for data with a failure). Kysely then runs COPY
 * like any raw query, on the transaction's own connection: the samples bulk path sends its rows
 * this way (lib/db/queries/sample-upsert.ts), over twice as fast as the multi-row INSERT it
 * replaced (scripts/bench/ingest.ts). Every other query goes to pg unchanged.
 */
class CopyingClient extends pg.Client {}
const plainQuery = pg.Client.prototype.query;
CopyingClient.prototype.query = function query(
  this: pg.Client,
  ...args: Parameters<typeof plainQuery>
): unknown {
  const [text, values] = args as unknown[];
  if (
    typeof text === 'string' &&
    COPY_FROM_STDIN.test(text) &&
    Array.isArray(values) &&
    values.length === 1 &&
    Buffer.isBuffer(values[0])
  ) {
    return copyIn(this, text, values[0]);
  }
  return Reflect.apply(plainQuery, this, args);
} as typeof plainQuery;

async function copyIn(client: pg.Client, text: string, data: Buffer): Promise<pg.QueryResult> {
  const stream = client.query(copyFrom(text));
  await pipeline(Readable.from([data]), stream);
  return { command: 'COPY', rowCount: stream.rowCount, oid: 0, fields: [], rows: [] };
}

export function openPostgres(connectionString: string, options: { max?: number } = {}): DbHandle {
  const pool = new pg.Pool({
    connectionString,
    Client: CopyingClient,
    max: options.max ?? 10,
    // Epoch-millisecond columns are bigint; they fit a JS number exactly, so parse them as one.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as never,
    },
  });
  // A server restart (or an administrator ending sessions) closes the pooled connections, and pg
  // reports that as an 'error' event: on the client when it is checked out between two queries,
  // and on the pool for an idle one. An 'error' event nobody listens to is thrown, which ended the
  // worker (and any script) at the first restart of PostgreSQL. The pool already drops a broken
  // client and opens a new one on next use, and a query in flight fails to its caller, so a
  // lost connection only needs saying once, on the client (the pool's event repeats it).
  pool.on('connect', (client) => client.on('error', logLostConnection));
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

function logLostConnection(error: Error & { code?: string }): void {
  const code = error.code ? `${error.code}: ` : '';
  console.error(
    `[db] a PostgreSQL connection was lost (${code}${error.message}); the next query opens a new one`,
  );
}

export function openDatabase(env: Pick<Env, 'DATABASE_URL' | 'dataDir' | 'databaseEngine'>): DbHandle {
  if (env.databaseEngine === 'postgres' && env.DATABASE_URL) return openPostgres(env.DATABASE_URL);
  return openSqlite(sqlitePathFor(env));
}

/** Whether a database (or one of its transactions) is PostgreSQL rather than SQLite. */
export const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;
