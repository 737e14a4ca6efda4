import 'server-only';
import type { Kysely } from 'kysely';
import type { Database, TripsTable } from '../schema';

// Trips as the owner sees them. Every read joins the vehicle and filters on its owner inside the
// query: another owner's vehicle or trip simply matches no row, like one that never existed.

export type TripRow = TripsTable;

export type TripFilter = { vehicleId?: string; fromMs?: number; toMs?: number; limit?: number };

export const MAX_TRIPS_PER_READ = 5000;

/** The owner's trips that started in [fromMs, toMs), oldest first. */
export async function listTrips(
  db: Kysely<Database>,
  ownerId: string,
  filter: TripFilter = {},
): Promise<TripRow[]> {
  let query = db
    .selectFrom('trips')
    .innerJoin('vehicles', 'vehicles.id', 'trips.vehicle_id')
    .selectAll('trips')
    .where('vehicles.user_id', '=', ownerId);
  if (filter.vehicleId !== undefined) query = query.where('trips.vehicle_id', '=', filter.vehicleId);
  if (filter.fromMs !== undefined) query = query.where('trips.started_at', '>=', filter.fromMs);
  if (filter.toMs !== undefined) query = query.where('trips.started_at', '<', filter.toMs);
  return query
    .orderBy('trips.started_at', 'asc')
    .orderBy('trips.id', 'asc')
    .limit(Math.min(filter.limit ?? MAX_TRIPS_PER_READ, MAX_TRIPS_PER_READ))
    .execute();
}
