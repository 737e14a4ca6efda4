import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

// The real timingSafeEqual, watched: the check must go through it, with two 32-byte digests,
// whatever is presented.
const { compared } = vi.hoisted(() => ({ compared: [] as [number, number][] }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return {
    ...crypto,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.push([a.byteLength, b.byteLength]);
      return crypto.timingSafeEqual(a, b);
    },
  };
});

import {
  generateWebhookSecret,
  hashWebhookSecret,
  WEBHOOK_SECRET_HEADER,
  webhookSecretMatches,
  webhookSubscriptionAttributes,
} from './secret';

describe('webhook secrets', () => {
  it('generates 256-bit base64url secrets, a new one every time', () => {
    const secrets = Array.from({ length: 50 }, generateWebhookSecret);
    for (const secret of secrets) {
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    }
    expect(new Set(secrets).size).toBe(50);
  });

  it('stores SHA-256 in hex (FIPS 180-2 test vector "abc")', () => {
    expect(hashWebhookSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('matches the secret it was made from and nothing else', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), (secret, other) => {
        const stored = hashWebhookSecret(secret);
        expect(webhookSecretMatches(secret, stored)).toBe(true);
        expect(webhookSecretMatches(other, stored)).toBe(other === secret);
      }),
    );
  });

  it('refuses a missing header and an unknown subscription, whatever is presented', () => {
    const secret = generateWebhookSecret();
    expect(webhookSecretMatches(null, hashWebhookSecret(secret))).toBe(false);
    expect(webhookSecretMatches(null, hashWebhookSecret(''))).toBe(false);
    expect(webhookSecretMatches(secret, null)).toBe(false);
    // Not even the value the decoy hash is made from opens an unknown subscription.
    expect(webhookSecretMatches('kinetic/webhook/no-such-subscription', null)).toBe(false);
    expect(webhookSecretMatches(null, null)).toBe(false);
  });

  it('compares in constant time: two 32-byte digests through timingSafeEqual, for any presented value (UP-08)', () => {
    const secret = generateWebhookSecret();
    const stored = hashWebhookSecret(secret);
    const cases: [string | null, string | null, boolean][] = [
      [secret, stored, true],
      [`${secret}x`, stored, false],
      [secret.slice(0, 1), stored, false],
      ['x'.repeat(4096), stored, false],
      ['', stored, false],
      [null, stored, false],
      // An unknown callback costs the same comparison (against a decoy).
      [secret, null, false],
    ];
    for (const [presented, hash, expected] of cases) {
      compared.length = 0;
      expect(webhookSecretMatches(presented, hash)).toBe(expected);
      expect(compared).toEqual([[32, 32]]);
    }
  });

  it('subscribes with the secret header and the per-event VIN', () => {
    expect(webhookSubscriptionAttributes('s3cret')).toEqual([
      { type: 'Header', key: 'x-kinetic-secret', value: 's3cret' },
      { type: 'Body', key: 'vin', value: '$vin' },
    ]);
    expect(WEBHOOK_SECRET_HEADER).toBe('x-kinetic-secret');
  });
});
