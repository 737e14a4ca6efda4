import type { AttitudeLevel, MarkLevel, RoadProfileLevel } from './texts';
import { CRITERIA, type Criterion, ROAD_KINDS, type RoadKind, type TripEvaluation } from './trip-evaluation';

// Evaluations of several trips (a day, a month, the whole history) and the levels read off an
// evaluation. An aggregate is the distance-weighted mean of its trips' marks (a 100 km trip says
// more about a driver than a 1 km one), its duration the sum of theirs. [infer]

/**
 * The distance-weighted mean of the trips' evaluations; equal weights when no trip moved. A
 * criterion that applies to none of the trips stays null. `trips` must not be empty.
 */
export function combineEvaluations(trips: readonly TripEvaluation[]): TripEvaluation {
  if (trips.length === 0) throw new Error('nothing to combine');
  const totalKm = trips.reduce((sum, trip) => sum + trip.distanceKm, 0);
  const weightOf = (trip: TripEvaluation) => (totalKm > 0 ? trip.distanceKm : 1);
  const mean = (value: (trip: TripEvaluation) => number | null): number | null => {
    let sum = 0;
    let weights = 0;
    for (const trip of trips) {
      const v = value(trip);
      if (v === null) continue;
      sum += v * weightOf(trip);
      weights += weightOf(trip);
    }
    // Clamped: a mean of marks cannot leave 0–10, but its floating-point sum can by 1e-15.
    if (weights > 0) return Math.min(10, Math.max(0, sum / weights));
    // Applicable only on trips that did not move: their plain mean.
    const values = trips.map(value).filter((v): v is number => v !== null);
    return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
  };
  const marks = {} as Record<Criterion, number | null>;
  for (const criterion of CRITERIA) marks[criterion] = mean((trip) => trip.marks[criterion]);
  const roadKm = {} as Record<RoadKind, number>;
  for (const kind of ROAD_KINDS) roadKm[kind] = trips.reduce((sum, trip) => sum + trip.roadKm[kind], 0);
  return {
    distanceKm: totalKm,
    durationS: trips.reduce((sum, trip) => sum + trip.durationS, 0),
    marks,
    drivingMark: mean((trip) => trip.drivingMark) ?? 0,
    roadKm,
  };
}

/** Mark levels: 7 and above is good, below 4 is to improve. [infer] */
export const GOOD_FROM = 7;
export const FAIR_FROM = 4;

export const markLevel = (mark: number): MarkLevel =>
  mark >= GOOD_FROM ? 'good' : mark >= FAIR_FROM ? 'fair' : 'improve';

/**
 * drivingAttitude from how the car was launched and stopped: the mean of the acceleration and
 * braking marks, 7.5+ calm (1), 5+ normal (2), 2.5+ dynamic (3), else aggressive (4). [infer]
 */
export function drivingAttitude(evaluation: TripEvaluation): AttitudeLevel {
  const smoothness = ((evaluation.marks.acceleration ?? 0) + (evaluation.marks.braking ?? 0)) / 2;
  if (smoothness >= 7.5) return '1';
  if (smoothness >= 5) return '2';
  if (smoothness >= 2.5) return '3';
  return '4';
}

/** A road kind covering this share of the distance names the profile; otherwise it is mixed. [infer] */
export const DOMINANT_ROAD_SHARE = 0.6;

/** roadProfile: 1 urban, 2 mixed, 3 extra-urban, 4 motorway, from the km under each kind of limit. */
export function roadProfile(evaluation: TripEvaluation): RoadProfileLevel {
  const { urban, extraUrban, motorway } = evaluation.roadKm;
  const total = urban + extraUrban + motorway;
  if (total <= 0) return '1';
  if (urban / total >= DOMINANT_ROAD_SHARE) return '1';
  if (extraUrban / total >= DOMINANT_ROAD_SHARE) return '3';
  if (motorway / total >= DOMINANT_ROAD_SHARE) return '4';
  return '2';
}
