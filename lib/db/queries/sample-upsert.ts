import 'server-only';
import type SQLite from 'better-sqlite3';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { Sample } from '../../telemetry/model';
import { isPostgres, sqliteDatabaseOf } from '../client';
import { isPostgresError } from '../errors';
import type { Database, SamplesTable } from '../schema';
import { type CopyType, encodeCopyBinary } from './sample-copy';

// The bulk path of samples, the one table that grows by the million (lib/db/queries/vehicle-data.ts
// stores the rest of a batch). Keys are (vehicle, instant, provider); a repeat merges field by
// field: a measurement the new copy has replaces the stored one, one it lacks keeps the stored
// value (`coalesce`). SQL text is built once and rows are one flat array of values, never an
// object per row: Kysely's builder and per-row objects took two thirds of the ingest time
// (scripts/bench/ingest.ts).

type SampleColumn = Exclude<keyof SamplesTable, 'vehicle_id' | 'at' | 'provider'>;

/** The columns after the key, in the table's order, and how each is read from a sample. */
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
 * measures anything that small, so they are stored as the 0 they stand for (on both engines).
 */
export const storable = (value: number | string | null) =>
  typeof value === 'number' && Math.abs(value) < 1e-30 ? 0 : value;

export function sampleRow(vehicleId: string, sample: Sample): SamplesTable {
  const row = { vehicle_id: vehicleId, at: sample.at, provider: sample.source.provider } as SamplesTable;
  for (const [column, read] of Object.entries(SAMPLE_COLUMNS)) {
    (row as Record<string, unknown>)[column] = read(sample);
  }
  return row;
}

const SAMPLE_FIELDS: Record<Exclude<SampleColumn, 'source_ref'>, string> = {
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

/** The sample a stored row holds (the inverse of sampleRow): absent measurements stay absent. */
export function sampleOfRow(row: SamplesTable): Sample {
  const sample: Record<string, unknown> = {
    at: row.at,
    source: { provider: row.provider, ref: row.source_ref },
  };
  for (const column of MEASURED) {
    const value = row[column];
    if (value === null) continue;
    sample[SAMPLE_FIELDS[column as keyof typeof SAMPLE_FIELDS]] = column === 'ignition' ? value === 1 : value;
  }
  return sample as Sample;
}

const SAMPLE_INSERT_COLUMNS = [
  'vehicle_id',
  'at',
  'provider',
  ...Object.keys(SAMPLE_COLUMNS),
] as (keyof SamplesTable)[];
/** Values a row in the flat arrays below. */
const WIDTH = SAMPLE_INSERT_COLUMNS.length;
/** The key and source_ref come first; the measurements follow. */
const FIRST_MEASURED = SAMPLE_INSERT_COLUMNS.indexOf('source_ref') + 1;

type SampleValue = number | string | null;

/**
 * One car's samples as the bulk statements bind them: one flat array, WIDTH values a row in
 * SAMPLE_INSERT_COLUMNS' order (no array nor object per row), one row per key, already storable.
 */
export type SampleRows = { values: SampleValue[]; count: number; firstAt: number; lastAt: number };

const num = (value: number | undefined) => (value === undefined ? null : storable(value));

/**
 * SAMPLE_COLUMNS written out by hand, in the same order, into the row starting at `o`: calling
 * twenty readers per sample, or pushing onto a growing array, cost as much as SQLite's own work
 * (scripts/bench/ingest.ts). A test checks that both agree.
 */
function writeSample(out: SampleValue[], o: number, vehicleId: string, s: Sample): void {
  out[o] = vehicleId;
  out[o + 1] = s.at;
  out[o + 2] = s.source.provider;
  out[o + 3] = s.source.ref;
  out[o + 4] = num(s.speedKmh);
  out[o + 5] = num(s.engineRpm);
  out[o + 6] = num(s.fuelConsumptionLPer100km);
  out[o + 7] = num(s.energyConsumptionKwhPer100km);
  out[o + 8] = num(s.fuelRateLph);
  out[o + 9] = num(s.accelerationMs2);
  out[o + 10] = num(s.latitude);
  out[o + 11] = num(s.longitude);
  out[o + 12] = num(s.altitudeM);
  out[o + 13] = num(s.headingDeg);
  out[o + 14] = num(s.odometerKm);
  out[o + 15] = num(s.fuelLevelPct);
  out[o + 16] = num(s.batteryLevelPct);
  out[o + 17] = num(s.gear);
  out[o + 18] = s.ignition === undefined ? null : s.ignition ? 1 : 0;
  out[o + 19] = s.charging ?? null;
  out[o + 20] = num(s.throttlePct);
  out[o + 21] = num(s.coolantC);
  out[o + 22] = num(s.outsideTempC);
}

/**
 * The rows to store for `samples`. Instants that only ever go up (a drive's telemetry, a file)
 * cannot repeat a key, so the common case skips keying altogether; otherwise copies of one key are
 * merged by the rule the database applies between batches, the later copy winning field by field
 * (PostgreSQL refuses an upsert that touches the same row twice in one statement).
 */
export function sampleRowsOf(vehicleId: string, samples: readonly Sample[]): SampleRows {
  const values: SampleValue[] = new Array(samples.length * WIDTH);
  let ascending = true;
  let firstAt = Number.POSITIVE_INFINITY;
  let lastAt = Number.NEGATIVE_INFINITY;
  let previous = Number.NEGATIVE_INFINITY;
  for (let row = 0; row < samples.length; row++) {
    const sample = samples[row] as Sample;
    const at = sample.at;
    if (at <= previous) ascending = false;
    previous = at;
    if (at < firstAt) firstAt = at;
    if (at > lastAt) lastAt = at;
    writeSample(values, row * WIDTH, vehicleId, sample);
  }
  if (ascending) return { values, count: samples.length, firstAt, lastAt };
  const merged = mergeRepeats(values);
  return { values: merged, count: merged.length / WIDTH, firstAt, lastAt };
}

function mergeRepeats(values: readonly SampleValue[]): SampleValue[] {
  const rowOfKey = new Map<string, number>();
  const out: SampleValue[] = [];
  for (let start = 0; start < values.length; start += WIDTH) {
    const key = `${values[start + 1]}|${values[start + 2]}`;
    const stored = rowOfKey.get(key);
    if (stored === undefined) {
      rowOfKey.set(key, out.length);
      for (let i = start; i < start + WIDTH; i++) out.push(values[i] as SampleValue);
      continue;
    }
    // The later copy's values win; the earlier copy's fill what it lacks.
    for (let i = 0; i < WIDTH; i++) {
      const incoming = values[start + i] as SampleValue;
      if (i < FIRST_MEASURED || incoming !== null) out[stored + i] = incoming;
    }
  }
  return out;
}

const SAMPLE_UPSERT = `on conflict (vehicle_id, at, provider) do update set source_ref = excluded.source_ref, ${MEASURED.map(
  (column) => `${column} = coalesce(excluded.${column}, samples.${column})`,
).join(', ')}`;

// ---- SQLite ----------------------------------------------------------------------------------

/** Multi-row VALUES, within SQLite's 32,766 parameters (500 rows × 23 columns). */
const SQLITE_CHUNK_ROWS = 500;
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
 * it (scripts/bench/ingest.ts). 100 rows a run (larger runs were no faster); the remainder goes
 * row by row through the single-row statement.
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

function runPreparedSampleUpserts(database: SQLite.Database, rows: SampleRows): void {
  const { many, one } = preparedSampleUpsert(database);
  const step = SQLITE_PREPARED_ROWS * WIDTH;
  const whole = (rows.count - (rows.count % SQLITE_PREPARED_ROWS)) * WIDTH;
  for (let start = 0; start < whole; start += step) many.run(rows.values.slice(start, start + step));
  for (let start = whole; start < rows.values.length; start += WIDTH) {
    one.run(rows.values.slice(start, start + WIDTH));
  }
}

async function upsertSamplesSqlite(trx: Kysely<Database>, rows: SampleRows): Promise<void> {
  const database = sqliteHandleInTransaction(trx);
  if (database !== undefined) {
    runPreparedSampleUpserts(database, rows);
    return;
  }
  for (let start = 0; start < rows.count; start += SQLITE_CHUNK_ROWS) {
    const end = Math.min(rows.count, start + SQLITE_CHUNK_ROWS);
    await trx.executeQuery(
      CompiledQuery.raw(sqliteSampleUpsert(end - start), rows.values.slice(start * WIDTH, end * WIDTH)),
    );
  }
}

// ---- PostgreSQL ------------------------------------------------------------------------------

/** The column types of migrations/0002-vehicle-data.ts, for the binary COPY stream. */
const SAMPLE_PG_TYPES: Record<keyof SamplesTable, CopyType> = {
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
const COPY_TYPES = SAMPLE_INSERT_COLUMNS.map((column) => SAMPLE_PG_TYPES[column]);
const COLUMN_LIST = SAMPLE_INSERT_COLUMNS.join(', ');

/**
 * A per-session scratch table the rows are copied into before the one upsert that merges them:
 * COPY itself cannot merge. Emptied before each use rather than at commit, so that several
 * batches in one transaction (a file import) each see only their own rows.
 */
const STAGING = 'kinetic_samples_staging';
const PREPARE_STAGING = `create temp table if not exists ${STAGING} (like samples); truncate ${STAGING}`;
const COPY_TO_STAGING = `copy ${STAGING} (${COLUMN_LIST}) from stdin (format binary)`;
const MERGE_STAGING = `insert into samples (${COLUMN_LIST}) select ${COLUMN_LIST} from ${STAGING} ${SAMPLE_UPSERT}`;
const COPY_TO_SAMPLES = `copy samples (${COLUMN_LIST}) from stdin (format binary)`;

/**
 * PostgreSQL: the rows go over as one binary COPY (lib/db/client.ts runs a COPY given its data as
 * the one parameter). When the car has no stored sample in the batch's time span, which is the
 * case for new telemetry and a new file, they are copied straight into `samples`; otherwise they go
 * through the staging table and one `insert … select … on conflict do update`.
 *
 * Sample writers of one car take turns (a transaction-scoped advisory lock on the car), so no other
 * writer can store the same instants between the look and the COPY: the look is a new statement,
 * so under READ COMMITTED it sees whatever the previous holder committed. A savepoint around the
 * COPY would do the same without the turns, but each one leaves a subtransaction behind, and a
 * file import writes thousands of batches in one transaction (past 64, every reader of the
 * database pays for it).
 */
async function upsertSamplesPostgres(
  trx: Kysely<Database>,
  vehicleId: string,
  rows: SampleRows,
): Promise<void> {
  const months = monthsOf(rows);
  // Sent before encoding, so the round trips overlap the encoder's work. With its turn the writer
  // learns which of the batch's months have a partition: asked each time rather than remembered,
  // because the retention job (retention.ts) drops old months, maybe from another process. Missing
  // ones are created before `samples` itself is read: a writer holding a lock on `samples` that
  // then wanted the stronger lock creating a partition takes could deadlock with another.
  const looked = (async () => {
    const turn = await sql<{ partitions: string[] }>`
      select
        pg_advisory_xact_lock(hashtextextended(${`kinetic.samples:${vehicleId}`}, 0)),
        array(
          select c.relname::text from pg_inherits i
          join pg_class c on c.oid = i.inhrelid
          join pg_class p on p.oid = i.inhparent
          where p.relname = 'samples' and c.relname = any(${[...months.keys()]}::text[])
        ) as partitions`.execute(trx);
    await createPartitions(trx, months, new Set(turn.rows[0]?.partitions));
    const stored = await sql<{ found: number }>`
      select 1 as found from samples
      where vehicle_id = ${vehicleId} and at >= ${rows.firstAt} and at <= ${rows.lastAt} limit 1`.execute(
      trx,
    );
    return stored.rows.length > 0;
  })();
  let data: Buffer;
  try {
    data = encodeCopyBinary(COPY_TYPES, rows.values);
  } finally {
    // Never leave the look running unawaited on the transaction's connection.
    await looked.catch(() => undefined);
  }
  if (!(await looked)) {
    await trx.executeQuery(CompiledQuery.raw(COPY_TO_SAMPLES, [data]));
    return;
  }
  await trx.executeQuery(CompiledQuery.raw(PREPARE_STAGING));
  await trx.executeQuery(CompiledQuery.raw(COPY_TO_STAGING, [data]));
  await trx.executeQuery(CompiledQuery.raw(MERGE_STAGING));
}

/** Stores a car's samples in `trx`: the caller's transaction, all or nothing with its batch. */
export async function upsertSamples(trx: Kysely<Database>, vehicleId: string, samples: readonly Sample[]) {
  if (samples.length === 0) return;
  const rows = sampleRowsOf(vehicleId, samples);
  if (isPostgres(trx)) {
    await upsertSamplesPostgres(trx, vehicleId, rows);
  } else {
    await upsertSamplesSqlite(trx, rows);
  }
}

// ---- PostgreSQL partitions -------------------------------------------------------------------

const DUPLICATE_TABLE = '42P07';
const UNIQUE_VIOLATION = '23505';

type Month = { name: string; fromMs: number; toMs: number };

/** `samples_YYYYMM`: the month (UTC) holding an instant. */
function monthOf(ms: number): Month {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return {
    name: `samples_${year}${String(month + 1).padStart(2, '0')}`,
    fromMs: Date.UTC(year, month, 1),
    toMs: Date.UTC(year, month + 1, 1),
  };
}

/** The months of a batch's rows: one Date per month change, not one per sample. */
function monthsOf(rows: SampleRows): Map<string, Month> {
  const months = new Map<string, Month>();
  let current: Month | undefined;
  for (let i = 1; i < rows.values.length; i += WIDTH) {
    const at = rows.values[i] as number;
    if (current !== undefined && at >= current.fromMs && at < current.toMs) continue;
    current = monthOf(at);
    months.set(current.name, current);
  }
  return months;
}

/**
 * PostgreSQL: the monthly partitions a batch needs that do not exist, created — inside the
 * caller's transaction, so a batch never waits on a second connection that waits on it. Two
 * writers may race to create the same month: the loser's error is undone by a savepoint instead
 * of aborting its batch, and the partition exists either way. (Creating one locks `samples` until
 * the batch commits; it happens once a month per month of data.)
 */
async function createPartitions(
  db: Kysely<Database>,
  months: ReadonlyMap<string, Month>,
  existing: ReadonlySet<string>,
): Promise<void> {
  for (const { name, fromMs, toMs } of months.values()) {
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

/**
 * PostgreSQL: every monthly partition of [fromMs, toMs] that does not exist yet, for a bulk load
 * that writes straight into `samples` (lib/db/copy-to-postgres.ts).
 */
export async function ensureSamplePartitions(
  db: Kysely<Database>,
  fromMs: number,
  toMs: number,
): Promise<void> {
  const months = new Map<string, Month>();
  for (let month = monthOf(fromMs); month.fromMs <= toMs; month = monthOf(month.toMs))
    months.set(month.name, month);
  const existing = await sql<{ relname: string }>`
    select c.relname from pg_inherits i
    join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where p.relname = 'samples'`.execute(db);
  await createPartitions(db, months, new Set(existing.rows.map((row) => row.relname)));
}
