import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@/scripts/support/seeded-random';
import { failureBackoffDelay, LINK_RETRY_BACKOFF, nextSyncDelay } from './cadence';

const MINUTE = 60_000;
const first = { activity: 'unknown' as const, lastSyncedAt: null, nextSyncAt: 0 };

describe('nextSyncDelay', () => {
  it('follows the car: 30 s driving, 5 min parked, charging or unknown', () => {
    expect(nextSyncDelay('driving', first)).toBe(30_000);
    expect(nextSyncDelay('parked', first)).toBe(5 * MINUTE);
    expect(nextSyncDelay('charging', first)).toBe(5 * MINUTE);
    expect(nextSyncDelay('unknown', first)).toBe(5 * MINUTE);
  });

  it('backs off while the car sleeps: 15, 30, 60, 120, 120 min', () => {
    let previous = {
      activity: 'parked' as 'parked' | 'asleep',
      lastSyncedAt: 0 as number | null,
      nextSyncAt: 5 * MINUTE,
    };
    const delays: number[] = [];
    let at = 5 * MINUTE;
    for (let i = 0; i < 5; i++) {
      const delay = nextSyncDelay('asleep', previous);
      delays.push(delay / MINUTE);
      previous = { activity: 'asleep', lastSyncedAt: at, nextSyncAt: at + delay };
      at += delay;
    }
    expect(delays).toEqual([15, 30, 60, 120, 120]);
  });

  it('a car that wakes up is polled at the driving cadence at once', () => {
    expect(nextSyncDelay('driving', { activity: 'asleep', lastSyncedAt: 0, nextSyncAt: 120 * MINUTE })).toBe(
      30_000,
    );
  });
});

describe('failureBackoffDelay', () => {
  it('draws in [1 s, min(1 h, 30 s · 2^failures)) (full jitter)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (failures, r) => {
          const delay = failureBackoffDelay(failures, () => r);
          const window = Math.min(3_600_000, 30_000 * 2 ** failures);
          expect(delay).toBeGreaterThanOrEqual(1_000);
          expect(delay).toBeLessThan(Math.max(1_000, window) + 1);
        },
      ),
    );
  });

  it('spreads 1,000 pollers failing at the same instant: no 1 s bucket holds more than 5 % of a round of retries after the first (UP-02)', () => {
    const POLLERS = 1_000;
    const ROUNDS = 6;
    const peak = (instants: number[]) => {
      const buckets = new Map<number, number>();
      for (const at of instants) {
        const second = Math.floor(at / 1_000);
        buckets.set(second, (buckets.get(second) ?? 0) + 1);
      }
      return Math.max(...buckets.values());
    };
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        // Seeded, and fast-check picks the seed: a failure replays.
        const random = seededRandom(seed);
        // Every poller failed at t = 0 and keeps failing: round n is its n-th retry, scheduled by
        // the worker from the failures before it (sync-worker.ts: failureBackoffDelay(car.failures)).
        const rounds: number[][] = Array.from({ length: ROUNDS }, () => []);
        for (let poller = 0; poller < POLLERS; poller++) {
          let at = 0;
          for (let failures = 0; failures < ROUNDS; failures++) {
            at += failureBackoffDelay(failures, random);
            rounds[failures]?.push(at);
          }
        }
        // The first retry lands within the first window, never at once.
        for (const at of rounds[0] ?? []) {
          expect(at).toBeGreaterThanOrEqual(1_000);
          expect(at).toBeLessThan(30_000);
        }
        const later = rounds.slice(1);
        for (const round of later) expect(peak(round)).toBeLessThanOrEqual(0.05 * POLLERS);
        // And all of them together: no second of the timeline carries 5 % of the retries.
        const all = later.flat();
        expect(peak(all)).toBeLessThanOrEqual(0.05 * all.length);
      }),
      { numRuns: 25 },
    );
  });

  it('hand-computed: half the window at random 0.5', () => {
    expect(failureBackoffDelay(0, () => 0.5)).toBe(15_000);
    expect(failureBackoffDelay(3, () => 0.5)).toBe(120_000);
    expect(failureBackoffDelay(10, () => 0.5)).toBe(1_800_000);
    expect(failureBackoffDelay(0, () => 0)).toBe(1_000);
  });

  it('takes another backoff: the link retries draw in [1 s, min(15 s, 2 s · 2^attempt))', () => {
    expect(failureBackoffDelay(0, () => 0.5, LINK_RETRY_BACKOFF)).toBe(1_000);
    expect(failureBackoffDelay(2, () => 0.5, LINK_RETRY_BACKOFF)).toBe(4_000);
    expect(failureBackoffDelay(10, () => 0.999, LINK_RETRY_BACKOFF)).toBe(14_985);
    expect(failureBackoffDelay(10, () => 0, LINK_RETRY_BACKOFF)).toBe(1_000);
  });
});
