import { setNewest } from '../../bounded-map';
import { deriveSeed } from '../physics/random';
import type { SimVehicle, World } from '../world/world';
import { createVehicleTimeline, DAY_MS, homeFromSeed, type VehicleTimeline } from './vehicle-timeline';

// The fleet's data, on demand: one timeline per car, created when first asked for and kept in a
// bounded cache, so a 100,000-vehicle world costs only the cars that are actually queried.

/** Timelines kept in memory; each holds at most a few MB of cached traces. */
const TIMELINE_CACHE_SIZE = 512;
// VIN position 10, the model year (ISO 3779): A = 2010 … Y = 2030, then 1 … 9.
const MODEL_YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';
const YEAR_S = 365 * 24 * 3600;

export type Fleet = {
  /** Days of history behind the clock that the cloud still serves (SIM_BACKFILL_DAYS). */
  readonly backfillDays: number;
  timelineOf(vehicle: SimVehicle): VehicleTimeline;
  /** When the car joined the connected service (seed-derived, within its first model year). */
  enrolledAtMs(vehicle: SimVehicle): number;
  /**
   * The first instant whose data the cloud serves at `nowMs`: midnight UTC `backfillDays` before
   * the clock's day (a sliding retention window), and never before the car was enrolled.
   */
  historyStartMs(vehicle: SimVehicle, nowMs: number): number;
};

export function createFleet(world: World, options: { backfillDays: number }): Fleet {
  const timelines = new Map<string, VehicleTimeline>();

  function timelineOf(vehicle: SimVehicle): VehicleTimeline {
    const cached = timelines.get(vehicle.id);
    if (cached) {
      // Refresh its place in the insertion order: least recently used goes first.
      timelines.delete(vehicle.id);
      timelines.set(vehicle.id, cached);
      return cached;
    }
    const owner = world.ownerAt(vehicle.ownerIndex);
    const timeline = createVehicleTimeline({
      seed: world.seed,
      vehicle,
      style: {
        aggressiveness: owner.style.aggressiveness,
        // Per car: a household's second car has the owner's style but its own timetable and
        // routes (someone else commutes in it), so two cars do not leave home at the same minute.
        seed: deriveSeed(world.seed, 'driver', owner.index, vehicle.id),
      },
      // An owner's cars share a home (and a driveway to charge in).
      homeLocation: homeFromSeed(world.seed, `owner:${owner.index}`),
    });
    setNewest(timelines, vehicle.id, timeline, TIMELINE_CACHE_SIZE);
    return timeline;
  }

  function enrolledAtMs(vehicle: SimVehicle): number {
    const yearIndex = MODEL_YEAR_CODES.indexOf(vehicle.vin.charAt(9));
    const modelYear = 2010 + Math.max(0, yearIndex);
    const start = Date.UTC(modelYear - 1, 8, 1);
    return start + (deriveSeed(world.seed, 'v4-enrolled', vehicle.id) % YEAR_S) * 1000;
  }

  return {
    backfillDays: options.backfillDays,
    timelineOf,
    enrolledAtMs,
    historyStartMs(vehicle, nowMs) {
      const windowStart = (Math.floor(nowMs / DAY_MS) - options.backfillDays) * DAY_MS;
      return Math.max(windowStart, enrolledAtMs(vehicle));
    },
  };
}
