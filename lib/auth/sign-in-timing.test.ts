import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { median } from '@/scripts/bench/types';
import { useTestDatabase } from '@/test/db-harness';
import { createUser } from '../db/queries/users';
import { verifyCredentials } from './accounts';
import { hashPassword } from './password';

// docs/security-tests.md AC-14: an unknown address and a wrong password must not be told apart by
// how long the answer takes. Both paths run for real (argon2id against the account's hash, or
// against the dummy hash), 30 times each, interleaved so that whatever else loads the machine
// weighs on both alike; their medians must lie within 50 ms. This asserts that the two paths are
// equal, not how fast either is. Each sample comes from its own address and, for wrong passwords,
// its own account, so that the throttle (which answers at once) never cuts a path short.

const SAMPLES = 30;
const PINNED = Date.UTC(2031, 4, 6, 10, 0, 30);

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(PINNED);
});

afterAll(() => {
  vi.useRealTimers();
});

describe('sign-in timing', () => {
  const database = useTestDatabase('sqlite');

  it(`an unknown address and a wrong password take the same time (medians of ${SAMPLES} within 50 ms)`, async () => {
    const { db } = database();
    const passwordHash = await hashPassword('the real password of everyone here');
    const known: string[] = [];
    for (let i = 0; i < SAMPLES + 2; i++) {
      const user = await createUser(db, { email: `known-${i}@example.com`, passwordHash });
      known.push(user.email);
    }
    const attempt = async (email: string, i: number) => {
      const started = performance.now();
      const result = await verifyCredentials(
        db,
        { email, password: 'a wrong password, long enough' },
        `198.51.100.${i + 1}`,
      );
      return { ms: performance.now() - started, result };
    };
    // Warm-up: the dummy hash is made on first use, and the first queries prepare their statements.
    await attempt('nobody-warm@example.com', 200);
    await attempt(known[SAMPLES] as string, 201);

    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const pair = [
        () => attempt(`nobody-${i}@example.com`, i),
        () => attempt(known[i] as string, 100 + i),
      ] as const;
      // Alternate which path goes first, so neither always follows the other.
      const [first, second] = i % 2 === 0 ? pair : [pair[1], pair[0]];
      const one = await first();
      const two = await second();
      const [u, w] = i % 2 === 0 ? [one, two] : [two, one];
      // The same answer, to the byte.
      expect(u.result).toEqual({ ok: false, reason: 'invalid' });
      expect(w.result).toEqual(u.result);
      unknown.push(u.ms);
      wrong.push(w.ms);
    }
    const difference = Math.abs(median(unknown) - median(wrong));
    expect(
      difference,
      `medians: unknown ${median(unknown).toFixed(1)} ms, wrong password ${median(wrong).toFixed(1)} ms`,
    ).toBeLessThan(50);
  });
});
