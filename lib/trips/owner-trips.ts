import 'server-only';
import type { Kysely } from 'kysely';
import { getVehicle } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import { isTimeZone, TIME_ZONE_COOKIE } from '../i18n/locales';
import { DEFAULT_TRIPS_PAGE, type TripFilterQuery, type TripListDto } from '../schemas/trips';
import { listOwnerTrips, type OwnerTripFilter, tripTotals } from './list';
import { toTripDto } from './trip-dto';
import { endOfDay, startOfDay } from './zoned-day';

// The list answer the API route and the /trips page share: a page of trips and the totals of the
// whole filter, read together. One function, so the page's server render and the client's query
// hold the very same DTO.

const isDay = (text: string) => text.length === 10;

/**
 * The query string's filter as the data layer's (instants in epoch ms). A bare day is the owner's
 * calendar day in `timeZone` (the zone the dashboard shows times in); `to` includes its day.
 */
export function ownerTripFilter(query: TripFilterQuery, timeZone = 'UTC'): OwnerTripFilter {
  const from =
    query.from === undefined
      ? undefined
      : isDay(query.from)
        ? startOfDay(query.from, timeZone)
        : Date.parse(query.from);
  const to =
    query.to === undefined
      ? undefined
      : isDay(query.to)
        ? endOfDay(query.to, timeZone)
        : Date.parse(query.to);
  return {
    ...(query.vehicleId !== undefined ? { vehicleId: query.vehicleId } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(query.tag !== undefined ? { tag: query.tag } : {}),
  };
}

/** Null when the filter names a vehicle that is not the owner's (the route answers 404). */
export async function ownerTripList(
  db: Kysely<Database>,
  userId: string,
  query: TripFilterQuery & { cursor?: string; limit?: number },
  timeZone = 'UTC',
): Promise<TripListDto | null> {
  if (query.vehicleId !== undefined && !(await getVehicle(db, userId, query.vehicleId))) return null;
  const filter = ownerTripFilter(query, timeZone);
  const [page, totals] = await Promise.all([
    listOwnerTrips(db, userId, {
      ...filter,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      limit: query.limit ?? DEFAULT_TRIPS_PAGE,
    }),
    tripTotals(db, userId, filter),
  ]);
  return { trips: page.trips.map(toTripDto), nextCursor: page.nextCursor, totals };
}

/** The zone the dashboard shows this request's times in (lib/i18n/request.ts): its cookie, else UTC. */
export function requestTimeZone(request: Request): string {
  const cookie = request.headers.get('cookie') ?? '';
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TIME_ZONE_COOKIE) {
      const value = decodeURIComponent(rest.join('='));
      if (isTimeZone(value)) return value;
    }
  }
  return 'UTC';
}
