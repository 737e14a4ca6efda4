import 'server-only';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// The secret of a webhook subscription (the PSA scheme: the subscriber sets a Header attribute at
// subscription and PSA sends it with every delivery; vehicle-apis.md §4.2, docs/simulator.md).
//
// 256 random bits, so a plain SHA-256 is enough to store it: there is nothing to brute-force that a
// slow password hash would protect (and the receiver must stay fast). Only the hash is stored; a
// database leak gives no usable secret. Checking hashes the presented value and compares the two
// 32-byte digests with crypto.timingSafeEqual: equal lengths always, so neither the length nor
// the first differing byte of the secret shows in the timing.

/** The header the secret travels in (lower case, as Node hands headers over). */
export const WEBHOOK_SECRET_HEADER = 'x-kinetic-secret';

const SECRET_BYTES = 32;

export function generateWebhookSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** Hex SHA-256, the stored form. */
export function hashWebhookSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * A stand-in hash compared when the callback is unknown, so an unknown callback costs the same
 * work as a wrong secret.
 */
const DECOY_HASH = hashWebhookSecret('kinetic/webhook/no-such-subscription');

/**
 * Whether `presented` (the header value, or null when missing) is the secret whose hash is
 * `storedHash` (null when the callback is unknown). Constant time in the secret.
 */
export function webhookSecretMatches(presented: string | null, storedHash: string | null): boolean {
  const expected = Buffer.from(storedHash ?? DECOY_HASH, 'hex');
  const actual = createHash('sha256')
    .update(presented ?? '', 'utf8')
    .digest();
  const equal = expected.length === actual.length && timingSafeEqual(expected, actual);
  return equal && presented !== null && storedHash !== null;
}

/**
 * The attributes to subscribe a callback with (`CallbackSubscribe.callback.webhook.attributes`):
 * the secret header, and the car's VIN in every message (`$vin`, filled in per event), which is how
 * the receiver knows which linked car a message is about — the message itself names only the
 * callback and the monitor.
 */
export function webhookSubscriptionAttributes(secret: string) {
  return [
    { type: 'Header' as const, key: WEBHOOK_SECRET_HEADER, value: secret },
    { type: 'Body' as const, key: VIN_ATTRIBUTE, value: '$vin' },
  ];
}

/** The Body attribute carrying the car's VIN. */
export const VIN_ATTRIBUTE = 'vin';
