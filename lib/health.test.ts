import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENGINES, openTestDatabase, type TestDatabase } from '../test/db-harness';
import { openPostgres } from './db/client';
import { migrateToLatest } from './db/migrate';
import { ensureDemoOwner } from './demo/demo-owner';
import { checkHealth } from './health';

describe.each(ENGINES)('checkHealth on %s', (engine) => {
  let opened: TestDatabase | undefined;
  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });

  it('is degraded with pending migrations until the schema is migrated, then ok', async () => {
    opened = await openTestDatabase(engine, { migrate: false });
    expect(await checkHealth({ db: opened.db, engine, demo: false })).toEqual({
      status: 'degraded',
      db: engine,
      migrations: 'pending',
      failing: 'migrations',
    });
    await migrateToLatest(opened.db);
    expect(await checkHealth({ db: opened.db, engine, demo: false })).toEqual({
      status: 'ok',
      db: engine,
      migrations: 'current',
    });
  });

  it('reports demo readiness once the demo owner is seeded', async () => {
    opened = await openTestDatabase(engine);
    expect((await checkHealth({ db: opened.db, engine, demo: true })).demo).toEqual({
      ready: false,
      peersSynced: 0,
      peersTotal: 0,
    });
    await ensureDemoOwner(opened.db);
    expect((await checkHealth({ db: opened.db, engine, demo: true })).demo?.ready).toBe(true);
  });
});

describe('checkHealth with an unreachable database', () => {
  it('answers degraded, naming the database, without throwing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const handle = openPostgres('postgres://nobody@127.0.0.1:1/none');
    try {
      expect(await checkHealth({ db: handle.db, engine: 'postgres', demo: false })).toEqual({
        status: 'degraded',
        db: 'postgres',
        migrations: 'unknown',
        failing: 'database',
      });
    } finally {
      await handle.close();
      vi.restoreAllMocks();
    }
  });
});
