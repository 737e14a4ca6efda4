import 'server-only';
import type { Kysely } from 'kysely';
import { standingToCopy } from '../db/queries/standings';
import { getVehicle } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import { randomPseudonym } from '../sharing/pseudonym';

// A car on the public boards (its peer group, its model, everyone): only when its owner asks,
// under a random pseudonym the owner can renew, and gone at once when they leave. Scoped to the
// owner: another owner's car answers like a missing one (null / false).

export type Listing = { pseudonym: string; listedAt: number };

export async function getListing(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
): Promise<Listing | null> {
  const row = await db
    .selectFrom('leaderboard_listings')
    .select(['pseudonym', 'listed_at'])
    .where('vehicle_id', '=', vehicleId)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return row ? { pseudonym: row.pseudonym, listedAt: Number(row.listed_at) } : null;
}

/** Lists the owner's car (keeping its pseudonym when already listed); null when not the owner's. */
export async function joinPublicBoards(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
  now = Date.now(),
): Promise<Listing | null> {
  const vehicle = await getVehicle(db, ownerId, vehicleId);
  if (!vehicle) return null;
  await db.transaction().execute(async (trx) => {
    // The standing's copy, read in this transaction; refreshStanding keeps it from then on.
    const copy = await standingToCopy(trx, vehicle.id);
    await trx
      .insertInto('leaderboard_listings')
      .values({
        vehicle_id: vehicle.id,
        owner_id: ownerId,
        pseudonym: randomPseudonym(),
        listed_at: now,
        ...copy,
      })
      .onConflict((oc) => oc.column('vehicle_id').doNothing())
      .execute();
  });
  return getListing(db, ownerId, vehicle.id);
}

export async function leavePublicBoards(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('leaderboard_listings')
    .where('vehicle_id', '=', vehicleId)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A new random pseudonym for a listed car; null when it is not listed or not the owner's. */
export async function renewListingPseudonym(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
): Promise<string | null> {
  const pseudonym = randomPseudonym();
  const result = await db
    .updateTable('leaderboard_listings')
    .set({ pseudonym })
    .where('vehicle_id', '=', vehicleId)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0 ? pseudonym : null;
}
