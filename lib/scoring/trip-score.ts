// A trip's driving score, 0–100, from its features (features.ts), its harsh events (events.ts)
// and its trip figures — the formulas in plain words (the /methodology page quotes them; keep it
// true to the code). ramp(x; good, bad) is 100 at `good` or better, 0 at `bad` or worse, and a
// straight line between.
//
//  1. Not rated. A trip shorter than 1 km, with less than 2 minutes of moving readings, or whose
//     readings cover less than half of its duration is too short or too sparse to judge: it gets
//     no score, not a low one. Nor does a trip with impossible readings (above 250 km/h, or an
//     acceleration beyond 12 m/s², more than any road car manages): a sensor fault is not driving.
//  2. Smoothness = 40 % events + 60 % profile.
//     Events: 100 − 5 points per harsh event per 100 km (a severe one counts twice).
//     Profile: the mean of ramp(95th percentile of acceleration while moving; 1.0, 2.5 m/s²) and
//     ramp(95th percentile of deceleration; 1.5, 3.0 m/s²). Sparse speed (1 Hz GPS) rarely crosses
//     the event thresholds even in rough driving; its profile still tells calm from rough.
//  3. Speed = 100 − 2 points per percent of moving time above 130 km/h.
//  4. Engine use (cars with an engine and engine-speed readings for at least a minute) = 100 − 2
//     points per percent of engine time above 3,000 rpm (petrol, hybrid, and cars whose fuel is
//     not known — the more lenient limit) or 2,500 rpm (diesel) — Drust's eco limits, in UDRIVE's
//     2,000–3,000 rpm band (docs/product-anchors.md c.2).
//  5. Idling (cars with an engine, when the readings say whether it ran) = 100 − 5 points per
//     minute of long idling (features.ts rule 6) per hour of driving.
//  6. Anticipation (trips with at least one speed-up) = the share of speed-ups that were not
//     hasty, × 100.
//  7. Consumption (when the trip's average consumption and a reference are known) =
//     ramp(ratio to the reference; 0.8, 1.8): 100 at 80 % of the reference or less, 50 at 130 %.
//     The reference is the median of the same model's trips at a similar average speed.
//  8. Score = the weighted mean of the components that could be rated: smoothness 30, speed 20,
//     engine 15, anticipation 15, idling 10, consumption 10 — weights of missing components are
//     shared out among the others, never counted as 0.
//  9. Explanation. Each harsh event, stretch above 130 km/h, run above the engine band, long stop
//     and hasty speed-up costs the score a number of points (its share of its component's loss,
//     times the component's weight); the five costliest are kept. The tip names the component
//     that cost the most points.
//
// Pure and isomorphic, like the rest of lib/scoring.

import type { DrivingEvent } from './events';
import {
  ACCELERATION_BIN_MS2,
  binnedPercentile,
  type DrivingFeatures,
  type Moment,
  RPM_BIN,
} from './features';

export const SCORE_COMPONENTS = [
  'smoothness',
  'speed',
  'engine',
  'idling',
  'anticipation',
  'consumption',
] as const;
export type ScoreComponent = (typeof SCORE_COMPONENTS)[number];
export type ComponentScores = Record<ScoreComponent, number | null>;

/** Rule 8. */
export const COMPONENT_WEIGHTS: Readonly<Record<ScoreComponent, number>> = {
  smoothness: 30,
  speed: 20,
  engine: 15,
  anticipation: 15,
  idling: 10,
  consumption: 10,
};

/** Rule 1. */
export const MIN_RATED_DISTANCE_KM = 1;
export const MIN_RATED_MOVING_S = 120;
export const MIN_COVERAGE = 0.5;
export const MAX_PLAUSIBLE_SPEED_KMH = 250;
export const MAX_PLAUSIBLE_ACCELERATION_MS2 = 12;
/** Rule 2. */
export const EVENTS_SHARE = 0.4;
export const POINTS_PER_EVENT_PER_100KM = 5;
export const ACCELERATION_P95_RAMP = [1.0, 2.5] as const;
export const DECELERATION_P95_RAMP = [1.5, 3.0] as const;
/** Rule 3. */
export const POINTS_PER_PERCENT_VERY_HIGH_SPEED = 2;
/** Rule 4. */
export const ENGINE_LIMIT_RPM = { petrol: 3000, hybrid: 3000, diesel: 2500 } as const;
/**
 * The band's upper limit for a car with an engine, from the vehicle's stored powertrain: a fuel
 * not known (null, `unknown`) takes the lenient one.
 */
export const engineLimitRpm = (powertrain: string | null): number =>
  ENGINE_LIMIT_RPM[(powertrain ?? 'petrol') as keyof typeof ENGINE_LIMIT_RPM] ?? ENGINE_LIMIT_RPM.petrol;
export const MIN_RPM_S = 60;
export const POINTS_PER_PERCENT_HIGH_RPM = 2;
/** Rule 5. */
export const POINTS_PER_IDLE_MINUTE_PER_HOUR = 5;
/** Rule 7. */
export const CONSUMPTION_RATIO_RAMP = [0.8, 1.8] as const;

export type ScoredPowertrain = 'petrol' | 'diesel' | 'hybrid' | 'electric';

export type NotRatedReason = 'flagged' | 'too_short' | 'too_sparse' | 'implausible';

export type CostlyMoment = {
  component: ScoreComponent;
  kind: Moment['kind'] | DrivingEvent['type'];
  from: number;
  to: number;
  /** Points of the trip's score this moment cost. */
  points: number;
};

export type TripScoreInput = {
  features: DrivingFeatures;
  events: readonly Pick<DrivingEvent, 'type' | 'severity' | 'at'>[];
  distanceKm: number | null;
  durationS: number;
  /** Null when the maker does not say (PSA v4 `Thermic`, the v1 API): treated as an engine car. */
  powertrain: ScoredPowertrain | null;
  /** The trip's average consumption and the reference for it, same unit (L or kWh per 100 km). */
  consumption: { value: number; reference: number | null } | null;
  /** Engine-speed runs above the band (features.ts highRpmRuns), for the explanation. */
  highRpmRuns?: readonly Moment[];
  /** The maker flagged the trip (never started, data missing, never finished): not judged. */
  flagged?: boolean;
};

export type TripScore =
  | {
      rated: true;
      score: number;
      components: ComponentScores;
      moments: CostlyMoment[];
      tip: ScoreComponent | null;
    }
  | { rated: false; reason: NotRatedReason; components: ComponentScores };

export const MAX_MOMENTS = 5;

export function ramp(value: number, good: number, bad: number): number {
  const score = (100 * (bad - value)) / (bad - good);
  return Math.min(100, Math.max(0, score));
}

const clamp100 = (value: number) => Math.min(100, Math.max(0, value));

/** Every component unrated: a trip that is not rated, or a start to fill in. */
export const noComponents = (): ComponentScores =>
  Object.fromEntries(SCORE_COMPONENTS.map((name) => [name, null])) as ComponentScores;

function notRatedReason(input: TripScoreInput): NotRatedReason | null {
  const { features } = input;
  if (input.flagged) return 'flagged';
  if (
    (features.maxSpeedKmh ?? 0) > MAX_PLAUSIBLE_SPEED_KMH ||
    (features.maxAbsAccelerationMs2 ?? 0) > MAX_PLAUSIBLE_ACCELERATION_MS2
  )
    return 'implausible';
  if (input.distanceKm === null || input.distanceKm < MIN_RATED_DISTANCE_KM) return 'too_short';
  if (features.movingS < MIN_RATED_MOVING_S) return 'too_short';
  if (input.durationS > 0 && features.analysedS < MIN_COVERAGE * input.durationS) return 'too_sparse';
  return null;
}

const eventWeight = (event: Pick<DrivingEvent, 'severity'>) => (event.severity === 'severe' ? 2 : 1);

function smoothness(input: TripScoreInput, distanceKm: number) {
  const weighted = input.events.reduce((sum, event) => sum + eventWeight(event), 0);
  const eventsScore = clamp100(100 - (POINTS_PER_EVENT_PER_100KM * weighted * 100) / distanceKm);
  const up = binnedPercentile(input.features.accelerationBins, ACCELERATION_BIN_MS2, 0.95);
  const down = binnedPercentile(input.features.decelerationBins, ACCELERATION_BIN_MS2, 0.95);
  const profileParts = [
    up === null ? null : ramp(up, ...ACCELERATION_P95_RAMP),
    down === null ? null : ramp(down, ...DECELERATION_P95_RAMP),
  ].filter((part): part is number => part !== null);
  const profile =
    profileParts.length === 0
      ? null
      : profileParts.reduce((sum, part) => sum + part, 0) / profileParts.length;
  const score = profile === null ? eventsScore : EVENTS_SHARE * eventsScore + (1 - EVENTS_SHARE) * profile;
  // What one event of weight 1 costs the component (before the events part bottoms out at 0).
  const share = profile === null ? 1 : EVENTS_SHARE;
  const perEvent = eventsScore > 0 ? (share * POINTS_PER_EVENT_PER_100KM * 100) / distanceKm : 0;
  return { score, perEvent };
}

function engineComponent(features: DrivingFeatures, powertrain: ScoredPowertrain | null): number | null {
  if (powertrain === 'electric' || features.rpmS < MIN_RPM_S) return null;
  const limit = engineLimitRpm(powertrain);
  const firstAbove = limit / RPM_BIN;
  const aboveS = features.rpmBins.slice(firstAbove).reduce((sum, seconds) => sum + seconds, 0);
  return clamp100(100 - POINTS_PER_PERCENT_HIGH_RPM * ((100 * aboveS) / features.rpmS));
}

/** Rules 1–8: the score and its components. */
export function scoreTrip(input: TripScoreInput): TripScore {
  const reason = notRatedReason(input);
  if (reason !== null) return { rated: false, reason, components: noComponents() };
  const { features, powertrain } = input;
  const distanceKm = input.distanceKm as number;
  const hasEngine = powertrain !== 'electric';

  const smooth = smoothness(input, distanceKm);
  const components: ComponentScores = {
    smoothness: smooth.score,
    speed: clamp100(
      100 - POINTS_PER_PERCENT_VERY_HIGH_SPEED * ((100 * features.veryHighSpeedS) / features.movingS),
    ),
    engine: engineComponent(features, powertrain),
    idling:
      hasEngine && features.hasEngineData
        ? clamp100(
            100 - POINTS_PER_IDLE_MINUTE_PER_HOUR * (features.longIdleS / 60 / (features.movingS / 3600)),
          )
        : null,
    anticipation:
      features.speedUps > 0 ? (100 * (features.speedUps - features.hastySpeedUps)) / features.speedUps : null,
    consumption:
      input.consumption !== null && input.consumption.reference !== null && input.consumption.reference > 0
        ? ramp(input.consumption.value / input.consumption.reference, ...CONSUMPTION_RATIO_RAMP)
        : null,
  };

  let weightSum = 0;
  let weighted = 0;
  for (const name of SCORE_COMPONENTS) {
    const value = components[name];
    if (value === null) continue;
    weightSum += COMPONENT_WEIGHTS[name];
    weighted += COMPONENT_WEIGHTS[name] * value;
  }
  const score = weighted / weightSum;
  const factor = (name: ScoreComponent) => COMPONENT_WEIGHTS[name] / weightSum;

  return {
    rated: true,
    score,
    components,
    moments: costlyMoments(input, components, factor, smooth.perEvent),
    tip: tipFor(components),
  };
}

/** Rule 9: each moment's points, the costliest first. */
function costlyMoments(
  input: TripScoreInput,
  components: ComponentScores,
  factor: (name: ScoreComponent) => number,
  perEvent: number,
): CostlyMoment[] {
  const { features } = input;
  const moments: CostlyMoment[] = [];
  const seconds = (moment: Moment) => (moment.to - moment.from) / 1000;
  for (const event of input.events) {
    moments.push({
      component: 'smoothness',
      kind: event.type,
      from: event.at,
      to: event.at,
      points: factor('smoothness') * perEvent * eventWeight(event),
    });
  }
  for (const moment of features.moments) {
    if (moment.kind === 'very_high_speed' && components.speed !== null && components.speed > 0) {
      const percent = (100 * (seconds(moment) + 0.1)) / features.movingS;
      moments.push({
        component: 'speed',
        kind: moment.kind,
        ...span(moment),
        points: factor('speed') * POINTS_PER_PERCENT_VERY_HIGH_SPEED * percent,
      });
    }
    if (moment.kind === 'hasty_speed_up' && components.anticipation !== null) {
      moments.push({
        component: 'anticipation',
        kind: moment.kind,
        ...span(moment),
        points: (factor('anticipation') * 100) / features.speedUps,
      });
    }
    if (moment.kind === 'long_idling' && components.idling !== null && components.idling > 0) {
      const excessMinutes = Math.max(0, seconds(moment) - 120) / 60;
      moments.push({
        component: 'idling',
        kind: moment.kind,
        ...span(moment),
        points:
          (factor('idling') * POINTS_PER_IDLE_MINUTE_PER_HOUR * excessMinutes) / (features.movingS / 3600),
      });
    }
  }
  if (components.engine !== null && components.engine > 0) {
    for (const run of input.highRpmRuns ?? []) {
      const percent = (100 * seconds(run)) / features.rpmS;
      moments.push({
        component: 'engine',
        kind: run.kind,
        ...span(run),
        points: factor('engine') * POINTS_PER_PERCENT_HIGH_RPM * percent,
      });
    }
  }
  return moments
    .filter((moment) => moment.points > 0)
    .sort((a, b) => b.points - a.points || a.from - b.from)
    .slice(0, MAX_MOMENTS);
}

const span = (moment: Moment) => ({ from: moment.from, to: moment.to });

/** Below this a component is good enough to need no tip. */
export const TIP_BELOW = 90;

/**
 * The component that cost the most points (its loss times its weight), or null when every rated
 * component is at TIP_BELOW or better. Trips and periods alike.
 */
export function tipFor(components: ComponentScores): ScoreComponent | null {
  let worst: ScoreComponent | null = null;
  let worstLoss = 0;
  for (const name of SCORE_COMPONENTS) {
    const value = components[name];
    if (value === null || value >= TIP_BELOW) continue;
    // Sharing out the weights of unrated components scales every loss alike: raw weights rank
    // the components the same way.
    const loss = COMPONENT_WEIGHTS[name] * (100 - value);
    if (loss > worstLoss) {
      worst = name;
      worstLoss = loss;
    }
  }
  return worst;
}
