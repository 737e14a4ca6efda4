import 'server-only';
import type { Kysely } from 'kysely';
import { type PeerGroup, peerGroupOf } from '../../scoring/peer-group';
import { type PeriodScore, scorePeriod } from '../../scoring/period-score';
import type { ComponentScores } from '../../scoring/trip-score';
import type { Database } from '../schema';

// Where a car's driver stands: the period score over the rolling window and the percentile in
// the car's peer group — in plain words (the /methodology page says the same):
//  - The window is the last 30 days; the period score is the distance-weighted mean of its rated
//    trips (lib/scoring/period-score.ts).
//  - A car is ranked once it has at least 100 km and 5 rated trips in the window; until then it
//    has no period figures at all (a rank on three trips would be noise).
//  - The percentile is the share of the ranked cars of the same peer group whose period score is
//    lower, 0–100: higher is better. Trips that were not rated (too short, too sparse, impossible
//    readings) count for nothing on either side.
// Computed on demand from trip_scores, one aggregate query over the window.

export const STANDING_WINDOW_MS = 30 * 86_400_000;
export const MIN_RANKED_KM = 100;
export const MIN_RANKED_TRIPS = 5;

export type Standing = {
  period: PeriodScore;
  eligible: boolean;
  group: PeerGroup;
  /** Null while the car is not eligible. */
  percentile: number | null;
  groupSize: number | null;
  /** Position in the group, 1 = best (ties share the better place); null while not eligible. */
  rank: number | null;
};

type Vehicle = { id: string; powertrain: string; model: string };

/** Every car's distance-weighted score over the window, with its peer group. */
async function windowScores(db: Kysely<Database>, sinceMs: number) {
  const rows = await db
    .selectFrom('trip_scores')
    .innerJoin('vehicles', 'vehicles.id', 'trip_scores.vehicle_id')
    .select((eb) => [
      'trip_scores.vehicle_id',
      'vehicles.powertrain',
      'vehicles.model',
      eb.fn.sum<number>(eb('trip_scores.score', '*', eb.ref('trip_scores.distance_km'))).as('weighted'),
      eb.fn.sum<number>('trip_scores.distance_km').as('km'),
      eb.fn.countAll<number>().as('trips'),
    ])
    .where('trip_scores.started_at', '>=', sinceMs)
    .where('trip_scores.score', 'is not', null)
    .where('trip_scores.distance_km', '>', 0)
    .groupBy(['trip_scores.vehicle_id', 'vehicles.powertrain', 'vehicles.model'])
    .execute();
  return rows.map((row) => ({
    vehicleId: row.vehicle_id,
    group: peerGroupOf(row),
    score: Number(row.weighted) / Number(row.km),
    km: Number(row.km),
    trips: Number(row.trips),
  }));
}

const isRanked = (car: { km: number; trips: number }) =>
  car.km >= MIN_RANKED_KM && car.trips >= MIN_RANKED_TRIPS;

/** The car's own period over the window, from its trips' rows (components included). */
async function periodOf(db: Kysely<Database>, vehicleId: string, sinceMs: number): Promise<PeriodScore> {
  const rows = await db
    .selectFrom('trip_scores')
    .select(['distance_km', 'score', 'components'])
    .where('vehicle_id', '=', vehicleId)
    .where('started_at', '>=', sinceMs)
    .execute();
  return scorePeriod(
    rows.map((row) => ({
      distanceKm: row.distance_km ?? 0,
      score: row.score,
      components: JSON.parse(row.components) as ComponentScores,
    })),
  );
}

export async function standingOf(db: Kysely<Database>, vehicle: Vehicle, now: number): Promise<Standing> {
  const sinceMs = now - STANDING_WINDOW_MS;
  const group = peerGroupOf(vehicle);
  const period = await periodOf(db, vehicle.id, sinceMs);
  const eligible = isRanked({ km: period.ratedDistanceKm, trips: period.ratedTrips });
  if (!eligible || period.score === null)
    return { period, eligible: false, group, percentile: null, groupSize: null, rank: null };
  const mine = period.score;
  const others = (await windowScores(db, sinceMs)).filter(
    (car) => car.group.key === group.key && isRanked(car) && car.vehicleId !== vehicle.id,
  );
  const below = others.filter((car) => car.score < mine).length;
  const above = others.filter((car) => car.score > mine).length;
  const groupSize = others.length + 1;
  return { period, eligible: true, group, percentile: (100 * below) / groupSize, groupSize, rank: above + 1 };
}
