import 'server-only';
import { createHash } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import {
  bucketStart,
  RESOLUTIONS,
  type Resolution,
  type Rollup,
  type RollupBucket,
  type RollupField,
} from '../../telemetry/derive/rollups';
import { isPostgres, sqliteDatabaseOf } from '../client';
import { isPostgresError } from '../errors';
import type { Database, SamplesTable } from '../schema';
import type { RollupMetricPrefix, SampleRollupsTable } from '../schema-rollups';

// Stored rollups (migration 0005): per vehicle, per minute, hour and day, per metric, the count,
// sum, min, max, and first and last reading of lib/telemetry/derive/rollups.ts — what a chart over
// any range needs (the dashboard's M4 keeps min, max, first and last per pixel column) without
// reading raw samples, which retention may have dropped (retention.ts). The rules:
//
//  1. Recomputed, never added to. refreshRollups rebuilds every minute bucket a range of instants
//     touches from the samples stored there, then the hours from those minutes, then the days from
//     those hours, in the caller's transaction. A batch stored twice, shuffled or in pieces leaves
//     the same samples (vehicle-data.ts), so it leaves the same rollups: nothing is counted twice.
//  2. Upserted, never deleted. A bucket whose samples are gone was pruned by retention on purpose
//     and keeps its rollup (samples are never deleted otherwise; a vehicle's rollups go with it).
//     So retention must never cut through a minute (retention.ts cuts on whole UTC days).
//  3. One statement per level, set-based (refreshStatement): no row leaves the database. Ties at
//     one instant (two providers) take the smaller value as first and the larger as last, as
//     rollups.ts does.
//  4. All providers of the vehicle count: the chart shows the car, not a provider. (A car linked
//     through two providers that both report the same instant counts both readings.)
//  5. Sums are double precision on PostgreSQL even where the sample column is `real`; minima,
//     maxima, first and last keep the sample column's own type, so they read back as stored.

type Metric = {
  field: RollupField;
  prefix: RollupMetricPrefix;
  column: keyof SamplesTable;
};

/** The rolled-up metrics: what the dashboard charts (issue 6), plus the odometer for distances. */
export const ROLLUP_METRICS: readonly Metric[] = [
  { field: 'speedKmh', prefix: 'speed', column: 'speed_kmh' },
  { field: 'engineRpm', prefix: 'rpm', column: 'engine_rpm' },
  { field: 'fuelConsumptionLPer100km', prefix: 'fuel_consumption', column: 'fuel_consumption_l100km' },
  {
    field: 'energyConsumptionKwhPer100km',
    prefix: 'energy_consumption',
    column: 'energy_consumption_kwh100km',
  },
  { field: 'fuelLevelPct', prefix: 'fuel_level', column: 'fuel_level_pct' },
  { field: 'batteryLevelPct', prefix: 'battery_level', column: 'battery_level_pct' },
  { field: 'altitudeM', prefix: 'altitude', column: 'altitude_m' },
  { field: 'odometerKm', prefix: 'odometer', column: 'odometer_km' },
];

export const ROLLUP_FIELDS_STORED: readonly RollupField[] = ROLLUP_METRICS.map((metric) => metric.field);

const SUFFIXES = ['n', 'sum', 'min', 'max', 'first', 'first_at', 'last', 'last_at'] as const;
const METRIC_COLUMNS = ROLLUP_METRICS.flatMap(({ prefix }) =>
  SUFFIXES.map((suffix) => `${prefix}_${suffix}`),
);
const ROLLUP_COLUMNS = ['vehicle_id', 'resolution', 'bucket_start', 'samples_n', ...METRIC_COLUMNS];

/** Where a level's buckets come from: the samples for minutes, the next finer level otherwise. */
const FINER: Record<Resolution, Resolution | null> = { minute: null, hour: 'minute', day: 'hour' };

/**
 * `insert … select … on conflict do update`: the buckets of `resolution` for one vehicle's source
 * rows in [$2, $3), recomputed from scratch. Parameters: vehicle id, from, to (epoch ms).
 *
 * One grouped pass gives each metric's count, sum, min and max and the instants of its first and
 * last reading; the first and last values are then looked up by primary key at those instants —
 * in the samples (smallest or largest of the readings at that instant), or in the one finer bucket
 * that holds that instant (whose first or last it is). A window function over every row did the
 * same at three times the cost on SQLite.
 */
function refreshStatement(resolution: Resolution): string {
  const finer = FINER[resolution];
  const width = RESOLUTIONS[resolution];
  const columns: string[] = [];
  const outer: string[] = [];
  for (const { prefix: p, column } of ROLLUP_METRICS) {
    if (finer === null) {
      columns.push(
        `count(${column}) as ${p}_n`,
        `sum(cast(${column} as double precision)) as ${p}_sum`,
        `min(${column}) as ${p}_min`,
        `max(${column}) as ${p}_max`,
        `min(case when ${column} is not null then at end) as ${p}_first_at`,
        `max(case when ${column} is not null then at end) as ${p}_last_at`,
      );
    } else {
      columns.push(
        `sum(${p}_n) as ${p}_n`,
        `sum(${p}_sum) as ${p}_sum`,
        `min(${p}_min) as ${p}_min`,
        `max(${p}_max) as ${p}_max`,
        `min(${p}_first_at) as ${p}_first_at`,
        `max(${p}_last_at) as ${p}_last_at`,
      );
    }
    const lookup = (end: 'first' | 'last') => {
      const instant = `g.${p}_${end}_at`;
      if (finer === null) {
        const pick = end === 'first' ? 'min' : 'max';
        return `(select ${pick}(${column}) from samples s where s.vehicle_id = g.vehicle_id and s.at = ${instant})`;
      }
      const finerWidth = RESOLUTIONS[finer];
      return `(select f.${p}_${end} from sample_rollups f where f.vehicle_id = g.vehicle_id and f.resolution = '${finer}' and f.bucket_start = (${instant} / ${finerWidth}) * ${finerWidth})`;
    };
    outer.push(
      `g.${p}_n`,
      `g.${p}_sum`,
      `g.${p}_min`,
      `g.${p}_max`,
      lookup('first'),
      `g.${p}_first_at`,
      lookup('last'),
      `g.${p}_last_at`,
    );
  }
  const time = finer === null ? 'at' : 'bucket_start';
  const bucket = `(${time} / ${width}) * ${width}`;
  const source =
    finer === null
      ? 'samples where vehicle_id = $1 and at >= $2 and at < $3'
      : `sample_rollups where vehicle_id = $1 and resolution = '${finer}' and bucket_start >= $2 and bucket_start < $3`;
  const updates = ROLLUP_COLUMNS.slice(3).map((column) => `${column} = excluded.${column}`);
  // `where true`: SQLite needs it to tell the upsert's `on conflict` from a join's `on`.
  return `insert into sample_rollups (${ROLLUP_COLUMNS.join(', ')})
    select g.vehicle_id, '${resolution}', g.bucket, g.samples_n, ${outer.join(', ')}
    from (select vehicle_id, ${bucket} as bucket, ${finer === null ? 'count(*)' : 'sum(samples_n)'} as samples_n,
            ${columns.join(', ')}
          from ${source}
          group by vehicle_id, ${bucket}) g
    where true
    on conflict (vehicle_id, resolution, bucket_start) do update set ${updates.join(', ')}`;
}

const STATEMENTS = {
  minute: refreshStatement('minute'),
  hour: refreshStatement('hour'),
  day: refreshStatement('day'),
} as const;

/**
 * The statements use each of $1, $2, $3 once and in order, so SQLite takes them as plain `?`; it
 * has no `cast(… as double precision)` to make (its REAL is already a double).
 */
const forSqlite = (text: string) =>
  text.replace(/\$\d/g, '?').replace(/cast\((\w+) as double precision\)/g, '$1');
const SQLITE_STATEMENTS = {
  minute: forSqlite(STATEMENTS.minute),
  hour: forSqlite(STATEMENTS.hour),
  day: forSqlite(STATEMENTS.day),
} as const;

/**
 * SQLite inside a transaction: the statements prepared once per database, as the samples bulk path
 * does (vehicle-data.ts) — Kysely's driver prepares every query anew, and preparing these three
 * cost about a third of a refresh. Outside a transaction another caller's transaction may hold
 * the connection, so Kysely's path, which waits for it, is kept.
 */
const preparedRefreshes = new WeakMap<SQLite.Database, Record<Resolution, SQLite.Statement>>();

function preparedRefresh(trx: Kysely<Database>): Record<Resolution, SQLite.Statement> | undefined {
  if (!trx.isTransaction) return undefined;
  const database = sqliteDatabaseOf(trx);
  if (!database?.inTransaction) return undefined;
  let statements = preparedRefreshes.get(database);
  if (statements === undefined) {
    statements = {
      minute: database.prepare(SQLITE_STATEMENTS.minute),
      hour: database.prepare(SQLITE_STATEMENTS.hour),
      day: database.prepare(SQLITE_STATEMENTS.day),
    };
    preparedRefreshes.set(database, statements);
  }
  return statements;
}

/**
 * PostgreSQL: the statements PREPAREd once per connection (named by a hash of their text, so a
 * changed statement gets a new name) and the three run in one round trip. Planning them — an
 * upsert with sixteen lookups — and three round trips cost more than running them for a typical
 * 30-second batch. A connection's prepared statements outlive transactions, even rolled-back
 * ones; a connection that lacks them fails the first EXECUTE, inside a savepoint, and prepares.
 */
const PG_PREPARED = Object.fromEntries(
  (['minute', 'hour', 'day'] as const).map((resolution) => [
    resolution,
    `kinetic_rollups_${resolution}_${createHash('sha256').update(STATEMENTS[resolution]).digest('hex').slice(0, 12)}`,
  ]),
) as Record<Resolution, string>;
const UNDEFINED_PREPARED_STATEMENT = '26000';
/** The first key of the per-vehicle advisory lock (the second is the vehicle id's hash). */
const ADVISORY_LOCK_CLASS = 5_005;

/** A text literal for EXECUTE, which takes no bind parameters (standard_conforming_strings). */
const textLiteral = (text: string) => `'${text.replaceAll("'", "''")}'`;

async function refreshPostgres(
  trx: Kysely<Database>,
  vehicleId: string,
  ranges: Record<Resolution, [number, number]>,
) {
  const executes = (Object.keys(PG_PREPARED) as Resolution[]).map((resolution) => {
    const [from, to] = ranges[resolution];
    return `execute ${PG_PREPARED[resolution]}(${textLiteral(vehicleId)}, ${from}, ${to})`;
  });
  // No parameters: sent as one simple query, several statements in one round trip. The lock
  // first (see refreshRollups), outside the savepoint so that a retry keeps it.
  const lock = `select pg_advisory_xact_lock(${ADVISORY_LOCK_CLASS}, hashtext(${textLiteral(vehicleId)}))`;
  const batch = sql.raw(
    `${lock}; savepoint kinetic_rollups; ${executes.join('; ')}; release savepoint kinetic_rollups`,
  );
  try {
    await batch.execute(trx);
    return;
  } catch (error) {
    if (!isPostgresError(error, UNDEFINED_PREPARED_STATEMENT)) throw error;
    await sql.raw('rollback to savepoint kinetic_rollups').execute(trx);
  }
  const { rows } = await sql<{ name: string }>`
    select name from pg_prepared_statements where name in (${sql.join(Object.values(PG_PREPARED))})`.execute(
    trx,
  );
  const present = new Set(rows.map((row) => row.name));
  for (const [resolution, name] of Object.entries(PG_PREPARED) as [Resolution, string][]) {
    if (!present.has(name))
      await sql.raw(`prepare ${name} (text, bigint, bigint) as ${STATEMENTS[resolution]}`).execute(trx);
  }
  await batch.execute(trx);
}

/**
 * Recomputes the minute, hour and day rollups of every bucket that the instants from `fromMs` to
 * `toMs` (both inclusive: a batch's first and last sample) fall in, from the stored samples, in
 * the caller's transaction (or its own, when given the database). Idempotent (rule 1).
 *
 * Two transactions writing the same car at once (a sync and a file import) would each see only
 * their own new samples, and the later commit's rollup would lack the other's. On PostgreSQL a
 * per-vehicle advisory lock, held to the end of the transaction, makes the second refresh wait
 * for the first commit, and its statements then read both. SQLite has one writer at a time.
 */
export async function refreshRollups(
  trx: Kysely<Database>,
  vehicleId: string,
  fromMs: number,
  toMs: number,
): Promise<void> {
  if (!(Number.isFinite(fromMs) && Number.isFinite(toMs) && toMs >= fromMs)) return;
  // The three levels must agree, and PostgreSQL's prepared statements live on one connection.
  if (!trx.isTransaction) {
    await trx.transaction().execute((own) => refreshRollups(own, vehicleId, fromMs, toMs));
    return;
  }
  const ranges = Object.fromEntries(
    (['minute', 'hour', 'day'] as const).map((resolution) => [
      resolution,
      [bucketStart(fromMs, resolution), bucketStart(toMs, resolution) + RESOLUTIONS[resolution]],
    ]),
  ) as Record<Resolution, [number, number]>;
  if (isPostgres(trx)) {
    await refreshPostgres(trx, vehicleId, ranges);
    return;
  }
  const prepared = preparedRefresh(trx);
  for (const resolution of ['minute', 'hour', 'day'] as const) {
    const [from, to] = ranges[resolution];
    if (prepared !== undefined) prepared[resolution].run(vehicleId, from, to);
    else await trx.executeQuery(CompiledQuery.raw(SQLITE_STATEMENTS[resolution], [vehicleId, from, to]));
  }
}

/** Instants further apart than this are refreshed as separate ranges (refreshRollupsAt). */
export const SEPARATE_RANGES_AFTER_MS = 6 * RESOLUTIONS.hour;

/**
 * The instants of a batch as [first, last] runs, split where two are more than
 * SEPARATE_RANGES_AFTER_MS apart: a batch that brings today's drive and one reading from last
 * month makes two short ranges, not the month between.
 */
export function instantRuns(instants: Iterable<number>): [number, number][] {
  const sorted = [...instants].filter(Number.isFinite).sort((a, b) => a - b);
  const runs: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && (sorted[i] as number) - (sorted[i - 1] as number) <= SEPARATE_RANGES_AFTER_MS)
      continue;
    runs.push([sorted[start] as number, sorted[i - 1] as number]);
    start = i;
  }
  return runs;
}

/** refreshRollups over each run of a batch's instants (instantRuns). */
export async function refreshRollupsAt(
  trx: Kysely<Database>,
  vehicleId: string,
  instants: Iterable<number>,
): Promise<void> {
  for (const [from, to] of instantRuns(instants)) await refreshRollups(trx, vehicleId, from, to);
}

function bucketOfRow(row: SampleRollupsTable): RollupBucket {
  const fields: RollupBucket['fields'] = {};
  const columns = row as unknown as Record<string, number | null>;
  for (const { field, prefix } of ROLLUP_METRICS) {
    const count = Number(columns[`${prefix}_n`] ?? 0);
    if (count === 0) continue;
    const number = (suffix: string) => Number(columns[`${prefix}_${suffix}`]);
    fields[field] = {
      count,
      sum: number('sum'),
      min: number('min'),
      max: number('max'),
      first: { at: number('first_at'), value: number('first') },
      last: { at: number('last_at'), value: number('last') },
    };
  }
  return { start: Number(row.bucket_start), fields };
}

/**
 * The stored buckets of `resolution` that overlap [fromMs, toMs), oldest first, each with the
 * metrics that had readings (buckets with none of ROLLUP_METRICS are left out, as rollups.ts does).
 */
export async function readRollups(
  db: Kysely<Database>,
  vehicleId: string,
  resolution: Resolution,
  fromMs: number,
  toMs: number,
): Promise<Rollup> {
  const rows = await db
    .selectFrom('sample_rollups')
    .selectAll()
    .where('vehicle_id', '=', vehicleId)
    .where('resolution', '=', resolution)
    .where('bucket_start', '>=', bucketStart(fromMs, resolution))
    .where('bucket_start', '<', toMs)
    .orderBy('bucket_start')
    .execute();
  const buckets = rows.map(bucketOfRow).filter((bucket) => Object.keys(bucket.fields).length > 0);
  return { resolution, buckets };
}
