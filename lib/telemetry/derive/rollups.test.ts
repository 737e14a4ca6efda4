import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../model';
import { bucketStart, coarsen, mean, mergeRollups, type Rollup, rollup } from './rollups';
import { SOURCE } from './samples-for-tests';

const MIDNIGHT = Date.UTC(2026, 2, 1);
const at = (h: number, m: number, s: number) => MIDNIGHT + ((h * 60 + m) * 60 + s) * 1000;
const sample = (when: number, fields: Omit<Sample, 'at' | 'source'>): Sample => ({
  at: when,
  source: SOURCE,
  ...fields,
});

describe('rollup: hand-worked buckets', () => {
  const samples = [
    sample(at(10, 0, 10), { speedKmh: 10, odometerKm: 100.5 }),
    sample(at(10, 0, 50), { speedKmh: 30, odometerKm: 100.9, headingDeg: 90 }),
    sample(at(10, 1, 5), { speedKmh: 20, engineRpm: 1800 }),
    sample(at(11, 59, 59), { batteryLevelPct: 55 }),
  ];

  it('per minute: count, sum, min, max, first and last', () => {
    const { buckets } = rollup(samples, 'minute');
    expect(buckets.map((b) => b.start)).toEqual([at(10, 0, 0), at(10, 1, 0), at(11, 59, 0)]);
    expect(buckets[0]?.fields.speedKmh).toEqual({
      count: 2,
      sum: 40,
      min: 10,
      max: 30,
      first: { at: at(10, 0, 10), value: 10 },
      last: { at: at(10, 0, 50), value: 30 },
    });
    expect(buckets[0]?.fields.odometerKm).toEqual({
      count: 2,
      sum: 201.4,
      min: 100.5,
      max: 100.9,
      first: { at: at(10, 0, 10), value: 100.5 },
      last: { at: at(10, 0, 50), value: 100.9 },
    });
    expect(buckets[0]?.fields).not.toHaveProperty('headingDeg');
    const once = (value: number) => ({
      count: 1,
      sum: value,
      min: value,
      max: value,
      first: { at: at(10, 1, 5), value },
      last: { at: at(10, 1, 5), value },
    });
    expect(buckets[1]?.fields).toEqual({ speedKmh: once(20), engineRpm: once(1800) });
    expect(mean(buckets[0]?.fields.speedKmh)).toBe(20);
    expect(mean(buckets[0]?.fields.engineRpm)).toBeNull();
  });

  it('per hour and per day, aligned on UTC', () => {
    const hours = rollup(samples, 'hour');
    expect(hours.buckets.map((b) => b.start)).toEqual([at(10, 0, 0), at(11, 0, 0)]);
    expect(hours.buckets[0]?.fields.speedKmh).toEqual({
      count: 3,
      sum: 60,
      min: 10,
      max: 30,
      first: { at: at(10, 0, 10), value: 10 },
      last: { at: at(10, 1, 5), value: 20 },
    });
    const days = rollup(samples, 'day');
    expect(days.buckets.map((b) => b.start)).toEqual([MIDNIGHT]);
    expect(bucketStart(MIDNIGHT - 1, 'day')).toBe(MIDNIGHT - 86_400_000);
  });

  it('takes the smaller value as first and the larger as last for readings of one instant', () => {
    const tie = [sample(at(1, 0, 0), { fuelLevelPct: 40 }), sample(at(1, 0, 0), { fuelLevelPct: 39 })];
    const field = rollup(tie, 'minute').buckets[0]?.fields.fuelLevelPct;
    expect(field?.first?.value).toBe(39);
    expect(field?.last?.value).toBe(40);
  });

  it('refuses to merge different resolutions or to make a finer rollup from a coarser one', () => {
    expect(() => mergeRollups(rollup(samples, 'minute'), rollup(samples, 'hour'))).toThrow(/cannot merge/);
    expect(() => coarsen(rollup(samples, 'hour'), 'minute')).toThrow(/cannot make/);
  });
});

/** Rollups equal up to floating-point rounding in the sums (addition in another order). */
function expectSameRollup(actual: Rollup, expected: Rollup) {
  expect(actual.resolution).toBe(expected.resolution);
  expect(actual.buckets.map((b) => b.start)).toEqual(expected.buckets.map((b) => b.start));
  for (const [i, bucket] of actual.buckets.entries()) {
    const other = expected.buckets[i];
    expect(Object.keys(bucket.fields).sort()).toEqual(Object.keys(other?.fields ?? {}).sort());
    for (const [field, aggregate] of Object.entries(bucket.fields)) {
      const { sum, ...exact } = aggregate;
      const { sum: expectedSum, ...expectedExact } = other?.fields[field as keyof typeof bucket.fields] ?? {
        sum: Number.NaN,
      };
      expect(exact).toEqual(expectedExact);
      expect(Math.abs(sum - expectedSum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expectedSum)));
    }
  }
}

// Readings at distinct instants over about three days, each with a random subset of fields.
const samples = fc
  .uniqueArray(fc.integer({ min: 0, max: 3 * 86_400_000 }), { maxLength: 200 })
  .chain((offsets) =>
    fc.tuple(
      ...offsets.map((offset) =>
        fc
          .record(
            {
              speedKmh: fc.double({ min: 0, max: 200, noNaN: true }),
              engineRpm: fc.integer({ min: 0, max: 7000 }),
              odometerKm: fc.double({ min: 0, max: 300_000, noNaN: true }),
              batteryLevelPct: fc.double({ min: 0, max: 100, noNaN: true }),
              accelerationMs2: fc.double({ min: -10, max: 10, noNaN: true }),
            },
            { requiredKeys: [] },
          )
          .map((fields): Sample => ({ at: MIDNIGHT + offset, source: SOURCE, ...fields })),
      ),
    ),
  );

const resolution = fc.constantFrom('minute' as const, 'hour' as const, 'day' as const);

describe('rollup: laws', () => {
  it('rollup(A ∪ B) = merge(rollup(A), rollup(B)) for disjoint A and B', () => {
    fc.assert(
      fc.property(samples, resolution, fc.func(fc.boolean()), (all, res, inA) => {
        const a = all.filter((s) => inA(s.at));
        const b = all.filter((s) => !inA(s.at));
        expectSameRollup(mergeRollups(rollup(a, res), rollup(b, res)), rollup(all, res));
      }),
    );
  });

  it('merging is commutative and the empty rollup is neutral; order of readings does not matter', () => {
    fc.assert(
      fc.property(samples, samples, resolution, (a, b, res) => {
        const ra = rollup(a, res);
        const rb = rollup(b, res);
        expectSameRollup(mergeRollups(ra, rb), mergeRollups(rb, ra));
        expect(mergeRollups(ra, rollup([], res))).toEqual(ra);
        expectSameRollup(rollup([...a].reverse(), res), ra);
      }),
    );
  });

  it('a coarser rollup made from a finer one equals the coarser rollup of the readings', () => {
    fc.assert(
      fc.property(samples, (all) => {
        const minutes = rollup(all, 'minute');
        expectSameRollup(coarsen(minutes, 'hour'), rollup(all, 'hour'));
        expectSameRollup(coarsen(coarsen(minutes, 'hour'), 'day'), rollup(all, 'day'));
      }),
    );
  });
});
