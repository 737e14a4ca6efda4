import type { Kysely } from 'kysely';
import { markStandingStale } from '@/lib/db/queries/standings';
import { createUser } from '@/lib/db/queries/users';
import { storeVehicleData } from '@/lib/db/queries/vehicle-data';
import { createVehicle } from '@/lib/db/queries/vehicles';
import type { Database } from '@/lib/db/schema';
import { noComponents } from '@/lib/scoring/trip-score';
import { emptyVehicleData, type Trip } from '@/lib/telemetry/model';

// Cars with trip scores written straight into trip_scores (no readings): the standings and the
// leaderboards read nothing else, and this gives any score to any car in a few milliseconds.

export const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 6, 15, 12);

export type ScoredTripSpec = { daysAgo: number; km: number; score: number | null };
export type Car = {
  ownerId: string;
  vehicleId: string;
  model: string;
  powertrain: string;
  trips: ScoredTripSpec[];
};

let counter = 0;
export async function carWithScores(
  db: Kysely<Database>,
  spec: { model?: string; powertrain?: string; trips: ScoredTripSpec[]; now?: number; email?: string },
): Promise<Car> {
  counter++;
  const model = spec.model ?? '208';
  const powertrain = spec.powertrain ?? 'petrol';
  const now = spec.now ?? NOW;
  const owner = await createUser(db, {
    email: spec.email ?? `standing${counter}@example.com`,
    passwordHash: 'h',
  });
  const vehicle = await createVehicle(db, owner.id, {
    label: `Car ${counter}`,
    brand: 'peugeot',
    model,
    powertrain,
    vin: `VF3STND${String(counter).padStart(10, '0')}`,
  });
  const trips: Trip[] = spec.trips.map((trip, index) => ({
    providerTripId: `t${index}`,
    startedAt: now - trip.daysAgo * DAY,
    endedAt: now - trip.daysAgo * DAY + 600_000,
    durationS: 600,
    distanceKm: trip.km,
    source: { provider: 'psa-v4', ref: 'trips' },
  }));
  await storeVehicleData(db, vehicle.id, { ...emptyVehicleData(), trips });
  const rows = await db
    .selectFrom('trips')
    .select(['id', 'started_at'])
    .where('vehicle_id', '=', vehicle.id)
    .orderBy('started_at')
    .execute();
  const bySpec = [...spec.trips].sort((a, b) => b.daysAgo - a.daysAgo);
  for (const [index, row] of rows.entries()) {
    const trip = bySpec[index] as ScoredTripSpec;
    await db
      .insertInto('trip_scores')
      .values({
        trip_id: row.id,
        vehicle_id: vehicle.id,
        started_at: Number(row.started_at),
        distance_km: trip.km,
        score: trip.score,
        not_rated_reason: trip.score === null ? 'too_short' : null,
        components: JSON.stringify({ ...noComponents(), smoothness: trip.score }),
        moments: '[]',
        tip: null,
        version: 1,
        scored_at: now,
      })
      .execute();
    await markStandingStale(db, vehicle.id);
  }
  return { ownerId: owner.id, vehicleId: vehicle.id, model, powertrain, trips: spec.trips };
}

/** Five 30 km trips over the last three weeks at `score`: a ranked car. */
export const ranked = (score: number) =>
  Array.from({ length: 5 }, (_, i) => ({ daysAgo: 1 + i * 4, km: 30, score }));
