import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wallTimeAt } from '@/lib/time/zone';
import { maxTicksFor, timeTicks } from './ticks';

const utc = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h, min);

describe('timeTicks', () => {
  it('ticks a Paris day every 3 hours of local time (00:00 local = 23:00 UTC)', () => {
    const from = utc(2026, 11, 25, 23);
    const { unit, ticks } = timeTicks(from, from + 24 * 3_600_000, 8, 'Europe/Paris');
    expect(unit).toBe('hour');
    expect(ticks.map((t) => wallTimeAt(t, 'Europe/Paris').hour)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 0]);
  });

  it('ticks 15 live minutes every 2 or 5 minutes on whole minutes', () => {
    const from = utc(2026, 11, 26, 10, 3) + 20_000;
    const { unit, ticks } = timeTicks(from, from + 15 * 60_000, 4, 'UTC');
    expect(unit).toBe('minute');
    expect(ticks).toEqual([utc(2026, 11, 26, 10, 5), utc(2026, 11, 26, 10, 10), utc(2026, 11, 26, 10, 15)]);
  });

  it('ticks a week on local midnights and a year on the firsts of months', () => {
    const week = timeTicks(utc(2026, 11, 22, 23), utc(2026, 11, 29, 23), 7, 'Europe/Paris');
    expect(week.unit).toBe('day');
    expect(week.ticks).toHaveLength(8);
    expect(week.ticks.every((t) => wallTimeAt(t, 'Europe/Paris').hour === 0)).toBe(true);
    const year = timeTicks(utc(2026, 1, 1), utc(2027, 1, 1), 6, 'UTC');
    expect(year.unit).toBe('month');
    expect(year.ticks).toEqual([1, 3, 5, 7, 9, 11].map((m) => utc(2026, m, 1)).concat([utc(2027, 1, 1)]));
  });

  it('never gives more than asked (plus the closing edge) and stays inside the range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: utc(2020, 1, 1), max: utc(2030, 1, 1) }),
        fc.integer({ min: 60_000, max: 3 * 365 * 86_400_000 }),
        fc.integer({ min: 2, max: 12 }),
        (from, span, max) => {
          const { ticks } = timeTicks(from, from + span, max, 'Europe/Paris');
          expect(ticks.length).toBeLessThanOrEqual(max + 1);
          for (const t of ticks) {
            expect(t).toBeGreaterThanOrEqual(from);
            expect(t).toBeLessThanOrEqual(from + span);
          }
        },
      ),
    );
  });

  it('fits labels to the width', () => {
    expect(maxTicksFor(380)).toBe(5);
    expect(maxTicksFor(50)).toBe(2);
  });
});
