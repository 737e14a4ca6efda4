import 'server-only';
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// The vehicle data the adapters bring in (lib/telemetry/model.ts), keyed by natural keys so that a
// record delivered twice is stored once: samples by (vehicle, instant, provider), trips and alerts
// by the provider's own ids, the rest by (vehicle, provider, instant or scope).
//
// On PostgreSQL `samples` is partitioned by time from the start (monthly ranges of `at`, created on
// demand by the write path — lib/db/queries/vehicle-data.ts), so a retention job can drop a month
// at once and per-vehicle range reads touch only the months they ask for. SQLite has one table.
// `bigint` holds epoch milliseconds (INTEGER affinity in SQLite); `real` holds measurements.

const SAMPLE_COLUMNS = `
  vehicle_id text not null references vehicles(id) on delete cascade,
  at bigint not null,
  provider text not null,
  source_ref text not null,
  speed_kmh real,
  engine_rpm real,
  fuel_consumption_l100km real,
  energy_consumption_kwh100km real,
  fuel_rate_lph real,
  acceleration_ms2 real,
  latitude double precision,
  longitude double precision,
  altitude_m real,
  heading_deg real,
  odometer_km double precision,
  fuel_level_pct real,
  battery_level_pct real,
  gear integer,
  ignition integer,
  charging text,
  throttle_pct real,
  coolant_c real,
  outside_temp_c real,
  primary key (vehicle_id, at, provider)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    await sql.raw(`create table samples (${SAMPLE_COLUMNS}) partition by range (at)`).execute(db);
  } else {
    await sql.raw(`create table samples (${SAMPLE_COLUMNS}) without rowid`).execute(db);
  }

  await db.schema
    .createTable('trips')
    // Derived from the key (lib/db/queries/vehicle-data.ts tripIdOf): the trip's name in URLs.
    .addColumn('id', 'text', (col) => col.notNull().unique())
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('provider_trip_id', 'text', (col) => col.notNull())
    .addColumn('source_ref', 'text', (col) => col.notNull())
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('ended_at', 'bigint')
    // How recent the facts of this version are: a later delivery of an older version loses.
    .addColumn('observed_until', 'bigint', (col) => col.notNull())
    .addColumn('distance_km', 'real')
    .addColumn('duration_s', 'real')
    .addColumn('start_odometer_km', 'double precision')
    .addColumn('end_odometer_km', 'double precision')
    .addColumn('avg_speed_kmh', 'real')
    .addColumn('max_speed_kmh', 'real')
    .addColumn('fuel_used_l', 'real')
    .addColumn('energy_used_kwh', 'real')
    // Kinetic's own summary of the trip's samples (lib/telemetry/derive): null until computed.
    .addColumn('moving_s', 'real')
    .addColumn('idle_s', 'real')
    .addColumn('events', 'text')
    .addColumn('start_latitude', 'double precision')
    .addColumn('start_longitude', 'double precision')
    .addColumn('end_latitude', 'double precision')
    .addColumn('end_longitude', 'double precision')
    .addPrimaryKeyConstraint('trips_pk', ['vehicle_id', 'provider', 'provider_trip_id'])
    .execute();
  await db.schema
    .createIndex('trips_vehicle_started_idx')
    .on('trips')
    .columns(['vehicle_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('provider_alert_id', 'text', (col) => col.notNull())
    .addColumn('source_ref', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('severity', 'text', (col) => col.notNull())
    .addColumn('active', 'integer', (col) => col.notNull())
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('observed_until', 'bigint', (col) => col.notNull())
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addPrimaryKeyConstraint('alerts_pk', ['vehicle_id', 'provider', 'provider_alert_id'])
    .execute();
  await db.schema
    .createIndex('alerts_vehicle_started_idx')
    .on('alerts')
    .columns(['vehicle_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('maintenance_reports')
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('source_ref', 'text', (col) => col.notNull())
    .addColumn('days_before_service', 'integer')
    .addColumn('km_before_service', 'real')
    .addPrimaryKeyConstraint('maintenance_reports_pk', ['vehicle_id', 'provider', 'at'])
    .execute();

  await db.schema
    .createTable('charging_sessions')
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('source_ref', 'text', (col) => col.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('observed_until', 'bigint', (col) => col.notNull())
    .addColumn('energy_added_kwh', 'real')
    .addColumn('avg_power_kw', 'real')
    .addColumn('start_level_pct', 'real')
    .addColumn('end_level_pct', 'real')
    .addPrimaryKeyConstraint('charging_sessions_pk', ['vehicle_id', 'provider', 'started_at'])
    .execute();

  await db.schema
    .createTable('eco_evaluations')
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('provider', 'text', (col) => col.notNull())
    // `trip:<id>`, `day:2026-03-01`, `month:2026-03` or `all`.
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('source_ref', 'text', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('mark', 'real')
    .addColumn('scale_max', 'real', (col) => col.notNull())
    .addColumn('criteria', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('eco_evaluations_pk', ['vehicle_id', 'provider', 'scope'])
    .execute();

  // What failed validation, with why: kept for the owner's import report and for diagnosis.
  await db.schema
    .createTable('quarantine')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('record', 'text', (col) => col.notNull())
    .addColumn('received_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('quarantine_vehicle_idx')
    .on('quarantine')
    .columns(['vehicle_id', 'received_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'quarantine',
    'eco_evaluations',
    'charging_sessions',
    'maintenance_reports',
    'alerts',
    'trips',
    'samples',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
