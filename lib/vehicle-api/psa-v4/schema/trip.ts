import 'server-only';
import { z } from 'zod';
import { psaV4CollectionSchema, psaV4DateTimeSchema, psaV4LinkSchema } from './common';
import { psaV4EnergyConsumptionSchema, psaV4LiteEnergySchema } from './energy';
import { psaV4PositionSchema } from './position';

// `GET …/trips`, `…/trips/{tid}` (spec `Trip`, `Trips`, `TripSegment`) and `…/trips/{tid}/wayPoints`
// (spec `WayPoints`). Positions are left out when the token lacks `data:position` or privacy hides them.

export const psaV4TripSegmentSchema = z.object({
  propulsion: z.enum(['Thermal', 'Electric', 'Hybrid']).optional(),
  /** Share of the trip, percent (the spec gives no range). */
  percent: z.number().optional(),
  /** km. */
  distance: z.number().optional(),
});
export type PsaV4TripSegment = z.infer<typeof psaV4TripSegmentSchema>;

/** Why part of a trip is missing: privacy mode or lost connection. */
export const psaV4TripFaultSchema = z.object({
  fault: z.enum(['Unstarted', 'DataLacking', 'Unfinished']).optional(),
  cause: z.enum(['GeoPrivacy', 'FullPrivacy', 'Connection']).optional(),
});
export type PsaV4TripFault = z.infer<typeof psaV4TripFaultSchema>;

export const psaV4TripSchema = z.object({
  id: z.string().min(1),
  createdAt: psaV4DateTimeSchema,
  updatedAt: psaV4DateTimeSchema.optional(),
  _links: z.object({
    self: psaV4LinkSchema,
    vehicle: psaV4LinkSchema.optional(),
    /** Lower-case key, although the path is `…/wayPoints`. */
    waypoints: psaV4LinkSchema.optional(),
    alerts: psaV4LinkSchema.optional(),
    collisions: psaV4LinkSchema.optional(),
  }),
  startedAt: psaV4DateTimeSchema.optional(),
  stoppedAt: psaV4DateTimeSchema.optional(),
  startPosition: psaV4PositionSchema.optional(),
  stopPosition: psaV4PositionSchema.optional(),
  /** Seconds. */
  duration: z.int().optional(),
  /** km. */
  distance: z.number().nonnegative().optional(),
  /** Odometer at the start, km. */
  startMileage: z.number().optional(),
  startEnergies: z.array(psaV4LiteEnergySchema).optional(),
  endEnergies: z.array(psaV4LiteEnergySchema).optional(),
  energyConsumptions: z.array(psaV4EnergyConsumptionSchema).optional(),
  /** Average and top speed; the spec states no unit, km/h like every other speed of the API. */
  kinetic: z.object({ avgSpeed: z.number().optional(), maxSpeed: z.number().optional() }).optional(),
  segments: z.array(psaV4TripSegmentSchema).optional(),
  /** False while the trip is still in progress. */
  done: z.boolean().optional(),
  faults: z.array(psaV4TripFaultSchema).optional(),
});
export type PsaV4Trip = z.infer<typeof psaV4TripSchema>;

export const psaV4TripsSchema = psaV4CollectionSchema('trips', psaV4TripSchema);
export type PsaV4Trips = z.infer<typeof psaV4TripsSchema>;

/** The GPS path of a trip; unlike other collections the spec requires the embedded array. */
export const psaV4WayPointsSchema = psaV4CollectionSchema('positions', psaV4PositionSchema).extend({
  _embedded: z.object({ positions: z.array(psaV4PositionSchema) }),
});
export type PsaV4WayPoints = z.infer<typeof psaV4WayPointsSchema>;
