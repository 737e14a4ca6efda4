import 'server-only';
import { z } from 'zod';
import {
  psaV1ContractSchema,
  psaV1DateTimeSchema,
  psaV1FlagSchema,
  psaV1LatitudeTextSchema,
  psaV1LongitudeTextSchema,
  psaV1NumberSchema,
  psaV1StateCodeSchema,
  psaV1TripIdSchema,
  psaV1VinSchema,
} from './common';

// Trips (vehicle-apis.md §7): `GET /trip/last/{vin}`, `/trip/period/{vin}` ({totalNumberTrips, trips}),
// `POST /trip/list` ({trips}), `GET /trip/id/{vin}/{tripid}` (one trip), `GET /trip/get/referencetrip/{vin}`
// ({trips}) and `GET /trip/get/reference/fuelprice/{vin}`. Distances, speeds and consumptions follow the
// `unit` parameter (0 metric, 1 imperial), so ranges are wide enough for both.

const nonNegative = (max: number) => psaV1NumberSchema({ min: 0, max });
/** Money: the spec gives no currency; only a sign and a sanity ceiling are checked. */
const money = nonNegative(100_000);

export const psaV1TripSchema = z.object({
  tripId: psaV1TripIdSchema,
  /** When the trip started; without it the trip cannot be placed in time, so it is required. */
  dateTripBegin: psaV1DateTimeSchema,
  /** Trip duration (seconds or minutes, unstated). */
  tripDuration: nonNegative(7 * 24 * 3600).optional(),
  dateUpdate: psaV1DateTimeSchema.optional(),
  /** L/100 km or mpg. */
  avgFuelConsumption: nonNegative(1000).optional(),
  /** Fuel level change over the trip, points of level; negative after a refuel [infer]. */
  deltaFuelLevel: psaV1NumberSchema({ min: -100, max: 100 }).optional(),
  /** Trip distance, km or miles. */
  tripMileage: nonNegative(5000).optional(),
  /** Odometer, km or miles. */
  totMileage: nonNegative(2_000_000).optional(),
  /** km/h or mph. */
  avgSpeed: nonNegative(400).optional(),
  /** Average engine speed, rpm. */
  engineSpeed: nonNegative(12_000).optional(),
  /** °C or °F. */
  engineOilTemp: psaV1NumberSchema({ min: -60, max: 330 }).optional(),
  /** Price per litre or gallon set with `PUT …/fuelprice`. */
  fuelPrice: nonNegative(100).optional(),
  tripCost: money.optional(),
  /** 1 when this is the pinned reference trip [infer]. */
  referenceTrip: psaV1FlagSchema.optional(),
  /** g/km or total grams (unstated). */
  CO2Emission: nonNegative(1_000_000).optional(),
  /** Eco-driving mark of the trip, on the same undocumented scale as the evaluation marks. */
  ecoDriving: nonNegative(100).optional(),
  /** Fuel added during the trip (or a flag): litres or gallons, unstated. */
  refueling: nonNegative(500).optional(),
  /** Privacy mode in force during the trip, a code. */
  modePrivacy: psaV1StateCodeSchema.optional(),
  refuelingCost: money.optional(),
  /** Fuel that vanished while parked (theft detection); litres or gallons. */
  siphoning: nonNegative(500).optional(),
  siphoningCost: money.optional(),
  /** Fuel level at the end of the trip, percent or litres. */
  fuelTankLevel: nonNegative(100).optional(),
  /** Fuel used, litres or gallons. */
  tripFuelConsumption: nonNegative(1000).optional(),
  /** A position of the trip — [infer] where it ended: the record is written at key-off; absent under privacy. Both coordinates are text in the spec. */
  geoLocalisation: z
    .object({ latitude: psaV1LatitudeTextSchema, longitude: psaV1LongitudeTextSchema })
    .optional(),
  /** Required: in `POST /trip/list` it is the only way to know whose trip this is. */
  vin: psaV1VinSchema,
  contract: psaV1ContractSchema.optional(),
});
export type PsaV1Trip = z.infer<typeof psaV1TripSchema>;

/**
 * Trips page. `totalNumberTrips` (all trips, while `trips` is cut at `limit`) is sent by the per-vehicle
 * queries and not by `POST /trip/list`; when present it cannot be below the number of trips returned.
 */
export const psaV1TripsSchema = z
  .object({
    totalNumberTrips: z.int().nonnegative().optional(),
    trips: z.array(psaV1TripSchema),
  })
  .refine((page) => page.totalNumberTrips === undefined || page.totalNumberTrips >= page.trips.length, {
    message: 'totalNumberTrips is below the number of trips returned',
    path: ['totalNumberTrips'],
  });
export type PsaV1Trips = z.infer<typeof psaV1TripsSchema>;

/** `GET /trip/get/referencetrip/{vin}`: the trips envelope holding the pinned trip, or none [infer: ≤ 1]. */
export const psaV1ReferenceTripSchema = z.object({ trips: z.array(psaV1TripSchema).max(1) });
export type PsaV1ReferenceTrip = z.infer<typeof psaV1ReferenceTripSchema>;

/** `GET /trip/get/reference/fuelprice/{vin}`: the reference fuel price (per litre or gallon). */
export const psaV1FuelPriceSchema = z.object({
  fuelPrice: nonNegative(100),
  vin: psaV1VinSchema,
  contract: psaV1ContractSchema.optional(),
});
export type PsaV1FuelPrice = z.infer<typeof psaV1FuelPriceSchema>;
