// The distribution of acceleration while moving, from the series events.ts already computed, so
// the scoring work reads how hard a driver usually speeds up and slows down without
// differentiating speed a second time. Pure and isomorphic (see resample.ts).

import { type MotionSegment, RESAMPLE_STEP_MS } from './resample';

/**
 * Below this smoothed speed the car counts as stopped: GPS speed near standstill is mostly noise,
 * and standing time would dilute the distribution with zeros. (Samsara starts a trip at 5 mph,
 * product-anchors c.2; 5 km/h is walking pace.)
 */
export const MOVING_SPEED_KMH = 5;
/** The percentile reported: typical hard moments, not the single worst one. */
export const SUMMARY_PERCENTILE = 0.95;

export type AccelerationSummary = {
  /** Time on the grid with smoothed speed ≥ MOVING_SPEED_KMH, seconds. */
  movingS: number;
  /** 95th percentile of the positive accelerations while moving, m/s²; null without any. */
  accelerationP95Ms2: number | null;
  /** 95th percentile of the decelerations while moving, signed (≤ 0), m/s²; null without any. */
  decelerationP95Ms2: number | null;
  /** Extremes while moving, m/s²; null when never moving. */
  maxAccelerationMs2: number | null;
  minAccelerationMs2: number | null;
};

/** Linear interpolation between the closest ranks (the common "type 7" definition); typed-array sort is numeric. */
export function percentile(values: Float64Array, p: number): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort();
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const lower = sorted[below] as number;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return lower + (upper - lower) * (h - below);
}

export function summarizeAcceleration(segments: readonly MotionSegment[]): AccelerationSummary {
  const ups: number[] = [];
  const downs: number[] = [];
  let moving = 0;
  let max: number | null = null;
  let min: number | null = null;
  for (const segment of segments) {
    for (let i = 0; i < segment.speedKmh.length; i++) {
      if ((segment.speedKmh[i] as number) < MOVING_SPEED_KMH) continue;
      const a = segment.accelerationMs2[i] as number;
      moving++;
      if (a > 0) ups.push(a);
      else if (a < 0) downs.push(-a);
      if (max === null || a > max) max = a;
      if (min === null || a < min) min = a;
    }
  }
  const decelerationP95 = percentile(Float64Array.from(downs), SUMMARY_PERCENTILE);
  return {
    movingS: (moving * RESAMPLE_STEP_MS) / 1000,
    accelerationP95Ms2: percentile(Float64Array.from(ups), SUMMARY_PERCENTILE),
    decelerationP95Ms2: decelerationP95 === null ? null : -decelerationP95,
    maxAccelerationMs2: max,
    minAccelerationMs2: min,
  };
}
