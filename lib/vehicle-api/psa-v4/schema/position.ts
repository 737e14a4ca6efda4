import 'server-only';
import { z } from 'zod';
import { psaV4DateTimeSchema } from './common';

// GeoJSON positions (spec `Point`, `Position`, `PositionBase`; RFC 7946). Used by lastPosition, status,
// trip start/stop, alert start/end, alarm triggers, waypoints and the telemetry `location` extension.

/**
 * `[longitude, latitude, altitude?]`: longitude first, in degrees (WGS 84), altitude in metres. The spec only
 * says "2 (or more) numbers"; RFC 7946 advises against more than three, and no source shows a fourth, so
 * anything outside 2..3 items is treated as a malformed point.
 */
export const psaV4CoordinatesSchema = z.tuple([
  z.number().min(-180).max(180),
  z.number().min(-90).max(90),
  z.number().optional(),
]);
export type PsaV4Coordinates = z.infer<typeof psaV4CoordinatesSchema>;

export const psaV4PointSchema = z.object({
  type: z.literal('Point'),
  coordinates: psaV4CoordinatesSchema,
});
export type PsaV4Point = z.infer<typeof psaV4PointSchema>;

/** How the fix was obtained. 4.0 also allowed `Acquired`/`Estimate`/`Aquire`; 4.17 is followed strictly here. */
export const psaV4PositionTypeSchema = z.enum(['Estimated', 'Acquire']);
export type PsaV4PositionType = z.infer<typeof psaV4PositionTypeSchema>;

const positionPropertiesBase = z.object({
  /** Course over ground, degrees. */
  heading: z.int().min(0).max(360).optional(),
  signalQuality: z.int().optional(),
  type: psaV4PositionTypeSchema.optional(),
  /** Sent only when `type` is `Acquire`: 2D = horizontal fix only, 3D = with altitude. */
  fixStatus: z.enum(['2D', '3D']).optional(),
});

function feature<P extends z.ZodType>(properties: P) {
  return z.object({ type: z.literal('Feature'), geometry: psaV4PointSchema, properties });
}

/** Position with a collection time (`properties.createdAt` required). */
export const psaV4PositionSchema = feature(positionPropertiesBase.extend({ createdAt: psaV4DateTimeSchema }));
export type PsaV4Position = z.infer<typeof psaV4PositionSchema>;

/** Position without its own time (telemetry `location` extension: the message's `createdAt` applies). */
export const psaV4PositionBaseSchema = feature(positionPropertiesBase);
export type PsaV4PositionBase = z.infer<typeof psaV4PositionBaseSchema>;
