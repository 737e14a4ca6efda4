import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liveRefetchInterval, nearestIndex, summarise, tableRows, toDisplaySeries } from './series';

describe('toDisplaySeries', () => {
  it('converts to the owner units and keeps gaps as nulls', () => {
    const s = toDisplaySeries(
      {
        unit: 'L/100km',
        available: true,
        points: [
          [1, 10],
          [2, null],
          [3, 5],
        ],
      },
      { speed: 'mph', fuel: 'kml', energy: 'kwh100km' },
    );
    expect(s.display?.label).toBe('km/L');
    expect(s.points).toEqual([
      { t: 1, v: 10 },
      { t: 2, v: null },
      { t: 3, v: 20 },
    ]);
  });

  it('a missing series is not available', () => {
    expect(toDisplaySeries(undefined, { speed: 'kmh', fuel: 'l100km', energy: 'kwh100km' }).available).toBe(
      false,
    );
  });
});

describe('nearestIndex (the shared crosshair)', () => {
  it('finds the nearest instant; a tie takes the earlier one', () => {
    expect(nearestIndex([10, 20, 30], 24)).toBe(1);
    expect(nearestIndex([10, 20, 30], 26)).toBe(2);
    expect(nearestIndex([10, 20, 30], 25)).toBe(1);
    expect(nearestIndex([10, 20, 30], 5)).toBe(0);
    expect(nearestIndex([10, 20, 30], 99)).toBe(2);
    expect(nearestIndex([], 5)).toBe(-1);
    expect(nearestIndex([10], Number.NaN)).toBe(-1);
  });

  it('agrees with a linear scan', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1 }),
        fc.integer({ min: -100, max: 10_100 }),
        (values, target) => {
          const times = [...values].sort((a, b) => a - b);
          const best = Math.min(...times.map((t) => Math.abs(t - target)));
          expect(Math.abs((times[nearestIndex(times, target)] as number) - target)).toBe(best);
        },
      ),
    );
  });
});

describe('tableRows', () => {
  it('merges series by instant, with empty cells where a series has no point', () => {
    const units = { speed: 'kmh', fuel: 'l100km', energy: 'kwh100km' } as const;
    const speed = toDisplaySeries(
      {
        unit: 'km/h',
        available: true,
        points: [
          [1000, 50],
          [2000, 60],
        ],
      },
      units,
    );
    const rpm = toDisplaySeries(
      {
        unit: 'rpm',
        available: true,
        points: [
          [2000, 2100],
          [3000, null],
        ],
      },
      units,
    );
    const consumption = toDisplaySeries({ unit: 'L/100km', available: false, points: [] }, units);
    expect(tableRows({ speed, rpm, consumption }, ['speed', 'consumption', 'rpm'])).toEqual([
      { t: 1000, values: { speed: 50, consumption: null, rpm: null } },
      { t: 2000, values: { speed: 60, consumption: null, rpm: 2100 } },
      { t: 3000, values: { speed: null, consumption: null, rpm: null } },
    ]);
  });
});

describe('summarise', () => {
  it('gives min, max and mean of the values, skipping gaps', () => {
    expect(
      summarise([
        { t: 1, v: 10 },
        { t: 2, v: null },
        { t: 3, v: 30 },
        { t: 4, v: 20 },
      ]),
    ).toEqual({
      count: 3,
      min: 10,
      max: 30,
      mean: 20,
    });
    expect(summarise([{ t: 1, v: null }])).toBeNull();
  });
});

describe('liveRefetchInterval', () => {
  const now = 1_000_000_000;
  it('polls every 5 s while the car drives, every 30 s when it is parked or silent', () => {
    const series = (points: [number, number | null][]) => ({ unit: 'km/h', available: true, points });
    expect(
      liveRefetchInterval(
        series([
          [now - 10_000, 42],
          [now - 5_000, null],
        ]),
        now,
      ),
    ).toBe(5_000);
    expect(liveRefetchInterval(series([[now - 10_000, 0]]), now)).toBe(30_000);
    expect(liveRefetchInterval(series([[now - 5 * 60_000, 80]]), now)).toBe(30_000);
    expect(liveRefetchInterval(series([]), now)).toBe(30_000);
    expect(liveRefetchInterval(undefined, now)).toBe(30_000);
  });
});
