import 'server-only';
import { z } from 'zod';

// Kinetic's normalised vehicle data: what every provider adapter (PSA v4, PSA v1, OBD-II file
// import) maps its answers into, in metric units, before anything is stored. Every value is
// optional — a car or a subscription may not provide it — and every record says when the car
// measured it (`at`, epoch ms, the car's time, never the time we fetched it) and where it came
// from (`source`). Upstream data is untrusted input: `validate.ts` checks these schemas' ranges
// and sets aside what fails with a reason, so an impossible value never becomes truth.

export const PROVIDERS = ['psa-v4', 'psa-v1', 'obd-import'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Where a record came from: the provider and the upstream resource (endpoint, file and row). */
export const sourceSchema = z.strictObject({
  provider: z.enum(PROVIDERS),
  /** e.g. `status`, `telemetry`, `trips/…`, `running/data`, `file.csv#row 12`. */
  ref: z.string().min(1).max(500),
});
export type Source = z.infer<typeof sourceSchema>;

/** Epoch milliseconds between 2000-01-01 and 2100-01-01: anything else is a broken clock. */
export const instantSchema = z.int().min(946_684_800_000).max(4_102_444_800_000);

const within = (min: number, max: number) => z.number().finite().min(min).max(max);

export const POWERTRAINS = ['petrol', 'diesel', 'hybrid', 'electric'] as const;
export type Powertrain = (typeof POWERTRAINS)[number];

export const vehicleSchema = z.strictObject({
  /** The provider's own id for the car (v4 vehicle id, v1 VIN, or the import's vehicle label). */
  providerVehicleId: z.string().min(1).max(200),
  vin: z
    .string()
    .regex(/^[A-HJ-NPR-Z0-9]{17}$/)
    .optional(),
  brand: z.string().min(1).max(50).optional(),
  model: z.string().min(1).max(100).optional(),
  powertrain: z.enum(POWERTRAINS).optional(),
  source: sourceSchema,
});
export type NormalizedVehicle = z.infer<typeof vehicleSchema>;

export const CHARGING_STATES = ['disconnected', 'plugged', 'charging', 'finished', 'failure'] as const;
export type ChargingStateName = (typeof CHARGING_STATES)[number];

/**
 * What the car measured at one instant. Ranges are physical bounds for a road car, wide enough
 * for any real one: a value outside them is a sensor or transfer fault, not a fast car.
 */
export const sampleSchema = z.strictObject({
  at: instantSchema,
  speedKmh: within(0, 400).optional(),
  engineRpm: within(0, 20_000).optional(),
  /** Instantaneous consumption while moving (combustion), L/100 km. */
  fuelConsumptionLPer100km: within(0, 200).optional(),
  /** Instantaneous consumption while moving (electric), kWh/100 km. */
  energyConsumptionKwhPer100km: within(-200, 500).optional(),
  fuelRateLph: within(0, 150).optional(),
  /** Longitudinal acceleration, m/s² (negative when slowing down). */
  accelerationMs2: within(-20, 20).optional(),
  latitude: within(-90, 90).optional(),
  longitude: within(-180, 180).optional(),
  altitudeM: within(-500, 9000).optional(),
  headingDeg: within(0, 360).optional(),
  odometerKm: within(0, 3_000_000).optional(),
  fuelLevelPct: within(0, 100).optional(),
  batteryLevelPct: within(0, 100).optional(),
  /** 0 = neutral or park, 1…10 the gear engaged. */
  gear: z.int().min(0).max(10).optional(),
  ignition: z.boolean().optional(),
  charging: z.enum(CHARGING_STATES).optional(),
  throttlePct: within(0, 100).optional(),
  coolantC: within(-60, 150).optional(),
  outsideTempC: within(-60, 70).optional(),
  source: sourceSchema,
});
export type Sample = z.infer<typeof sampleSchema>;

/** The measured fields of a sample (everything but `at` and `source`). */
export type SampleField = Exclude<keyof Sample, 'at' | 'source'>;

/** Faults a maker reports on a trip: it never started, data is missing, or it never finished. */
export const TRIP_FAULTS = ['unstarted', 'data_lacking', 'unfinished'] as const;
export type TripFault = (typeof TRIP_FAULTS)[number];

export const tripSchema = z
  .strictObject({
    /** The provider's trip id; for trips Kinetic segments itself, derived from vehicle and start. */
    providerTripId: z.string().min(1).max(200),
    startedAt: instantSchema,
    /** Absent while the trip is under way. */
    endedAt: instantSchema.optional(),
    distanceKm: within(0, 5000).optional(),
    durationS: within(0, 7 * 86_400).optional(),
    startOdometerKm: within(0, 3_000_000).optional(),
    endOdometerKm: within(0, 3_000_000).optional(),
    avgSpeedKmh: within(0, 400).optional(),
    maxSpeedKmh: within(0, 400).optional(),
    fuelUsedL: within(0, 1000).optional(),
    energyUsedKwh: within(-100, 1000).optional(),
    startPosition: z.strictObject({ latitude: within(-90, 90), longitude: within(-180, 180) }).optional(),
    endPosition: z.strictObject({ latitude: within(-90, 90), longitude: within(-180, 180) }).optional(),
    /** What the maker flagged as wrong with the trip (PSA v4 `faults`): such a trip is not scored. */
    faults: z.array(z.enum(TRIP_FAULTS)).max(TRIP_FAULTS.length).optional(),
    source: sourceSchema,
  })
  .refine((trip) => trip.endedAt === undefined || trip.endedAt >= trip.startedAt, {
    message: 'a trip cannot end before it starts',
    path: ['endedAt'],
  });
export type Trip = z.infer<typeof tripSchema>;

export const chargingSessionSchema = z
  .strictObject({
    startedAt: instantSchema,
    endedAt: instantSchema.optional(),
    energyAddedKwh: within(0, 300).optional(),
    avgPowerKw: within(0, 400).optional(),
    startLevelPct: within(0, 100).optional(),
    endLevelPct: within(0, 100).optional(),
    source: sourceSchema,
  })
  .refine((session) => session.endedAt === undefined || session.endedAt >= session.startedAt, {
    message: 'a charge cannot end before it starts',
    path: ['endedAt'],
  });
export type ChargingSession = z.infer<typeof chargingSessionSchema>;

export const ALERT_SEVERITIES = ['information', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const alertSchema = z.strictObject({
  providerAlertId: z.string().min(1).max(200),
  /** The provider's alert type (v4's AlertMsgEnum name, e.g. `TyrePressureLow`). */
  type: z.string().min(1).max(100),
  severity: z.enum(ALERT_SEVERITIES),
  active: z.boolean(),
  startedAt: instantSchema,
  endedAt: instantSchema.optional(),
  position: z.strictObject({ latitude: within(-90, 90), longitude: within(-180, 180) }).optional(),
  source: sourceSchema,
});
export type Alert = z.infer<typeof alertSchema>;

export const maintenanceSchema = z.strictObject({
  at: instantSchema,
  /** Negative once the service is overdue. */
  daysBeforeService: z.int().min(-3650).max(3650).optional(),
  kmBeforeService: within(-200_000, 200_000).optional(),
  source: sourceSchema,
});
export type Maintenance = z.infer<typeof maintenanceSchema>;

/** The provider's own eco-driving evaluation (PSA v1), kept beside Kinetic's score, never mixed. */
export const ecoEvaluationSchema = z.strictObject({
  at: instantSchema,
  /** What it evaluates: one trip, a day (`2026-03-01`), a month (`2026-03`) or all trips. */
  scope: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('trip'), providerTripId: z.string().min(1).max(200) }),
    z.strictObject({ kind: z.literal('day'), day: z.iso.date() }),
    z.strictObject({ kind: z.literal('month'), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) }),
    z.strictObject({ kind: z.literal('all') }),
  ]),
  /** The provider's overall mark, on its own scale (`scaleMax`). */
  mark: z.number().finite().min(0).optional(),
  scaleMax: z.number().finite().positive(),
  /** Sub-marks by criterion (acceleration, braking, engineSpeed…), same scale. */
  criteria: z.record(z.string().min(1).max(50), z.number().finite().min(0)),
  source: sourceSchema,
});
export type EcoEvaluation = z.infer<typeof ecoEvaluationSchema>;

/** The in-car privacy mode (PSA v4 `privacy.state`): `geolocation` hides positions, `full` also driving data. */
export const PRIVACY_STATES = ['none', 'geolocation', 'full'] as const;
export type PrivacyState = (typeof PRIVACY_STATES)[number];

/**
 * Facts where only the latest value matters (no time series is kept): the car's remaining range on
 * all its energies (km) and its privacy mode, each as of `at`, when the car measured it.
 */
export const snapshotSchema = z
  .strictObject({
    at: instantSchema,
    rangeKm: within(0, 5000).optional(),
    privacy: z.enum(PRIVACY_STATES).optional(),
    source: sourceSchema,
  })
  .refine((snapshot) => snapshot.rangeKm !== undefined || snapshot.privacy !== undefined, {
    message: 'a snapshot carries a range or a privacy state',
  });
export type VehicleSnapshot = z.infer<typeof snapshotSchema>;

/** What one adapter call brings in for one car. */
export type VehicleData = {
  samples: Sample[];
  trips: Trip[];
  chargingSessions: ChargingSession[];
  alerts: Alert[];
  maintenance: Maintenance[];
  ecoEvaluations: EcoEvaluation[];
  /** Optional: only adapters that know range or privacy (PSA v4 status) bring them. */
  snapshots?: VehicleSnapshot[];
};

export const emptyVehicleData = (): VehicleData => ({
  samples: [],
  trips: [],
  chargingSessions: [],
  alerts: [],
  maintenance: [],
  ecoEvaluations: [],
});
