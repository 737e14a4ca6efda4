import 'server-only';
import { type Kysely, sql } from 'kysely';
import type { TripRow } from '../db/queries/trips';
import type { Database } from '../db/schema';
import type { TripTag } from '../db/schema-trip-tags';
import { AppError } from '../errors';
import { MAX_TRIPS_PAGE, type TripTagFilter } from '../schemas/trips';

// The owner's trips for the dashboard: a filter (car, start between two instants, tag), pages in
// keyset order (newest first; ties on the start broken by id, so equal starts neither repeat nor
// vanish across pages), and totals of the whole filter in one aggregate query. Every query joins
// the vehicle and keeps the owner's only.

export type OwnerTripFilter = {
  vehicleId?: string;
  /** Trips that started at or after this instant (epoch ms). */
  from?: number;
  /** Trips that started before this instant (epoch ms). */
  to?: number;
  tag?: TripTagFilter;
};

export type OwnerTripRow = TripRow & { vehicle_label: string; tag: TripTag | null };

export type TripPage = { trips: OwnerTripRow[]; nextCursor: string | null };

export type TripTotals = {
  count: number;
  distanceKm: number;
  durationS: number;
  fuelUsedL: number;
  energyUsedKwh: number;
};

type Cursor = { startedAt: number; id: string };

/** An opaque, URL-safe cursor: the last row's (started_at, id). */
export function encodeTripCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.startedAt, cursor.id])).toString('base64url');
}

/** The cursor's position, or null when it is not one of ours. */
export function decodeTripCursor(text: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      value[1].length > 0
    )
      return { startedAt: value[0] as number, id: value[1] };
  } catch {
    // Not base64url JSON: fall through.
  }
  return null;
}

function filtered(db: Kysely<Database>, userId: string, filter: OwnerTripFilter) {
  let query = db
    .selectFrom('trips')
    .innerJoin('vehicles', 'vehicles.id', 'trips.vehicle_id')
    .leftJoin('trip_tags', 'trip_tags.trip_id', 'trips.id')
    .where('vehicles.user_id', '=', userId);
  if (filter.vehicleId !== undefined) query = query.where('trips.vehicle_id', '=', filter.vehicleId);
  if (filter.from !== undefined) query = query.where('trips.started_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('trips.started_at', '<', filter.to);
  if (filter.tag === 'untagged') query = query.where('trip_tags.tag', 'is', null);
  else if (filter.tag !== undefined) query = query.where('trip_tags.tag', '=', filter.tag);
  return query;
}

/** One page of the owner's trips, newest first; `cursor` is the previous page's `nextCursor`. */
export async function listOwnerTrips(
  db: Kysely<Database>,
  userId: string,
  options: OwnerTripFilter & { cursor?: string | null; limit: number },
): Promise<TripPage> {
  const limit = Math.max(1, Math.min(MAX_TRIPS_PAGE, Math.floor(options.limit)));
  let query = filtered(db, userId, options)
    .selectAll('trips')
    .select(['vehicles.label as vehicle_label', 'trip_tags.tag as tag']);
  if (options.cursor) {
    const cursor = decodeTripCursor(options.cursor);
    // A cursor this list did not make (tampered, truncated) is the caller's mistake: a 400.
    if (cursor === null) throw new AppError('bad_request', 'cursor: not a cursor this list gave.');
    query = query.where((eb) =>
      eb.or([
        eb('trips.started_at', '<', cursor.startedAt),
        eb.and([eb('trips.started_at', '=', cursor.startedAt), eb('trips.id', '<', cursor.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('trips.started_at', 'desc')
    .orderBy('trips.id', 'desc')
    .limit(limit + 1)
    .execute();
  const trips = rows.slice(0, limit);
  const last = trips[trips.length - 1];
  return {
    trips,
    nextCursor:
      rows.length > limit && last ? encodeTripCursor({ startedAt: last.started_at, id: last.id }) : null,
  };
}

/** Counts and sums over the whole filter (not just a page), in one query. */
export async function tripTotals(
  db: Kysely<Database>,
  userId: string,
  filter: OwnerTripFilter,
): Promise<TripTotals> {
  const row = await filtered(db, userId, filter)
    .select([
      sql<number | string>`count(*)`.as('count'),
      sql<number | string | null>`sum(trips.distance_km)`.as('distance'),
      sql<number | string | null>`sum(trips.duration_s)`.as('duration'),
      sql<number | string | null>`sum(trips.fuel_used_l)`.as('fuel'),
      sql<number | string | null>`sum(trips.energy_used_kwh)`.as('energy'),
    ])
    .executeTakeFirstOrThrow();
  return {
    count: Number(row.count),
    distanceKm: Number(row.distance ?? 0),
    durationS: Number(row.duration ?? 0),
    fuelUsedL: Number(row.fuel ?? 0),
    energyUsedKwh: Number(row.energy ?? 0),
  };
}
