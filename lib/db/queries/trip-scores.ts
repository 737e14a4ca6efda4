import 'server-only';
import type { Kysely } from 'kysely';
import type { DrivingEventJson } from '../../scoring/events';
import {
  addFeatures,
  type DrivingFeatures,
  drivingFeatures,
  emptyFeatures,
  highRpmRuns,
  type Moment,
  type ScoringReading,
} from '../../scoring/features';
import {
  engineLimitRpm,
  noComponents,
  type ScoredPowertrain,
  scoreTrip,
  type TripScore,
} from '../../scoring/trip-score';
import { POWERTRAINS } from '../../telemetry/model';
import type { Database } from '../schema';
import { markStandingStale } from './standings';

// Scores trips into `trip_scores` (lib/scoring/trip-score.ts). A trip is scored once it is
// finished and summarized (its events are known), and again whenever it changes: the write path
// deletes a trip's score when it recomputes the trip's summary (trip-summaries.ts), and a row
// from older formulas (`version`) counts as missing. Whoever finds a trip pending scores it — the
// sync worker after each pass, the import, the CLI before it answers — and scoring the same trip
// twice writes the same row, so two workers racing on one trip is harmless.

/** Raise when the formulas or thresholds change: every stored score is then computed again. */
export const SCORING_VERSION = 1;

/** Readings are read a page at a time, so a 69-hour imported trip never sits in memory whole. */
const READINGS_PAGE = 50_000;

/** The consumption reference (trip-score.ts rule 7): trips of the same model at a similar average speed. */
export const REFERENCE_MIN_TRIPS = 5;
const REFERENCE_LOOKBACK_MS = 90 * 86_400_000;
const REFERENCE_MAX_TRIPS = 2_000;
/** Average-speed bands, km/h: town, mixed, open road. */
const SPEED_BANDS = [40, 80] as const;

type PendingTrip = {
  id: string;
  vehicle_id: string;
  started_at: number;
  ended_at: number;
  distance_km: number | null;
  duration_s: number | null;
  fuel_used_l: number | null;
  energy_used_kwh: number | null;
  events: string;
  faults: string | null;
  model: string;
  powertrain: string;
};

/** The vehicle's stored powertrain, or null for `unknown` (the maker did not say). */
const asPowertrain = (value: string): ScoredPowertrain | null =>
  (POWERTRAINS as readonly string[]).includes(value) ? (value as ScoredPowertrain) : null;

/** Finished, summarized trips with no current score, oldest first. */
/** Finished, summarized trips with no score, or one from older formulas: the scoring backlog. */
function pendingTripsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('trips')
    .innerJoin('vehicles', 'vehicles.id', 'trips.vehicle_id')
    .leftJoin('trip_scores', 'trip_scores.trip_id', 'trips.id')
    .where('trips.ended_at', 'is not', null)
    .where('trips.events', 'is not', null)
    .where((eb) =>
      eb.or([eb('trip_scores.trip_id', 'is', null), eb('trip_scores.version', '<', SCORING_VERSION)]),
    );
}

async function pendingTrips(
  db: Kysely<Database>,
  options: { vehicleIds?: readonly string[]; limit: number },
) {
  let query = pendingTripsQuery(db).select([
    'trips.id',
    'trips.vehicle_id',
    'trips.started_at',
    'trips.ended_at',
    'trips.distance_km',
    'trips.duration_s',
    'trips.fuel_used_l',
    'trips.energy_used_kwh',
    'trips.events',
    'trips.faults',
    'vehicles.model',
    'vehicles.powertrain',
  ]);
  if (options.vehicleIds !== undefined) {
    if (options.vehicleIds.length === 0) return [];
    query = query.where('trips.vehicle_id', 'in', options.vehicleIds);
  }
  const rows = await query.orderBy('trips.started_at').orderBy('trips.id').limit(options.limit).execute();
  return rows.map((row) => ({
    ...row,
    started_at: Number(row.started_at),
    ended_at: Number(row.ended_at),
  })) as PendingTrip[];
}

/** Which of these owners have trips still waiting for their score (the demo's warm-up). */
export async function ownersWithTripsToScore(
  db: Kysely<Database>,
  userIds: readonly string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await pendingTripsQuery(db)
    .select('vehicles.user_id')
    .distinct()
    .where('vehicles.user_id', 'in', userIds)
    .execute();
  return new Set(rows.map((row) => row.user_id));
}

/** The trip's features, read page by page, and its runs above the engine band. */
async function featuresOf(db: Kysely<Database>, trip: PendingTrip, rpmLimit: number | null) {
  let features: DrivingFeatures = emptyFeatures();
  const runs: Moment[] = [];
  let after = trip.started_at - 1;
  for (;;) {
    const rows = await db
      .selectFrom('samples')
      .select(['at', 'speed_kmh', 'engine_rpm', 'ignition'])
      .where('vehicle_id', '=', trip.vehicle_id)
      .where('at', '>', after)
      .where('at', '<=', trip.ended_at)
      .orderBy('at')
      .limit(READINGS_PAGE)
      .execute();
    if (rows.length === 0) break;
    const readings: ScoringReading[] = rows.map((row) => ({
      at: Number(row.at),
      speedKmh: row.speed_kmh ?? undefined,
      engineRpm: row.engine_rpm ?? undefined,
      ignition: row.ignition === null ? undefined : row.ignition === 1,
    }));
    features = addFeatures(features, drivingFeatures(readings));
    if (rpmLimit !== null) runs.push(...highRpmRuns(readings, rpmLimit));
    if (rows.length < READINGS_PAGE) break;
    after = Number((rows.at(-1) as { at: number }).at);
  }
  return { features, runs };
}

const averageSpeedBand = (distanceKm: number, durationS: number) => {
  const kmh = durationS > 0 ? distanceKm / (durationS / 3600) : 0;
  return SPEED_BANDS.filter((edge) => kmh >= edge).length;
};

/** The trip's average consumption in its car's unit (trip-summary.ts rule 6), or null. */
function consumptionOf(
  trip: Pick<PendingTrip, 'distance_km' | 'fuel_used_l' | 'energy_used_kwh'>,
  electric: boolean,
) {
  const km = trip.distance_km;
  if (km === null || km < 1) return null;
  const used = electric ? trip.energy_used_kwh : trip.fuel_used_l;
  return used === null || used < 0 ? null : (used / km) * 100;
}

/** Median consumption of the model's recent trips in the same average-speed band, or null. */
async function consumptionReference(
  db: Kysely<Database>,
  trip: PendingTrip,
  cache: Map<string, number | null>,
): Promise<number | null> {
  if (trip.distance_km === null || trip.duration_s === null) return null;
  const electric = trip.powertrain === 'electric';
  const band = averageSpeedBand(trip.distance_km, trip.duration_s);
  const key = `${trip.model}\u0000${trip.powertrain}\u0000${band}`;
  if (cache.has(key)) return cache.get(key) ?? null;
  // Trips first, newest first (trips_started_idx), stopping at REFERENCE_MAX_TRIPS: a CROSS JOIN
  // keeps SQLite from starting at the vehicles instead, which for a model a million cars share
  // meant reading every one of them (325 ms per trip scored in the ranking benchmark).
  const rows = await db
    .selectFrom('trips')
    .crossJoin('vehicles')
    .whereRef('vehicles.id', '=', 'trips.vehicle_id')
    .select(['trips.distance_km', 'trips.duration_s', 'trips.fuel_used_l', 'trips.energy_used_kwh'])
    .where('vehicles.model', '=', trip.model)
    .where('vehicles.powertrain', '=', trip.powertrain)
    .where('trips.started_at', '>=', trip.started_at - REFERENCE_LOOKBACK_MS)
    .where('trips.distance_km', '>=', 1)
    .where(electric ? 'trips.energy_used_kwh' : 'trips.fuel_used_l', 'is not', null)
    .orderBy('trips.started_at', 'desc')
    .limit(REFERENCE_MAX_TRIPS)
    .execute();
  const values = rows
    .filter(
      (row) =>
        row.duration_s !== null && averageSpeedBand(row.distance_km as number, row.duration_s) === band,
    )
    .map((row) => consumptionOf(row, electric))
    .filter((value): value is number => value !== null)
    .sort((a, b) => a - b);
  const reference =
    values.length < REFERENCE_MIN_TRIPS
      ? null
      : values.length % 2 === 1
        ? (values[values.length >> 1] as number)
        : ((values[values.length / 2 - 1] as number) + (values[values.length / 2] as number)) / 2;
  cache.set(key, reference);
  return reference;
}

function rowOf(trip: PendingTrip, score: TripScore, now: number) {
  return {
    trip_id: trip.id,
    vehicle_id: trip.vehicle_id,
    started_at: trip.started_at,
    distance_km: trip.distance_km,
    score: score.rated ? score.score : null,
    not_rated_reason: score.rated ? null : score.reason,
    components: JSON.stringify(score.components),
    moments: JSON.stringify(score.rated ? score.moments : []),
    tip: score.rated ? score.tip : null,
    version: SCORING_VERSION,
    scored_at: now,
  };
}

/** The trip's stored driving events, or null when the column does not hold a JSON list of them. */
function readEvents(text: string): DrivingEventJson[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const isEvent = (item: unknown) =>
    typeof item === 'object' && item !== null && typeof (item as { type?: unknown }).type === 'string';
  return Array.isArray(value) && value.every(isEvent) ? (value as DrivingEventJson[]) : null;
}

async function scoreOneTrip(
  db: Kysely<Database>,
  trip: PendingTrip,
  referenceCache: Map<string, number | null> = new Map(),
): Promise<TripScore> {
  const powertrain = asPowertrain(trip.powertrain);
  const rpmLimit = powertrain === 'electric' ? null : engineLimitRpm(trip.powertrain);
  const { features, runs } = await featuresOf(db, trip, rpmLimit);
  const events = readEvents(trip.events);
  // A trip whose stored events cannot be read is not rated, like any other implausible record: left
  // pending, it would be tried again every round, first in the queue, for good.
  if (events === null) return { rated: false, reason: 'implausible', components: noComponents() };
  const value = consumptionOf(trip, powertrain === 'electric');
  return scoreTrip({
    features,
    events: events.map((event) => ({ type: event.type, severity: event.severity, at: Date.parse(event.at) })),
    distanceKm: trip.distance_km,
    durationS: trip.duration_s ?? (trip.ended_at - trip.started_at) / 1000,
    powertrain,
    consumption:
      value === null ? null : { value, reference: await consumptionReference(db, trip, referenceCache) },
    highRpmRuns: runs,
    flagged: trip.faults !== null,
  });
}

/**
 * Scores up to `limit` pending trips (of `vehicleIds` when given), each written on its own.
 * Returns how many were scored. One trip failing (the database going away mid-round, say) does not
 * hold the others back: each failure goes to `onError` and the round goes on; without `onError`,
 * the first failure is thrown once the others are done.
 */
export async function scorePendingTrips(
  db: Kysely<Database>,
  options: {
    vehicleIds?: readonly string[];
    limit?: number;
    now?: number;
    onError?: (tripId: string, error: unknown) => void;
  } = {},
): Promise<number> {
  const trips = await pendingTrips(db, { ...options, limit: options.limit ?? 200 });
  const cache = new Map<string, number | null>();
  let scored = 0;
  let firstFailure: { error: unknown } | null = null;
  for (const trip of trips) {
    try {
      const score = await scoreOneTrip(db, trip, cache);
      const row = rowOf(trip, score, options.now ?? Date.now());
      await db
        .insertInto('trip_scores')
        .values(row)
        .onConflict((oc) => oc.column('trip_id').doUpdateSet(row))
        .execute();
      await markStandingStale(db, trip.vehicle_id);
      scored++;
    } catch (error) {
      if (options.onError) options.onError(trip.id, error);
      else firstFailure ??= { error };
    }
  }
  if (firstFailure) throw firstFailure.error;
  return scored;
}

/** The write path calls this when it recomputes a trip's summary: the score is out of date. */
export async function forgetTripScore(db: Kysely<Database>, tripId: string): Promise<void> {
  const forgotten = await db
    .deleteFrom('trip_scores')
    .where('trip_id', '=', tripId)
    .returning('vehicle_id')
    .executeTakeFirst();
  if (forgotten) await markStandingStale(db, forgotten.vehicle_id);
}
