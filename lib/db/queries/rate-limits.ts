import 'server-only';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema';

// Fixed-window counters kept in the database, not in process memory, so that every app instance
// on one PostgreSQL sees the same count.

export type RateLimitState = { count: number; retryAfterS: number };

/** Adds one hit to `key` and returns the count in the current window. */
export async function hitRateLimit(
  db: Kysely<Database>,
  key: string,
  windowMs: number,
  now = Date.now(),
): Promise<RateLimitState> {
  const windowStart = now - (now % windowMs);
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        // A hit in a newer window restarts the count; one in the same window adds to it.
        count: sql<number>`case when rate_limits.window_start = ${windowStart} then rate_limits.count + 1 else 1 end`,
        window_start: windowStart,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  return { count: row.count, retryAfterS: Math.ceil((row.window_start + windowMs - now) / 1000) };
}

/** Reads the count in the current window without adding to it. */
export async function peekRateLimit(
  db: Kysely<Database>,
  key: string,
  windowMs: number,
  now = Date.now(),
): Promise<RateLimitState> {
  const windowStart = now - (now % windowMs);
  const row = await db
    .selectFrom('rate_limits')
    .select(['count', 'window_start'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row || row.window_start !== windowStart) return { count: 0, retryAfterS: 0 };
  return { count: row.count, retryAfterS: Math.ceil((row.window_start + windowMs - now) / 1000) };
}

export async function clearRateLimit(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}
