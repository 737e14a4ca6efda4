import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from './client';

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
