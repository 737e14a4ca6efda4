import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { getMigrationStatus, migrateToLatest } from './migrate';
import { MIGRATION_NAMES } from './migrations';

describe.each(ENGINES)('migrations on %s', (engine) => {
  const database = useTestDatabase(engine, { migrate: false });

  it('reports pending on an empty database, applies every migration once, then reports current', async () => {
    expect(await getMigrationStatus(database().db)).toBe('pending');

    const applied = await migrateToLatest(database().db);
    expect(applied).toEqual([
      '0001-initial',
      '0002-vehicle-data',
      '0003-car-accounts',
      '0004-webhook-events',
      '0005-rollups',
      '0006-callback-subscriptions',
      '0007-vehicle-snapshots',
      '0008-alert-acknowledgements',
      '0009-trip-tags',
      '0010-user-preferences',
      '0011-trip-scores',
      '0012-share-links',
      '0013-standings',
      '0014-leaderboards',
      '0015-trip-faults',
      '0016-sync-backlog',
    ]);
    expect(applied).toEqual(MIGRATION_NAMES);
    expect(await getMigrationStatus(database().db)).toBe('current');

    // Idempotent: a second run (every start does one) applies nothing and changes nothing.
    expect(await migrateToLatest(database().db)).toEqual([]);
    expect(await getMigrationStatus(database().db)).toBe('current');
  });

  it('creates the tables the queries use', async () => {
    await migrateToLatest(database().db);
    const tables = (await database().db.introspection.getTables()).map((table) => table.name).sort();
    expect(tables).toEqual(
      expect.arrayContaining([
        'rate_limits',
        'sessions',
        'users',
        'vehicles',
        'samples',
        'trips',
        'alerts',
        'maintenance_reports',
        'charging_sessions',
        'eco_evaluations',
        'quarantine',
        'car_accounts',
        'car_account_vehicles',
        'sync_state',
        'vehicle_snapshots',
        'alert_acknowledgements',
        'trip_tags',
        'trip_scores',
        'share_links',
      ]),
    );

    const users = (await database().db.introspection.getTables()).find((table) => table.name === 'users');
    expect(users?.columns.map((column) => column.name).sort()).toEqual(
      [
        'created_at',
        'disabled_at',
        'email',
        'id',
        'is_demo',
        'name',
        'password_hash',
        'time_zone',
        'updated_at',
        'locale',
        'speed_unit',
        'fuel_unit',
        'energy_unit',
      ].sort(),
    );
  });

  it('enforces foreign keys with cascading deletes', async () => {
    await migrateToLatest(database().db);
    const now = 1_900_000_000_000;
    await database()
      .db.insertInto('users')
      .values({ id: 'u1', email: 'fk@example.com', created_at: now, updated_at: now })
      .execute();
    await expect(
      database()
        .db.insertInto('sessions')
        .values({ id: 's-orphan', user_id: 'nobody', created_at: now, expires_at: now, last_seen_at: now })
        .execute(),
    ).rejects.toThrow();
    await database()
      .db.insertInto('sessions')
      .values({ id: 's1', user_id: 'u1', created_at: now, expires_at: now + 1, last_seen_at: now })
      .execute();
    await database().db.deleteFrom('users').where('id', '=', 'u1').execute();
    expect(await database().db.selectFrom('sessions').select('id').execute()).toEqual([]);
  });
});

describe('SQLite connection settings', () => {
  const database = useTestDatabase('sqlite');

  async function pragma(name: string): Promise<unknown> {
    const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(database().db);
    const row = rows[0];
    if (!row) throw new Error(`pragma ${name} returned no row`);
    return Object.values(row)[0];
  }

  it('uses write-ahead logging', async () => {
    expect(await pragma('journal_mode')).toBe('wal');
  });

  it('enforces foreign keys', async () => {
    expect(await pragma('foreign_keys')).toBe(1);
  });

  it('syncs every commit to disk (synchronous = FULL)', async () => {
    expect(await pragma('synchronous')).toBe(2);
  });

  it('waits up to 5 s for a lock instead of failing at once', async () => {
    expect(await pragma('busy_timeout')).toBe(5000);
  });
});

describe('samples on PostgreSQL', () => {
  const database = useTestDatabase('postgres');

  it('are partitioned by time from the start', async () => {
    const { rows } = await sql<{ strategy: string; key: string }>`
      select p.partstrat as strategy, a.attname as key
      from pg_partitioned_table p
      join pg_class c on c.oid = p.partrelid
      join pg_attribute a on a.attrelid = c.oid and a.attnum = p.partattrs[0]
      where c.relname = 'samples'`.execute(database().db);
    expect(rows).toEqual([{ strategy: 'r', key: 'at' }]);
  });
});
