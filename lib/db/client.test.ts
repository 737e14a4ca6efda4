import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPostgresDatabase } from '@/test/db-harness';
import { openPostgres, openSqlite } from './client';

// SQLite transactions take the write lock when they begin. With SQLite's default (deferred) begin,
// a transaction that read first and wrote later failed at once with "database is locked" whenever
// another process had committed in between (the CLI's import while the worker synced); the lock
// taken at `begin` makes the other process wait instead.

describe('openSqlite transactions', () => {
  let folder: string;
  let file: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'kinetic-client-'));
    file = join(folder, 'kinetic.db');
    const setup = new SQLite(file);
    setup.pragma('journal_mode = WAL');
    setup.exec('create table counters (name text primary key, value integer not null)');
    setup.prepare("insert into counters values ('a', 0)").run();
    setup.close();
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('hold the write lock from their first statement, so a read-then-write never fails midway', async () => {
    const handle = openSqlite(file);
    // Another process, which does not wait for locks.
    const other = new SQLite(file);
    other.pragma('busy_timeout = 0');
    let otherWrite: unknown;
    try {
      await handle.db.transaction().execute(async (trx) => {
        const before = await sql<{ value: number }>`select value from counters where name = 'a'`.execute(trx);
        try {
          other.prepare("update counters set value = 100 where name = 'a'").run();
        } catch (error) {
          otherWrite = error;
        }
        await sql`update counters set value = ${(before.rows[0]?.value ?? 0) + 1} where name = 'a'`.execute(
          trx,
        );
      });
      // The other writer was kept out while the transaction ran; the transaction's own write stands.
      expect(otherWrite).toMatchObject({ code: 'SQLITE_BUSY' });
      expect(other.prepare("select value from counters where name = 'a'").get()).toEqual({ value: 1 });
      // Once the transaction is over, the other process writes as usual.
      other.prepare("update counters set value = 100 where name = 'a'").run();
      expect(other.prepare("select value from counters where name = 'a'").get()).toEqual({ value: 100 });
    } finally {
      other.close();
      await handle.close();
    }
  });
});

// PostgreSQL ends every session when it stops or restarts (and an administrator can end one with
// pg_terminate_backend). pg reports a session ended outside a query as an 'error' event, on the
// pool for an idle connection and on the client for one checked out between two queries; nobody
// listened, so the event was thrown and ended the process: the sync worker died at the first
// restart of PostgreSQL (test/long/app-crash.long-test.ts found it).
describe('openPostgres when the server ends its sessions', () => {
  it('logs the lost connections, keeps the process alive, and the next query opens a new one', async () => {
    const database = await createPostgresDatabase();
    const handle = openPostgres(database.url, { max: 4 });
    const admin = new pg.Client({ connectionString: database.url });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await admin.connect();
      const endSessions = () =>
        admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        );
      // An idle pooled connection, and one checked out inside a transaction between two queries.
      await sql`select 1`.execute(handle.db);
      const inTransaction = handle.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await endSessions();
        await vi.waitFor(() => expect(logged).toHaveBeenCalledTimes(1));
        await sql`select 2`.execute(trx);
      });
      await expect(inTransaction).rejects.toThrow();
      await endSessions();

      const { rows } = await sql<{ answer: number }>`select 42 as answer`.execute(handle.db);
      expect(rows).toEqual([{ answer: 42 }]);
      expect(uncaught).toEqual([]);
      const lines = logged.mock.calls.map((call) => String(call[0]));
      expect(lines.length).toBeGreaterThanOrEqual(1);
      // The server's own word (57P01), or pg's when the socket closed before it was read.
      for (const line of lines)
        expect(line).toMatch(
          /^\[db\] a PostgreSQL connection was lost \((57P01: terminating connection|Connection terminated unexpectedly)/,
        );
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
      await handle.close();
      await database.drop();
    }
  });
});
