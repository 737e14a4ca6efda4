import type { SimContext } from '../context';
import type { TripRecord } from '../fleet/vehicle-timeline';
import { V4ApiError } from '../v4/errors';
import { visibleTrip } from '../v4/trip-resources';
import type { SimVehicle } from '../world/world';
import { V1Error } from './gateway';

// v1 trip ids are numbers (`tripId: number` in every trip and evaluation). The simulator's trips
// are `<vehicle id>-<day>-<n>` (v4's ids): v1 writes the same trip as day × 1000 + n, so both
// APIs name one trip and either id converts to the other without a table.

const PER_DAY = 1000;

export function v1TripId(trip: TripRecord): number {
  const match = /-(\d+)-(\d+)$/.exec(trip.id);
  if (!match) throw new Error(`unexpected trip id ${trip.id}`);
  return Number(match[1]) * PER_DAY + Number(match[2]);
}

/** The v4 trip id of a v1 trip id, for this car; null when the text is not a v1 trip id. */
export function v4TripIdOf(vehicle: SimVehicle, v1Id: string): string | null {
  if (!/^\d{1,10}$/.test(v1Id)) return null;
  const id = Number(v1Id);
  return `${vehicle.id}-${Math.floor(id / PER_DAY)}-${id % PER_DAY}`;
}

/** The car's visible trip named by a v1 id; 404 for malformed, unknown or future ids. */
export function tripOfV1Id(ctx: SimContext, vehicle: SimVehicle, v1Id: string, nowMs: number): TripRecord {
  const v4Id = v4TripIdOf(vehicle, v1Id);
  if (v4Id === null) throw new V1Error(404, 'No trip with this id.');
  try {
    return visibleTrip(ctx, vehicle, v4Id, nowMs);
  } catch (error) {
    if (error instanceof V4ApiError) throw new V1Error(404, 'No trip with this id.');
    throw error;
  }
}
