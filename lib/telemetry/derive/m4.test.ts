import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { m4, type SeriesPoint } from './m4';

const points = (values: number[], step = 1) => values.map((value, i) => ({ at: i * step, value }));

describe('m4', () => {
  it('keeps first, min, max and last of each column, in time order, once each', () => {
    // Two columns over [0, 8): 0–3 and 4–7.
    const series = points([5, 1, 9, 4, 2, 2, 7, 3]);
    expect(m4(series, 0, 8, 2)).toEqual([
      { at: 0, value: 5 },
      { at: 1, value: 1 },
      { at: 2, value: 9 },
      { at: 3, value: 4 },
      { at: 4, value: 2 }, // first and min
      { at: 6, value: 7 },
      { at: 7, value: 3 },
    ]);
  });

  it('ignores points outside the range and values that are not numbers, and checks its arguments', () => {
    const series = [...points([1, 2, 3]), { at: 1.5, value: Number.NaN }];
    expect(m4(series, 1, 2, 1)).toEqual([
      { at: 1, value: 2 },
      { at: 2, value: 3 },
    ]);
    expect(() => m4(series, 0, 2, 0)).toThrow(RangeError);
    expect(() => m4(series, 2, 0, 1)).toThrow(RangeError);
  });

  it('at most 4 points per column, a subset in time order, keeping the extremes and both ends', () => {
    const series = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), {
        minLength: 1,
        maxLength: 500,
      })
      .map((steps) => {
        let at = 0;
        return steps.map(([dt, value]): SeriesPoint => {
          at += dt;
          return { at, value };
        });
      });
    fc.assert(
      fc.property(series, fc.integer({ min: 1, max: 100 }), (input, columns) => {
        const from = (input[0] as SeriesPoint).at;
        const to = (input[input.length - 1] as SeriesPoint).at;
        const out = m4(input, from, to, columns);
        expect(out.length).toBeLessThanOrEqual(4 * columns);
        for (const point of out) expect(input).toContain(point);
        for (let i = 1; i < out.length; i++)
          expect((out[i] as SeriesPoint).at).toBeGreaterThan((out[i - 1] as SeriesPoint).at);
        expect(out[0]).toBe(input[0]);
        expect(out[out.length - 1]).toBe(input[input.length - 1]);
        const values = input.map((p) => p.value);
        expect(out.some((p) => p.value === Math.min(...values))).toBe(true);
        expect(out.some((p) => p.value === Math.max(...values))).toBe(true);
      }),
    );
  });
});
