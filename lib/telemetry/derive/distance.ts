import 'server-only';
import type { Sample } from '../model';
import { coveredMs, intervalsWith } from './samples';

// Distance of a stretch of samples — the rules, in plain words:
//
//  1. Integrated speed: speed is drawn straight between consecutive readings (at most 10 s apart,
//     the gap rule of samples.ts) and summed (trapezoids). Its coverage is the share of the
//     stretch's time those joined readings span; across a longer gap it counts nothing, so it
//     is then a lower bound.
//  2. Odometer: last reading minus first. It is plausible when there are two readings or more,
//     it never goes down, it implies no more than 300 km/h on average, and its readings span at
//     least 90 % of the stretch (else it misses the start or the end).
//  3. Cross-check: when speed covers at least 90 % of the stretch, the two must agree within
//     1 km + 10 % of the integrated speed. 1 km absorbs an odometer counting in whole
//     kilometres (first and last reading each cut short by up to 1 km); 10 % absorbs the bias
//     of the car's speed signal (UN ECE R39 lets a speedometer read up to 10 % + 4 km/h high,
//     never low; wheel wear and tyre size shift it too). A larger disagreement means the
//     odometer is stale or jumped — PSA fields can be weeks old (product-anchors §0.3) — and
//     speed is used.
//  4. Choice: the odometer when plausible and not contradicted: it is the car's own count and
//     does not drift (gigaserv uses odometer, not GPS, for the same reason, product-anchors
//     c.3). Except a whole-kilometre odometer over less than 20 km when speed covers the
//     stretch: its ±1 km would be more than 5 %, and integrated speed is finer. Otherwise
//     integrated speed, when there is any; otherwise unknown (null).

/** The average speed above which an odometer difference is not believed, km/h. */
export const MAX_PLAUSIBLE_AVG_KMH = 300;
/** Share of the stretch a series must span to be trusted on its own. */
export const MIN_COVERAGE = 0.9;
/** Cross-check tolerance: fixed part (odometer resolution) and relative part (speed sensor bias). */
export const CROSS_CHECK_KM = 1;
export const CROSS_CHECK_RATIO = 0.1;
/** Below this distance a whole-kilometre odometer is too coarse when speed covers the stretch. */
export const COARSE_ODOMETER_MAX_KM = 20;

const MS_PER_HOUR = 3_600_000;

export type DistanceSource = 'odometer' | 'speed';

export type DistanceEstimate = {
  km: number | null;
  source: DistanceSource | null;
  /** Integrated speed, km (null without two joined speed readings). */
  speedKm: number | null;
  /** Share of the stretch the joined speed readings span, 0–1. */
  speedCoverage: number;
  /** Odometer difference, km, when plausible (rule 2), else null. */
  odometerKm: number | null;
  /** First and last odometer readings of the stretch, whether plausible or not. */
  startOdometerKm: number | null;
  endOdometerKm: number | null;
};

/** Integrated speed over the joined readings, km, and the time they span, ms. */
export function integrateSpeed(samples: readonly Sample[]): { km: number; coveredMs: number; pairs: number } {
  const intervals = intervalsWith(samples, ['speedKmh']);
  let km = 0;
  for (const { from, to, dtMs } of intervals)
    km += ((((from.speedKmh as number) + (to.speedKmh as number)) / 2) * dtMs) / MS_PER_HOUR;
  return { km, coveredMs: coveredMs(intervals), pairs: intervals.length };
}

/**
 * Distance over canonical samples (sorted, one per instant) for a stretch of `durationMs`
 * (by default first to last sample).
 */
export function estimateDistance(samples: readonly Sample[], durationMs?: number): DistanceEstimate {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const span = durationMs ?? (first && last ? last.at - first.at : 0);
  const coverageOf = (ms: number) => (span > 0 ? Math.min(ms / span, 1) : 1);

  const speed = integrateSpeed(samples);
  const speedKm = speed.pairs > 0 ? speed.km : null;
  const speedCoverage = speed.pairs > 0 ? coverageOf(speed.coveredMs) : 0;

  const odometer = samples.filter((sample) => sample.odometerKm !== undefined);
  const firstOdo = odometer[0];
  const lastOdo = odometer[odometer.length - 1];
  const startOdometerKm = firstOdo?.odometerKm ?? null;
  const endOdometerKm = lastOdo?.odometerKm ?? null;
  let odometerKm: number | null = null;
  if (firstOdo && lastOdo && odometer.length >= 2) {
    const delta = (lastOdo.odometerKm as number) - (firstOdo.odometerKm as number);
    const odoSpanMs = lastOdo.at - firstOdo.at;
    const neverDown = odometer.every(
      (sample, i) =>
        i === 0 || (sample.odometerKm as number) >= ((odometer[i - 1] as Sample).odometerKm as number),
    );
    const believable =
      odoSpanMs > 0 ? delta / (odoSpanMs / MS_PER_HOUR) <= MAX_PLAUSIBLE_AVG_KMH : delta === 0;
    if (neverDown && believable && coverageOf(odoSpanMs) >= MIN_COVERAGE) odometerKm = delta;
  }

  const speedCovers = speedKm !== null && speedCoverage >= MIN_COVERAGE;
  const contradicted =
    odometerKm !== null &&
    speedCovers &&
    Math.abs(odometerKm - (speedKm as number)) > CROSS_CHECK_KM + CROSS_CHECK_RATIO * (speedKm as number);
  const coarse =
    odometerKm !== null &&
    speedCovers &&
    odometerKm < COARSE_ODOMETER_MAX_KM &&
    odometer.every((sample) => Number.isInteger(sample.odometerKm));

  const base = { speedKm, speedCoverage, odometerKm, startOdometerKm, endOdometerKm };
  if (odometerKm !== null && !contradicted && !coarse) return { ...base, km: odometerKm, source: 'odometer' };
  if (speedKm !== null) return { ...base, km: speedKm, source: 'speed' };
  return { ...base, km: null, source: null };
}
