import 'server-only';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { TripDetailDto, TripRouteDto } from '../schemas/trips';
import { projectRoute } from './route-geometry';
import { toTripDto } from './trip-dto';

// One trip with its route, for the detail page: the summary and events of the stored trip, and
// the positions the car reported between its start and end, simplified and projected on the
// server so the page ships a short SVG path (≤ 300 points), never the raw samples or map tiles.

export const ROUTE_MAX_POINTS = 300;

/** The owner's trip of that vehicle, or null (another owner's, another car's or missing alike). */
export async function getOwnerTrip(
  db: Kysely<Database>,
  userId: string,
  vehicleId: string,
  tripId: string,
): Promise<TripDetailDto | null> {
  const row = await db
    .selectFrom('trips')
    .innerJoin('vehicles', 'vehicles.id', 'trips.vehicle_id')
    .leftJoin('trip_tags', 'trip_tags.trip_id', 'trips.id')
    .selectAll('trips')
    .select(['vehicles.label as vehicle_label', 'trip_tags.tag as tag'])
    .where('vehicles.user_id', '=', userId)
    .where('trips.vehicle_id', '=', vehicleId)
    .where('trips.id', '=', tripId)
    .executeTakeFirst();
  if (!row) return null;
  // A trip still under way has no end yet: its route so far runs to what has been observed.
  const until = row.ended_at ?? row.observed_until;
  const positions = await db
    .selectFrom('samples')
    .select(['latitude', 'longitude'])
    .where('vehicle_id', '=', vehicleId)
    .where('at', '>=', row.started_at)
    .where('at', '<=', until)
    .where('latitude', 'is not', null)
    .where('longitude', 'is not', null)
    .orderBy('at')
    .execute();
  const projected = projectRoute(
    positions.map((p) => ({ latitude: p.latitude as number, longitude: p.longitude as number })),
    { maxPoints: ROUTE_MAX_POINTS },
  );
  const route: TripRouteDto = projected === null ? { available: false } : { available: true, ...projected };
  return { trip: toTripDto(row), route };
}
