// What the driving score reads from one trip's readings, in one pass — the rules in plain words
// (the /methodology page quotes them; keep it true to the code):
//
//  1. Speed. The smoothed 10 Hz speed and acceleration of lib/scoring/events.ts (gap-free
//     stretches only: nothing is assumed across a gap of more than 10 s). The car is moving at
//     5 km/h or more (acceleration-summary.ts).
//  2. Acceleration profile. While moving, every 0.1 s of positive acceleration and every 0.1 s of
//     deceleration is counted in bins of 0.05 m/s². A histogram, not a list: figures from parts of
//     a trip add up, and the same driving twice gives the same profile.
//  3. Very high speed. Time moving above 130 km/h — the highest limit on French and most European
//     motorways. Kinetic does not know the limit of each road, so this is the one speed rule that
//     is fair everywhere.
//  4. Hasty speed-ups (anticipation). A speed-up is 1 s or more at 1.0 m/s² or above. It was
//     hasty when firm braking (−2.0 m/s² or below) begins within 10 s after it ends: speed gained,
//     then thrown away, because the driver did not look far enough ahead (Renault's "anticipation"
//     sub-score; ECOWILL's golden rules, docs/product-anchors.md c.2).
//  5. Engine speed. Readings of engine speed above 0 rpm, joined when at most 10 s apart, each
//     reading of a pair taking half the interval (trip-summary.ts rule 7), counted in bins of
//     250 rpm.
//  6. Long idling. A stop is consecutive readings below 2 km/h (trip-summary.ts rule 3). Engine
//     time in a stop beyond its first 2 minutes is long idling (a red light or a level crossing
//     costs nothing; GPS-platform's 2-minute rule, c.2). The engine counts as off where the car
//     says so (ignition off, or 0 rpm without ignition on); a stop's time is counted only when a
//     reading says the engine is on, so a car without engine data is never blamed.
//
// Pure and isomorphic, like the rest of lib/scoring.

import { MOVING_SPEED_KMH } from './acceleration-summary';
import { MAX_GAP_MS, type MotionSegment, motionSegments, RESAMPLE_STEP_MS } from './resample';

/** Rule 2: histogram bin width, m/s², and the number of bins (the last holds everything above). */
export const ACCELERATION_BIN_MS2 = 0.05;
export const ACCELERATION_BINS = 200;
/** Rule 3, km/h. */
export const VERY_HIGH_SPEED_KMH = 130;
/** Rule 4. */
export const SPEED_UP_MS2 = 1.0;
export const SPEED_UP_MIN_MS = 1000;
export const FIRM_BRAKING_MS2 = -2.0;
export const HASTY_WINDOW_MS = 10_000;
/** Rule 5: histogram bin width, rpm, and the number of bins (the last holds everything above). */
export const RPM_BIN = 250;
export const RPM_BINS = 40;
/** Rule 6. */
export const STOPPED_BELOW_KMH = 2;
export const FREE_IDLE_MS = 120_000;

/** One reading as the score needs it; a normalised `Sample` satisfies it. */
export type ScoringReading = {
  at: number;
  speedKmh?: number | undefined;
  engineRpm?: number | undefined;
  ignition?: boolean | undefined;
};

export type MomentKind = 'very_high_speed' | 'hasty_speed_up' | 'high_engine_speed' | 'long_idling';

/** A stretch of the trip a component rates, so the explanation can point at it on the charts. */
export type Moment = { kind: MomentKind; from: number; to: number };

export type DrivingFeatures = {
  /** Seconds of the 10 Hz grid (rule 1): all, and moving. */
  analysedS: number;
  movingS: number;
  /** Rule 2: counts of 0.1 s, bin i holds [i, i + 1) × 0.05 m/s² (decelerations by magnitude). */
  accelerationBins: number[];
  decelerationBins: number[];
  /** Rule 3, seconds. */
  veryHighSpeedS: number;
  /** Rule 4. */
  speedUps: number;
  hastySpeedUps: number;
  /** Rule 5: seconds per 250-rpm bin, and the total. */
  rpmBins: number[];
  rpmS: number;
  /** Rule 6: seconds beyond the free 2 minutes, and whether any reading said whether the engine ran. */
  longIdleS: number;
  hasEngineData: boolean;
  /** Stretches worth pointing at (rules 3, 4 and 6; engine speed runs come from `highRpmRuns`). */
  moments: Moment[];
  /** Fastest and hardest moments, for the integrity check (null when never moving). */
  maxSpeedKmh: number | null;
  maxAbsAccelerationMs2: number | null;
};

const binOf = (magnitude: number, width: number, bins: number) =>
  Math.min(bins - 1, Math.floor(magnitude / width + 1e-9));

const increment = (bins: number[], bin: number, by: number) => {
  bins[bin] = (bins[bin] as number) + by;
};

function gridFeatures(segments: readonly MotionSegment[], features: DrivingFeatures): void {
  const step = RESAMPLE_STEP_MS;
  for (const segment of segments) {
    const { speedKmh, accelerationMs2, startAt } = segment;
    const n = speedKmh.length;
    features.analysedS += (n * step) / 1000;
    let moving = 0;
    let fastFrom = -1;
    let upFrom = -1;
    for (let i = 0; i <= n; i++) {
      const v = i < n ? (speedKmh[i] as number) : 0;
      const a = i < n ? (accelerationMs2[i] as number) : 0;
      const isMoving = i < n && v >= MOVING_SPEED_KMH;
      if (isMoving) {
        moving++;
        if (a > 0) increment(features.accelerationBins, binOf(a, ACCELERATION_BIN_MS2, ACCELERATION_BINS), 1);
        else if (a < 0)
          increment(features.decelerationBins, binOf(-a, ACCELERATION_BIN_MS2, ACCELERATION_BINS), 1);
        if (features.maxSpeedKmh === null || v > features.maxSpeedKmh) features.maxSpeedKmh = v;
        const magnitude = Math.abs(a);
        if (features.maxAbsAccelerationMs2 === null || magnitude > features.maxAbsAccelerationMs2)
          features.maxAbsAccelerationMs2 = magnitude;
      }
      // Rule 3: runs above 130 km/h.
      const fast = isMoving && v > VERY_HIGH_SPEED_KMH;
      if (fast && fastFrom < 0) fastFrom = i;
      if (!fast && fastFrom >= 0) {
        features.veryHighSpeedS += ((i - fastFrom) * step) / 1000;
        features.moments.push({
          kind: 'very_high_speed',
          from: startAt + fastFrom * step,
          to: startAt + (i - 1) * step,
        });
        fastFrom = -1;
      }
      // Rule 4: speed-ups, and whether firm braking follows within the window.
      const up = isMoving && a >= SPEED_UP_MS2;
      if (up && upFrom < 0) upFrom = i;
      if (!up && upFrom >= 0) {
        if ((i - upFrom) * step >= SPEED_UP_MIN_MS) {
          features.speedUps++;
          const horizon = Math.min(n, i + HASTY_WINDOW_MS / step + 1);
          for (let j = i; j < horizon; j++) {
            if ((accelerationMs2[j] as number) <= FIRM_BRAKING_MS2) {
              features.hastySpeedUps++;
              features.moments.push({
                kind: 'hasty_speed_up',
                from: startAt + upFrom * step,
                to: startAt + j * step,
              });
              break;
            }
          }
        }
        upFrom = -1;
      }
    }
    features.movingS += (moving * step) / 1000;
  }
}

const engineOff = (reading: ScoringReading) =>
  reading.ignition === false || (reading.ignition !== true && reading.engineRpm === 0);
const engineOn = (reading: ScoringReading) =>
  reading.ignition === true || (reading.engineRpm !== undefined && reading.engineRpm > 0);

/** Valid readings sorted by time, one per instant (the first of an instant wins: the store keeps one). */
function sortedReadings(readings: readonly ScoringReading[]): ScoringReading[] {
  const valid = readings.filter((reading) => Number.isFinite(reading.at));
  valid.sort((a, b) => a.at - b.at);
  return valid.filter((reading, i) => i === 0 || reading.at !== (valid[i - 1] as ScoringReading).at);
}

function rpmFeatures(readings: readonly ScoringReading[], features: DrivingFeatures): void {
  const withRpm = readings.filter((reading) => reading.engineRpm !== undefined && reading.engineRpm > 0);
  for (let i = 1; i < withRpm.length; i++) {
    const from = withRpm[i - 1] as ScoringReading;
    const to = withRpm[i] as ScoringReading;
    const dtMs = to.at - from.at;
    if (dtMs > MAX_GAP_MS) continue;
    for (const reading of [from, to]) {
      increment(features.rpmBins, binOf(reading.engineRpm as number, RPM_BIN, RPM_BINS), dtMs / 2000);
    }
    features.rpmS += dtMs / 1000;
  }
}

/** Rule 5's runs above `limitRpm` (both readings of a joined pair above it), for the explanation. */
export function highRpmRuns(readings: readonly ScoringReading[], limitRpm: number): Moment[] {
  const runs: Moment[] = [];
  let open: Moment | null = null;
  let previous: ScoringReading | null = null;
  for (const reading of sortedReadings(readings)) {
    if (reading.engineRpm === undefined) continue;
    const high = reading.engineRpm > limitRpm;
    const joined = previous !== null && reading.at - previous.at <= MAX_GAP_MS;
    if (open !== null && (!high || !joined)) {
      if (open.to > open.from) runs.push(open);
      open = null;
    }
    if (high) {
      if (open === null) open = { kind: 'high_engine_speed', from: reading.at, to: reading.at };
      else open.to = reading.at;
    }
    previous = reading;
  }
  if (open !== null && open.to > open.from) runs.push(open);
  return runs;
}

function idleFeatures(readings: readonly ScoringReading[], features: DrivingFeatures): void {
  const withSpeed = readings.filter((reading) => reading.speedKmh !== undefined);
  let stopFrom = -1;
  let engineMs = 0;
  const closeStop = (end: number) => {
    if (stopFrom < 0) return;
    const start = (withSpeed[stopFrom] as ScoringReading).at;
    const stopMs = (withSpeed[end] as ScoringReading).at - start;
    if (engineMs > 0 && stopMs > FREE_IDLE_MS) {
      // The engine's share of the stop, beyond the free minutes.
      const excessMs = engineMs * ((stopMs - FREE_IDLE_MS) / stopMs);
      features.longIdleS += excessMs / 1000;
      features.moments.push({ kind: 'long_idling', from: start, to: start + stopMs });
    }
    stopFrom = -1;
    engineMs = 0;
  };
  for (let i = 0; i < withSpeed.length; i++) {
    const reading = withSpeed[i] as ScoringReading;
    if (engineOn(reading) || engineOff(reading)) features.hasEngineData = true;
    const stopped = (reading.speedKmh as number) < STOPPED_BELOW_KMH;
    const joined = i > 0 && reading.at - (withSpeed[i - 1] as ScoringReading).at <= MAX_GAP_MS;
    if (stopFrom >= 0 && (!stopped || !joined)) closeStop(i - 1);
    if (!stopped) continue;
    if (stopFrom < 0) {
      stopFrom = i;
      continue;
    }
    // Each reading of the pair decides for half the interval (trip-summary.ts rule 3).
    const previous = withSpeed[i - 1] as ScoringReading;
    const dtMs = reading.at - previous.at;
    for (const end of [previous, reading]) if (engineOn(end) && !engineOff(end)) engineMs += dtMs / 2;
  }
  closeStop(withSpeed.length - 1);
}

export function emptyFeatures(): DrivingFeatures {
  return {
    analysedS: 0,
    movingS: 0,
    accelerationBins: new Array(ACCELERATION_BINS).fill(0),
    decelerationBins: new Array(ACCELERATION_BINS).fill(0),
    veryHighSpeedS: 0,
    speedUps: 0,
    hastySpeedUps: 0,
    rpmBins: new Array(RPM_BINS).fill(0),
    rpmS: 0,
    longIdleS: 0,
    hasEngineData: false,
    moments: [],
    maxSpeedKmh: null,
    maxAbsAccelerationMs2: null,
  };
}

/** Everything the score reads from a trip's readings (any order, repeats allowed). */
export function drivingFeatures(readings: readonly ScoringReading[]): DrivingFeatures {
  const features = emptyFeatures();
  gridFeatures(motionSegments(readings), features);
  const sorted = sortedReadings(readings);
  rpmFeatures(sorted, features);
  idleFeatures(sorted, features);
  features.moments.sort((a, b) => a.from - b.from || a.kind.localeCompare(b.kind));
  return features;
}

const maxOrNull = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** The features of two parts of a trip read separately (a long trip read page by page). */
export function addFeatures(a: DrivingFeatures, b: DrivingFeatures): DrivingFeatures {
  const sum = (x: readonly number[], y: readonly number[]) => x.map((value, i) => value + (y[i] as number));
  return {
    analysedS: a.analysedS + b.analysedS,
    movingS: a.movingS + b.movingS,
    accelerationBins: sum(a.accelerationBins, b.accelerationBins),
    decelerationBins: sum(a.decelerationBins, b.decelerationBins),
    veryHighSpeedS: a.veryHighSpeedS + b.veryHighSpeedS,
    speedUps: a.speedUps + b.speedUps,
    hastySpeedUps: a.hastySpeedUps + b.hastySpeedUps,
    rpmBins: sum(a.rpmBins, b.rpmBins),
    rpmS: a.rpmS + b.rpmS,
    longIdleS: a.longIdleS + b.longIdleS,
    hasEngineData: a.hasEngineData || b.hasEngineData,
    moments: [...a.moments, ...b.moments],
    maxSpeedKmh: maxOrNull(a.maxSpeedKmh, b.maxSpeedKmh),
    maxAbsAccelerationMs2: maxOrNull(a.maxAbsAccelerationMs2, b.maxAbsAccelerationMs2),
  };
}

/**
 * The value below which `share` of the counted 0.1 s fall (the smallest bin reaching it), as the
 * bin's middle; null without any. The empirical distribution decides, so the same driving twice
 * gives exactly the same figure.
 */
export function binnedPercentile(bins: readonly number[], width: number, share: number): number | null {
  const total = bins.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  let running = 0;
  for (let i = 0; i < bins.length; i++) {
    running += bins[i] as number;
    if (running >= share * total - 1e-9) return (i + 0.5) * width;
  }
  return (bins.length - 0.5) * width;
}
