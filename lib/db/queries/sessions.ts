import 'server-only';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema';

// A session row is what makes a signed-in browser signed in. The (encrypted) cookie only carries
// the row's id: deleting the row signs that browser out even though its cookie is still valid.

const DAY_MS = 24 * 60 * 60 * 1000;
/** Absolute limit: a session ends 30 days after sign-in, however busy it has been. */
export const SESSION_MAX_AGE_MS = 30 * DAY_MS;
/**
 * Idle limit: a session unused for 7 days ends too (ASVS 7.3.1), so a browser left signed in on a
 * shared or lost device does not stay a way in for the whole month. A week keeps an owner who
 * checks their car weekly signed in; "unused" is measured on last_seen_at, which every signed-in
 * request moves forward (at most once a minute, below).
 */
export const SESSION_IDLE_MS = 7 * DAY_MS;
// Writing last_seen_at on every request would turn every page view into a write; once a minute
// is precise enough for "active sessions".
const TOUCH_INTERVAL_MS = 60 * 1000;

export type ActiveSession = {
  sessionId: string;
  userId: string;
  email: string;
  name: string | null;
  isDemo: boolean;
  timeZone: string | null;
};

export async function createSession(
  db: Kysely<Database>,
  input: { userId: string; userAgent?: string | null; ip?: string | null; now?: number },
): Promise<string> {
  const now = input.now ?? Date.now();
  const id = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      id,
      user_id: input.userId,
      created_at: now,
      expires_at: now + SESSION_MAX_AGE_MS,
      last_seen_at: now,
      user_agent: input.userAgent?.slice(0, 256) ?? null,
      ip: input.ip?.slice(0, 64) ?? null,
    })
    .execute();
  return id;
}

export async function getActiveSession(
  db: Kysely<Database>,
  sessionId: string,
  now = Date.now(),
): Promise<ActiveSession | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.last_seen_at',
      'users.id as user_id',
      'users.email',
      'users.name',
      'users.is_demo',
      'users.time_zone',
    ])
    .where('sessions.id', '=', sessionId)
    .where('sessions.expires_at', '>', now)
    .where('sessions.last_seen_at', '>', now - SESSION_IDLE_MS)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  if (now - row.last_seen_at > TOUCH_INTERVAL_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
  }
  return {
    sessionId: row.session_id,
    userId: row.user_id,
    email: row.email,
    name: row.name,
    isDemo: row.is_demo === 1,
    timeZone: row.time_zone,
  };
}

export async function listSessions(db: Kysely<Database>, userId: string, now = Date.now()) {
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'user_agent'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', now - SESSION_IDLE_MS)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function deleteSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteSessionsForUser(db: Kysely<Database>, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes the sessions that have ended: past their absolute limit or idle for too long. */
export async function deleteExpiredSessions(db: Kysely<Database>, now = Date.now()): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - SESSION_IDLE_MS)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
