import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../derive/m4';
import { roundTo } from './metrics';
import { type BucketReading, downsample, instantStep, pushBucketPoints, RAW_GAP_MS } from './points';

// Bucket points and downsampling (points.ts), by hand and as properties.

const bucket = (fields: Partial<BucketReading>): BucketReading => ({
  min: 5,
  max: 30,
  first: 10,
  firstAt: 0,
  last: 20,
  lastAt: 300,
  ...fields,
});

const pointsOf = (b: BucketReading, from = 0, to = 1000, decimals = 2) => {
  const out: SeriesPoint[] = [];
  pushBucketPoints(out, b, from, to, decimals);
  return out.map(({ at, value }) => [at, value]);
};

describe('pushBucketPoints', () => {
  it('places min then max halfway in a rising bucket, max then min in a falling one', () => {
    expect(pointsOf(bucket({}))).toEqual([
      [0, 10],
      [150, 5],
      [150, 30],
      [300, 20],
    ]);
    expect(pointsOf(bucket({ first: 20, last: 10 }))).toEqual([
      [0, 20],
      [150, 30],
      [150, 5],
      [300, 10],
    ]);
  });

  it('drops an extreme that an end draws already, to the precision sent', () => {
    expect(pointsOf(bucket({ first: 5 }))).toEqual([
      [0, 5],
      [150, 30],
      [300, 20],
    ]);
    // 5.04 and 29.96 are 5.0 and 30.0 at one decimal: the ends 5 and 30 draw them.
    expect(pointsOf(bucket({ min: 5.04, first: 5, max: 29.96, last: 30 }), 0, 1000, 1)).toEqual([
      [0, 5],
      [300, 30],
    ]);
    expect(pointsOf(bucket({ min: 5.04, first: 5, max: 29.96, last: 30 }), 0, 1000, 2)).toHaveLength(4);
    expect(pointsOf(bucket({ min: 7, max: 7, first: 7, last: 7, lastAt: 0 }))).toEqual([[0, 7]]);
    // One millisecond apart: no instant between for the extremes.
    expect(pointsOf(bucket({ lastAt: 1 }))).toEqual([
      [0, 10],
      [1, 20],
    ]);
  });

  it('keeps only the ends inside the range of a bucket with readings outside it', () => {
    expect(pointsOf(bucket({}), 50, 1000)).toEqual([[300, 20]]);
    expect(pointsOf(bucket({}), 0, 299)).toEqual([[0, 10]]);
    expect(pointsOf(bucket({}), 1, 299)).toEqual([]);
  });
});

describe('downsample', () => {
  it('returns few points as they are, with a null halfway across a gap longer than the threshold', () => {
    const t = 1_000_000;
    const series = [
      { at: t, value: 1.04 },
      { at: t + 1000, value: 2.06 },
      { at: t + 1000 + RAW_GAP_MS, value: 3 }, // exactly the threshold: joined
      { at: t + 2000 + 2 * RAW_GAP_MS + 1, value: 4 }, // 1 ms more: a gap
    ];
    const to = t + 3_000_000;
    expect(downsample(series, t, to, 4000, RAW_GAP_MS, 1)).toEqual([
      [t, 1],
      [t + 1000, 2.1],
      [t + 1000 + RAW_GAP_MS, 3],
      [t + 1501 + (3 * RAW_GAP_MS) / 2, null], // halfway is …500.5 ms: rounded up
      [t + 2000 + 2 * RAW_GAP_MS + 1, 4],
    ]);
  });

  it('drops the middle of three points of the same rounded value', () => {
    const series = [0, 1, 2, 3, 4, 5].map((i) => ({
      at: i * 1000,
      value: [1, 2.04, 1.98, 2.01, 3, 3][i] as number,
    }));
    expect(downsample(series, 0, 5000, 1000, RAW_GAP_MS, 1)).toEqual([
      [0, 1],
      [1000, 2],
      [3000, 2],
      [4000, 3],
      [5000, 3],
    ]);
  });

  it('widens the gap threshold to two pixel columns', () => {
    // 10 columns of 100 s: two points 150 s apart are joined even with a 1 s source threshold.
    const series = [
      { at: 0, value: 1 },
      { at: 150_000, value: 2 },
      { at: 400_000, value: 3 },
    ];
    expect(downsample(series, 0, 1_000_000, 10, 1000, 0)).toEqual([
      [0, 1],
      [150_000, 2],
      [275_000, null],
      [400_000, 3],
    ]);
  });

  it('rounds instants to a step of at most a sixteenth of a column', () => {
    const MIN = 60_000;
    expect(instantStep(9000)).toBe(1); // an hour at 400 px: 9 s columns, untouched
    expect(instantStep(216_000)).toBe(1000); // a day at 400 px: 13.5 s → seconds
    expect(instantStep(16 * MIN)).toBe(MIN);
    expect(instantStep(16 * 5 * MIN - 1)).toBe(MIN);
    expect(instantStep(19_710_000)).toBe(15 * MIN); // a year at 1,600 px: 20.5 min
    expect(instantStep(78_840_000)).toBe(60 * MIN); // a year at 400 px: 82 min
    // 5 columns of 3,200 s over 4 h: steps of 3 min → the minute; instants to the minute, kept
    // inside the range; the null of the 3 h gap halfway, rounded too.
    const from = 1_000_030_000;
    const series = [
      { at: from, value: 1 },
      { at: from + 89_000, value: 2 },
      { at: from + 3 * 3_600_000, value: 3 },
    ];
    expect(downsample(series, from, from + 16_000_000, 5, RAW_GAP_MS, 0)).toEqual([
      [from, 1], // 1,000,020,000 would be before `from`
      [1_000_140_000, 2],
      [1_005_480_000, null],
      [1_010_820_000, 3],
    ]);
  });

  it('never gives more than 4 points per pixel, sorted, within the rounded extremes', () => {
    const series = fc
      .array(
        fc.tuple(
          fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 3_000_000 })),
          fc.double({ min: -500, max: 500, noNaN: true }),
        ),
        { minLength: 0, maxLength: 600 },
      )
      .map((steps) => {
        let at = 1_700_000_000_000;
        return steps.map(([dt, value]): SeriesPoint => {
          at += dt;
          return { at, value };
        });
      });
    fc.assert(
      fc.property(
        series,
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom(RAW_GAP_MS, 1000, 180_000),
        (points, width, decimals, gap) => {
          const from = points[0]?.at ?? 0;
          const to = points[points.length - 1]?.at ?? 0;
          const out = downsample(points, from, to, width, gap, decimals);
          expect(out.length).toBeLessThanOrEqual(4 * width);
          for (let i = 1; i < out.length; i++)
            expect(out[i]?.[0]).toBeGreaterThanOrEqual(out[i - 1]?.[0] as number);
          const values = points.map((p) => p.value);
          const low = roundTo(Math.min(...values), decimals);
          const high = roundTo(Math.max(...values), decimals);
          for (const [, value] of out) {
            if (value === null) continue;
            expect(value).toBeGreaterThanOrEqual(low);
            expect(value).toBeLessThanOrEqual(high);
          }
          for (const [at] of out) {
            expect(at).toBeGreaterThanOrEqual(from);
            expect(at).toBeLessThanOrEqual(to);
          }
          if (points.length > 0) {
            // The ends are kept (M4 keeps the first and last column's first and last), their
            // instants within half a rounding step.
            const half = instantStep((to - from) / width) / 2;
            expect(out[0]?.[1]).toBe(roundTo((points[0] as SeriesPoint).value, decimals));
            expect(Math.abs((out[0]?.[0] as number) - from)).toBeLessThanOrEqual(half);
            expect(Math.abs((out[out.length - 1]?.[0] as number) - to)).toBeLessThanOrEqual(half);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
