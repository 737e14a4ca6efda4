import 'server-only';
import { POINTS_PER_PIXEL, type TelemetryPoint } from '../../schemas/telemetry';
import { m4, type SeriesPoint } from '../derive/m4';
import { roundTo } from './metrics';

// From rows to the points of one series: M4 down to at most 4 points per pixel column, gaps
// marked with a null point, values rounded. The rules, in plain words:
//
//  1. Raw rows are M4'd as they are (lib/telemetry/derive/m4.ts).
//  2. A rollup bucket stands for its first, smallest, largest and last reading — the four points
//     M4 keeps. The first and last come with their instants; the minimum and maximum do not, nor
//     which came first, so both are placed halfway between the first reading and the last — a
//     vertical stroke, as a pixel column draws them — the smaller one first when the bucket rises
//     (first ≤ last), the larger one first when it falls. An extreme equal to the first or last
//     value, to the precision sent (rule 4), is dropped: the bucket might as well have reached it
//     at that end, where it is drawn. A bucket with readings outside [from, to] (the edges of the
//     range) keeps only its first and last, and only those inside: its extremes could come from
//     readings outside the range. The bucket points are then M4'd like raw rows.
//  3. Gaps: a `null` point, halfway, between two kept points further apart than the gap
//     threshold — max(5 min for raw rows or 3 bucket steps for rollups, 2 pixel columns) — so a
//     chart does not draw a line across parked time. The floor of two columns is what keeps the
//     budget: two kept points more than two columns apart have a whole empty column between
//     them, so there are never more nulls than empty columns, and never more than 4 points per
//     column in all.
//  4. Values are rounded to the metric's decimals (metrics.ts) after M4 picked them, so the
//     extremes are picked from exact values. A point between two of the same rounded value (no
//     gap between) is dropped: the line through the three is flat, the same without it.
//  5. Instants are rounded to the coarsest of 1 ms, 1 s, 1, 5 or 15 min and 1 h that is at most a
//     sixteenth of a pixel column (and kept inside [from, to]): a shift no chart can show, which
//     makes the timestamps of long ranges end in zeros and their answers compress a fifth to a
//     quarter smaller (a year at 400 px: hours; at 1,600 px: 15 minutes; anything up to a day:
//     untouched or seconds; scripts/bench/telemetry-api.ts). Rounding keeps the order; two points may then share an instant.

export const RAW_GAP_MS = 5 * 60_000;
export const BUCKET_GAP_STEPS = 3;

export type BucketReading = {
  min: number;
  max: number;
  first: number;
  firstAt: number;
  last: number;
  lastAt: number;
};

/** Rule 2: one bucket's points, in time order, appended to `out`. */
export function pushBucketPoints(
  out: SeriesPoint[],
  bucket: BucketReading,
  fromMs: number,
  toMs: number,
  decimals: number,
): void {
  const { first, firstAt, last, lastAt } = bucket;
  const firstInside = firstAt >= fromMs && firstAt <= toMs;
  const lastInside = lastAt >= fromMs && lastAt <= toMs;
  if (!(firstInside && lastInside)) {
    if (firstInside) out.push({ at: firstAt, value: first });
    if (lastInside && lastAt !== firstAt) out.push({ at: lastAt, value: last });
    return;
  }
  out.push({ at: firstAt, value: first });
  if (lastAt === firstAt) return;
  const middle = firstAt + Math.round((lastAt - firstAt) / 2);
  // Readings a millisecond apart leave no instant between them for the extremes.
  if (middle > firstAt && middle < lastAt) {
    const extremes = first <= last ? [bucket.min, bucket.max] : [bucket.max, bucket.min];
    const ends = [roundTo(first, decimals), roundTo(last, decimals)];
    for (const value of extremes)
      if (!ends.includes(roundTo(value, decimals))) out.push({ at: middle, value });
  }
  out.push({ at: lastAt, value: last });
}

const INSTANT_STEPS_MS = [3_600_000, 15 * 60_000, 5 * 60_000, 60_000, 1000, 1] as const;
export const INSTANT_STEP_PER_COLUMN = 1 / 16;

/** Rule 5: the step instants are rounded to for columns this wide. */
export function instantStep(columnMs: number): number {
  const most = columnMs * INSTANT_STEP_PER_COLUMN;
  return INSTANT_STEPS_MS.find((step) => step <= most) ?? 1;
}

/** Rules 1, 3, 4 and 5: at most POINTS_PER_PIXEL × width points, nulls included. */
export function downsample(
  points: readonly SeriesPoint[],
  fromMs: number,
  toMs: number,
  width: number,
  sourceGapMs: number,
  decimals: number,
): TelemetryPoint[] {
  const budget = POINTS_PER_PIXEL * width;
  // The proof of rule 3 holds in exact arithmetic; halving the columns is a guard against the
  // floating-point edge of a column boundary, never expected to run.
  for (let columns = width; ; columns = Math.max(1, Math.floor(columns / 2))) {
    const kept = m4(points, fromMs, toMs, columns);
    const gapMs = Math.max(sourceGapMs, (2 * (toMs - fromMs)) / columns);
    const step = instantStep((toMs - fromMs) / width);
    const instant = (at: number) => Math.min(toMs, Math.max(fromMs, Math.round(at / step) * step));
    const out: TelemetryPoint[] = [];
    let previous: SeriesPoint | undefined;
    for (const point of kept) {
      if (previous !== undefined && point.at - previous.at > gapMs)
        out.push([instant((previous.at + point.at) / 2), null]);
      const value = roundTo(point.value, decimals);
      const n = out.length;
      if (n >= 2 && value === out[n - 1]?.[1] && value === out[n - 2]?.[1]) out.pop();
      out.push([instant(point.at), value]);
      previous = point;
    }
    if (out.length <= budget || columns === 1) return out.slice(0, budget);
  }
}
