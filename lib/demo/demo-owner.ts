import 'server-only';
import type { Kysely } from 'kysely';
import { deleteUser, ensurePasswordlessUser, getUserByEmail } from '../db/queries/users';
import type { Database, UserRow } from '../db/schema';

export const DEMO_EMAIL = 'demo@kinetic.local';
export const DEMO_NAME = 'Demo driver';

/**
 * Returns the demo owner, creating it when missing. It has no password: the only way in is the
 * "Try the demo" button, which exists only while DEMO is on.
 */
export async function ensureDemoOwner(db: Kysely<Database>): Promise<UserRow> {
  return ensurePasswordlessUser(db, { email: DEMO_EMAIL, name: DEMO_NAME, isDemo: true });
}

/** Restores the demo world: the demo owner and everything it owns are recreated from scratch. */
export async function resetDemo(db: Kysely<Database>): Promise<UserRow> {
  const existing = await getUserByEmail(db, DEMO_EMAIL);
  if (existing) await deleteUser(db, existing.id);
  return ensureDemoOwner(db);
}
