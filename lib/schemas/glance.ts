import { z } from 'zod';

// The vehicle glance as the API and the client see it (GET /api/vehicles/:id/glance): one card per
// fact, each with when the CAR measured its value and whether it is there at all. Metric units and
// epoch milliseconds, as every API answer; the page converts for display. Client-safe.

/**
 * `ok`: a value the car measured recently. `not_provided`: the car or its subscription does not
 * give this (a battery on a petrol car, or nothing ever stored). `stale`: the last value is old —
 * data has stopped arriving (the value, when known, is still given with its instant).
 */
export const AVAILABILITIES = ['ok', 'not_provided', 'stale'] as const;
export const availabilitySchema = z.enum(AVAILABILITIES);
export type Availability = z.infer<typeof availabilitySchema>;

const instant = z.number().int();

/** A value as of `measuredAt`; both null when not provided, or when no recent value was found. */
function readingOf<T extends z.ZodType>(value: T) {
  return z.object({
    availability: availabilitySchema,
    value: value.nullable(),
    measuredAt: instant.nullable(),
  });
}

export const numberReadingSchema = readingOf(z.number());
export type NumberReading = z.infer<typeof numberReadingSchema>;

export const positionSchema = z.object({ latitude: z.number(), longitude: z.number() });

export const glanceEnergySchema = z.object({
  /** Fuel level, %; `not_provided` on an electric car. */
  fuelLevelPct: numberReadingSchema,
  /** Traction battery level, %; `not_provided` on a petrol or diesel car. */
  batteryLevelPct: numberReadingSchema,
  /** Remaining range on all energies, km (a plug-in hybrid's total). */
  rangeKm: numberReadingSchema,
});

export const PRIVACY_MODES = ['none', 'geolocation', 'full'] as const;

export const glanceLocationSchema = readingOf(positionSchema).extend({
  /** The in-car privacy mode as last reported, and since when; null when never reported. */
  privacy: z.object({ state: z.enum(PRIVACY_MODES), since: instant }).nullable(),
  /**
   * True when the privacy mode hides the position: `value` is then null even if an older position
   * is stored, so an old place is never shown as if current.
   */
  hidden: z.boolean(),
  /** The last trip that ended near this position (within a few hundred metres), for "near the end of…". */
  nearTrip: z.object({ id: z.string(), startedAt: instant }).nullable(),
});

export const ACTIVITY_STATES = ['driving', 'parked', 'unknown'] as const;

export const glanceActivitySchema = z.object({
  /** `driving`: a sample in the last two minutes with speed > 0 or ignition on. */
  state: z.enum(ACTIVITY_STATES),
  /** Current speed while driving, km/h. */
  speedKmh: z.number().nullable(),
  /** Parked since: the end of the last trip or the last moving sample, whichever is later. */
  since: instant.nullable(),
  /** When the car last reported anything that tells (the latest sample considered). */
  measuredAt: instant.nullable(),
  availability: availabilitySchema,
});

export const glanceServiceSchema = z.object({
  /** `not_provided`: no maintenance report stored; `stale`: the latest is old. */
  availability: availabilitySchema,
  /** Negative once overdue. */
  daysBeforeService: z.number().nullable(),
  kmBeforeService: z.number().nullable(),
  overdue: z.boolean(),
  measuredAt: instant.nullable(),
  /**
   * When the service falls due at the owner's own pace (lib/maintenance/forecast.ts) and which limit
   * comes first; null when it cannot be dated (no report, or no pace for a distance-only report).
   */
  forecast: z
    .object({
      status: z.enum(['ok', 'overdue']),
      dueAt: instant.nullable(),
      firstLimit: z.enum(['time', 'distance']).nullable(),
    })
    .nullable(),
});

export const glanceAlertsSchema = z.object({
  critical: z.number().int().nonnegative(),
  warning: z.number().int().nonnegative(),
  information: z.number().int().nonnegative(),
});

/** This week's driving score and the 30-day rank (lib/scores/vehicle-score.ts). */
export const glanceScoreSchema = z.object({
  /** Distance-weighted score of the last 7 days' rated trips; null without one. */
  week: z.object({ score: z.number().min(0).max(100).nullable(), ratedTrips: z.int().min(0) }),
  /** Null percentile and size until the car has the trips and distance to be ranked. */
  rank: z.object({
    percentile: z.number().min(0).max(100).nullable(),
    /** The peer group: powertrain (or `unknown`) and market segment (lib/vehicles/segments.ts). */
    group: z.object({ powertrain: z.string(), segment: z.string() }),
    groupSize: z.int().min(1).nullable(),
  }),
  progress: z.object({
    ratedKm: z.number().min(0),
    ratedTrips: z.int().min(0),
    requiredKm: z.number(),
    requiredTrips: z.int(),
  }),
});
export type GlanceScore = z.infer<typeof glanceScoreSchema>;

export const glanceSilenceSchema = z.object({
  /** True when data stopped arriving beyond the car's expected cadence (lib/alerts/silence.ts). */
  silent: z.boolean(),
  /** The instant of the car's latest stored sample, null when none. */
  lastMeasuredAt: instant.nullable(),
  expectedCadenceMs: z.number().int().positive(),
});

export const glanceSyncSchema = z.object({
  /** When Kinetic last fetched this car's data from the maker; null before the first sync or for imported cars. */
  lastSyncedAt: instant.nullable(),
  /**
   * Set while syncing this car fails (the maker's service down, rate-limited, access revoked):
   * the instant of the last good sync, since when every value shown is stale. Null when syncing
   * works, or when nothing was ever fetched (then there is nothing stale to show).
   */
  staleSince: instant.nullable(),
  /**
   * While the maker rate-limits Kinetic (a 429, or a 403 "quota exceeded"), the instant the worker
   * holds the car back until: its next update. Null otherwise.
   */
  rateLimitedUntil: instant.nullable(),
});

export const glanceDtoSchema = z.object({
  vehicle: z.object({
    id: z.string(),
    label: z.string(),
    brand: z.string(),
    model: z.string(),
    powertrain: z.string(),
  }),
  energy: glanceEnergySchema,
  odometerKm: numberReadingSchema,
  location: glanceLocationSchema,
  activity: glanceActivitySchema,
  service: glanceServiceSchema,
  alerts: glanceAlertsSchema,
  score: glanceScoreSchema,
  silence: glanceSilenceSchema,
  sync: glanceSyncSchema,
});

export type GlanceDto = z.infer<typeof glanceDtoSchema>;
export type GlanceLocation = z.infer<typeof glanceLocationSchema>;
export type GlanceActivity = z.infer<typeof glanceActivitySchema>;
export type GlanceService = z.infer<typeof glanceServiceSchema>;
export type GlanceAlerts = z.infer<typeof glanceAlertsSchema>;
export type GlanceSilence = z.infer<typeof glanceSilenceSchema>;
export type GlanceSync = z.infer<typeof glanceSyncSchema>;
