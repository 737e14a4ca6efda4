import 'server-only';
import { createHash } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import { CompiledQuery, type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type {
  Alert,
  ChargingSession,
  EcoEvaluation,
  Maintenance,
  Sample,
  Trip,
  VehicleData,
} from '../../telemetry/model';
import type { QuarantinedRecord } from '../../telemetry/validate';
import { isPostgres, sqliteDatabaseOf } from '../client';
import { isPostgresError } from '../errors';
import type { Database, SamplesTable } from '../schema';

// The write path of vehicle data: one car's validated batch stored in one transaction — all of it
// or none — by natural keys, so a batch delivered twice, in pieces or shuffled, leaves the same
// rows as delivering it once:
// - samples: (vehicle, instant, provider). A repeat merges: a measurement the new copy has replaces
//   the stored one, one it lacks keeps the stored value (a status and a telemetry message of the
//   same instant complete each other). The provider measured one value per instant, so copies agree.
// - trips, alerts, charging sessions, eco evaluations: the provider's id (or start, or scope) plus
//   `observed_until`, how recent the facts of a version are (the trip's end, or how far it had got);
//   an older version arriving late never overwrites a newer one.
// - maintenance reports: (vehicle, provider, instant), written once.
// Callers validate first (lib/telemetry/validate.ts); the quarantined records are kept beside, once
// each, with their reasons.

const CHUNK_ROWS = 500;

type SampleColumn = Exclude<keyof SamplesTable, 'vehicle_id' | 'at' | 'provider'>;

const SAMPLE_COLUMNS: Record<SampleColumn, (sample: Sample) => number | string | null> = {
  source_ref: (s) => s.source.ref,
  speed_kmh: (s) => s.speedKmh ?? null,
  engine_rpm: (s) => s.engineRpm ?? null,
  fuel_consumption_l100km: (s) => s.fuelConsumptionLPer100km ?? null,
  energy_consumption_kwh100km: (s) => s.energyConsumptionKwhPer100km ?? null,
  fuel_rate_lph: (s) => s.fuelRateLph ?? null,
  acceleration_ms2: (s) => s.accelerationMs2 ?? null,
  latitude: (s) => s.latitude ?? null,
  longitude: (s) => s.longitude ?? null,
  altitude_m: (s) => s.altitudeM ?? null,
  heading_deg: (s) => s.headingDeg ?? null,
  odometer_km: (s) => s.odometerKm ?? null,
  fuel_level_pct: (s) => s.fuelLevelPct ?? null,
  battery_level_pct: (s) => s.batteryLevelPct ?? null,
  gear: (s) => s.gear ?? null,
  ignition: (s) => (s.ignition === undefined ? null : s.ignition ? 1 : 0),
  charging: (s) => s.charging ?? null,
  throttle_pct: (s) => s.throttlePct ?? null,
  coolant_c: (s) => s.coolantC ?? null,
  outside_temp_c: (s) => s.outsideTempC ?? null,
};
const MEASURED = (Object.keys(SAMPLE_COLUMNS) as SampleColumn[]).filter((column) => column !== 'source_ref');

/**
 * PostgreSQL `real` (float4) refuses magnitudes below ~1e-38 rather than rounding them; no sensor
 * measures anything that small, so they are stored as the 0 they stand for.
 */
const storable = (value: number | string | null) =>
  typeof value === 'number' && Math.abs(value) < 1e-30 ? 0 : value;

export function sampleRow(vehicleId: string, sample: Sample): SamplesTable {
  const row = { vehicle_id: vehicleId, at: sample.at, provider: sample.source.provider } as SamplesTable;
  for (const [column, read] of Object.entries(SAMPLE_COLUMNS)) {
    (row as Record<string, unknown>)[column] = read(sample);
  }
  return row;
}

/** The sample a stored row holds (the inverse of sampleRow): absent measurements stay absent. */
export function sampleOfRow(row: SamplesTable): Sample {
  const sample: Record<string, unknown> = {
    at: row.at,
    source: { provider: row.provider, ref: row.source_ref },
  };
  const fields: Record<SampleColumn, string> = {
    source_ref: '',
    speed_kmh: 'speedKmh',
    engine_rpm: 'engineRpm',
    fuel_consumption_l100km: 'fuelConsumptionLPer100km',
    energy_consumption_kwh100km: 'energyConsumptionKwhPer100km',
    fuel_rate_lph: 'fuelRateLph',
    acceleration_ms2: 'accelerationMs2',
    latitude: 'latitude',
    longitude: 'longitude',
    altitude_m: 'altitudeM',
    heading_deg: 'headingDeg',
    odometer_km: 'odometerKm',
    fuel_level_pct: 'fuelLevelPct',
    battery_level_pct: 'batteryLevelPct',
    gear: 'gear',
    ignition: 'ignition',
    charging: 'charging',
    throttle_pct: 'throttlePct',
    coolant_c: 'coolantC',
    outside_temp_c: 'outsideTempC',
  };
  for (const column of MEASURED) {
    const value = row[column];
    if (value === null) continue;
    sample[fields[column]] = column === 'ignition' ? value === 1 : value;
  }
  return sample as Sample;
}

const tripObservedUntil = (trip: Trip) =>
  trip.endedAt ??
  (trip.durationS === undefined ? trip.startedAt : trip.startedAt + Math.round(trip.durationS * 1000));

/**
 * A trip's public id: stable for the same car, provider and provider trip id, so that re-importing
 * a file or re-syncing a trip names the same trip (URLs and CLI output keep working).
 */
export const tripIdOf = (vehicleId: string, provider: string, providerTripId: string) =>
  createHash('sha256')
    .update(`${vehicleId}\u0000${provider}\u0000${providerTripId}`)
    .digest('base64url')
    .slice(0, 22);

function tripRow(vehicleId: string, trip: Trip) {
  return {
    id: tripIdOf(vehicleId, trip.source.provider, trip.providerTripId),
    vehicle_id: vehicleId,
    provider: trip.source.provider,
    provider_trip_id: trip.providerTripId,
    source_ref: trip.source.ref,
    started_at: trip.startedAt,
    ended_at: trip.endedAt ?? null,
    observed_until: tripObservedUntil(trip),
    distance_km: trip.distanceKm ?? null,
    duration_s: trip.durationS ?? null,
    start_odometer_km: trip.startOdometerKm ?? null,
    end_odometer_km: trip.endOdometerKm ?? null,
    avg_speed_kmh: trip.avgSpeedKmh ?? null,
    max_speed_kmh: trip.maxSpeedKmh ?? null,
    fuel_used_l: trip.fuelUsedL ?? null,
    energy_used_kwh: trip.energyUsedKwh ?? null,
    start_latitude: trip.startPosition?.latitude ?? null,
    start_longitude: trip.startPosition?.longitude ?? null,
    end_latitude: trip.endPosition?.latitude ?? null,
    end_longitude: trip.endPosition?.longitude ?? null,
  };
}

function alertRow(vehicleId: string, alert: Alert) {
  return {
    vehicle_id: vehicleId,
    provider: alert.source.provider,
    provider_alert_id: alert.providerAlertId,
    source_ref: alert.source.ref,
    type: alert.type,
    severity: alert.severity,
    active: alert.active ? 1 : 0,
    started_at: alert.startedAt,
    ended_at: alert.endedAt ?? null,
    // An alert that ended is newer news than the same alert still on.
    observed_until: alert.endedAt ?? alert.startedAt,
    latitude: alert.position?.latitude ?? null,
    longitude: alert.position?.longitude ?? null,
  };
}

const maintenanceRow = (vehicleId: string, report: Maintenance) => ({
  vehicle_id: vehicleId,
  provider: report.source.provider,
  at: report.at,
  source_ref: report.source.ref,
  days_before_service: report.daysBeforeService ?? null,
  km_before_service: report.kmBeforeService ?? null,
});

const chargingRow = (vehicleId: string, session: ChargingSession) => ({
  vehicle_id: vehicleId,
  provider: session.source.provider,
  started_at: session.startedAt,
  source_ref: session.source.ref,
  ended_at: session.endedAt ?? null,
  observed_until: session.endedAt ?? session.startedAt,
  energy_added_kwh: session.energyAddedKwh ?? null,
  avg_power_kw: session.avgPowerKw ?? null,
  start_level_pct: session.startLevelPct ?? null,
  end_level_pct: session.endLevelPct ?? null,
});

export function ecoScopeKey(scope: EcoEvaluation['scope']): string {
  switch (scope.kind) {
    case 'trip':
      return `trip:${scope.providerTripId}`;
    case 'day':
      return `day:${scope.day}`;
    case 'month':
      return `month:${scope.month}`;
    case 'all':
      return 'all';
  }
}

const ecoRow = (vehicleId: string, evaluation: EcoEvaluation) => ({
  vehicle_id: vehicleId,
  provider: evaluation.source.provider,
  scope: ecoScopeKey(evaluation.scope),
  source_ref: evaluation.source.ref,
  at: evaluation.at,
  mark: evaluation.mark ?? null,
  scale_max: evaluation.scaleMax,
  // Sorted keys: the same criteria always give the same text.
  criteria: JSON.stringify(
    Object.fromEntries(Object.entries(evaluation.criteria).sort(([a], [b]) => a.localeCompare(b))),
  ),
});

/**
 * One row per key within a batch: PostgreSQL refuses an upsert that touches the same row twice in
 * one statement. `merge(stored, incoming)` applies the same rule the database applies between
 * batches, so pre-merging changes nothing in the result.
 */
function mergeByKey<T>(
  rows: readonly T[],
  key: (row: T) => string,
  merge: (stored: T, incoming: T) => T,
): T[] {
  return uniqueByKey(rows, key, merge).map(storableRow);
}

/** mergeByKey without the storable copy, for samples: sampleValues makes them storable. */
function uniqueByKey<T>(
  rows: readonly T[],
  key: (row: T) => string,
  merge: (stored: T, incoming: T) => T,
): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const id = key(row);
    const stored = byKey.get(id);
    byKey.set(id, stored === undefined ? row : merge(stored, row));
  }
  return [...byKey.values()];
}

function storableRow<T>(row: T): T {
  const out = { ...row } as Record<string, unknown>;
  for (const [column, value] of Object.entries(out)) {
    if (typeof value === 'number') out[column] = storable(value);
  }
  return out as T;
}

/** Samples: the incoming copy's measurements win, the stored ones fill what it lacks. */
function mergeSamples(stored: SampleValues, next: SampleValues): SampleValues {
  const merged = next.slice();
  for (let i = FIRST_MEASURED; i < merged.length; i++) {
    if (merged[i] === null) merged[i] = stored[i] as SampleValue;
  }
  return merged;
}

/** Versions: the one observed later wins; of two observed as far, the later delivery. */
const newerVersion = <T extends { observed_until: number }>(stored: T, next: T) =>
  next.observed_until >= stored.observed_until ? next : stored;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) out.push(rows.slice(i, i + CHUNK_ROWS));
  return out;
}

/** Every column but the key, set from the incoming row (`excluded`). */
function fromExcluded<T extends string>(columns: readonly T[]) {
  return (eb: ExpressionBuilder<never, never>) =>
    Object.fromEntries(columns.map((column) => [column, eb.ref(`excluded.${column}` as never)])) as Record<
      T,
      never
    >;
}

/**
 * The bulk path of samples, the one table that grows by the million: SQL text built once and rows
 * as plain arrays, rather than Kysely's builder and an object per row, which took two thirds of
 * the ingest time (scripts/bench/ingest.ts). Same rows, same merge rule as before: the incoming
 * copy's measurements win, the stored ones fill what it lacks (`coalesce`).
 */
const SAMPLE_INSERT_COLUMNS = [
  'vehicle_id',
  'at',
  'provider',
  ...Object.keys(SAMPLE_COLUMNS),
] as (keyof SamplesTable)[];

type SampleValue = number | string | null;
/** One sample as the bulk statements bind it, in SAMPLE_INSERT_COLUMNS' order: no object per row. */
type SampleValues = SampleValue[];
/** The key and source_ref come first; the measurements follow. */
const FIRST_MEASURED = SAMPLE_INSERT_COLUMNS.indexOf('source_ref') + 1;
const SAMPLE_READ = Object.values(SAMPLE_COLUMNS);

/** The values sampleRow holds, already storable (a tiny number is 0, as for the other tables). */
function sampleValues(vehicleId: string, sample: Sample): SampleValues {
  const values: SampleValues = [vehicleId, sample.at, sample.source.provider];
  for (const read of SAMPLE_READ) values.push(storable(read(sample)));
  return values;
}

const SAMPLE_UPSERT = `on conflict (vehicle_id, at, provider) do update set source_ref = excluded.source_ref, ${MEASURED.map(
  (column) => `${column} = coalesce(excluded.${column}, samples.${column})`,
).join(', ')}`;

/** The column types of migrations/0002-vehicle-data.ts, for PostgreSQL's typed arrays. */
const SAMPLE_PG_TYPES: Record<keyof SamplesTable, string> = {
  vehicle_id: 'text',
  at: 'bigint',
  provider: 'text',
  source_ref: 'text',
  speed_kmh: 'real',
  engine_rpm: 'real',
  fuel_consumption_l100km: 'real',
  energy_consumption_kwh100km: 'real',
  fuel_rate_lph: 'real',
  acceleration_ms2: 'real',
  latitude: 'double precision',
  longitude: 'double precision',
  altitude_m: 'real',
  heading_deg: 'real',
  odometer_km: 'double precision',
  fuel_level_pct: 'real',
  battery_level_pct: 'real',
  gear: 'integer',
  ignition: 'integer',
  charging: 'text',
  throttle_pct: 'real',
  coolant_c: 'real',
  outside_temp_c: 'real',
};

/**
 * PostgreSQL: one statement per chunk whatever its size, the rows passed as one typed array per
 * column and turned back into rows by `unnest` (23 parameters, far from the 65,535 limit).
 */
const PG_SAMPLE_UPSERT = `insert into samples (${SAMPLE_INSERT_COLUMNS.join(', ')}) select * from unnest(${SAMPLE_INSERT_COLUMNS.map(
  (column, index) => `$${index + 1}::${SAMPLE_PG_TYPES[column]}[]`,
).join(', ')}) ${SAMPLE_UPSERT}`;
const PG_SAMPLE_CHUNK_ROWS = 10_000;

/** SQLite: multi-row VALUES, within its 32,766 parameters (500 rows × 23 columns). */
const sqliteSampleStatements = new Map<number, string>();
function sqliteSampleUpsert(rows: number): string {
  let text = sqliteSampleStatements.get(rows);
  if (text === undefined) {
    const tuple = `(${SAMPLE_INSERT_COLUMNS.map(() => '?').join(', ')})`;
    text = `insert into samples (${SAMPLE_INSERT_COLUMNS.join(', ')}) values ${Array(rows).fill(tuple).join(', ')} ${SAMPLE_UPSERT}`;
    sqliteSampleStatements.set(rows, text);
  }
  return text;
}

/**
 * SQLite with its handle at hand: statements prepared once per database and run again and again.
 * Kysely's driver prepares every query anew, and preparing a 500-row upsert cost more than running
 * it (scripts/bench/ingest.ts). 100 rows a run: a whole batch of the sync worker or the import
 * takes few runs, and the remainder goes row by row through the single-row statement.
 */
const SQLITE_PREPARED_ROWS = 100;
type SqliteSampleStatements = { many: SQLite.Statement; one: SQLite.Statement };
const preparedSampleUpserts = new WeakMap<SQLite.Database, SqliteSampleStatements>();

function preparedSampleUpsert(database: SQLite.Database): SqliteSampleStatements {
  let statements = preparedSampleUpserts.get(database);
  if (statements === undefined) {
    statements = {
      many: database.prepare(sqliteSampleUpsert(SQLITE_PREPARED_ROWS)),
      one: database.prepare(sqliteSampleUpsert(1)),
    };
    preparedSampleUpserts.set(database, statements);
  }
  return statements;
}

/**
 * The handle, when the prepared statements would run inside `trx`'s transaction: Kysely's SQLite
 * driver has one connection and a transaction holds it until it ends, so a statement run on the
 * handle meanwhile belongs to that transaction (and is rolled back with it). Outside a transaction
 * another caller's transaction may be holding the connection (between two of its awaits) and the
 * statements would land in it, so the Kysely path, which waits for the connection, is kept.
 */
function sqliteHandleInTransaction(trx: Kysely<Database>): SQLite.Database | undefined {
  if (!trx.isTransaction) return undefined;
  const database = sqliteDatabaseOf(trx);
  return database?.inTransaction ? database : undefined;
}

function runPreparedSampleUpserts(database: SQLite.Database, rows: readonly SampleValues[]): void {
  const { many, one } = preparedSampleUpsert(database);
  const whole = rows.length - (rows.length % SQLITE_PREPARED_ROWS);
  const values: SampleValue[] = [];
  for (let start = 0; start < whole; start += SQLITE_PREPARED_ROWS) {
    values.length = 0;
    for (let i = start; i < start + SQLITE_PREPARED_ROWS; i++) {
      for (const value of rows[i] as SampleValues) values.push(value);
    }
    many.run(values);
  }
  for (let i = whole; i < rows.length; i++) one.run(rows[i] as SampleValues);
}

/**
 * `{1.5,NULL,…}`: the text pg would send for a numeric array, written in one join instead of pg's
 * element-by-element quoting (about a quarter of the PostgreSQL insert time). Numbers print as JavaScript
 * prints them, as pg does, so the server parses the very same digits.
 */
const numericArrayLiteral = (values: readonly (number | null)[]) =>
  `{${values.map((value) => (value === null ? 'NULL' : String(value))).join(',')}}`;

/** Stores samples already merged to one row per key (PostgreSQL refuses to touch a row twice). */
async function upsertSamples(trx: Kysely<Database>, rows: readonly SampleValues[]): Promise<void> {
  if (isPostgres(trx)) {
    for (let i = 0; i < rows.length; i += PG_SAMPLE_CHUNK_ROWS) {
      const chunk = rows.slice(i, i + PG_SAMPLE_CHUNK_ROWS);
      const columns = SAMPLE_INSERT_COLUMNS.map((column, index) =>
        SAMPLE_PG_TYPES[column] === 'text'
          ? chunk.map((row) => row[index])
          : numericArrayLiteral(chunk.map((row) => row[index] as number | null)),
      );
      await trx.executeQuery(CompiledQuery.raw(PG_SAMPLE_UPSERT, columns));
    }
    return;
  }
  const database = sqliteHandleInTransaction(trx);
  if (database !== undefined) {
    runPreparedSampleUpserts(database, rows);
    return;
  }
  for (const chunk of chunks(rows)) {
    const values: SampleValue[] = [];
    for (const row of chunk) for (const value of row) values.push(value);
    await trx.executeQuery(CompiledQuery.raw(sqliteSampleUpsert(chunk.length), values));
  }
}

const DUPLICATE_TABLE = '42P07';
const UNIQUE_VIOLATION = '23505';

/** `samples_YYYYMM`: the month (UTC) holding an instant. */
function monthOf(ms: number): { name: string; fromMs: number; toMs: number } {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return {
    name: `samples_${year}${String(month + 1).padStart(2, '0')}`,
    fromMs: Date.UTC(year, month, 1),
    toMs: Date.UTC(year, month + 1, 1),
  };
}

/**
 * PostgreSQL: the monthly partitions these instants fall in, created when missing — inside the
 * caller's transaction, so a batch never waits on a second connection that waits on it. Two
 * writers may race to create the same month: the loser's error is undone by a savepoint instead
 * of aborting its batch, and the partition exists either way. (Creating one locks `samples` until
 * the batch commits; it happens once a month per month of data.)
 */
export async function ensureSamplePartitions(
  db: Kysely<Database>,
  instants: Iterable<number>,
): Promise<void> {
  if (!isPostgres(db)) return;
  const months = new Map<string, { fromMs: number; toMs: number }>();
  for (const at of instants) {
    const month = monthOf(at);
    months.set(month.name, month);
  }
  if (months.size === 0) return;
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = 'samples'`.execute(db);
  const existing = new Set(rows.map((row) => row.name));
  for (const [name, { fromMs, toMs }] of months) {
    if (existing.has(name)) continue;
    await sql`savepoint kinetic_partition`.execute(db);
    try {
      await sql
        .raw(
          `create table if not exists ${name} partition of samples for values from (${fromMs}) to (${toMs})`,
        )
        .execute(db);
      await sql`release savepoint kinetic_partition`.execute(db);
    } catch (error) {
      await sql`rollback to savepoint kinetic_partition`.execute(db);
      if (!isPostgresError(error, DUPLICATE_TABLE) && !isPostgresError(error, UNIQUE_VIOLATION)) throw error;
    }
  }
}

/** The quarantine row id: the same rejected record of the same car is kept once. */
const quarantineId = (vehicleId: string, entry: QuarantinedRecord) =>
  createHash('sha256')
    .update(`${vehicleId}\u0000${entry.kind}\u0000${JSON.stringify(entry.record)}`)
    .digest('hex');

export type StoredCounts = { [K in keyof VehicleData]: number } & { quarantined: number };

/**
 * Stores one car's validated batch in one transaction. `vehicleId` must be a vehicle the caller
 * has already resolved for its owner (the sync worker and the import do).
 */
export async function storeVehicleData(
  db: Kysely<Database>,
  vehicleId: string,
  data: VehicleData,
  quarantined: readonly QuarantinedRecord[] = [],
  receivedAt = Date.now(),
): Promise<StoredCounts> {
  return db.transaction().execute((trx) => writeVehicleData(trx, vehicleId, data, quarantined, receivedAt));
}

/**
 * The same inside the caller's transaction (`trx`), for writers that commit several batches at
 * once (the file import commits a whole file or nothing).
 */
export async function writeVehicleData(
  trx: Kysely<Database>,
  vehicleId: string,
  data: VehicleData,
  quarantined: readonly QuarantinedRecord[] = [],
  receivedAt = Date.now(),
): Promise<StoredCounts> {
  await ensureSamplePartitions(
    trx,
    data.samples.map((sample) => sample.at),
  );
  const samples = uniqueByKey(
    data.samples.map((sample) => sampleValues(vehicleId, sample)),
    (values) => `${values[1]}|${values[2]}`,
    mergeSamples,
  );
  await upsertSamples(trx, samples);
  const trips = mergeByKey(
    data.trips.map((trip) => tripRow(vehicleId, trip)),
    (row) => `${row.provider}|${row.provider_trip_id}`,
    newerVersion,
  );
  for (const rows of chunks(trips)) {
    await trx
      .insertInto('trips')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['vehicle_id', 'provider', 'provider_trip_id'])
          .doUpdateSet(fromExcluded(TRIP_UPDATES) as never)
          .where('trips.observed_until', '<=', (eb) => eb.ref('excluded.observed_until')),
      )
      .execute();
  }
  const alerts = mergeByKey(
    data.alerts.map((alert) => alertRow(vehicleId, alert)),
    (row) => `${row.provider}|${row.provider_alert_id}`,
    newerVersion,
  );
  for (const rows of chunks(alerts)) {
    await trx
      .insertInto('alerts')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['vehicle_id', 'provider', 'provider_alert_id'])
          .doUpdateSet(fromExcluded(ALERT_UPDATES) as never)
          .where('alerts.observed_until', '<=', (eb) => eb.ref('excluded.observed_until')),
      )
      .execute();
  }
  const reports = mergeByKey(
    data.maintenance.map((report) => maintenanceRow(vehicleId, report)),
    (row) => `${row.provider}|${row.at}`,
    (stored) => stored,
  );
  for (const rows of chunks(reports)) {
    await trx
      .insertInto('maintenance_reports')
      .values(rows)
      .onConflict((oc) => oc.columns(['vehicle_id', 'provider', 'at']).doNothing())
      .execute();
  }
  const sessions = mergeByKey(
    data.chargingSessions.map((session) => chargingRow(vehicleId, session)),
    (row) => `${row.provider}|${row.started_at}`,
    newerVersion,
  );
  for (const rows of chunks(sessions)) {
    await trx
      .insertInto('charging_sessions')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['vehicle_id', 'provider', 'started_at'])
          .doUpdateSet(fromExcluded(CHARGING_UPDATES) as never)
          .where('charging_sessions.observed_until', '<=', (eb) => eb.ref('excluded.observed_until')),
      )
      .execute();
  }
  const evaluations = mergeByKey(
    data.ecoEvaluations.map((evaluation) => ecoRow(vehicleId, evaluation)),
    (row) => `${row.provider}|${row.scope}`,
    (stored, next) => (next.at >= stored.at ? next : stored),
  );
  for (const rows of chunks(evaluations)) {
    await trx
      .insertInto('eco_evaluations')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['vehicle_id', 'provider', 'scope'])
          .doUpdateSet(fromExcluded(ECO_UPDATES) as never)
          .where('eco_evaluations.at', '<=', (eb) => eb.ref('excluded.at')),
      )
      .execute();
  }
  const rejected = quarantined.map((entry) => ({
    id: quarantineId(vehicleId, entry),
    vehicle_id: vehicleId,
    kind: entry.kind,
    reason: entry.reason,
    record: JSON.stringify(entry.record) ?? 'null',
    received_at: receivedAt,
  }));
  for (const rows of chunks(
    mergeByKey(
      rejected,
      (row) => row.id,
      (stored) => stored,
    ),
  )) {
    await trx
      .insertInto('quarantine')
      .values(rows)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  return {
    samples: data.samples.length,
    trips: data.trips.length,
    chargingSessions: data.chargingSessions.length,
    alerts: data.alerts.length,
    maintenance: data.maintenance.length,
    ecoEvaluations: data.ecoEvaluations.length,
    quarantined: quarantined.length,
  };
}

const TRIP_UPDATES = [
  'source_ref',
  'started_at',
  'ended_at',
  'observed_until',
  'distance_km',
  'duration_s',
  'start_odometer_km',
  'end_odometer_km',
  'avg_speed_kmh',
  'max_speed_kmh',
  'fuel_used_l',
  'energy_used_kwh',
  'start_latitude',
  'start_longitude',
  'end_latitude',
  'end_longitude',
] as const;
const ALERT_UPDATES = [
  'source_ref',
  'type',
  'severity',
  'active',
  'started_at',
  'ended_at',
  'observed_until',
  'latitude',
  'longitude',
] as const;
const CHARGING_UPDATES = [
  'source_ref',
  'ended_at',
  'observed_until',
  'energy_added_kwh',
  'avg_power_kw',
  'start_level_pct',
  'end_level_pct',
] as const;
const ECO_UPDATES = ['source_ref', 'at', 'mark', 'scale_max', 'criteria'] as const;
