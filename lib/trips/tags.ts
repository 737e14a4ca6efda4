import 'server-only';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { TripTag } from '../db/schema-trip-tags';

// The owner's business/private tag of a trip (migration 0009). Ownership is checked in the same
// statement family: the trip must belong to one of the owner's cars, else nothing changes.

/**
 * Sets (or with null clears) the tag. Returns false when the trip is not the owner's (or does not
 * exist, or is not of that vehicle when one is given): the route answers 404 either way.
 */
export async function setTripTag(
  db: Kysely<Database>,
  userId: string,
  tripId: string,
  tag: TripTag | null,
  options: { vehicleId?: string; now?: number } = {},
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    let owned = trx
      .selectFrom('trips')
      .innerJoin('vehicles', 'vehicles.id', 'trips.vehicle_id')
      .select('trips.id')
      .where('vehicles.user_id', '=', userId)
      .where('trips.id', '=', tripId);
    if (options.vehicleId !== undefined) owned = owned.where('trips.vehicle_id', '=', options.vehicleId);
    if (!(await owned.executeTakeFirst())) return false;
    if (tag === null) {
      await trx.deleteFrom('trip_tags').where('trip_id', '=', tripId).execute();
      return true;
    }
    const updatedAt = options.now ?? Date.now();
    await trx
      .insertInto('trip_tags')
      .values({ trip_id: tripId, tag, updated_at: updatedAt })
      .onConflict((oc) => oc.column('trip_id').doUpdateSet({ tag, updated_at: updatedAt }))
      .execute();
    return true;
  });
}
