import { describe, expect, it } from 'vitest';
import { ownerTripFilter, requestTimeZone } from './owner-trips';
import { endOfDay, startOfDay } from './zoned-day';

// The owner's calendar days as instants, worked by hand from the zones' published offsets.

describe('startOfDay / endOfDay', () => {
  it('is UTC midnight in UTC', () => {
    expect(startOfDay('2026-03-03', 'UTC')).toBe(Date.UTC(2026, 2, 3));
    expect(endOfDay('2026-03-03', 'UTC')).toBe(Date.UTC(2026, 2, 4));
  });

  it('follows the zone, including across daylight saving', () => {
    // Paris is UTC+1 in winter: its midnight is 23:00 UTC the day before.
    expect(startOfDay('2026-03-03', 'Europe/Paris')).toBe(Date.UTC(2026, 2, 2, 23));
    // 29 March 2026 is 23 hours long in Paris (clocks go forward at 02:00 → 03:00).
    expect(endOfDay('2026-03-29', 'Europe/Paris') - startOfDay('2026-03-29', 'Europe/Paris')).toBe(
      23 * 3_600_000,
    );
    expect(startOfDay('2026-03-30', 'Europe/Paris')).toBe(Date.UTC(2026, 2, 29, 22));
    // New York is UTC−5 in winter; the month rolls over.
    expect(endOfDay('2026-01-31', 'America/New_York')).toBe(Date.UTC(2026, 1, 1, 5));
  });
});

describe('ownerTripFilter', () => {
  it('reads days in the zone and instants as given', () => {
    expect(
      ownerTripFilter({ from: '2026-03-03', to: '2026-03-03', tag: 'untagged' }, 'Europe/Paris'),
    ).toEqual({
      from: Date.UTC(2026, 2, 2, 23),
      to: Date.UTC(2026, 2, 3, 23),
      tag: 'untagged',
    });
    expect(ownerTripFilter({ from: '2026-03-03T10:00:00Z' })).toEqual({ from: Date.UTC(2026, 2, 3, 10) });
  });
});

describe('requestTimeZone', () => {
  it('reads the zone cookie, else UTC', () => {
    const request = (cookie?: string) =>
      new Request('http://localhost/', cookie ? { headers: { cookie } } : {});
    expect(requestTimeZone(request('a=1; kinetic-tz=Europe%2FParis'))).toBe('Europe/Paris');
    expect(requestTimeZone(request('kinetic-tz=Not/AZone'))).toBe('UTC');
    expect(requestTimeZone(request())).toBe('UTC');
  });
});
