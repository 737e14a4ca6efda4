import { setNewest } from '../../../bounded-map';
import type { SimContext } from '../../context';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import type { SimVehicle } from '../../world/world';
import { evaluateTrace, type TripEvaluation } from './trip-evaluation';

// Trip evaluations of a simulator context, cached by trip id. A trace costs a few milliseconds to
// simulate and the timeline keeps only its last 32, so a month of evaluations (≈ 100 trips) would
// otherwise re-simulate most of them on every call; an evaluation is a few numbers, and the same
// trip always gets the same one (traces are deterministic).

/** Evaluations kept per context: a month of trips for a few dozen cars. */
const CACHE_SIZE = 8192;

const caches = new WeakMap<SimContext, Map<string, TripEvaluation>>();

function cacheOf(ctx: SimContext): Map<string, TripEvaluation> {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new Map();
    caches.set(ctx, cache);
  }
  return cache;
}

/** The evaluation of a whole trip (callers decide whether the trip is over). */
export function tripEvaluation(ctx: SimContext, vehicle: SimVehicle, trip: TripRecord): TripEvaluation {
  const cache = cacheOf(ctx);
  const cached = cache.get(trip.id);
  if (cached) {
    // Least recently used goes first: refresh the entry's place in the insertion order.
    cache.delete(trip.id);
    cache.set(trip.id, cached);
    return cached;
  }
  const timeline = ctx.fleet.timelineOf(vehicle);
  const evaluation = evaluateTrace(timeline.traceOf(trip), timeline.model);
  setNewest(cache, trip.id, evaluation, CACHE_SIZE);
  return evaluation;
}
