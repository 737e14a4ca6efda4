import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { TAINT_MESSAGES, taintValue } from '../../security/taint';
import type { Database, UserRow } from '../schema';
import { releaseStandings } from './standings';

// Users are the root of ownership, so these queries take the user's own id or e-mail rather than
// an owner id. E-mail addresses are stored trimmed and lower-cased; lookups normalise the same way.

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Every user row this module answers carries the password hash: tainted while the row lives. */
function taintedRow<T extends UserRow | undefined>(row: T): T {
  if (row) taintValue(TAINT_MESSAGES.passwordHash, row, row.password_hash);
  return row;
}

export async function getUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | null> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
  return taintedRow(row) ?? null;
}

export async function getUserById(db: Kysely<Database>, id: string): Promise<UserRow | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return taintedRow(row) ?? null;
}

export async function createUser(
  db: Kysely<Database>,
  input: { email: string; name?: string | null; passwordHash: string | null; isDemo?: boolean; now?: number },
): Promise<UserRow> {
  const now = input.now ?? Date.now();
  const row = {
    id: randomUUID(),
    email: normalizeEmail(input.email),
    name: input.name ?? null,
    password_hash: input.passwordHash,
    is_demo: input.isDemo ? 1 : 0,
    time_zone: null,
    disabled_at: null,
    created_at: now,
    updated_at: now,
  };
  // The preference columns (migration 0010) are left to their null default, so this also works on
  // a database not yet migrated that far (migration tests create owners at earlier versions).
  await db.insertInto('users').values(row).execute();
  return taintedRow({ ...row, locale: null, speed_unit: null, fuel_unit: null, energy_unit: null });
}

/**
 * The password-less user with this address, created when missing (the demo owner, simulated
 * peers, users who signed in with a car maker). Two processes creating it at once agree: the
 * loser's insert fails on the unique address and it returns the winner's row.
 */
export async function ensurePasswordlessUser(
  db: Kysely<Database>,
  input: { email: string; name?: string | null; isDemo?: boolean },
): Promise<UserRow> {
  const existing = await getUserByEmail(db, input.email);
  if (existing) return existing;
  try {
    return await createUser(db, { ...input, passwordHash: null });
  } catch (error) {
    const raced = await getUserByEmail(db, input.email);
    if (raced) return raced;
    throw error;
  }
}

export async function setPasswordHash(
  db: Kysely<Database>,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: Date.now() })
    .where('id', '=', userId)
    .execute();
}

export async function setUserDisabled(
  db: Kysely<Database>,
  userId: string,
  disabled: boolean,
): Promise<void> {
  const now = Date.now();
  await db
    .updateTable('users')
    .set({ disabled_at: disabled ? now : null, updated_at: now })
    .where('id', '=', userId)
    .execute();
}

export async function deleteUser(db: Kysely<Database>, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await releaseStandings(trx, { ownerId: userId });
    await trx.deleteFrom('users').where('id', '=', userId).execute();
  });
}

export async function isEmailTaken(db: Kysely<Database>, email: string): Promise<boolean> {
  return (await getUserByEmail(db, email)) !== null;
}

export async function updateUserProfile(
  db: Kysely<Database>,
  userId: string,
  changes: { name?: string | null; timeZone?: string | null },
): Promise<UserRow | null> {
  const set: { name?: string | null; time_zone?: string | null; updated_at: number } = {
    updated_at: Date.now(),
  };
  if (changes.name !== undefined) set.name = changes.name || null;
  if (changes.timeZone !== undefined) set.time_zone = changes.timeZone;
  await db.updateTable('users').set(set).where('id', '=', userId).execute();
  return getUserById(db, userId);
}
