import 'server-only';
import type { Kysely } from 'kysely';
import { percentileWeekAgo, standingOf } from '../db/queries/driver-standing';
import { MIN_RANKED_KM, MIN_RANKED_TRIPS } from '../db/queries/standings';
import { getVehicle } from '../db/queries/vehicles';
import type { Database, VehicleRow } from '../db/schema';
import type { GlanceScore } from '../schemas/glance';
import { type PeriodScore, scorePeriod } from '../scoring/period-score';
import type { ComponentScores, CostlyMoment, NotRatedReason, ScoreComponent } from '../scoring/trip-score';
import { noComponents, tipFor } from '../scoring/trip-score';

// What the score pages show of one owner's car: this week's score, where the car stands over the
// last 30 days and how that moved since a week ago, the tip, and the latest scored trips. Every
// read is scoped to the owner: another owner's car answers like a missing one (null).

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const RECENT_TRIPS = 10;

export type ScoredTripItem = {
  id: string;
  startedAt: number;
  distanceKm: number | null;
  score: number | null;
  notRatedReason: NotRatedReason | null;
};

export type VehicleScore = {
  week: Pick<PeriodScore, 'score' | 'ratedTrips' | 'ratedDistanceKm'>;
  standing: {
    eligible: boolean;
    score: number | null;
    percentile: number | null;
    group: { powertrain: string; segment: string };
    groupSize: number | null;
    ratedTrips: number;
    ratedDistanceKm: number;
    components: ComponentScores;
    /** Percentile points gained (+) or lost (−) since a week ago; null unless ranked at both. */
    movement: number | null;
  };
  requirements: { km: number; trips: number };
  tip: ScoreComponent | null;
  trips: ScoredTripItem[];
};

async function weekOf(db: Kysely<Database>, vehicleId: string, now: number) {
  const rows = await db
    .selectFrom('trip_scores')
    .select(['distance_km', 'score'])
    .where('vehicle_id', '=', vehicleId)
    .where('started_at', '>=', now - WEEK_MS)
    .execute();
  const period = scorePeriod(
    rows.map((row) => ({
      distanceKm: row.distance_km ?? 0,
      score: row.score,
      components: noComponents(),
    })),
  );
  return { score: period.score, ratedTrips: period.ratedTrips, ratedDistanceKm: period.ratedDistanceKm };
}

async function recentTrips(db: Kysely<Database>, vehicleId: string): Promise<ScoredTripItem[]> {
  const rows = await db
    .selectFrom('trip_scores')
    .select(['trip_id', 'started_at', 'distance_km', 'score', 'not_rated_reason'])
    .where('vehicle_id', '=', vehicleId)
    .orderBy('started_at', 'desc')
    .orderBy('trip_id', 'desc')
    .limit(RECENT_TRIPS)
    .execute();
  return rows.map((row) => ({
    id: row.trip_id,
    startedAt: Number(row.started_at),
    distanceKm: row.distance_km,
    score: row.score,
    notRatedReason: row.not_rated_reason as NotRatedReason | null,
  }));
}

const movementOf = (now: number | null, before: number | null) =>
  now !== null && before !== null ? now - before : null;

export async function getVehicleScore(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
  now: number,
): Promise<VehicleScore | null> {
  const vehicle = await getVehicle(db, ownerId, vehicleId);
  if (!vehicle) return null;
  const [week, standing, before, trips] = await Promise.all([
    weekOf(db, vehicle.id, now),
    standingOf(db, vehicle, now),
    percentileWeekAgo(db, vehicle, now),
    recentTrips(db, vehicle.id),
  ]);
  return {
    week,
    standing: {
      eligible: standing.eligible,
      score: standing.period.score,
      percentile: standing.percentile,
      group: { powertrain: standing.group.powertrain, segment: standing.group.segment },
      groupSize: standing.groupSize,
      ratedTrips: standing.period.ratedTrips,
      ratedDistanceKm: standing.period.ratedDistanceKm,
      components: standing.period.components,
      movement: movementOf(standing.percentile, before),
    },
    requirements: { km: MIN_RANKED_KM, trips: MIN_RANKED_TRIPS },
    tip: tipFor(standing.period.components),
    trips,
  };
}

export type TripScoreDetail = {
  score: number | null;
  notRatedReason: NotRatedReason | null;
  components: ComponentScores;
  moments: CostlyMoment[];
  tip: ScoreComponent | null;
};

/** One trip's score and explanation, the owner's only; null when missing, foreign or not scored yet. */
export async function getTripScore(
  db: Kysely<Database>,
  ownerId: string,
  tripId: string,
): Promise<TripScoreDetail | null> {
  const row = await db
    .selectFrom('trip_scores')
    .innerJoin('vehicles', 'vehicles.id', 'trip_scores.vehicle_id')
    .select([
      'trip_scores.score',
      'trip_scores.not_rated_reason',
      'trip_scores.components',
      'trip_scores.moments',
      'trip_scores.tip',
    ])
    .where('trip_scores.trip_id', '=', tripId)
    .where('vehicles.user_id', '=', ownerId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    score: row.score,
    notRatedReason: row.not_rated_reason as NotRatedReason | null,
    components: JSON.parse(row.components) as ComponentScores,
    moments: JSON.parse(row.moments) as CostlyMoment[],
    tip: row.tip as ScoreComponent | null,
  };
}

/** The glance's score card: this week's score and the 30-day rank, in one round of reads. */
export async function glanceScore(
  db: Kysely<Database>,
  vehicle: Pick<VehicleRow, 'id' | 'powertrain' | 'model'>,
  now: number,
): Promise<GlanceScore> {
  const [week, standing] = await Promise.all([weekOf(db, vehicle.id, now), standingOf(db, vehicle, now)]);
  return {
    week: { score: week.score, ratedTrips: week.ratedTrips },
    rank: {
      percentile: standing.percentile,
      group: { powertrain: standing.group.powertrain, segment: standing.group.segment },
      groupSize: standing.groupSize,
    },
    progress: {
      ratedKm: standing.period.ratedDistanceKm,
      ratedTrips: standing.period.ratedTrips,
      requiredKm: MIN_RANKED_KM,
      requiredTrips: MIN_RANKED_TRIPS,
    },
  };
}
