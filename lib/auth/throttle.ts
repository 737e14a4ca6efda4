import 'server-only';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { clearRateLimit, hitRateLimit } from '../db/queries/rate-limits';
import { normalizeEmail } from '../db/queries/users';
import type { Database } from '../db/schema';

// Limits from docs/security-tests.md AC-14: failed sign-ins per account and per address, counted
// in the database so every instance shares them. Sign-ups are throttled per address so that
// "this address is taken" cannot be used to list accounts quickly.
export const SIGN_IN_LIMITS = {
  perAccount: { max: 5, windowMs: 60_000 },
  perAddress: { max: 20, windowMs: 60_000 },
};
export const SIGN_UP_LIMIT = { max: 10, windowMs: 60 * 60_000 };

// Keys are hashed: the table then never holds e-mail addresses or IPs in clear.
function keyFor(kind: string, value: string): string {
  return `${kind}:${createHash('sha256').update(value).digest('base64url').slice(0, 32)}`;
}

const accountKey = (email: string) => keyFor('signin-account', normalizeEmail(email));
const addressKey = (ip: string) => keyFor('signin-ip', ip);

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterS: number };

/**
 * Counts a sign-in attempt before the password is checked, and says whether it may go on.
 * Counting first means a burst of parallel guesses cannot all pass the check while the first
 * ones are still being verified. A successful sign-in then clears the account's counter.
 */
export async function registerSignInAttempt(
  db: Kysely<Database>,
  email: string,
  ip: string,
): Promise<ThrottleVerdict> {
  const account = await hitRateLimit(db, accountKey(email), SIGN_IN_LIMITS.perAccount.windowMs);
  const address = await hitRateLimit(db, addressKey(ip), SIGN_IN_LIMITS.perAddress.windowMs);
  const blocked = [
    account.count > SIGN_IN_LIMITS.perAccount.max ? account.retryAfterS : 0,
    address.count > SIGN_IN_LIMITS.perAddress.max ? address.retryAfterS : 0,
  ].filter((seconds) => seconds > 0);
  return blocked.length === 0 ? { allowed: true } : { allowed: false, retryAfterS: Math.max(...blocked) };
}

export async function recordSignInSuccess(db: Kysely<Database>, email: string): Promise<void> {
  await clearRateLimit(db, accountKey(email));
}

export async function hitSignUp(db: Kysely<Database>, ip: string): Promise<ThrottleVerdict> {
  const state = await hitRateLimit(db, keyFor('signup-ip', ip), SIGN_UP_LIMIT.windowMs);
  return state.count > SIGN_UP_LIMIT.max
    ? { allowed: false, retryAfterS: state.retryAfterS }
    : { allowed: true };
}
