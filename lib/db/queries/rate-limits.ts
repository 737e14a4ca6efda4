import 'server-only';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema';

// Counters kept in the database, not in process memory, so that every app instance on one
// PostgreSQL sees the same count. A window opens at a key's first hit and lasts `windowMs`: a
// burst is never split in two by a clock boundary, so it cannot sneak past a limit that way.

export type RateLimitState = { count: number; retryAfterS: number };

function retryAfter(windowStart: number, windowMs: number, now: number): number {
  return Math.max(0, Math.ceil((windowStart + windowMs - now) / 1000));
}

/** Adds one hit to `key` and returns the count in its current window. */
export async function hitRateLimit(
  db: Kysely<Database>,
  key: string,
  windowMs: number,
  now = Date.now(),
): Promise<RateLimitState> {
  const openSince = now - windowMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        // Both expressions read the row as it was before this update (SQLite and PostgreSQL alike).
        count: sql<number>`case when rate_limits.window_start > ${openSince} then rate_limits.count + 1 else 1 end`,
        window_start: sql<number>`case when rate_limits.window_start > ${openSince} then rate_limits.window_start else ${now} end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  return { count: row.count, retryAfterS: retryAfter(row.window_start, windowMs, now) };
}

/** Reads the count in the key's current window without adding to it. */
export async function peekRateLimit(
  db: Kysely<Database>,
  key: string,
  windowMs: number,
  now = Date.now(),
): Promise<RateLimitState> {
  const row = await db
    .selectFrom('rate_limits')
    .select(['count', 'window_start'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row || row.window_start <= now - windowMs) return { count: 0, retryAfterS: 0 };
  return { count: row.count, retryAfterS: retryAfter(row.window_start, windowMs, now) };
}

export async function clearRateLimit(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}
