import type { SimContext } from '../../context';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import type { SimVehicle } from '../../world/world';
import { tripEvaluation } from './trip-evaluations';

/**
 * The eco-driving mark (0–10, one decimal) of one trip, as `ecoDriving` in v1 trip bodies and
 * `drivingMark` in its evaluation (GET /ecodriving/evaluation/pertrip): both read the same
 * cached evaluation of the whole trip. A trip still under way is marked as it will end, so
 * callers describing a pending trip should not show it. [infer]
 */
export function tripDrivingMark(ctx: SimContext, vehicle: SimVehicle, trip: TripRecord): number {
  return roundMark(tripEvaluation(ctx, vehicle, trip).drivingMark);
}

/** Marks are answered with one decimal. */
export const roundMark = (mark: number) => Math.round(mark * 10) / 10;
