import { statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { type DbHandle, openPostgres, openSqlite, sqliteDatabaseOf } from '../../lib/db/client';
import { copyToPostgres } from '../../lib/db/copy-to-postgres';
import { migrateToLatest } from '../../lib/db/migrate';
import { pruneRawSamples } from '../../lib/db/queries/retention';
import { refreshRollups } from '../../lib/db/queries/rollups';
import { createUser } from '../../lib/db/queries/users';
import { writeVehicleData } from '../../lib/db/queries/vehicle-data';
import { createVehicle } from '../../lib/db/queries/vehicles';
import type { TelemetryMetric } from '../../lib/schemas/telemetry';
import { emptyVehicleData, type Sample } from '../../lib/telemetry/model';
import { readTelemetry } from '../../lib/telemetry/query/read-telemetry';
import { createScratchDatabase } from '../support/scratch-database';
import { startTestPostgres } from '../support/test-postgres';
import { type Drive, driveDays } from './telemetry-api/drive-year';
import { type Benchmark, type BenchRow, formatInteger } from './types';

// Storage at scale (issue 8, "a capacity model … backed by a benchmark at the largest size this
// machine holds"): a fleet of cars, each with a year of 1 Hz commuting (telemetry-api's generator:
// ~1.4 million samples a car), written through Kinetic's own write path (natural keys, merge
// upsert, monthly partitions on PostgreSQL) and rolled up; then, at that size:
// - rows and bytes per table, bytes per raw sample and per rollup row (indexes included);
// - the telemetry read the chart route makes (readTelemetry), p95 per range, for one car;
// - the retention job keeping the last 30 days of raw samples: how long, what it frees;
// - `kinetic db copy` of a SQLite installation into PostgreSQL: how long, rows per second.
// The size is bounded by the bench's time on this machine (ingest is ~50,000 samples/s), not by
// its disk: storage grows linearly with cars, and a car's reads touch only its own index range.
// Run alone: `npx tsx --conditions=react-server scripts/bench/run-one.ts scale`.

const POSTGRES_CARS = 12;
const SQLITE_CARS = 4;
const DAYS = 365;
const START = Date.UTC(2025, 10, 1);
const WRITE_DAYS_PER_TRANSACTION = 30;
const KEEP_RAW_DAYS = 30;
const WARM_UP_RUNS = 3;
const RUNS = 20;
const WIDTH = 1600;
const READ_P95_TARGET_MS = 30;
const METRICS: TelemetryMetric[] = ['speed', 'rpm', 'consumption'];
const DAY = 86_400_000;
const MIN = 60_000;

const log = (line: string) => console.log(`[scale] ${line}`);

function p95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] as number;
}

type Fleet = { ownerId: string; vehicleIds: string[]; samples: number; seconds: number; lastDrive: Drive };

/** `cars` cars, each a year of driving, stored and rolled up as the worker's path does. */
async function writeFleet(handle: DbHandle, cars: number): Promise<Fleet> {
  const db = handle.db;
  await migrateToLatest(db);
  const owner = await createUser(db, { email: 'scale-bench@example.com', passwordHash: null });
  const vehicleIds: string[] = [];
  let samples = 0;
  let lastDrive: Drive | undefined;
  const started = performance.now();
  for (let car = 0; car < cars; car++) {
    const vehicle = await createVehicle(db, owner.id, {
      label: `Scale ${car + 1}`,
      brand: 'peugeot',
      model: '208',
      powertrain: 'petrol',
      vin: `VF3SCALE${String(car).padStart(9, '0')}`,
    });
    vehicleIds.push(vehicle.id);
    let pending: Sample[][] = [];
    const flush = async () => {
      const batch = pending.flat();
      pending = [];
      samples += batch.length;
      await db.transaction().execute((trx) =>
        writeVehicleData(trx, vehicle.id, { ...emptyVehicleData(), samples: batch }, [], Date.now(), {
          deriveLater: true,
        }),
      );
    };
    let first: Drive | undefined;
    for (const day of driveDays(START, DAYS)) {
      first ??= day.drives[0];
      lastDrive = day.drives[day.drives.length - 1] ?? lastDrive;
      pending.push(day.samples);
      if (pending.length >= WRITE_DAYS_PER_TRANSACTION) await flush();
    }
    await flush();
    if (!first || !lastDrive) throw new Error('the generator made no drives');
    await refreshRollups(db, vehicle.id, first.startedAt, lastDrive.endedAt);
    log(`car ${car + 1}/${cars}: ${formatInteger(samples)} samples so far`);
  }
  if (!lastDrive) throw new Error('no car was written');
  return { ownerId: owner.id, vehicleIds, samples, seconds: (performance.now() - started) / 1000, lastDrive };
}

type TableSize = { name: string; rows: number; bytes: number };

/** Rows and bytes (table, indexes and TOAST) of the tables that grow with driving. */
async function postgresSizes(handle: DbHandle): Promise<TableSize[]> {
  const sizes: TableSize[] = [];
  for (const name of ['samples', 'sample_rollups', 'trips']) {
    const bytes = await sql<{ bytes: string }>`
      select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes
      from pg_class c
      where c.oid = ${name}::regclass
         or c.oid in (select inhrelid from pg_inherits where inhparent = ${name}::regclass)`.execute(
      handle.db,
    );
    const rows = await sql<{ n: string }>`select count(*) as n from ${sql.table(name)}`.execute(handle.db);
    sizes.push({ name, rows: Number(rows.rows[0]?.n ?? 0), bytes: Number(bytes.rows[0]?.bytes ?? 0) });
  }
  return sizes;
}

/** SQLite's own page accounting (dbstat): each table with its indexes. */
function sqliteSizes(handle: DbHandle): TableSize[] {
  const database = sqliteDatabaseOf(handle.db);
  if (!database) throw new Error('not a SQLite handle');
  database.pragma('wal_checkpoint(TRUNCATE)');
  return ['samples', 'sample_rollups', 'trips'].map((name) => {
    const pages = database
      .prepare(
        `select coalesce(sum(pgsize), 0) as bytes from dbstat
         where name = ? or name in (select name from sqlite_schema where type = 'index' and tbl_name = ?)`,
      )
      .get(name, name) as { bytes: number };
    const rows = database.prepare(`select count(*) as n from ${name}`).get() as { n: number };
    return { name, rows: rows.n, bytes: pages.bytes };
  });
}

const describeSizes = (sizes: readonly TableSize[]) =>
  sizes
    .map(
      (size) =>
        `${size.name} ${formatInteger(size.rows)} rows, ${(size.bytes / 2 ** 20).toFixed(0)} MiB` +
        (size.rows > 0 ? ` (${(size.bytes / size.rows).toFixed(0)} B/row)` : ''),
    )
    .join('; ');

/** The chart route's read for the fleet's last car, p95 per range, ending in its last drive. */
async function readLatency(handle: DbHandle, fleet: Fleet): Promise<{ text: string; worstMs: number }> {
  const now = fleet.lastDrive.startedAt + 10 * MIN;
  const vehicleId = fleet.vehicleIds[fleet.vehicleIds.length - 1] as string;
  const cases = [
    { name: 'trip 1 h', from: fleet.lastDrive.startedAt - 5 * MIN, to: fleet.lastDrive.startedAt + 55 * MIN },
    { name: 'day', from: now - DAY, to: now },
    { name: 'month', from: now - 30 * DAY, to: now },
    { name: 'year', from: now - 365 * DAY, to: now },
  ].map((range) => ({ ...range, times: [] as number[] }));
  for (let round = 0; round < WARM_UP_RUNS + RUNS; round++) {
    for (const range of cases) {
      const started = performance.now();
      JSON.stringify(
        await readTelemetry(handle.db, fleet.ownerId, vehicleId, {
          metrics: METRICS,
          from: range.from,
          to: range.to,
          width: WIDTH,
        }),
      );
      if (round >= WARM_UP_RUNS) range.times.push(performance.now() - started);
    }
  }
  return {
    text: cases.map((range) => `${range.name} ${p95(range.times).toFixed(1)}`).join(', '),
    worstMs: Math.max(...cases.map((range) => p95(range.times))),
  };
}

async function postgresRows(url: string): Promise<BenchRow[]> {
  const handle = openPostgres(url);
  try {
    const fleet = await writeFleet(handle, POSTGRES_CARS);
    await sql`vacuum analyze`.execute(handle.db);
    const sizes = await postgresSizes(handle);
    const samples = sizes.find((size) => size.name === 'samples') as TableSize;
    log(`PostgreSQL: ${describeSizes(sizes)}`);
    const latency = await readLatency(handle, fleet);
    log(`PostgreSQL reads: ${latency.text}`);

    const pruneStarted = performance.now();
    const report = await pruneRawSamples(handle.db, {
      olderThanMs: fleet.lastDrive.endedAt - KEEP_RAW_DAYS * DAY,
    });
    const pruneSeconds = (performance.now() - pruneStarted) / 1000;
    const after = await postgresSizes(handle);
    const kept = after.find((size) => size.name === 'samples') as TableSize;
    const rollups = after.find((size) => size.name === 'sample_rollups') as TableSize;
    const label = `PostgreSQL, ${POSTGRES_CARS} cars × a year of 1 Hz driving`;
    return [
      {
        benchmark: `Storage at scale, ${label}: rows and bytes (indexes included)`,
        figure:
          `${describeSizes(sizes)}; written through Kinetic's path at ` +
          `${formatInteger(fleet.samples / fleet.seconds)} samples/s (${fleet.seconds.toFixed(0)} s, rollups included)`,
        target: '— (docs/deploy.md capacity model)',
        status: 'report',
      },
      {
        benchmark: `Telemetry read p95 at scale, ${label} (${formatInteger(samples.rows)} samples), one car, ${WIDTH} px, ${RUNS} runs`,
        figure: `${latency.text} ms`,
        target: `≤ ${READ_P95_TARGET_MS} ms (as the one-car telemetry bench)`,
        status: latency.worstMs <= READ_P95_TARGET_MS ? 'meets' : 'misses',
      },
      {
        benchmark: `Retention at scale, ${label}: keep ${KEEP_RAW_DAYS} days of raw samples`,
        figure:
          `${pruneSeconds.toFixed(1)} s: ${report.droppedPartitions.length} monthly partitions dropped, ` +
          `${formatInteger(report.deletedSamples)} more samples deleted; ${formatInteger(kept.rows)} samples left ` +
          `(${(kept.bytes / 2 ** 20).toFixed(0)} MiB), rollups kept (${formatInteger(rollups.rows)} rows)`,
        target: '— (report)',
        status: 'report',
      },
    ];
  } finally {
    await handle.close();
  }
}

async function sqliteRows(tmpDir: string, adminUrl: string): Promise<BenchRow[]> {
  const file = path.join(tmpDir, 'scale.db');
  const handle = openSqlite(file);
  try {
    const fleet = await writeFleet(handle, SQLITE_CARS);
    const sizes = sqliteSizes(handle);
    log(`SQLite: ${describeSizes(sizes)}`);
    const latency = await readLatency(handle, fleet);
    const { url: targetUrl } = await createScratchDatabase(adminUrl, 'kinetic_scale_copy');
    const target = openPostgres(targetUrl, { max: 2 });
    try {
      await migrateToLatest(target.db);
      const started = performance.now();
      const report = await copyToPostgres(handle.db, target.db, targetUrl);
      const seconds = (performance.now() - started) / 1000;
      if (!report.ok) throw new Error(`the copy differs: ${report.mismatches.join('; ')}`);
      const rows = report.tables.reduce((sum, table) => sum + table.rows, 0);
      const label = `SQLite, ${SQLITE_CARS} cars × a year of 1 Hz driving`;
      return [
        {
          benchmark: `Storage at scale, ${label}: rows and bytes (indexes included)`,
          figure:
            `${describeSizes(sizes)}; file ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB; written at ` +
            `${formatInteger(fleet.samples / fleet.seconds)} samples/s (${fleet.seconds.toFixed(0)} s, rollups included); ` +
            `reads p95 ${latency.text} ms`,
          target: '— (docs/deploy.md capacity model)',
          status: 'report',
        },
        {
          benchmark: `kinetic db copy of that SQLite installation into PostgreSQL (counts and checksums compared)`,
          figure: `${seconds.toFixed(0)} s for ${formatInteger(rows)} rows (${formatInteger(rows / seconds)} rows/s), all tables match`,
          target: '— (report)',
          status: 'report',
        },
      ];
    } finally {
      await target.close();
    }
  } finally {
    await handle.close();
  }
}

async function run({ tmpDir }: { tmpDir: string }): Promise<BenchRow[]> {
  const cluster = await startTestPostgres();
  try {
    const rows = await postgresRows(cluster.url);
    return [...rows, ...(await sqliteRows(tmpDir, cluster.url))];
  } finally {
    await cluster.stop();
  }
}

export const scale: Benchmark = { name: 'storage-scale', standalone: true, run };
