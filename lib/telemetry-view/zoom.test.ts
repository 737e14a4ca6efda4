import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clampWindow,
  isWholeRange,
  panBy,
  pinchWindow,
  selectionWindow,
  timeAt,
  widthBucket,
  zoomBy,
} from './zoom';

// A plot 400 px wide starting at x = 0 over 400 s: one second per pixel, easy to check by hand.
const PLOT = { left: 0, width: 400 };
const VIEW = { from: 0, to: 400_000 };

describe('timeAt', () => {
  it('maps pixels to instants and clamps outside the plot', () => {
    const plot = { left: 50, width: 300 };
    const view = { from: 1_000_000, to: 4_000_000 };
    expect(timeAt(50, plot, view)).toBe(1_000_000);
    expect(timeAt(200, plot, view)).toBe(2_500_000);
    expect(timeAt(350, plot, view)).toBe(4_000_000);
    expect(timeAt(10, plot, view)).toBe(1_000_000);
    expect(timeAt(999, plot, view)).toBe(4_000_000);
  });
});

describe('selectionWindow (desktop drag)', () => {
  it('selects the dragged instants, in either direction', () => {
    expect(selectionWindow(100, 220, PLOT, VIEW, VIEW)).toEqual({ from: 100_000, to: 220_000 });
    expect(selectionWindow(220, 100, PLOT, VIEW, VIEW)).toEqual({ from: 100_000, to: 220_000 });
  });

  it('ignores a click or a jitter', () => {
    expect(selectionWindow(100, 105, PLOT, VIEW, VIEW)).toBeNull();
  });

  it('widens a selection shorter than a minute to a minute', () => {
    expect(selectionWindow(100, 120, PLOT, VIEW, VIEW)).toEqual({ from: 100_000, to: 160_000 });
  });
});

describe('pinchWindow (two fingers)', () => {
  it('spreading the fingers to twice their distance halves the span around their midpoint', () => {
    // Midpoint 150 px = 150 s stays under the fingers; the span goes from 400 s to 200 s and the
    // midpoint sits at 150/400 of it: from = 150 − 75 = 75 s.
    expect(pinchWindow([100, 200], [50, 250], PLOT, VIEW, VIEW)).toEqual({ from: 75_000, to: 275_000 });
  });

  it('moving both fingers right pans towards earlier times (the content follows the fingers)', () => {
    const bounds = { from: -1_000_000, to: 1_000_000 };
    expect(pinchWindow([100, 200], [140, 240], PLOT, VIEW, bounds)).toEqual({ from: -40_000, to: 360_000 });
  });

  it('cannot zoom out beyond the chosen range nor in below a minute', () => {
    expect(pinchWindow([50, 250], [140, 160], PLOT, VIEW, VIEW)).toEqual(VIEW);
    expect(
      pinchWindow([199, 201], [0, 400], PLOT, VIEW, VIEW).to -
        pinchWindow([199, 201], [0, 400], PLOT, VIEW, VIEW).from,
    ).toBe(60_000);
  });

  it('keeps the instant under the first midpoint under the current midpoint (unclamped)', () => {
    const big = { from: -1e12, to: 1e12 };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 20, max: 200 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 20, max: 200 }),
        (m0, d0, m1, d1) => {
          const start: [number, number] = [m0 - d0 / 2, m0 + d0 / 2];
          const current: [number, number] = [m1 - d1 / 2, m1 + d1 / 2];
          const next = pinchWindow(start, current, PLOT, { from: 0, to: 4_000_000 }, big);
          const anchor = timeAt(m0, PLOT, { from: 0, to: 4_000_000 });
          const ratio = m1 / 400;
          // Within a millisecond or two: windows are rounded to whole milliseconds.
          expect(Math.abs(next.from + ratio * (next.to - next.from) - anchor)).toBeLessThanOrEqual(2);
          expect(Math.abs(next.to - next.from - (4_000_000 * d0) / d1)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('zoom buttons and pan', () => {
  it('zooms around the centre and never beyond the chosen range', () => {
    const bounds = { from: 0, to: 1_000_000 };
    expect(zoomBy(bounds, 0.5, bounds)).toEqual({ from: 250_000, to: 750_000 });
    expect(zoomBy({ from: 250_000, to: 750_000 }, 4, bounds)).toEqual(bounds);
    expect(panBy({ from: 250_000, to: 750_000 }, 0.5, bounds)).toEqual({ from: 500_000, to: 1_000_000 });
    expect(panBy({ from: 250_000, to: 750_000 }, 1, bounds)).toEqual({ from: 500_000, to: 1_000_000 });
    expect(isWholeRange(bounds, bounds)).toBe(true);
    expect(isWholeRange({ from: 1, to: 1_000_000 }, bounds)).toBe(false);
  });

  it('clampWindow keeps every window inside its bounds and at least a minute long', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), (from, span) => {
        const bounds = { from: 0, to: 86_400_000 };
        const w = clampWindow({ from, to: from + span }, bounds);
        expect(w.from).toBeGreaterThanOrEqual(0);
        expect(w.to).toBeLessThanOrEqual(86_400_000);
        expect(w.to - w.from).toBeGreaterThanOrEqual(60_000);
      }),
    );
  });
});

describe('widthBucket', () => {
  it('rounds up to 50 px steps within the API limits', () => {
    expect(widthBucket(320)).toBe(350); // a Pixel 7's plot: matches the server prefetch
    expect(widthBucket(380)).toBe(400);
    expect(widthBucket(400)).toBe(400);
    expect(widthBucket(401)).toBe(450);
    expect(widthBucket(1)).toBe(50);
    expect(widthBucket(12_000)).toBe(4000);
    expect(widthBucket(0)).toBe(350);
    expect(widthBucket(Number.NaN)).toBe(350);
  });

  it('is never below the measured width (enough points per pixel) and less than a step above', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 3950, noNaN: true }), (w) => {
        const bucket = widthBucket(w);
        expect(bucket % 50).toBe(0);
        expect(bucket).toBeGreaterThanOrEqual(w);
        expect(bucket - w).toBeLessThan(50);
      }),
    );
  });
});
