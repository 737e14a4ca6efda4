import 'server-only';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema';
import type { RollupMetricPrefix, SampleRollupsTable } from '../../db/schema-rollups';
import { AppError } from '../../errors';
import type {
  TelemetryDto,
  TelemetryMetric,
  TelemetryPoint,
  TelemetryQuery,
  TelemetrySeries,
} from '../../schemas/telemetry';
import type { SeriesPoint } from '../derive/m4';
import { bucketStart, RESOLUTIONS, type Resolution } from '../derive/rollups';
import { type PlannedMetric, planMetrics } from './metrics';
import { BUCKET_GAP_STEPS, downsample, pushBucketPoints, RAW_GAP_MS } from './points';
import { selectArrays } from './rows';
import { chooseSource, rawRowLimit, resolutionOf, type Source } from './source';

// GET /api/vehicles/{id}/telemetry (docs/interfaces.md › HTTP): the series of one owned car over
// [from, to], downsampled for a chart `width` CSS pixels wide. Two round trips, whatever the range
// or the number of metrics: one for the car (owner-scoped, so another owner's car is "not found")
// and which metrics it ever stored, one for every series' rows from the source that source.ts picks.
// A raw read that overflows its limit (> 1 Hz data) or finds nothing (a parked car, or samples
// that retention dropped) is read again from the minute rollups: a third round trip.

export const NO_SUCH_VEHICLE = 'No such vehicle.';

/** The rollup prefixes a metric may read: consumption's depends on the powertrain. */
const PREFIXES_OF: Record<TelemetryMetric, readonly RollupMetricPrefix[]> = {
  speed: ['speed'],
  rpm: ['rpm'],
  consumption: ['fuel_consumption', 'energy_consumption'],
  fuel_level: ['fuel_level'],
  battery_level: ['battery_level'],
  altitude: ['altitude'],
};

type CarFacts = { powertrain: string; stored: Set<RollupMetricPrefix> };

/**
 * The owner's car and which of `prefixes` it ever stored a reading of. "Ever stored" asks the day
 * rollups — one row per day with data, reached by their primary key (vehicle, resolution, …) and
 * kept even when retention drops old samples — whether any has a count above zero: `exists`
 * stops at the first such day, so a metric the car provides costs one row; one it never provided
 * reads the car's day rows (365 a year), never its samples.
 */
async function carFacts(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
  prefixes: readonly RollupMetricPrefix[],
): Promise<CarFacts> {
  const row = await db
    .selectFrom('vehicles')
    .select('vehicles.powertrain')
    .select((eb) =>
      prefixes.map((prefix) =>
        eb
          .exists(
            eb
              .selectFrom('sample_rollups')
              .select(sql.lit(1).as('one'))
              .whereRef('sample_rollups.vehicle_id', '=', 'vehicles.id')
              .where('sample_rollups.resolution', '=', 'day')
              .where(`sample_rollups.${prefix}_n`, '>', 0),
          )
          .as(`has_${prefix}`),
      ),
    )
    .where('vehicles.id', '=', vehicleId)
    .where('vehicles.user_id', '=', ownerId)
    .executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', NO_SUCH_VEHICLE);
  const flags = row as unknown as Record<string, unknown>;
  // SQLite answers 0/1, PostgreSQL true/false.
  const stored = new Set(prefixes.filter((prefix) => Boolean(flags[`has_${prefix}`])));
  return { powertrain: row.powertrain, stored };
}

type Readings = Map<TelemetryMetric, SeriesPoint[]>;

/** Raw rows of the metrics, or null when there are more than the limit (source.ts rule 4). */
async function readRaw(
  db: Kysely<Database>,
  vehicleId: string,
  metrics: readonly PlannedMetric[],
  query: TelemetryQuery,
): Promise<Readings | null> {
  const limit = rawRowLimit(query.width);
  const columns = metrics.map((metric) => metric.column);
  const rows = await selectArrays(
    db,
    db
      .selectFrom('samples')
      .select(['at', ...columns])
      .where('vehicle_id', '=', vehicleId)
      .where('at', '>=', query.from)
      .where('at', '<=', query.to)
      .where((eb) => eb.or(columns.map((column) => eb(column, 'is not', null))))
      .orderBy('at')
      .limit(limit + 1),
  );
  if (rows.length > limit) return null;
  const readings: Readings = new Map();
  for (const [i, metric] of metrics.entries()) {
    const points: SeriesPoint[] = [];
    for (const row of rows) {
      const value = row[i + 1];
      if (value !== null && value !== undefined) points.push({ at: Number(row[0]), value: Number(value) });
    }
    readings.set(metric.metric, points);
  }
  return readings;
}

/** Per metric, in this order: the columns a bucket's points need (points.ts rule 2). */
const SUFFIXES = ['min', 'max', 'first', 'first_at', 'last', 'last_at'] as const;
const rollupColumn = (prefix: RollupMetricPrefix, suffix: (typeof SUFFIXES)[number]) =>
  `${prefix}_${suffix}` as keyof SampleRollupsTable;

/**
 * Every metric's bucket points from one rollup level, in one query: six columns per metric (a
 * bucket without readings of it has no first instant) — a read costs per column, not per row.
 */
async function readRollupPoints(
  db: Kysely<Database>,
  vehicleId: string,
  metrics: readonly PlannedMetric[],
  resolution: Resolution,
  query: TelemetryQuery,
): Promise<Readings> {
  const columns = metrics.flatMap((metric) => SUFFIXES.map((suffix) => rollupColumn(metric.prefix, suffix)));
  const rows = await selectArrays(
    db,
    db
      .selectFrom('sample_rollups')
      .select(['bucket_start', ...columns])
      .where('vehicle_id', '=', vehicleId)
      .where('resolution', '=', resolution)
      .where('bucket_start', '>=', bucketStart(query.from, resolution))
      .where('bucket_start', '<=', query.to)
      .orderBy('bucket_start'),
  );
  const readings: Readings = new Map();
  for (const [i, metric] of metrics.entries()) {
    const at = 1 + i * SUFFIXES.length;
    const points: SeriesPoint[] = [];
    for (const row of rows) {
      if (row[at + 3] === null) continue;
      pushBucketPoints(
        points,
        {
          min: Number(row[at]),
          max: Number(row[at + 1]),
          first: Number(row[at + 2]),
          firstAt: Number(row[at + 3]),
          last: Number(row[at + 4]),
          lastAt: Number(row[at + 5]),
        },
        query.from,
        query.to,
        metric.decimals,
      );
    }
    readings.set(metric.metric, points);
  }
  return readings;
}

const hasPoints = (readings: Readings) => [...readings.values()].some((points) => points.length > 0);

async function readSource(
  db: Kysely<Database>,
  vehicleId: string,
  metrics: readonly PlannedMetric[],
  query: TelemetryQuery,
): Promise<{ source: Source; readings: Readings }> {
  const source = chooseSource(query.from, query.to, query.width);
  if (metrics.length === 0) return { source, readings: new Map() };
  let raw: Readings | null = null;
  if (source.kind === 'raw') {
    raw = await readRaw(db, vehicleId, metrics, query);
    if (raw !== null && hasPoints(raw)) return { source, readings: raw };
  }
  // Raw rows overflowed their limit (source.ts rule 4), or there were none: retention may have
  // dropped an old range's samples (lib/db/queries/retention.ts) and kept its rollups.
  const rollup =
    source.kind === 'rollup' ? source : chooseSource(query.from, query.to, query.width, { raw: false });
  if (rollup.kind !== 'rollup') throw new Error('chooseSource gave raw rows when told not to');
  const readings = await readRollupPoints(db, vehicleId, metrics, rollup.resolution, query);
  // Nothing in the rollups either: the car was parked; the answer says what was asked.
  if (raw !== null && !hasPoints(readings)) return { source, readings: raw };
  return { source: rollup, readings };
}

/**
 * The telemetry answer for one of the owner's cars; `not_found` for a car that is not theirs (or
 * does not exist). `query` is the route's parsed query (lib/schemas/telemetry.ts).
 */
export async function readTelemetry(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
  query: TelemetryQuery,
): Promise<TelemetryDto> {
  const prefixes = [...new Set(query.metrics.flatMap((metric) => PREFIXES_OF[metric]))];
  const car = await carFacts(db, ownerId, vehicleId, prefixes);
  const planned = planMetrics(query.metrics, car.powertrain);
  const available = planned.filter((metric) => metric.possible && car.stored.has(metric.prefix));
  const { source, readings } = await readSource(db, vehicleId, available, query);
  const gapMs = source.kind === 'raw' ? RAW_GAP_MS : BUCKET_GAP_STEPS * RESOLUTIONS[source.resolution];
  const series: Partial<Record<TelemetryMetric, TelemetrySeries>> = {};
  for (const metric of planned) {
    const points = readings.get(metric.metric);
    const isAvailable = available.includes(metric);
    series[metric.metric] = {
      unit: metric.unit,
      available: isAvailable,
      points:
        isAvailable && points
          ? downsample(points, query.from, query.to, query.width, gapMs, metric.decimals)
          : ([] as TelemetryPoint[]),
    };
  }
  return {
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    resolution: resolutionOf(source),
    series,
  };
}
