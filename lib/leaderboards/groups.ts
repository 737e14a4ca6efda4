import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { standingToCopy } from '../db/queries/standings';
import { getVehicle } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import { randomPseudonym } from '../sharing/pseudonym';
import { hashToken, newShareToken, TOKEN_PATTERN } from '../sharing/share-links';

// Private groups (a family, friends, a company): made by an owner with one of their cars, joined
// by other owners' cars through an invite link. The invite token is 256 random bits kept only as
// its SHA-256, shown once to the maker, who can renew it (the old link stops working). Each member
// is a car under its own random pseudonym; leaving deletes the membership at once, and the last
// one out deletes the group. Every call is scoped to the signed-in owner.

export const MAX_GROUP_NAME = 60;
/** Groups one car may be in: enough for family, friends and work, not a spray. */
export const MAX_GROUPS_PER_VEHICLE = 20;

export type GroupSummary = {
  id: string;
  name: string;
  members: number;
  pseudonym: string;
  /** Whether the signed-in owner made the group (and may renew its invite). */
  mine: boolean;
};

export class GroupLimitError extends Error {}

/** The car's bin and score as a membership carries them (refreshStanding keeps them current). */
async function standingCopy(db: Kysely<Database> | Transaction<Database>, vehicleId: string) {
  const { bin, score } = await standingToCopy(db, vehicleId);
  return { bin, score };
}

async function groupsOfCar(db: Kysely<Database>, vehicleId: string) {
  return db
    .selectFrom('driver_group_members')
    .select('group_id')
    .where('vehicle_id', '=', vehicleId)
    .execute();
}

/** A new group with the owner's car as its first member; null when the car is not the owner's. */
export async function createGroup(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
  name: string,
  now = Date.now(),
): Promise<{ id: string; name: string; inviteToken: string } | null> {
  const vehicle = await getVehicle(db, ownerId, vehicleId);
  if (!vehicle) return null;
  if ((await groupsOfCar(db, vehicle.id)).length >= MAX_GROUPS_PER_VEHICLE) throw new GroupLimitError();
  const id = randomUUID();
  const inviteToken = newShareToken();
  await db.transaction().execute(async (trx) => {
    const copy = await standingCopy(trx, vehicle.id);
    await trx
      .insertInto('driver_groups')
      .values({ id, name, owner_id: ownerId, invite_token_hash: hashToken(inviteToken), created_at: now })
      .execute();
    await trx
      .insertInto('driver_group_members')
      .values({
        ...copy,
        group_id: id,
        vehicle_id: vehicle.id,
        owner_id: ownerId,
        pseudonym: randomPseudonym(),
        joined_at: now,
      })
      .execute();
  });
  return { id, name, inviteToken };
}

/** A new invite token for the owner's group (the old link stops working); null if not theirs. */
export async function renewGroupInvite(
  db: Kysely<Database>,
  ownerId: string,
  groupId: string,
): Promise<string | null> {
  const inviteToken = newShareToken();
  const result = await db
    .updateTable('driver_groups')
    .set({ invite_token_hash: hashToken(inviteToken) })
    .where('id', '=', groupId)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0 ? inviteToken : null;
}

/** The group an invite opens (its name and size, for the join page); null for any bad token. Read-only. */
export async function groupByInvite(
  db: Kysely<Database>,
  token: string,
): Promise<{ id: string; name: string; members: number } | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const group = await db
    .selectFrom('driver_groups')
    .select(['id', 'name'])
    .where('invite_token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!group) return null;
  const count = await db
    .selectFrom('driver_group_members')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('group_id', '=', group.id)
    .executeTakeFirstOrThrow();
  return { id: group.id, name: group.name, members: Number(count.n) };
}

/** Joins the owner's car to the group behind a live invite; null for a bad token or a foreign car. */
export async function joinGroup(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
  token: string,
  now = Date.now(),
): Promise<{ groupId: string } | null> {
  const [vehicle, group] = await Promise.all([getVehicle(db, ownerId, vehicleId), groupByInvite(db, token)]);
  if (!vehicle || !group) return null;
  const groups = await groupsOfCar(db, vehicle.id);
  if (groups.some((row) => row.group_id === group.id)) return { groupId: group.id };
  if (groups.length >= MAX_GROUPS_PER_VEHICLE) throw new GroupLimitError();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('driver_group_members')
      .values({
        ...(await standingCopy(trx, vehicle.id)),
        group_id: group.id,
        vehicle_id: vehicle.id,
        owner_id: ownerId,
        pseudonym: randomPseudonym(),
        joined_at: now,
      })
      .onConflict((oc) => oc.columns(['group_id', 'vehicle_id']).doNothing())
      .execute();
  });
  return { groupId: group.id };
}

/** Takes the owner's car out of the group at once; the last member out deletes the group. */
export async function leaveGroup(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
  groupId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom('driver_group_members')
      .where('group_id', '=', groupId)
      .where('vehicle_id', '=', vehicleId)
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return false;
    const left = await trx
      .selectFrom('driver_group_members')
      .select('vehicle_id')
      .where('group_id', '=', groupId)
      .limit(1)
      .executeTakeFirst();
    if (!left) await trx.deleteFrom('driver_groups').where('id', '=', groupId).execute();
    return true;
  });
}

/** The groups the owner's car is in, by name; empty for a foreign or missing car. */
export async function groupsOfVehicle(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
): Promise<GroupSummary[]> {
  const rows = await db
    .selectFrom('driver_group_members as mine')
    .innerJoin('driver_groups as g', 'g.id', 'mine.group_id')
    .select((eb) => [
      'g.id',
      'g.name',
      'g.owner_id',
      'mine.pseudonym',
      eb
        .selectFrom('driver_group_members as all')
        .select(eb.fn.countAll<number | string>().as('n'))
        .whereRef('all.group_id', '=', 'g.id')
        .as('members'),
    ])
    .where('mine.vehicle_id', '=', vehicleId)
    .where('mine.owner_id', '=', ownerId)
    .orderBy('g.name')
    .orderBy('g.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    members: Number(row.members),
    pseudonym: row.pseudonym,
    mine: row.owner_id === ownerId,
  }));
}
