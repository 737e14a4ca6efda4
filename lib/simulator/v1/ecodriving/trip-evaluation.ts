import { engineColdness, warmUpDecayPerSecond } from '../../physics/engine-map';
import { type DriveTrace, ENGINE_OFF } from '../../physics/powertrain';
import { summarizeTrace } from '../../physics/trace-summary';
import type { VehicleModel } from '../../physics/vehicle-models';

// The eco-driving evaluation of one trip (vehicle-apis.md §8: v1 `detailedEvaluation` and
// `globalEvaluation`), computed from the trip's 1 Hz trace. The v1 spec gives no scale: every
// criterion is a mark from 0 (to improve) to 10 (exemplary), as v4.0's ECoaching scores
// (`scores[{category, score 0..10}]`, §8.2) were. [infer] The thresholds below are the
// simulator's own choices, set so that the simulated population (driver-style.ts: smooth 0 …
// aggressive 1) spans the scale; each names the physics constant it builds on.

export const CRITERIA = [
  'acceleration',
  'braking',
  'engineSpeed',
  'stopAndStart',
  'speed',
  'slope',
  'coldTrips',
] as const;
export type Criterion = (typeof CRITERIA)[number];

/** Criteria about the combustion engine: not applicable to an electric car (no engine to rev, idle or warm up). */
export const ENGINE_CRITERIA: ReadonlySet<Criterion> = new Set(['engineSpeed', 'stopAndStart', 'coldTrips']);

/**
 * Weights of the criteria in the driving mark. Launches and braking weigh most (they are what the
 * driver controls on every trip); cold trips least (they depend on the errand more than on the
 * driver). Criteria that do not apply are left out and the others renormalised. [infer]
 */
export const CRITERION_WEIGHTS: Readonly<Record<Criterion, number>> = {
  acceleration: 0.25,
  braking: 0.2,
  engineSpeed: 0.15,
  speed: 0.15,
  stopAndStart: 0.1,
  slope: 0.1,
  coldTrips: 0.05,
};

/** Road kinds by posted limit: up to 50 km/h in town, up to 100 km/h on open roads, faster on motorways. */
export const ROAD_KINDS = ['urban', 'extraUrban', 'motorway'] as const;
export type RoadKind = (typeof ROAD_KINDS)[number];
const URBAN_MAX_LIMIT_KMH = 50;
const EXTRA_URBAN_MAX_LIMIT_KMH = 100;

export type TripEvaluation = {
  distanceKm: number;
  /** Trip seconds, key-on to key-off (the trip record's endMs − startMs). */
  durationS: number;
  /** 0–10 per criterion, unrounded; null where the criterion does not apply. */
  marks: Readonly<Record<Criterion, number | null>>;
  /** 0–10, the weighted mean of the applicable criteria, unrounded. */
  drivingMark: number;
  /** km driven under each kind of posted limit (road profile). */
  roadKm: Readonly<Record<RoadKind, number>>;
};

// --- Thresholds -----------------------------------------------------------------------------------

/** Below this, a second is neither a launch nor a slow-down (noise of 1 Hz speed differences). */
const STEADY_MS2 = 0.05;
/**
 * The 95th percentile of positive acceleration: 1.0 m/s² is a gentle, eco launch (the smoothest
 * simulated drivers' comfort value, driver-style.ts), 2.6 m/s² is close to the harsh threshold
 * (3.0 m/s², trace-summary.ts) on every launch.
 */
const ACCELERATION_P95_BEST = 1.0;
const ACCELERATION_P95_WORST = 2.6;
/** Same for deceleration: 1.2 m/s² is comfortable braking, 3.2 m/s² nears the harsh −3.5 m/s². */
const BRAKING_P95_BEST = 1.2;
const BRAKING_P95_WORST = 3.2;
/** Mark points lost per harsh event per 100 km, at most HARSH_MAX_PENALTY. */
const HARSH_PENALTY_PER_100KM = 0.3;
const HARSH_MAX_PENALTY = 3;
/** Share of engine-running moving time above the efficient band (trace-summary's highRpmShare). */
const HIGH_RPM_SHARE_WORST = 0.25;
/**
 * Share of the trip spent at a standstill with the engine running. Some idling at lights is in
 * every town trip (≈ 10 %); a third of the trip idling is the worst. Idles longer than LONG_IDLE_S
 * (warming up, waiting with the engine on) count twice: switching off is the advice there.
 */
const IDLE_SHARE_BEST = 0.1;
const IDLE_SHARE_WORST = 0.35;
/** Share of moving time above limit + SPEEDING_MARGIN_KMH (trace-summary's speedingShare). */
const SPEEDING_SHARE_WORST = 0.3;
/**
 * Anticipation ("slope", see slopeMark): decelerations up to this are lifting off (the profile's
 * lift-off is 0.5 m/s², plus drag at speed); beyond it the brakes take the energy.
 */
const LIFT_OFF_MAX_MS2 = 0.6;
/** Share of the slowing-down energy taken by the brakes: 35 % is well anticipated, 85 % is late braking. */
const BRAKED_SHARE_BEST = 0.35;
const BRAKED_SHARE_WORST = 0.85;
/** Coolant below this is a cold engine (over-fuelled, worn faster). [infer] */
const COLD_COOLANT_C = 70;
/** Coldness (engine-map.ts scale: coolant = 90 − 100 × coldness) at COLD_COOLANT_C. */
const COLD_COLDNESS = (90 - COLD_COOLANT_C) / 100;
/** Share of the trip's fuel burnt on a cold engine at which the mark is 0. */
const COLD_FUEL_SHARE_WORST = 0.8;

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));
/** 10 at `best` or better, 0 at `worst` or worse, linear between. */
const markOf = (value: number, best: number, worst: number) => 10 * clamp01((worst - value) / (worst - best));

/** The q-quantile of the first `count` values (sorted in place). */
function quantile(values: Float32Array, count: number, q: number): number {
  if (count === 0) return 0;
  const sorted = values.subarray(0, count).sort();
  return sorted[Math.min(count - 1, Math.floor(q * count))] as number;
}

function harshPenalty(events: number, distanceKm: number): number {
  if (events === 0) return 0;
  // A trip shorter than 1 km counts as 1 km, so one event on a 200 m hop is not 500 per 100 km.
  const per100km = (events / Math.max(1, distanceKm)) * 100;
  return Math.min(HARSH_MAX_PENALTY, HARSH_PENALTY_PER_100KM * per100km);
}

/**
 * Share of the trip's fuel burnt while the coolant was below COLD_COOLANT_C. The coolant is
 * replayed with engine-map.ts's warm-up law from a cold-soaked start, as the timeline simulates
 * every trip (vehicle-timeline.ts passes no `engineStartTempC`): coldness applies to a running
 * second and decays after it, as in powertrain.ts.
 */
export function coldFuelShare(trace: DriveTrace): number {
  const decay = warmUpDecayPerSecond(trace.outsideTempC);
  let coldness = engineColdness(trace.outsideTempC, trace.outsideTempC, 0);
  let cold = 0;
  let total = 0;
  for (let i = 0; i < trace.engineMode.length; i++) {
    if (trace.engineMode[i] === ENGINE_OFF) continue;
    const rate = trace.fuelRateLph[i] as number;
    total += rate;
    if (coldness > COLD_COLDNESS) cold += rate;
    coldness *= decay;
  }
  return total > 0 ? cold / total : 0;
}

/**
 * The simulated roads carry no grade (the timeline drives flat profiles), so "slope" is read as
 * PSA's advice for slopes and slowing down: use the car's momentum, lift off early rather than
 * brake. The mark is the share of the kinetic energy lost while slowing down that went into
 * decelerations harder than lifting off (the brakes). [infer]
 */
function brakedShare(trace: DriveTrace): number {
  let lifted = 0;
  let braked = 0;
  const n = trace.speedKmh.length;
  for (let i = 0; i < n; i++) {
    const a = trace.accelerationMs2[i] as number;
    if (a >= -STEADY_MS2) continue;
    const v0 = (trace.speedKmh[i] as number) / 3.6;
    const v1 = i + 1 < n ? (trace.speedKmh[i + 1] as number) / 3.6 : v0;
    // Kinetic energy per kg lost in this second.
    const energy = (v0 * v0 - v1 * v1) / 2;
    if (-a > LIFT_OFF_MAX_MS2) braked += energy;
    else lifted += energy;
  }
  return braked + lifted > 0 ? braked / (braked + lifted) : 0;
}

function roadKmOf(trace: DriveTrace): Record<RoadKind, number> {
  const km: Record<RoadKind, number> = { urban: 0, extraUrban: 0, motorway: 0 };
  for (let i = 0; i + 1 < trace.distanceKm.length; i++) {
    const step = (trace.distanceKm[i + 1] as number) - (trace.distanceKm[i] as number);
    const limit = trace.limitKmh[i] as number;
    if (limit <= URBAN_MAX_LIMIT_KMH) km.urban += step;
    else if (limit <= EXTRA_URBAN_MAX_LIMIT_KMH) km.extraUrban += step;
    else km.motorway += step;
  }
  return km;
}

/** Weighted mean of the applicable marks (CRITERION_WEIGHTS). */
export function weightedDrivingMark(marks: Readonly<Record<Criterion, number | null>>): number {
  let sum = 0;
  let weights = 0;
  for (const criterion of CRITERIA) {
    const mark = marks[criterion];
    if (mark === null) continue;
    sum += mark * CRITERION_WEIGHTS[criterion];
    weights += CRITERION_WEIGHTS[criterion];
  }
  return weights > 0 ? Math.min(10, sum / weights) : 0;
}

/** The evaluation of one trip from its trace: pure and deterministic. */
export function evaluateTrace(trace: DriveTrace, model: VehicleModel): TripEvaluation {
  const summary = summarizeTrace(trace, model);
  const n = trace.speedKmh.length;
  const launches = new Float32Array(n);
  const slowings = new Float32Array(n);
  let launchCount = 0;
  let slowingCount = 0;
  for (let i = 0; i < n; i++) {
    const a = trace.accelerationMs2[i] as number;
    if (a > STEADY_MS2) launches[launchCount++] = a;
    else if (a < -STEADY_MS2) slowings[slowingCount++] = -a;
  }
  const distanceKm = summary.distanceKm;
  // An electric car has no combustion engine (plug-in hybrids do: theirs is judged when it runs).
  const electric = model.powertrain === 'electric';

  const acceleration = Math.max(
    0,
    markOf(quantile(launches, launchCount, 0.95), ACCELERATION_P95_BEST, ACCELERATION_P95_WORST) -
      harshPenalty(summary.harshAccelerations, distanceKm),
  );
  const braking = Math.max(
    0,
    markOf(quantile(slowings, slowingCount, 0.95), BRAKING_P95_BEST, BRAKING_P95_WORST) -
      harshPenalty(summary.harshBrakings, distanceKm),
  );
  const idleShare = n > 0 ? (summary.idleS + summary.longIdleS) / n : 0;
  const marks: Record<Criterion, number | null> = {
    acceleration,
    braking,
    engineSpeed: markOf(summary.highRpmShare ?? 0, 0, HIGH_RPM_SHARE_WORST),
    stopAndStart: markOf(idleShare, IDLE_SHARE_BEST, IDLE_SHARE_WORST),
    speed: markOf(summary.speedingShare, 0, SPEEDING_SHARE_WORST),
    slope: markOf(brakedShare(trace), BRAKED_SHARE_BEST, BRAKED_SHARE_WORST),
    coldTrips: markOf(coldFuelShare(trace), 0, COLD_FUEL_SHARE_WORST),
  };
  if (electric) for (const criterion of ENGINE_CRITERIA) marks[criterion] = null;
  return {
    distanceKm,
    durationS: Math.max(1, n - 1),
    marks,
    drivingMark: weightedDrivingMark(marks),
    roadKm: roadKmOf(trace),
  };
}
