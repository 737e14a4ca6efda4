import { z } from 'zod';

// Trips as the API and the client see them (client-safe). A trip is the CLI's `trips --json` item
// (interfaces.md › Command line) plus the owner's tag and the car's label; values the data cannot
// give are null. Everything is metric; the screen converts.

export const TRIP_TAG_VALUES = ['business', 'private'] as const;
export type TripTagValue = (typeof TRIP_TAG_VALUES)[number];
/** The list filter also accepts trips without a tag. */
export const TRIP_TAG_FILTERS = ['business', 'private', 'untagged'] as const;
export type TripTagFilter = (typeof TRIP_TAG_FILTERS)[number];

export const MAX_TRIPS_PAGE = 100;
export const DEFAULT_TRIPS_PAGE = 25;

export const tripEventSchema = z.object({
  type: z.string(),
  severity: z.string(),
  at: z.string(),
  value: z.number(),
});
export type TripEventDto = z.infer<typeof tripEventSchema>;

export const tripDtoSchema = z.object({
  id: z.string(),
  vehicleId: z.string(),
  vehicleLabel: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  distanceKm: z.number().nullable(),
  durationS: z.number().nullable(),
  movingS: z.number().nullable(),
  idleS: z.number().nullable(),
  avgSpeedKmh: z.number().nullable(),
  maxSpeedKmh: z.number().nullable(),
  fuelUsedL: z.number().nullable(),
  energyUsedKwh: z.number().nullable(),
  avgConsumption: z.object({ value: z.number(), unit: z.string() }).nullable(),
  events: z.array(tripEventSchema),
  tag: z.enum(TRIP_TAG_VALUES).nullable(),
});
export type TripDto = z.infer<typeof tripDtoSchema>;

export const tripTotalsSchema = z.object({
  count: z.number(),
  distanceKm: z.number(),
  durationS: z.number(),
  fuelUsedL: z.number(),
  energyUsedKwh: z.number(),
});
export type TripTotalsDto = z.infer<typeof tripTotalsSchema>;

export const tripListSchema = z.object({
  trips: z.array(tripDtoSchema),
  nextCursor: z.string().nullable(),
  totals: tripTotalsSchema,
});
export type TripListDto = z.infer<typeof tripListSchema>;

export const routePointSchema = z.object({ x: z.number(), y: z.number() });

/** The trip's route projected on the server: an SVG path in its own viewBox, no map tiles. */
export const tripRouteSchema = z.discriminatedUnion('available', [
  z.object({ available: z.literal(false) }),
  z.object({
    available: z.literal(true),
    viewBox: z.string(),
    width: z.number(),
    height: z.number(),
    path: z.string(),
    start: routePointSchema,
    end: routePointSchema,
    /** Positions read, and kept after simplification. */
    pointsRead: z.number(),
    pointsKept: z.number(),
  }),
]);
export type TripRouteDto = z.infer<typeof tripRouteSchema>;

export const tripDetailSchema = z.object({ trip: tripDtoSchema, route: tripRouteSchema });
export type TripDetailDto = z.infer<typeof tripDetailSchema>;

const dayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/**
 * The list's query string (API and page alike). `from`/`to` take a day (YYYY-MM-DD: whole days in
 * the owner's time zone, `to` inclusive) or an instant; trips are picked by their start.
 */
export const tripFilterQuerySchema = z.object({
  vehicleId: z.string().min(1).max(64).optional(),
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
  tag: z.enum(TRIP_TAG_FILTERS).optional(),
});
export type TripFilterQuery = z.infer<typeof tripFilterQuerySchema>;

export const tripListQuerySchema = tripFilterQuerySchema.extend({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_TRIPS_PAGE).optional(),
});
export type TripListQuery = z.infer<typeof tripListQuerySchema>;

// Strict: a smuggled field (an owner, a car, a date) is refused with 400, never silently dropped.
export const tripTagBodySchema = z.strictObject({ tag: z.enum(TRIP_TAG_VALUES).nullable() });
