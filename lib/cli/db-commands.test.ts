import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresDatabase, openTestDatabase, type TestDatabase } from '@/test/db-harness';
import { carWithScores, ranked } from '@/test/standing-fixtures';
import { openPostgres } from '../db/client';
import { refreshStaleStandings } from '../db/queries/standings';
import { storeVehicleData } from '../db/queries/vehicle-data';
import { getVehicle } from '../db/queries/vehicles';
import { parseEnv } from '../env-schema';
import { createGroup } from '../leaderboards/groups';
import { joinPublicBoards } from '../leaderboards/listings';
import { createShareLink } from '../sharing/share-links';
import { emptyVehicleData, type Sample } from '../telemetry/model';
import { runCliCaptured } from './cli-for-tests';

// `db copy --to <postgres url>` (interfaces.md): an embedded installation with data in most tables
// — awkward text, float values a `real` column rounds, samples across two months (two partitions)
// — copied into an empty PostgreSQL database, then read back through the app's own queries.

type Copied = { ok: boolean; tables: { name: string; rows: number; checksum: string }[] };

const TRICKY_LABEL = 'Tab\there, back\\slash, new\nline, “quotes” ✓';

async function fillSource(source: TestDatabase) {
  const { db } = source;
  const now = Date.now();
  const a = await carWithScores(db, { trips: ranked(71.37), now });
  const b = await carWithScores(db, { trips: ranked(58.9), now });
  await refreshStaleStandings(db, { now });
  await joinPublicBoards(db, a.ownerId, a.vehicleId);
  await createGroup(db, b.ownerId, b.vehicleId, 'Copy group');
  await createShareLink(db, a.ownerId, a.vehicleId, { expiresInDays: 30 });
  await db.updateTable('vehicles').set({ label: TRICKY_LABEL }).where('id', '=', a.vehicleId).execute();
  // A minute either side of a month boundary, with values no float4 holds exactly.
  const boundary = Date.UTC(2026, 1, 1);
  const samples: Sample[] = Array.from({ length: 120 }, (_, i) => ({
    at: boundary - 60_000 + i * 1000,
    speedKmh: 47.123456789 + i / 7,
    engineRpm: 1800 + i,
    latitude: 48.8566123456789 + i / 1e7,
    longitude: 2.3522219,
    odometerKm: 12_345.678901,
    ignition: true,
    source: { provider: 'psa-v4', ref: `telemetry ${i}` },
  }));
  await storeVehicleData(db, a.vehicleId, { ...emptyVehicleData(), samples });
  return { a, b };
}

async function countsOf(db: TestDatabase['db'], names: readonly string[]) {
  const counts: Record<string, number> = {};
  for (const name of names) {
    const row = await db
      .selectFrom(name as 'users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    counts[name] = Number(row.n);
  }
  return counts;
}

describe('db copy --to <postgres url>', () => {
  let source: TestDatabase;
  const cleanups: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    source = await openTestDatabase('sqlite');
    cleanups.push(() => source.cleanup());
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function emptyTarget() {
    const target = await createPostgresDatabase();
    cleanups.push(() => target.drop());
    return target;
  }

  it('copies every table with counts and checksums matching, and the app reads the same data there', async () => {
    const { a } = await fillSource(source);
    const target = await emptyTarget();
    const run = await runCliCaptured(['db', 'copy', '--to', target.url, '--json'], source.env);
    expect(run.stderr).toContain('[db copy] samples:');
    expect(run.code).toBe(0);
    const copied = JSON.parse(run.stdout) as Copied;
    expect(copied.ok).toBe(true);
    const names = copied.tables.map((table) => table.name);
    expect(names).toEqual(expect.arrayContaining(['users', 'vehicles', 'samples', 'trips', 'trip_scores']));
    expect(names).not.toContain('kysely_migration');
    // Parents before children.
    expect(names.indexOf('users')).toBeLessThan(names.indexOf('vehicles'));
    expect(names.indexOf('vehicles')).toBeLessThan(names.indexOf('samples'));
    expect(names.indexOf('trips')).toBeLessThan(names.indexOf('trip_scores'));

    const sourceCounts = await countsOf(source.db, names);
    expect(Object.fromEntries(copied.tables.map((table) => [table.name, table.rows]))).toEqual(sourceCounts);
    for (const name of [
      'users',
      'vehicles',
      'samples',
      'trips',
      'trip_scores',
      'vehicle_standings',
      'share_links',
    ])
      expect(sourceCounts[name], name).toBeGreaterThan(0);

    const copy = openPostgres(target.url, { max: 2 });
    try {
      expect(await countsOf(copy.db, names)).toEqual(sourceCounts);
      expect((await getVehicle(copy.db, a.ownerId, a.vehicleId))?.label).toBe(TRICKY_LABEL);
      const read = (db: TestDatabase['db']) =>
        db
          .selectFrom('samples')
          .select(['at', 'speed_kmh', 'latitude', 'odometer_km', 'source_ref'])
          .where('vehicle_id', '=', a.vehicleId)
          .orderBy('at')
          .execute();
      const [there, here] = await Promise.all([read(copy.db), read(source.db)]);
      // Doubles exactly; `real` columns at float4 precision, as when the app writes to PostgreSQL.
      expect(there.map((row) => [row.at, row.latitude, row.odometer_km, row.source_ref])).toEqual(
        here.map((row) => [row.at, row.latitude, row.odometer_km, row.source_ref]),
      );
      expect(there.map((row) => Math.fround(row.speed_kmh as number))).toEqual(
        here.map((row) => Math.fround(row.speed_kmh as number)),
      );
      const partitions = await copy.db
        .selectFrom('pg_inherits' as never)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(partitions.n)).toBeGreaterThanOrEqual(2);
    } finally {
      await copy.close();
    }
  });

  it('gives the same checksums for the same data, and another for a changed value', async () => {
    const { a } = await fillSource(source);
    const first = await emptyTarget();
    const second = await emptyTarget();
    const once = JSON.parse(
      (await runCliCaptured(['db', 'copy', '--to', first.url, '--json'], source.env)).stdout,
    );
    await source.db.updateTable('vehicles').set({ label: 'Renamed' }).where('id', '=', a.vehicleId).execute();
    const again = JSON.parse(
      (await runCliCaptured(['db', 'copy', '--to', second.url, '--json'], source.env)).stdout,
    ) as Copied;
    const changed = again.tables.filter(
      (table) => table.checksum !== (once as Copied).tables.find((t) => t.name === table.name)?.checksum,
    );
    expect(changed.map((table) => table.name)).toEqual(['vehicles']);
  });

  it('refuses a target that already holds data, and leaves it as it was', async () => {
    await fillSource(source);
    const target = await emptyTarget();
    expect((await runCliCaptured(['db', 'copy', '--to', target.url, '--json'], source.env)).code).toBe(0);
    const copy = openPostgres(target.url, { max: 1 });
    try {
      const before = await countsOf(copy.db, ['users', 'vehicles', 'samples']);
      const run = await runCliCaptured(['db', 'copy', '--to', target.url, '--json'], source.env);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).error.code).toBe('conflict');
      expect(JSON.parse(run.stdout).error.message).toMatch(/already holds data/);
      expect(await countsOf(copy.db, ['users', 'vehicles', 'samples'])).toEqual(before);
    } finally {
      await copy.close();
    }
  });

  it('is bad usage without a PostgreSQL --to, or when the installation is on PostgreSQL already', async () => {
    for (const argv of [
      ['db', 'copy', '--json'],
      ['db', 'copy', '--to', 'mysql://somewhere/db', '--json'],
    ]) {
      const run = await runCliCaptured(argv, source.env);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(JSON.parse(run.stdout).error.code).toBe('bad_usage');
    }
    const target = await emptyTarget();
    const onPostgres = parseEnv({ DATABASE_URL: target.url }, process.cwd());
    const run = await runCliCaptured(['db', 'copy', '--to', target.url, '--json'], onPostgres);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.message).toMatch(/unset DATABASE_URL/);
  });

  it('says so when the target cannot be reached', async () => {
    const run = await runCliCaptured(
      ['db', 'copy', '--to', 'postgres://nobody@127.0.0.1:1/none', '--json'],
      source.env,
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe('upstream_unavailable');
  });
});
