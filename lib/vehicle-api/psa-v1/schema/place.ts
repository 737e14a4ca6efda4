import 'server-only';
import { z } from 'zod';
import {
  PSA_V1_EVERY_6_SECONDS,
  psaV1LatitudeTextSchema,
  psaV1LongitudeTextSchema,
  psaV1NumericTextSchema,
  psaV1PerSecondSchema,
  psaV1VehicleFields,
} from './common';

// Geolocation (vehicle-apis.md §7): `GET /place/lastposition/{vin}` (one minute) and
// `GET /place/positions/trip/{vin}?tripid=` (an array, one item per sampled minute of the trip [infer]).
// Every value is text in the spec, keyed every 6 s. The spec's `near` parameter says that without it a
// second with no fix has no value ("give you the next non null value"), so a value may be `null`.

function sampled<V extends z.ZodType>(value: V) {
  return psaV1PerSecondSchema(PSA_V1_EVERY_6_SECONDS, value.nullable()).optional();
}

export const psaV1PositionSchema = z.object({
  latitude: sampled(psaV1LatitudeTextSchema),
  longitude: sampled(psaV1LongitudeTextSchema),
  /** Metres or feet (unstated): from below the Dead Sea to above any road in either unit. */
  altitude: sampled(psaV1NumericTextSchema({ min: -1000, max: 20_000 })),
  /** Satellites in view, a count. */
  nbsat: sampled(psaV1NumericTextSchema({ min: 0, max: 99, int: true })),
  /** Fix source; the spec gives neither codes nor type beyond `string`, so it stays text. */
  source: sampled(z.string()),
  ...psaV1VehicleFields,
});
export type PsaV1Position = z.infer<typeof psaV1PositionSchema>;

/** `GET /place/positions/trip/{vin}`. */
export const psaV1TripPositionsSchema = z.array(psaV1PositionSchema);
export type PsaV1TripPositions = z.infer<typeof psaV1TripPositionsSchema>;
