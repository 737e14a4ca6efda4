import { describe, expect, it } from 'vitest';
import { DEFAULT_CALLS_PER_DAY, DEFAULT_CALLS_PER_SECOND, RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('defaults to the documented 100,000 a day and 100 a second', () => {
    const decision = new RateLimiter().consume('client', 0);
    expect(decision).toEqual({
      allowed: true,
      headers: {
        'x-ratelimit-limit-1': String(DEFAULT_CALLS_PER_DAY),
        'x-ratelimit-remaining-1': String(DEFAULT_CALLS_PER_DAY - 1),
        'x-ratelimit-limit-2': String(DEFAULT_CALLS_PER_SECOND),
        'x-ratelimit-remaining-2': String(DEFAULT_CALLS_PER_SECOND - 1),
      },
    });
  });

  it('slides the one-second window with the clock it is given', () => {
    const limiter = new RateLimiter({ perSecond: 2 });
    expect(limiter.consume('a', 1000).allowed).toBe(true);
    expect(limiter.consume('a', 1500).allowed).toBe(true);
    const refused = limiter.consume('a', 1999);
    expect(refused).toMatchObject({ allowed: false, retryAfterS: 1 });
    expect(refused.headers).toMatchObject({ 'retry-after': '1', 'x-ratelimit-reset': '1' });
    // The call at 1000 leaves the window at 2000; the one at 1500 is still in it.
    expect(limiter.consume('a', 2000)).toMatchObject({ allowed: true });
    expect(limiter.consume('a', 2000).allowed).toBe(false);
    expect(limiter.consume('a', 2500).allowed).toBe(true);
  });

  it('does not count refused calls, and keeps clients apart', () => {
    const limiter = new RateLimiter({ perDay: 3, perSecond: 10 });
    for (let call = 0; call < 3; call += 1) expect(limiter.consume('a', call * 60_000).allowed).toBe(true);
    for (let call = 0; call < 50; call += 1) expect(limiter.consume('a', 200_000).allowed).toBe(false);
    expect(limiter.consume('b', 200_000).allowed).toBe(true);
    const refused = limiter.consume('a', 200_000);
    expect(refused.retryAfterS).toBe(24 * 3600 - 200);
    expect(limiter.consume('a', 24 * 3600 * 1000).allowed).toBe(true);
    expect(limiter.consume('a', 24 * 3600 * 1000).allowed).toBe(false);
  });

  it('keeps memory bounded by slots, not calls', () => {
    const limiter = new RateLimiter({ perDay: 1_000_000, perSecond: 1_000_000 });
    for (let call = 0; call < 200_000; call += 1) limiter.consume('a', Math.floor(call / 1000));
    expect(limiter.consume('a', 200).headers['x-ratelimit-remaining-1']).toBe(String(1_000_000 - 200_001));
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => new RateLimiter({ perSecond: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ perDay: 1.5 })).toThrow(RangeError);
  });
});
