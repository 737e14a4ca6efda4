import 'server-only';
import { z } from 'zod';
import {
  PSA_V1_EVERY_SECOND,
  PSA_V1_SECOND_41,
  psaV1FlagSchema,
  psaV1NumberSchema,
  psaV1PerSecondSchema,
  psaV1VehicleFields,
} from './common';

// `GET /environment/get/{vin}` and `POST /environment/list` (vehicle-apis.md §7).

export const psaV1EnvironmentSchema = z.object({
  /** Outside air temperature at second 41 only; °C or °F (unstated), so -60..140 covers both climates. */
  exteriorTemp: psaV1PerSecondSchema(PSA_V1_SECOND_41, psaV1NumberSchema({ min: -60, max: 140 })).optional(),
  /** Day/night indicator every second: 0 or 1 [infer: which of the two means night is not stated]. */
  infoDayAndNight: psaV1PerSecondSchema(PSA_V1_EVERY_SECOND, psaV1FlagSchema).optional(),
  ...psaV1VehicleFields,
});
export type PsaV1Environment = z.infer<typeof psaV1EnvironmentSchema>;

export const psaV1EnvironmentListSchema = z.array(psaV1EnvironmentSchema);
export type PsaV1EnvironmentList = z.infer<typeof psaV1EnvironmentListSchema>;
