import 'server-only';
import { z } from 'zod';
import {
  PSA_V1_EVERY_10_SECONDS,
  PSA_V1_EVERY_SECOND,
  PSA_V1_FOG_SECONDS,
  psaV1FlagSchema,
  psaV1NumberSchema,
  psaV1NumericTextSchema,
  psaV1PerSecondSchema,
  psaV1StateCodeSchema,
  psaV1VehicleFields,
} from './common';

// Telemetry domain (vehicle-apis.md §7): `GET /running/data/{vin}` + `POST /running/list`, and
// `GET /running/data/lightstatus/{vin}` + `POST /running/lightstatus/list`. Each answers the last sampled
// minute, signal by signal, as per-second maps filtered by `listsecond`.

/** Longitudinal acceleration; m/s² or g (unstated), so ±50 covers a hard stop in either. */
const acceleration = psaV1NumberSchema({ min: -50, max: 50 });
/** Engine speed, rpm (the only unit that makes sense for it). */
const engineSpeed = psaV1NumberSchema({ min: 0, max: 12_000 });
/**
 * Instantaneous consumption as text: L/100 km, mpg or L/h depending on unit and speed (unstated), so only
 * "non-negative and not absurd".
 */
const instantConsumption = psaV1NumericTextSchema({ min: 0, max: 1000 });

export const psaV1RunningDataSchema = z.object({
  accelerationVeh: psaV1PerSecondSchema(PSA_V1_EVERY_SECOND, acceleration).optional(),
  /** Gearbox mode or gear, a code the spec does not tabulate. */
  modeBV: psaV1PerSecondSchema(PSA_V1_EVERY_10_SECONDS, psaV1StateCodeSchema).optional(),
  engineSpeed: psaV1PerSecondSchema(PSA_V1_EVERY_10_SECONDS, engineSpeed).optional(),
  /** Fuel level, sent as text: percent or litres (unstated), 0..100 either way for a car. */
  fuelLevel: psaV1NumericTextSchema({ min: 0, max: 100 }).optional(),
  /** Engine oil temperature, sent as text: °C or °F (unstated). */
  tempOilEng: psaV1NumericTextSchema({ min: -60, max: 330 }).optional(),
  instFuelConsumption: psaV1PerSecondSchema(PSA_V1_EVERY_10_SECONDS, instantConsumption).optional(),
  /** Powertrain ("GMP") state code. */
  gmpState: psaV1StateCodeSchema.optional(),
  ...psaV1VehicleFields,
});
export type PsaV1RunningData = z.infer<typeof psaV1RunningDataSchema>;

/** `POST /running/list`: one item per VIN asked for. */
export const psaV1RunningDataListSchema = z.array(psaV1RunningDataSchema);
export type PsaV1RunningDataList = z.infer<typeof psaV1RunningDataListSchema>;

export const psaV1LightStatusSchema = z.object({
  fogFront: psaV1PerSecondSchema(PSA_V1_FOG_SECONDS, psaV1FlagSchema).optional(),
  fogRear: psaV1PerSecondSchema(PSA_V1_FOG_SECONDS, psaV1FlagSchema).optional(),
  turnRight: psaV1PerSecondSchema(PSA_V1_EVERY_SECOND, psaV1FlagSchema).optional(),
  turnLeft: psaV1PerSecondSchema(PSA_V1_EVERY_SECOND, psaV1FlagSchema).optional(),
  brakeLight: psaV1PerSecondSchema(PSA_V1_EVERY_SECOND, psaV1FlagSchema).optional(),
  ...psaV1VehicleFields,
});
export type PsaV1LightStatus = z.infer<typeof psaV1LightStatusSchema>;

/** `POST /running/lightstatus/list`. */
export const psaV1LightStatusListSchema = z.array(psaV1LightStatusSchema);
export type PsaV1LightStatusList = z.infer<typeof psaV1LightStatusListSchema>;
