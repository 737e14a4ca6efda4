import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  type QueryResult,
  SelectQueryNode,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { setNewest } from '../bounded-map';
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

/** SQLite's own wait for a lock, for what is not a write (WAL readers need it rarely: recovery, checkpoints). */
const BUSY_TIMEOUT_MS = 5000;
/** How long a write (a transaction, or one statement outside any) waits in all for the write lock. */
const WRITE_LOCK_TIMEOUT_MS = 5000;
/** Between two attempts at the write lock, a random pause of 1 ms up to this. */
const WRITE_LOCK_POLL_MS = 4;
/** A process that has written back to back this long (ms) steps aside before its next write… */
const WRITE_STREAK_MS = 100;
/** …for this long (ms): longer than a waiting process's pause between attempts. */
const WRITE_YIELD_MS = 6;

/**
 * The WAL's size after SQLite starts it over (journal_size_limit; it otherwise keeps its largest
 * size), and the size past which a writer forces it to start over (WriteTurns). 4 × the ~4 MB at
 * which SQLite's automatic checkpoint runs: a busy moment fits, a WAL readers keep growing does not.
 */
export const WAL_LIMIT_BYTES = 16 * 1024 * 1024;
/**
 * How long that forced checkpoint waits for the readers still on the WAL (SQLite's own wait,
 * synchronous): reads take milliseconds, and it holds back writers, not readers, meanwhile.
 */
const WAL_RESTART_WAIT_MS = 100;

/** Prepared statements one SQLite connection keeps (TurnTakingConnection). */
const STATEMENT_CACHE_SIZE = 500;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const isBusy = (error: unknown) =>
  typeof (error as { code?: unknown }).code === 'string' &&
  (error as { code: string }).code.startsWith('SQLITE_BUSY');

/**
 * One process's turns at SQLite's write lock (one writer at a time, in every process sharing the
 * file: the app, the worker, the CLI). SQLite's own wait (busy_timeout) is no queue: a waiting
 * process sleeps, up to 100 ms at a time, and takes the lock only if it happens to be free when it
 * wakes. A process that writes back to back (the worker storing the batches of its 8 sync lanes)
 * takes it again within a millisecond of releasing it, so the others could wait past any timeout
 * and answer SQLITE_BUSY (test/long/sqlite-contention.long-test.ts, DB-04: with 4 writer processes,
 * 32 of 4,000 transactions failed so after 5 s). And better-sqlite3 waits synchronously: a Next
 * server waiting for the lock answered no request meanwhile.
 *
 * So Kinetic waits itself, without blocking its event loop: it tries the lock without SQLite's
 * wait (busy_timeout 0), and while another process holds it tries again every few milliseconds,
 * for WRITE_LOCK_TIMEOUT_MS in all. And a process that has held the lock back to back for
 * WRITE_STREAK_MS leaves it free for WRITE_YIELD_MS before its next write, long enough for a
 * waiting process's next attempt to take it. A process writing alone pays at most that pause per
 * streak (6 ms per 100 ms); a process that writes now and then, none.
 */
class WriteTurns {
  readonly #database: SQLite.Database;
  readonly #timeoutMs: number;
  /** When this process last released the write lock (commit, rollback, a write outside a transaction). */
  #releasedAt = Number.NEGATIVE_INFINITY;
  /** When its current run of back-to-back writes began. */
  #streakSince = Number.NEGATIVE_INFINITY;

  constructor(database: SQLite.Database, timeoutMs: number) {
    this.#database = database;
    this.#timeoutMs = timeoutMs;
  }

  /** Runs `attempt` (which takes the write lock) once the lock is free; SQLITE_BUSY after the timeout. */
  async take<T>(attempt: () => T): Promise<T> {
    const now = performance.now();
    if (now - this.#releasedAt >= WRITE_YIELD_MS) {
      // Free long enough since our last write for others to have taken their turn.
      this.#streakSince = now;
    } else if (now - this.#streakSince >= WRITE_STREAK_MS) {
      await sleep(WRITE_YIELD_MS);
      this.#streakSince = performance.now();
    }
    const deadline = performance.now() + this.#timeoutMs;
    for (;;) {
      try {
        return this.#withoutBusyWait(attempt);
      } catch (error) {
        if (!isBusy(error) || performance.now() >= deadline) throw error;
      }
      await sleep(1 + Math.floor(Math.random() * WRITE_LOCK_POLL_MS));
    }
  }

  /** After a commit, a rollback or a write outside a transaction. */
  released(): void {
    this.#releasedAt = performance.now();
    this.#restartLargeWal();
  }

  /**
   * SQLite checkpoints the WAL into the database after a commit that leaves it over 1,000 pages
   * (~4 MB), and starts it over at the next write once every frame is copied and no reader still
   * reads from it. Readers that never pause (the dashboard's requests, one after the other) keep
   * some reader on it at almost every such moment, so the WAL grows instead (DB-04's 8 readers: 26 MB
   * after 90 s, still rising). When it is past WAL_LIMIT_BYTES, the process that just wrote asks for a RESTART
   * checkpoint: it copies every frame and lets the next writer start the WAL over, which
   * journal_size_limit then cuts back to WAL_LIMIT_BYTES. Holding the write lock, it waits up to
   * WAL_RESTART_WAIT_MS for the readers already on the WAL to finish (readers that start meanwhile
   * find it copied, and read the database file); when it gives up (busy), the next write tries again.
   */
  #restartLargeWal(): void {
    let size: number;
    try {
      size = fs.statSync(/*turbopackIgnore: true*/ `${this.#database.name}-wal`).size;
    } catch {
      return; // No WAL file (an in-memory database, or the last connection removed it).
    }
    if (size <= WAL_LIMIT_BYTES) return;
    this.#database.pragma(`busy_timeout = ${WAL_RESTART_WAIT_MS}`);
    try {
      this.#database.pragma('wal_checkpoint(RESTART)');
    } catch {
      // Housekeeping after a write that stands whatever it answers (busy comes back as a row, not
      // an error); SQLite's automatic checkpoint and the next write try again.
    } finally {
      this.#database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  /** SQLite's wait off for this one attempt only: reads outside a transaction keep it. */
  #withoutBusyWait<T>(attempt: () => T): T {
    this.#database.pragma('busy_timeout = 0');
    try {
      return attempt();
    } finally {
      this.#database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }
}

/**
 * Kysely's SQLite connection, except that a write outside a transaction takes its turn at the
 * write lock (WriteTurns). A statement that fails with SQLITE_BUSY there changed nothing, so it is
 * tried again. Statements inside a transaction run as they are: it holds the lock already.
 */
class TurnTakingConnection implements DatabaseConnection {
  readonly #database: SQLite.Database;
  readonly #turns: WriteTurns;
  readonly #statements = new Map<string, SQLite.Statement>();

  constructor(database: SQLite.Database, turns: WriteTurns) {
    this.#database = database;
    this.#turns = turns;
  }

  /**
   * The prepared statement for `sql`, kept for the next query with the same text. Kysely's driver
   * prepares every query anew, and preparing was a tenth of a dashboard read's server CPU (the
   * glance's profile under load). Safe to share: this one connection runs one query at a time (the
   * driver's mutex), and streams prepare their own. Bounded, since `in (?, ?, …)` lists make
   * texts without end; the oldest goes first.
   */
  #prepare(sql: string): SQLite.Statement {
    const cached = this.#statements.get(sql);
    if (cached) return cached;
    const statement = this.#database.prepare(sql);
    setNewest(this.#statements, sql, statement, STATEMENT_CACHE_SIZE);
    return statement;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters as unknown[];
    const run = (): QueryResult<R> => {
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      const { changes, lastInsertRowid } = statement.run(parameters);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    };
    if (statement.readonly || this.#database.inTransaction) return Promise.resolve(run());
    return this.#turns.take(run).finally(() => this.#turns.released());
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) {
      throw new Error('Sqlite driver only supports streaming of select queries');
    }
    const statement = this.#database.prepare(compiledQuery.sql);
    for (const row of statement.iterate(compiledQuery.parameters as unknown[])) yield { rows: [row as R] };
  }
}

/**
 * Kysely's SQLite driver opens transactions with a plain (deferred) `begin`: the transaction reads
 * under a snapshot and asks for the write lock at its first write. When another process (the
 * worker, the CLI) committed in between, SQLite cannot upgrade that snapshot and answers "database
 * is locked" at once, without waiting out busy_timeout. `begin immediate` takes the write lock
 * first, so a transaction waits its turn (WriteTurns) instead of failing. Every Kinetic
 * transaction writes, so nothing is lost by it.
 */
class ImmediateTransactionsDriver extends SqliteDriver {
  readonly #turns: WriteTurns;
  readonly #connection: TurnTakingConnection;
  readonly #begin: SQLite.Statement;

  constructor(config: SqliteDialectConfig & { database: SQLite.Database }, lockTimeoutMs: number) {
    super(config);
    this.#turns = new WriteTurns(config.database, lockTimeoutMs);
    this.#connection = new TurnTakingConnection(config.database, this.#turns);
    this.#begin = config.database.prepare('begin immediate');
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    // The base class's mutex: one query or transaction at a time on the process's one connection.
    await super.acquireConnection();
    return this.#connection;
  }

  override async beginTransaction(): Promise<void> {
    // Synchronous, so that each attempt runs with SQLite's own wait off (WriteTurns).
    await this.#turns.take(() => this.#begin.run());
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.commitTransaction(connection);
    } finally {
      this.#turns.released();
    }
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } finally {
      this.#turns.released();
    }
  }
}

class ImmediateTransactionsDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig & { database: SQLite.Database };
  readonly #lockTimeoutMs: number;

  constructor(config: SqliteDialectConfig & { database: SQLite.Database }, lockTimeoutMs: number) {
    super(config);
    this.#config = config;
    this.#lockTimeoutMs = lockTimeoutMs;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionsDriver(this.#config, this.#lockTimeoutMs);
  }
}

export type SqliteOptions = {
  /** How long a write waits in all for another process's write lock (default 5 s); tests shorten it. */
  lockTimeoutMs?: number;
};

export function openSqlite(file: string, options: SqliteOptions = {}): DbHandle {
  fs.mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  database.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
  // FULL keeps every acknowledged commit through a power cut; NORMAL would need a benchmark
  // showing the write path needs it.
  database.pragma('synchronous = FULL');
  const db = new Kysely<Database>({
    dialect: new ImmediateTransactionsDialect({ database }, options.lockTimeoutMs ?? WRITE_LOCK_TIMEOUT_MS),
  });
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
