import type { SimVehicle } from '../../world/world';
import { drivingAttitude, markLevel, roadProfile } from './aggregate';
import { ecoLabel, type MarkLevel } from './texts';
import { CRITERIA, type TripEvaluation } from './trip-evaluation';
import { roundMark } from './trip-mark';

// The v1 evaluation body (spec fetchEcoevaluation…; vehicle-apis.md §8): `tripId` on per-trip
// answers, `globalEvaluation` (with `duration` on per-trip and aggregate answers and `dateAggr`
// on aggregates), `detailedEvaluation`, then `vin`, `lastUpdate`, `contract`. Every number has a
// `<name>Label` sibling in the caller's language.

/**
 * A criterion that does not apply (the engine criteria of an electric car) is answered as 10,
 * "nothing to improve", with the `na` level's text saying why; the driving mark leaves it out. The
 * spec types every value as a number, so it cannot be null. [infer]
 */
const NOT_APPLICABLE_MARK = 10;

export type BodyExtras = {
  tripId?: number;
  /** Seconds driven (trip or aggregate). */
  duration?: number;
  /** yyyyMMdd (day aggregates) or yyyyMM (month aggregates), as a number. [infer] */
  dateAggr?: number;
};

/** ISO 8601 to the second, as the other v1 bodies write `lastUpdate`. */
export const isoSeconds = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function evaluationBody(
  evaluation: TripEvaluation,
  vehicle: SimVehicle,
  locale: string,
  lastUpdateMs: number,
  extras: BodyExtras = {},
) {
  const mark = roundMark(evaluation.drivingMark);
  const attitude = drivingAttitude(evaluation);
  const profile = roadProfile(evaluation);
  const detailed: Record<string, unknown> = {};
  for (const criterion of CRITERIA) {
    const value = evaluation.marks[criterion];
    const rounded = value === null ? NOT_APPLICABLE_MARK : roundMark(value);
    const level: MarkLevel = value === null ? 'na' : markLevel(rounded);
    detailed[criterion] = rounded;
    detailed[`${criterion}Label`] = ecoLabel(criterion, level, locale);
  }
  return {
    ...(extras.tripId === undefined ? {} : { tripId: extras.tripId }),
    globalEvaluation: {
      ...(extras.duration === undefined ? {} : { duration: extras.duration }),
      ...(extras.dateAggr === undefined ? {} : { dateAggr: extras.dateAggr }),
      drivingMark: mark,
      drivingMarkLabel: ecoLabel('drivingMark', markLevel(mark), locale),
      drivingAttitude: Number(attitude),
      drivingAttitudeLabel: ecoLabel('drivingAttitude', attitude, locale),
      roadProfile: Number(profile),
      roadProfileLabel: ecoLabel('roadProfile', profile, locale),
    },
    detailedEvaluation: detailed,
    vin: vehicle.vin,
    lastUpdate: isoSeconds(lastUpdateMs),
    contract: vehicle.contract,
  };
}
