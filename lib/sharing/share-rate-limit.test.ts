import { describe, expect, it } from 'vitest';
import { createShareRateLimiter } from './share-rate-limit';

describe('share link rate limit', () => {
  it('lets the budget through, then says how long to wait, per address', () => {
    const limiter = createShareRateLimiter(3, 60_000);
    const t0 = 1_000_000;
    expect([limiter.hit('a', t0), limiter.hit('a', t0), limiter.hit('a', t0)]).toEqual([null, null, null]);
    expect(limiter.hit('a', t0 + 10_000)).toBe(50);
    // Another address has its own budget.
    expect(limiter.hit('b', t0 + 10_000)).toBeNull();
    // A new window opens a minute after the first hit.
    expect(limiter.hit('a', t0 + 60_000)).toBeNull();
  });
});
