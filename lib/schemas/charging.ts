import { z } from 'zod';

// Charging sessions as the API and the client see them (client-safe). Metric: kWh, kW, %.

export const MAX_CHARGES_PAGE = 100;
export const DEFAULT_CHARGES_PAGE = 25;

export const chargeDtoSchema = z.object({
  /** Opaque and URL-safe: names (provider, start) within the vehicle. */
  id: z.string(),
  vehicleId: z.string(),
  vehicleLabel: z.string(),
  startedAt: z.string(),
  /** Null while the charge is under way. */
  endedAt: z.string().nullable(),
  durationS: z.number().nullable(),
  energyAddedKwh: z.number().nullable(),
  avgPowerKw: z.number().nullable(),
  startLevelPct: z.number().nullable(),
  endLevelPct: z.number().nullable(),
  /** `provider`: the car's service reported the session; `derived`: Kinetic found it in the samples. */
  origin: z.enum(['provider', 'derived']),
});
export type ChargeDto = z.infer<typeof chargeDtoSchema>;

export const chargeListSchema = z.object({
  charges: z.array(chargeDtoSchema),
  nextCursor: z.string().nullable(),
});
export type ChargeListDto = z.infer<typeof chargeListSchema>;

/**
 * Power over time. With the battery's usable capacity known, `unit` is `kW`, else `%/h` (how fast
 * the level rose) and `capacityKwh` is null. Points are [epoch ms, value] at the middle of each
 * interval between two level readings.
 */
export const chargePowerSchema = z.object({
  unit: z.enum(['kW', '%/h']),
  capacityKwh: z.number().nullable(),
  points: z.array(z.tuple([z.number(), z.number()])),
  levels: z.array(z.tuple([z.number(), z.number()])),
});
export type ChargePowerDto = z.infer<typeof chargePowerSchema>;

export const chargeDetailSchema = z.object({ charge: chargeDtoSchema, power: chargePowerSchema });
export type ChargeDetailDto = z.infer<typeof chargeDetailSchema>;

export const chargeListQuerySchema = z.object({
  vehicleId: z.string().min(1).max(64).optional(),
  cursor: z.string().min(1).max(300).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_CHARGES_PAGE).optional(),
});
export type ChargeListQuery = z.infer<typeof chargeListQuerySchema>;

export const chargeIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/);
