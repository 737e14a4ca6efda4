import 'server-only';
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Rollups of samples per vehicle and per minute, hour and day (lib/db/queries/rollups.ts keeps
// them current; retention.ts may drop the raw samples under them). One row per bucket, one group
// of columns per metric: how many readings, their sum, minimum and maximum, and the first and last
// reading with its instant — what M4 charts keep per pixel column. Minima, maxima, first and last
// take the sample column's own type; sums are double precision.
//
// Existing samples are rolled up here, once, so that every stored sample is in a rollup from now
// on. This migration is frozen: it carries its own copy of the metric list and of the backfill
// statement rather than importing the query module, which later migrations may change.

const METRICS = [
  ['speed', 'speed_kmh', 'real'],
  ['rpm', 'engine_rpm', 'real'],
  ['fuel_consumption', 'fuel_consumption_l100km', 'real'],
  ['energy_consumption', 'energy_consumption_kwh100km', 'real'],
  ['fuel_level', 'fuel_level_pct', 'real'],
  ['battery_level', 'battery_level_pct', 'real'],
  ['altitude', 'altitude_m', 'real'],
  ['odometer', 'odometer_km', 'double precision'],
] as const;

const LEVELS = [
  ['minute', 60_000, null],
  ['hour', 3_600_000, 'minute'],
  ['day', 86_400_000, 'hour'],
] as const;

function metricColumns(): string {
  return METRICS.map(
    ([p, , type]) => `
  ${p}_n integer not null,
  ${p}_sum double precision,
  ${p}_min ${type},
  ${p}_max ${type},
  ${p}_first ${type},
  ${p}_first_at bigint,
  ${p}_last ${type},
  ${p}_last_at bigint`,
  ).join(',');
}

/** Every vehicle's buckets of one level, from the samples or from the finer level. */
function backfillStatement(resolution: string, width: number, finer: string | null): string {
  const time = finer === null ? 'at' : 'bucket_start';
  const bucket = `(${time} / ${width}) * ${width}`;
  const columns = ['vehicle_id', 'resolution', 'bucket_start', 'samples_n'];
  const windows: string[] = [];
  const aggregates = [finer === null ? 'count(*)' : 'sum(samples_n)'];
  for (const [p, column] of METRICS) {
    columns.push(
      `${p}_n`,
      `${p}_sum`,
      `${p}_min`,
      `${p}_max`,
      `${p}_first`,
      `${p}_first_at`,
      `${p}_last`,
      `${p}_last_at`,
    );
    const [count, sum, min, max, fv, fa, lv, la] =
      finer === null
        ? [
            `count(${column})`,
            `sum(cast(${column} as double precision))`,
            `min(${column})`,
            `max(${column})`,
            column,
            'at',
            column,
            'at',
          ]
        : [
            `sum(${p}_n)`,
            `sum(${p}_sum)`,
            `min(${p}_min)`,
            `max(${p}_max)`,
            `${p}_first`,
            `${p}_first_at`,
            `${p}_last`,
            `${p}_last_at`,
          ];
    windows.push(
      `min(case when ${fv} is not null then ${fa} end) over w as w_${p}_fa`,
      `max(case when ${lv} is not null then ${la} end) over w as w_${p}_la`,
    );
    aggregates.push(
      `coalesce(${count}, 0)`,
      sum,
      min,
      max,
      `min(case when ${fa} = w_${p}_fa then ${fv} end)`,
      `min(w_${p}_fa)`,
      `max(case when ${la} = w_${p}_la then ${lv} end)`,
      `max(w_${p}_la)`,
    );
  }
  const source = finer === null ? 'samples' : `sample_rollups where resolution = '${finer}'`;
  return `insert into sample_rollups (${columns.join(', ')})
    select vehicle_id, '${resolution}', bucket, ${aggregates.join(', ')}
    from (select *, ${bucket} as bucket, ${windows.join(', ')}
          from ${source}
          window w as (partition by vehicle_id, ${bucket})) source
    group by vehicle_id, bucket`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql
    .raw(
      `create table sample_rollups (
  vehicle_id text not null references vehicles(id) on delete cascade,
  resolution text not null check (resolution in ('minute', 'hour', 'day')),
  bucket_start bigint not null,
  samples_n integer not null,${metricColumns()},
  primary key (vehicle_id, resolution, bucket_start))${postgres ? '' : ' without rowid'}`,
    )
    .execute(db);
  for (const [resolution, width, finer] of LEVELS) {
    await sql.raw(backfillStatement(resolution, width, finer)).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sample_rollups').execute();
}
