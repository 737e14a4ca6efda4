import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Point,
  projectMetres,
  projectRoute,
  segmentDistance,
  simplifyIndices,
  simplifyToCount,
} from './route-geometry';

// Route simplification and projection: hand-worked cases, then the laws — the first and last
// points are kept, every dropped point lies within the tolerance of the kept polyline around it,
// at most the requested count is kept, and the projected path stays inside its viewBox.

const point = fc.record({
  x: fc.double({ min: -10_000, max: 10_000, noNaN: true }),
  y: fc.double({ min: -10_000, max: 10_000, noNaN: true }),
});

describe('segmentDistance', () => {
  it('measures to the nearest point of the segment, ends included', () => {
    expect(segmentDistance({ x: 5, y: 3 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(3);
    // Beyond the end: the distance to the end point (3-4-5 triangle).
    expect(segmentDistance({ x: 13, y: 4 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(5);
    expect(segmentDistance({ x: 3, y: 4 }, { x: 0, y: 0 }, { x: 0, y: 0 })).toBe(5);
  });
});

describe('simplifyIndices', () => {
  it('drops collinear points and keeps a corner', () => {
    const line = [0, 1, 2, 3, 4].map((x) => ({ x, y: 0 }));
    expect(simplifyIndices(line, 0.1)).toEqual([0, 4]);
    const corner = [
      { x: 0, y: 0 },
      { x: 5, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 5 },
      { x: 10, y: 10 },
    ];
    expect(simplifyIndices(corner, 0.1)).toEqual([0, 2, 4]);
    // A 1-unit bump is kept at tolerance 0.5 and dropped at 2.
    const bump = [
      { x: 0, y: 0 },
      { x: 5, y: 1 },
      { x: 10, y: 0 },
    ];
    expect(simplifyIndices(bump, 0.5)).toEqual([0, 1, 2]);
    expect(simplifyIndices(bump, 2)).toEqual([0, 2]);
  });

  it('keeps the ends, and every dropped point within the tolerance of its kept segment', () => {
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 2, maxLength: 80 }),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        (points, tolerance) => {
          const kept = simplifyIndices(points, tolerance);
          expect(kept[0]).toBe(0);
          expect(kept.at(-1)).toBe(points.length - 1);
          for (let k = 1; k < kept.length; k++) {
            const from = kept[k - 1] as number;
            const to = kept[k] as number;
            expect(to).toBeGreaterThan(from);
            for (let i = from + 1; i < to; i++)
              expect(
                segmentDistance(points[i] as Point, points[from] as Point, points[to] as Point),
              ).toBeLessThanOrEqual(tolerance + 1e-9);
          }
        },
      ),
    );
  });
});

describe('simplifyToCount', () => {
  it('keeps at most the count asked for, with both ends', () => {
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 2, maxLength: 400 }),
        fc.integer({ min: 2, max: 50 }),
        (points, max) => {
          const kept = simplifyToCount(points, max);
          expect(kept.length).toBeLessThanOrEqual(Math.max(max, 2));
          expect(kept[0]).toBe(0);
          expect(kept.at(-1)).toBe(points.length - 1);
        },
      ),
    );
  });
});

describe('projectMetres', () => {
  it('scales longitude by the cosine of the latitude', () => {
    // At 60° N a degree of longitude is half a degree of latitude long.
    const [a, b, c] = projectMetres([
      { latitude: 60, longitude: 0 },
      { latitude: 60, longitude: 1 },
      { latitude: 61, longitude: 0 },
    ]) as [Point, Point, Point];
    const east = b.x - a.x;
    const north = c.y - a.y;
    // The mean latitude is 60⅓°, so the ratio is cos(60.33°) ≈ 0.495.
    expect(east / north).toBeCloseTo(Math.cos((181 / 3) * (Math.PI / 180)), 9);
  });
});

describe('projectRoute', () => {
  it('says nothing without positions', () => {
    expect(projectRoute([])).toBeNull();
  });

  it('draws one position as a point at the centre', () => {
    const route = projectRoute([{ latitude: 48.85, longitude: 2.35 }], { width: 200, padding: 10 });
    expect(route?.pointsKept).toBe(1);
    expect(route?.start).toEqual(route?.end);
    expect(route?.start.x).toBe(100);
  });

  it('keeps every point of the path inside the viewBox, start and end included', () => {
    const position = fc.record({
      latitude: fc.double({ min: -60, max: 60, noNaN: true }),
      longitude: fc.double({ min: -170, max: 170, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(position, { minLength: 1, maxLength: 200 }).map((list) =>
          // A trip covers a small area: jitter around the first position.
          list.map((p, i) =>
            i === 0
              ? p
              : {
                  latitude: (list[0]?.latitude ?? 0) + (p.latitude % 1) / 10,
                  longitude: (list[0]?.longitude ?? 0) + (p.longitude % 1) / 10,
                },
          ),
        ),
        (positions) => {
          const route = projectRoute(positions, { maxPoints: 50, width: 400, padding: 16 });
          expect(route).not.toBeNull();
          if (!route) return;
          expect(route.viewBox).toBe(`0 0 ${route.width} ${route.height}`);
          expect(route.pointsKept).toBeLessThanOrEqual(50);
          const numbers = route.path.match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
          expect(numbers.length).toBe(route.pointsKept * 2);
          for (let i = 0; i < numbers.length; i += 2) {
            expect(numbers[i]).toBeGreaterThanOrEqual(16 - 0.05);
            expect(numbers[i]).toBeLessThanOrEqual(route.width - 16 + 0.05);
            expect(numbers[i + 1]).toBeGreaterThanOrEqual(16 - 0.05);
            expect(numbers[i + 1]).toBeLessThanOrEqual(route.height - 16 + 0.05);
          }
          expect(route.path.startsWith(`M${route.start.x} ${route.start.y}`)).toBe(true);
          expect(route.path.endsWith(`${route.end.x} ${route.end.y}`)).toBe(true);
        },
      ),
    );
  });
});
