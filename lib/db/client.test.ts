import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPostgresDatabase } from '@/test/db-harness';
import { openPostgres, openSqlite, WAL_LIMIT_BYTES } from './client';

// SQLite transactions take the write lock when they begin. With SQLite's default (deferred) begin,
// a transaction that read first and wrote later failed at once with "database is locked" whenever
// another process had committed in between (the CLI's import while the worker synced); the lock
// taken at `begin` makes the other process wait instead.

describe('openSqlite: transactions and writes', () => {
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

  // Another process holds the write lock (here: a second connection in this process, which only
  // the event loop can make release it). A transaction, or a write outside one, waits for it
  // without blocking the event loop; better-sqlite3's own wait (busy_timeout) would block the
  // thread, so the lock could never be released and the write would fail with SQLITE_BUSY.
  it('wait for another process’s write lock, as writes outside a transaction do, without holding up the event loop', async () => {
    const handle = openSqlite(file);
    const other = new SQLite(file);
    try {
      other.exec("begin immediate; update counters set value = 10 where name = 'a'");
      let ticks = 0;
      const ticker = setInterval(() => {
        ticks++;
        // The other process commits once this process has run its timers a few times.
        if (ticks === 5) other.exec('commit');
      }, 1);
      try {
        const inTransaction = handle.db.transaction().execute(async (trx) => {
          const before = await sql<{ value: number }>`select value from counters where name = 'a'`.execute(
            trx,
          );
          await sql`update counters set value = ${(before.rows[0]?.value ?? 0) + 1} where name = 'a'`.execute(
            trx,
          );
        });
        await inTransaction;
        expect(ticks).toBeGreaterThanOrEqual(5);
        expect(other.prepare("select value from counters where name = 'a'").get()).toEqual({ value: 11 });

        // A write outside a transaction waits its turn the same way.
        other.exec("begin immediate; update counters set value = 20 where name = 'a'");
        ticks = 0;
        await sql`update counters set value = value + 1 where name = 'a'`.execute(handle.db);
        expect(ticks).toBeGreaterThanOrEqual(5);
        expect(other.prepare("select value from counters where name = 'a'").get()).toEqual({ value: 21 });
      } finally {
        clearInterval(ticker);
      }
    } finally {
      other.close();
      await handle.close();
    }
  });

  it('give up with SQLITE_BUSY once the lock timeout has passed, having changed nothing', async () => {
    const handle = openSqlite(file, { lockTimeoutMs: 100 });
    const other = new SQLite(file);
    try {
      other.exec('begin immediate');
      await expect(
        handle.db
          .transaction()
          .execute((trx) => sql`update counters set value = 1 where name = 'a'`.execute(trx)),
      ).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      await expect(
        sql`update counters set value = 2 where name = 'a'`.execute(handle.db),
      ).rejects.toMatchObject({
        code: 'SQLITE_BUSY',
      });
      other.exec('rollback');
      expect(other.prepare("select value from counters where name = 'a'").get()).toEqual({ value: 0 });
      // The lock free again, the same handle writes as usual.
      await handle.db
        .transaction()
        .execute((trx) => sql`update counters set value = 3 where name = 'a'`.execute(trx));
      expect(other.prepare("select value from counters where name = 'a'").get()).toEqual({ value: 3 });
    } finally {
      other.close();
      await handle.close();
    }
  });

  // SQLite's wait is no queue: a process writing back to back retakes the lock before a waiting
  // one looks again. Two handles stand for two processes: the first commits transaction after
  // transaction (microtasks only, so nothing else in this thread runs unless it steps aside); the
  // second asks for one transaction in between and must get it before the first is done.
  it('take turns: a process writing back to back steps aside for a waiting one', async () => {
    const busy = openSqlite(file);
    const waiting = openSqlite(file);
    const cap = 5000;
    let committed = 0;
    let waitingDone = false;
    try {
      const loop = (async () => {
        while (!waitingDone && committed < cap) {
          await busy.db
            .transaction()
            .execute((trx) => sql`update counters set value = value + 1 where name = 'a'`.execute(trx));
          committed++;
        }
      })();
      // Runs once the busy process lets a timer in.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await waiting.db.transaction().execute((trx) => sql`insert into counters values ('b', 1)`.execute(trx));
      waitingDone = true;
      const committedBefore = committed;
      await loop;
      expect(committedBefore).toBeGreaterThan(0);
      expect(committedBefore).toBeLessThan(cap);
    } finally {
      waitingDone = true;
      await busy.close();
      await waiting.close();
    }
  });

  // A reader that keeps its snapshot keeps SQLite's automatic checkpoints from emptying the WAL,
  // which grows past its limit; once the reader lets go, the next writes bring the WAL file back
  // under WAL_LIMIT_BYTES (journal_size_limit; without it the file keeps its largest size).
  it('leave the WAL file under its limit once readers let go of it', async () => {
    const handle = openSqlite(file);
    const reader = new SQLite(file);
    try {
      await sql`create table blobs (data blob not null)`.execute(handle.db);
      reader.exec('begin');
      reader.prepare('select count(*) from counters').get();
      const chunk = 1024 * 1024;
      for (let i = 0; i < WAL_LIMIT_BYTES / chunk + 4; i++) {
        await sql`insert into blobs values (randomblob(${chunk}))`.execute(handle.db);
      }
      const grown = statSync(`${file}-wal`).size;
      expect(grown).toBeGreaterThan(WAL_LIMIT_BYTES);
      reader.exec('commit');
      for (let i = 0; i < 3; i++) {
        await handle.db
          .transaction()
          .execute((trx) => sql`update counters set value = ${i} where name = 'a'`.execute(trx));
      }
      expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(WAL_LIMIT_BYTES);
    } finally {
      reader.close();
      await handle.close();
    }
  });
});

// PostgreSQL ends every session when it stops or restarts (and an administrator can end one with
// pg_terminate_backend). pg reports a session ended outside a query as an 'error' event, on the
// pool for an idle connection and on the client for one checked out between two queries; nobody
// listened, so the event was thrown and ended the process: the sync worker died at the first
// restart of PostgreSQL (test/long/app-crash.long-test.ts found it).
describe('openSqlite: prepared statements kept across queries', () => {
  let folder: string;
  let file: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'kinetic-statements-'));
    file = join(folder, 'kinetic.db');
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('answer each run with its own parameters, reads and writes alike', async () => {
    const handle = openSqlite(file);
    await sql`create table items (id integer primary key, label text not null)`.execute(handle.db);
    for (let id = 1; id <= 20; id++)
      await handle.db
        .insertInto('items' as never)
        .values({ id, label: `item ${id}` } as never)
        .execute();
    for (let id = 20; id >= 1; id--) {
      const row = await sql<{ label: string }>`select label from items where id = ${id}`.execute(handle.db);
      expect(row.rows).toEqual([{ label: `item ${id}` }]);
    }
    const { numAffectedRows } = await sql`update items set label = 'even' where id % 2 = ${0}`.execute(
      handle.db,
    );
    expect(numAffectedRows).toBe(10n);
    await handle.close();
  });

  it('follow a schema another process changed meanwhile', async () => {
    const handle = openSqlite(file);
    await sql`create table items (id integer primary key)`.execute(handle.db);
    await sql`insert into items (id) values (1)`.execute(handle.db);
    const selectAll = () => sql<Record<string, unknown>>`select * from items`.execute(handle.db);
    expect((await selectAll()).rows).toEqual([{ id: 1 }]);
    const other = new SQLite(file);
    other.exec("alter table items add column colour text not null default 'red'");
    other.close();
    expect((await selectAll()).rows).toEqual([{ id: 1, colour: 'red' }]);
    await handle.close();
  });

  it('answer every text when there are more texts than kept statements, and a stream of a text already kept', async () => {
    const handle = openSqlite(file);
    await sql`create table items (id integer primary key)`.execute(handle.db);
    await sql`insert into items (id) select value from json_each(${JSON.stringify(Array.from({ length: 700 }, (_, i) => i + 1))})`.execute(
      handle.db,
    );
    for (let count = 1; count <= 700; count++) {
      const ids = Array.from({ length: count }, (_, i) => i + 1);
      const rows = await handle.db
        .selectFrom('items' as never)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('id' as never, 'in', ids as never)
        .execute();
      expect(rows[0]).toEqual({ n: count });
    }
    const firstThree = handle.db
      .selectFrom('items' as never)
      .selectAll()
      .where('id' as never, '<=', 3 as never);
    expect(await firstThree.execute()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const streamed: unknown[] = [];
    for await (const row of handle.db
      .selectFrom('items' as never)
      .selectAll()
      .where('id' as never, '<=', 3 as never)
      .stream())
      streamed.push(row);
    expect(streamed).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    await handle.close();
  });
});

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
