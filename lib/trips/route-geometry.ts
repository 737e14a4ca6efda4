// A trip's route as an SVG path, drawn without map tiles: positions projected equirectangularly
// (longitude scaled by cos of the mean latitude, so a kilometre east and a kilometre north look
// the same length), simplified with Ramer–Douglas–Peucker in that projected plane, then fitted to
// a viewBox. Pure and isomorphic; lib/trips/detail.ts feeds it the trip's samples.

export type Position = { latitude: number; longitude: number };
export type Point = { x: number; y: number };

export type ProjectedRoute = {
  viewBox: string;
  width: number;
  height: number;
  path: string;
  start: Point;
  end: Point;
  pointsRead: number;
  pointsKept: number;
};

const EARTH_RADIUS_M = 6_371_000;
const DEG = Math.PI / 180;

/** Metres east and north of the first position's meridian/equator (y grows north). */
export function projectMetres(positions: readonly Position[]): Point[] {
  if (positions.length === 0) return [];
  const meanLat = positions.reduce((sum, p) => sum + p.latitude, 0) / positions.length;
  const scale = Math.cos(meanLat * DEG);
  return positions.map((p) => ({
    x: p.longitude * DEG * EARTH_RADIUS_M * scale,
    y: p.latitude * DEG * EARTH_RADIUS_M,
  }));
}

/** Distance from `p` to the segment a–b. */
export function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  if (length2 === 0) return Math.hypot(p.x - a.x, p.y - a.y);
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/**
 * Ramer–Douglas–Peucker: the indices of the points kept so that every dropped point lies within
 * `tolerance` of the segment between the kept points around it. Keeps the first and last points.
 * Iterative (an explicit stack), so a long 1 Hz trip cannot overflow the call stack.
 */
export function simplifyIndices(points: readonly Point[], tolerance: number): number[] {
  const n = points.length;
  if (n <= 2) return points.map((_, i) => i);
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop() as [number, number];
    let worst = -1;
    let worstDistance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance(points[i] as Point, points[first] as Point, points[last] as Point);
      if (d > worstDistance) {
        worstDistance = d;
        worst = i;
      }
    }
    if (worst !== -1) {
      keep[worst] = 1;
      stack.push([first, worst], [worst, last]);
    }
  }
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) kept.push(i);
  return kept;
}

/**
 * RDP with a tolerance that grows until at most `maxPoints` remain: starts at a thousandth of the
 * route's extent and doubles (a handful of passes at most).
 */
export function simplifyToCount(points: readonly Point[], maxPoints: number): number[] {
  // The two ends always stay: fewer than two can never be reached.
  maxPoints = Math.max(2, maxPoints);
  if (points.length <= maxPoints) return simplifyIndices(points, 0);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const extent = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 1);
  let tolerance = extent / 1000;
  let kept = simplifyIndices(points, tolerance);
  while (kept.length > maxPoints) {
    tolerance *= 2;
    kept = simplifyIndices(points, tolerance);
  }
  return kept;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * Positions → an SVG path in a viewBox `width` wide (height follows the route's aspect, within
 * bounds), with `padding` user units inside every edge. Null without any position.
 */
export function projectRoute(
  positions: readonly Position[],
  options: { maxPoints?: number; width?: number; padding?: number } = {},
): ProjectedRoute | null {
  const usable = positions.filter(
    (p) => Number.isFinite(p.latitude) && Number.isFinite(p.longitude) && Math.abs(p.latitude) <= 90,
  );
  if (usable.length === 0) return null;
  const width = options.width ?? 400;
  const padding = options.padding ?? 16;
  const metres = projectMetres(usable);
  const kept = simplifyToCount(metres, options.maxPoints ?? 300).map((i) => metres[i] as Point);
  const xs = kept.map((p) => p.x);
  const ys = kept.map((p) => p.y);
  const minX = Math.min(...xs);
  const maxY = Math.max(...ys);
  const spanX = Math.max(...xs) - minX;
  const spanY = maxY - Math.min(...ys);
  const inner = width - 2 * padding;
  // A phone-friendly box: never taller than wide by more than 4:3, never flatter than 2:1.
  const height =
    Math.round(Math.min(Math.max(spanX > 0 ? (inner * spanY) / spanX : inner, inner / 2), (inner * 4) / 3)) +
    2 * padding;
  const innerH = height - 2 * padding;
  const scale =
    spanX === 0 && spanY === 0
      ? 0
      : Math.min(spanX > 0 ? inner / spanX : Infinity, spanY > 0 ? innerH / spanY : Infinity);
  // Centred in the box; y flipped so north is up.
  const offsetX = padding + (inner - spanX * scale) / 2;
  const offsetY = padding + (innerH - spanY * scale) / 2;
  const toBox = (p: Point): Point => ({
    x: round1(offsetX + (p.x - minX) * scale),
    y: round1(offsetY + (maxY - p.y) * scale),
  });
  const boxed = kept.map(toBox);
  const path = boxed.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ');
  return {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    path,
    start: boxed[0] as Point,
    end: boxed[boxed.length - 1] as Point,
    pointsRead: usable.length,
    pointsKept: boxed.length,
  };
}
