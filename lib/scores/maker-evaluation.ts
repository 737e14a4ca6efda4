import 'server-only';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

// The car maker's own eco-driving evaluation (PSA v1 `eco_evaluations`), shown beside Kinetic's
// score and never mixed into it: the maker's mark, on the maker's scale, with its criteria, as the
// maker gave it. For a period the most fitting evaluation is picked: this month's, else the one over
// all trips, else the latest day's. For a trip, the one of that trip. Owner-scoped like every read.

export type MakerEvaluationScope = 'trip' | 'day' | 'month' | 'all';

export type MakerEvaluation = {
  provider: string;
  scope: MakerEvaluationScope;
  /** The day (YYYY-MM-DD) or month (YYYY-MM) evaluated; null for a trip or all trips. */
  period: string | null;
  mark: number | null;
  scaleMax: number;
  criteria: Record<string, number>;
  at: number;
};

type Row = {
  provider: string;
  scope: string;
  at: number;
  mark: number | null;
  scale_max: number;
  criteria: string;
};

function evaluationOf(row: Row): MakerEvaluation {
  const [kind, ...rest] = row.scope.split(':');
  return {
    provider: row.provider,
    scope: kind as MakerEvaluationScope,
    period: kind === 'day' || kind === 'month' ? rest.join(':') : null,
    mark: row.mark,
    scaleMax: row.scale_max,
    criteria: JSON.parse(row.criteria) as Record<string, number>,
    at: Number(row.at),
  };
}

const ownedEvaluations = (db: Kysely<Database>, ownerId: string, vehicleId: string) =>
  db
    .selectFrom('eco_evaluations as e')
    .innerJoin('vehicles as v', 'v.id', 'e.vehicle_id')
    .select(['e.provider', 'e.scope', 'e.at', 'e.mark', 'e.scale_max', 'e.criteria'])
    .where('e.vehicle_id', '=', vehicleId)
    .where('v.user_id', '=', ownerId);

/** The maker's evaluation for the Score tab; null when the maker gives none (or not the owner's car). */
export async function periodMakerEvaluation(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
  now: number,
): Promise<MakerEvaluation | null> {
  const month = `month:${new Date(now).toISOString().slice(0, 7)}`;
  const [preferred, latestDay] = await Promise.all([
    ownedEvaluations(db, ownerId, vehicleId).where('e.scope', 'in', [month, 'all']).execute(),
    ownedEvaluations(db, ownerId, vehicleId)
      .where('e.scope', 'like', 'day:%')
      .orderBy('e.scope', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  const row =
    preferred.find((item) => item.scope === month) ??
    preferred.find((item) => item.scope === 'all') ??
    latestDay;
  return row ? evaluationOf(row) : null;
}

/** The maker's evaluation of one trip; null when there is none (or not the owner's trip). */
export async function tripMakerEvaluation(
  db: Kysely<Database>,
  ownerId: string,
  tripId: string,
): Promise<MakerEvaluation | null> {
  const trip = await db
    .selectFrom('trips as t')
    .innerJoin('vehicles as v', 'v.id', 't.vehicle_id')
    .select(['t.vehicle_id', 't.provider', 't.provider_trip_id'])
    .where('t.id', '=', tripId)
    .where('v.user_id', '=', ownerId)
    .executeTakeFirst();
  if (!trip) return null;
  const row = await ownedEvaluations(db, ownerId, trip.vehicle_id)
    .where('e.provider', '=', trip.provider)
    .where('e.scope', '=', `trip:${trip.provider_trip_id}`)
    .executeTakeFirst();
  return row ? evaluationOf(row) : null;
}
