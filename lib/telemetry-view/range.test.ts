import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromDateTimeLocal, instantOf, toDateTimeLocal, wallTimeAt } from '@/lib/time/zone';
import {
  canGoNext,
  parseSelection,
  type RangeSelection,
  resolveRange,
  selectionParams,
  shiftSelection,
  switchPreset,
} from './range';

const HOUR = 3_600_000;
const utc = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h, min);
const day = (year: number, month: number, d: number): RangeSelection => ({
  preset: 'day',
  anchor: { year, month, day: d },
});

describe('resolveRange: calendar presets on the owner wall clock', () => {
  it('a Paris day in winter runs from 23:00 UTC the day before', () => {
    const range = resolveRange(day(2026, 11, 26), 0, 'Europe/Paris');
    expect(range).toEqual({ preset: 'day', from: utc(2026, 11, 25, 23), to: utc(2026, 11, 26, 23) });
  });

  it('the spring-forward day lasts 23 hours and the fall-back day 25 (Paris, 2026)', () => {
    // EU rule: last Sunday of March / October at 01:00 UTC → 29 March and 25 October 2026.
    const spring = resolveRange(day(2026, 3, 29), 0, 'Europe/Paris');
    expect(spring.from).toBe(utc(2026, 3, 28, 23)); // midnight CET (+1)
    expect(spring.to).toBe(utc(2026, 3, 29, 22)); // midnight CEST (+2)
    expect(spring.to - spring.from).toBe(23 * HOUR);
    const autumn = resolveRange(day(2026, 10, 25), 0, 'Europe/Paris');
    expect(autumn.from).toBe(utc(2026, 10, 24, 22));
    expect(autumn.to).toBe(utc(2026, 10, 25, 23));
    expect(autumn.to - autumn.from).toBe(25 * HOUR);
  });

  it('New York starts DST on the second Sunday of March (8 March 2026): a 23-hour day', () => {
    const range = resolveRange(day(2026, 3, 8), 0, 'America/New_York');
    expect(range.from).toBe(utc(2026, 3, 8, 5));
    expect(range.to).toBe(utc(2026, 3, 9, 4));
  });

  it('a day whose midnight does not exist starts when the clocks jump (São Paulo, 4 Nov 2018)', () => {
    // Brazil moved clocks from 00:00 to 01:00 (-03 → -02): the day began at 01:00 -02 = 03:00 UTC.
    const range = resolveRange(day(2018, 11, 4), 0, 'America/Sao_Paulo');
    expect(range.from).toBe(utc(2018, 11, 4, 3));
    expect(range.to).toBe(utc(2018, 11, 5, 2));
    // Brazil's DST ended at midnight on 17 Feb 2019 (back to 23:00 on the 16th): a 25-hour 16th.
    const long = resolveRange(day(2019, 2, 16), 0, 'America/Sao_Paulo');
    expect(long.from).toBe(utc(2019, 2, 16, 2));
    expect(long.to).toBe(utc(2019, 2, 17, 3));
  });

  it('weeks start on Monday (26 Nov 2026 is a Thursday) and include DST hours', () => {
    expect(resolveRange({ preset: 'week', anchor: { year: 2026, month: 11, day: 26 } }, 0, 'UTC')).toEqual({
      preset: 'week',
      from: utc(2026, 11, 23),
      to: utc(2026, 11, 30),
    });
    const dstWeek = resolveRange(
      { preset: 'week', anchor: { year: 2026, month: 10, day: 25 } },
      0,
      'Europe/Paris',
    );
    expect(dstWeek.from).toBe(utc(2026, 10, 18, 22));
    expect(dstWeek.to).toBe(utc(2026, 10, 25, 23));
    expect(dstWeek.to - dstWeek.from).toBe(7 * 24 * HOUR + HOUR);
  });

  it('months and years follow the calendar (February 2028 has 29 days)', () => {
    const feb = resolveRange({ preset: 'month', anchor: { year: 2028, month: 2, day: 17 } }, 0, 'UTC');
    expect(feb.to - feb.from).toBe(29 * 24 * HOUR);
    const year = resolveRange({ preset: 'year', anchor: { year: 2026, month: 7, day: 4 } }, 0, 'UTC');
    expect(year).toEqual({ preset: 'year', from: utc(2026, 1, 1), to: utc(2027, 1, 1) });
  });

  it('live is the last 15 minutes', () => {
    const now = utc(2026, 11, 26, 12);
    expect(resolveRange({ preset: 'live' }, now, 'UTC')).toEqual({
      preset: 'live',
      from: now - 15 * 60_000,
      to: now,
    });
  });
});

describe('shiftSelection and canGoNext', () => {
  const now = utc(2026, 11, 26, 12);

  it('steps days, weeks, months (to the 1st) and years', () => {
    expect(shiftSelection(day(2026, 3, 1), -1, now, 'UTC')).toEqual(day(2026, 2, 28));
    expect(
      shiftSelection({ preset: 'week', anchor: { year: 2026, month: 12, day: 28 } }, 1, now, 'UTC'),
    ).toEqual({
      preset: 'week',
      anchor: { year: 2027, month: 1, day: 4 },
    });
    expect(
      shiftSelection({ preset: 'month', anchor: { year: 2026, month: 1, day: 31 } }, 1, now, 'UTC'),
    ).toEqual({
      preset: 'month',
      anchor: { year: 2026, month: 2, day: 1 },
    });
    expect(
      shiftSelection({ preset: 'year', anchor: { year: 2026, month: 5, day: 9 } }, -1, now, 'UTC'),
    ).toEqual({
      preset: 'year',
      anchor: { year: 2025, month: 1, day: 1 },
    });
  });

  it('steps custom ranges, trips and live by their own length', () => {
    const trip: RangeSelection = { preset: 'trip', from: utc(2026, 11, 20, 8), to: utc(2026, 11, 20, 9) };
    expect(shiftSelection(trip, -1, now, 'UTC')).toEqual({
      preset: 'custom',
      from: utc(2026, 11, 20, 7),
      to: utc(2026, 11, 20, 8),
    });
    expect(shiftSelection({ preset: 'live' }, -1, now, 'UTC')).toEqual({
      preset: 'custom',
      from: now - 30 * 60_000,
      to: now - 15 * 60_000,
    });
  });

  it('offers no next period once it would start in the future', () => {
    expect(canGoNext(day(2026, 11, 26), now, 'UTC')).toBe(false);
    expect(canGoNext(day(2026, 11, 25), now, 'UTC')).toBe(true);
    expect(canGoNext({ preset: 'live' }, now, 'UTC')).toBe(false);
  });

  it('switching Day → Week keeps the day the view shows; Live → Day means today', () => {
    const viewed = resolveRange(day(2026, 11, 12), now, 'Europe/Paris');
    expect(switchPreset(viewed, 'week', now, 'Europe/Paris')).toEqual({
      preset: 'week',
      anchor: { year: 2026, month: 11, day: 12 },
    });
    const live = resolveRange({ preset: 'live' }, now, 'UTC');
    expect(switchPreset(live, 'day', now, 'UTC')).toEqual(day(2026, 11, 26));
    expect(switchPreset(viewed, 'custom', now, 'UTC')).toEqual({
      preset: 'custom',
      from: viewed.from,
      to: viewed.to,
    });
  });
});

describe('parseSelection (the URL) and selectionParams', () => {
  it('reads valid selections', () => {
    expect(parseSelection(new URLSearchParams('range=day&from=2026-11-26'))).toEqual(day(2026, 11, 26));
    expect(parseSelection({ range: 'live' })).toEqual({ preset: 'live' });
    expect(
      parseSelection({ range: 'custom', from: '2026-11-26T08:00:00Z', to: '2026-11-26T09:30:00+01:00' }),
    ).toEqual({ preset: 'custom', from: utc(2026, 11, 26, 8), to: utc(2026, 11, 26, 8, 30) });
  });

  it('refuses what is not a range (then the page shows the default day)', () => {
    expect(parseSelection({})).toBeNull();
    expect(parseSelection({ range: 'fortnight', from: '2026-11-26' })).toBeNull();
    expect(parseSelection({ range: 'day', from: '2026-02-30' })).toBeNull();
    expect(parseSelection({ range: 'day', from: ['2026-11-26', '2026-11-27'] })).toBeNull();
    expect(
      parseSelection({ range: 'custom', from: '2026-11-26T09:00:00Z', to: '2026-11-26T08:00:00Z' }),
    ).toBeNull();
    expect(
      parseSelection({ range: 'custom', from: '2010-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
    ).toBeNull();
    expect(parseSelection({ range: 'custom', from: 'yesterday', to: '2026-11-26T08:00:00Z' })).toBeNull();
    // Instants must name their offset; a bare date is not an instant.
    expect(
      parseSelection({ range: 'custom', from: '2026-11-26T08:00:00', to: '2026-11-26T09:00:00Z' }),
    ).toBeNull();
    expect(parseSelection({ range: 'trip', from: '2026-11-26', to: '2026-11-27T00:00:00Z' })).toBeNull();
    expect(parseSelection({ range: 'week' })).toBeNull();
    // Year 0 is 1 BC to Intl: no wall clock to show it on.
    expect(parseSelection({ range: 'day', from: '0000-01-01' })).toBeNull();
  });

  it('a day of the years 1 to 99 is that day, not the 20th century one (found by test/page-search-fuzz.test.ts)', () => {
    // Date.UTC reads years 0–99 as 1900–1999: `0050-03-01` used to resolve to 1 March 1950.
    const day = resolveRange(
      parseSelection({ range: 'day', from: '0050-03-01' }) as RangeSelection,
      0,
      'UTC',
    );
    expect(new Date(day.from).toISOString()).toBe('0050-03-01T00:00:00.000Z');
    expect(day.to - day.from).toBe(24 * HOUR);
    // The week of 31 December 99 crosses into year 100: one week, in order.
    const week = resolveRange(
      parseSelection({ range: 'week', from: '0099-12-31' }) as RangeSelection,
      0,
      'UTC',
    );
    expect(new Date(week.from).toISOString()).toBe('0099-12-28T00:00:00.000Z');
    expect(week.to - week.from).toBe(7 * 24 * HOUR);
  });

  it('round-trips every selection through the URL', () => {
    const date = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true });
    const selection: fc.Arbitrary<RangeSelection> = fc.oneof(
      fc.constant({ preset: 'live' as const }),
      fc
        .tuple(fc.constantFrom('day' as const, 'week' as const, 'month' as const, 'year' as const), date)
        .map(([preset, d]) => ({
          preset,
          anchor: { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() },
        })),
      fc
        .tuple(
          fc.constantFrom('custom' as const, 'trip' as const),
          date,
          fc.integer({ min: 60_000, max: 86_400_000 * 400 }),
        )
        .map(([preset, d, span]) => ({ preset, from: d.getTime(), to: d.getTime() + span })),
    );
    fc.assert(
      fc.property(selection, (s) => {
        expect(parseSelection(new URLSearchParams(selectionParams(s)))).toEqual(s);
      }),
    );
  });
});

describe('zone helpers', () => {
  it('reads and writes datetime-local values on the owner clock, not the browser one', () => {
    const instant = utc(2026, 7, 14, 20, 5);
    expect(toDateTimeLocal(instant, 'Europe/Paris')).toBe('2026-07-14T22:05');
    expect(fromDateTimeLocal('2026-07-14T22:05', 'Europe/Paris')).toBe(instant);
    expect(fromDateTimeLocal('2026-07-14T25:05', 'Europe/Paris')).toBeNull();
    expect(fromDateTimeLocal('14/07/2026 22:05', 'Europe/Paris')).toBeNull();
  });

  it('takes the first of two identical wall times when clocks go back', () => {
    // 02:30 on 25 Oct 2026 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
    expect(
      instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, 'Europe/Paris'),
    ).toBe(utc(2026, 10, 25, 0, 30));
  });

  it('instantOf inverts wallTimeAt for every instant (whole seconds, several zones)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }),
        fc.constantFrom('UTC', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'),
        (seconds, zone) => {
          const t = seconds * 1000;
          const back = instantOf(wallTimeAt(t, zone), zone);
          // Equal, or the earlier twin of an ambiguous hour showing the same wall clock.
          expect(back).toBeLessThanOrEqual(t);
          expect(wallTimeAt(back, zone)).toEqual(wallTimeAt(t, zone));
        },
      ),
    );
  });
});
