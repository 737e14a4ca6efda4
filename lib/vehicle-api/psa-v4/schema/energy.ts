import 'server-only';
import { z } from 'zod';
import { psaV4DateTimeSchema, psaV4DurationSchema } from './common';
import { psaV4ChargeScheduleProgramSchema } from './programs';

// Energy (spec `EnergyType`, `EnergySubType`, `LiteEnergy`, `Energy`, `EnergyBase`, `EnergyCharging`,
// `EnergyBattery*`, `Consumption`, `EnergyConsumption`) plus the legacy 4.0 item still sent as `energy`.

export const psaV4EnergyTypeSchema = z.enum(['Fuel', 'Electric']);
export type PsaV4EnergyType = z.infer<typeof psaV4EnergyTypeSchema>;

/**
 * Spec: "The enumeration of the subtypes is not exhaustive and may contain more elements". The known
 * values are listed; any other PascalCase identifier is accepted as a future subtype, anything else
 * (empty, lower-case, spaces) is rejected.
 */
export const PSA_V4_ENERGY_SUB_TYPES = ['FossilEnergy', 'ElectricEnergy', 'Hydrogen'] as const;
const futureEnumValue = z.string().regex(/^[A-Z][A-Za-z0-9]*$/);
export const psaV4EnergySubTypeSchema = z.union([z.enum(PSA_V4_ENERGY_SUB_TYPES), futureEnumValue]);
export type PsaV4EnergySubType = z.infer<typeof psaV4EnergySubTypeSchema>;

/** Remaining energy, percent (0.1 % precision). */
const level = z.number().min(0).max(100);
/** Range on this energy, km. */
const autonomy = z.int().nonnegative();

/** `{consumption}` (spec `Consumption`, non-negative). Unit depends on where it is used. */
export const psaV4ConsumptionSchema = z.object({ consumption: z.number().nonnegative() });
export type PsaV4Consumption = z.infer<typeof psaV4ConsumptionSchema>;

export const psaV4ChargingStatusSchema = z.enum([
  'Disconnected',
  'InProgress',
  'Failure',
  'Stopped',
  'Finished',
]);
export type PsaV4ChargingStatus = z.infer<typeof psaV4ChargingStatusSchema>;

/** Spec: "This enum list may change in the future … provide for lenient deserialization." */
export const PSA_V4_CHARGING_POWER_LEVELS = ['Level1', 'Level2', 'Level3', 'Level4', 'Level5'] as const;

export const psaV4EnergyChargingSchema = z.object({
  plugged: z.boolean().optional(),
  status: psaV4ChargingStatusSchema.optional(),
  /** Time until the battery is full (ISO 8601 duration). */
  remainingTime: psaV4DurationSchema.optional(),
  /** Range gained per hour of charging, km/h. */
  chargingRate: z.int().min(0).max(500).optional(),
  chargingPowerLevel: z.union([z.enum(PSA_V4_CHARGING_POWER_LEVELS), futureEnumValue]).optional(),
  /** `No` = not charging. Quoted: YAML 1.1 would read the spec's bare `No` as a boolean. */
  chargingMode: z.enum(['No', 'Slow', 'Quick']).optional(),
  /** Time until the next delayed charge starts (ISO 8601 duration). */
  nextDelayedTime: psaV4DurationSchema.optional(),
  schedule: z.object({ programs: z.array(psaV4ChargeScheduleProgramSchema).optional() }).optional(),
  /** Full = charge to 100 %; Partial = stop early to spare the battery. */
  type: z.enum(['Partial', 'Full']).optional(),
});
export type PsaV4EnergyCharging = z.infer<typeof psaV4EnergyChargingSchema>;

/** Traction battery load: total and residual energy, Wh. */
const batteryLoad = z.object({ capacity: z.int().optional(), residual: z.int().optional() });
/** Traction battery health relative to new, percent. */
const batteryHealth = z.object({
  capacity: z.int().min(0).max(100).optional(),
  resistance: z.int().min(0).max(100).optional(),
});

/** Battery block without timestamps (telemetry). `capacity` (Wh) is deprecated in favour of `load.capacity`. */
export const psaV4EnergyBatteryBaseSchema = z.object({
  capacity: z.number().optional(),
  load: batteryLoad.optional(),
  health: batteryHealth.optional(),
});
export type PsaV4EnergyBatteryBase = z.infer<typeof psaV4EnergyBatteryBaseSchema>;

/** Battery block of the status: `load` and `health` carry their own `createdAt`. */
export const psaV4EnergyBatterySchema = psaV4EnergyBatteryBaseSchema.extend({
  load: batteryLoad.extend({ createdAt: psaV4DateTimeSchema }).optional(),
  health: batteryHealth.extend({ createdAt: psaV4DateTimeSchema }).optional(),
});
export type PsaV4EnergyBattery = z.infer<typeof psaV4EnergyBatterySchema>;

function energyExtension<B extends z.ZodType>(battery: B) {
  return z.object({
    fuel: z
      .object({
        /** Instant consumption, L/100 km. */
        consumption: psaV4ConsumptionSchema.optional(),
        consumptions: z
          .object({
            /** Cumulative fuel used, cL. */
            total: z.number().nonnegative().optional(),
            /** Instant consumption: L/100 km (FossilEnergy) or kg/100 km (Hydrogen). */
            instant: z.number().optional(),
          })
          .optional(),
      })
      .optional(),
    electric: z
      .object({
        /** Residual energy, kWh. */
        residual: psaV4ConsumptionSchema.optional(),
        battery: battery.optional(),
        charging: psaV4EnergyChargingSchema.optional(),
        /** Instant electric consumption (the spec writes "KW/H"). */
        consumption: psaV4ConsumptionSchema.optional(),
      })
      .optional(),
  });
}

/** Level and range of one energy (spec `LiteEnergy`: trip start/end energies; no field required). */
export const psaV4LiteEnergySchema = z.object({
  type: psaV4EnergyTypeSchema.optional(),
  subType: psaV4EnergySubTypeSchema.optional(),
  level: level.optional(),
  autonomy: autonomy.optional(),
});
export type PsaV4LiteEnergy = z.infer<typeof psaV4LiteEnergySchema>;

/** Status `energies[]` item. */
export const psaV4EnergySchema = psaV4LiteEnergySchema.extend({
  createdAt: psaV4DateTimeSchema,
  /** Deprecated by the spec, still sent. */
  updatedAt: psaV4DateTimeSchema.optional(),
  type: psaV4EnergyTypeSchema,
  extension: energyExtension(psaV4EnergyBatterySchema).optional(),
});
export type PsaV4Energy = z.infer<typeof psaV4EnergySchema>;

/** Telemetry `vehicle.energies[]` item: no timestamps of its own. */
export const psaV4EnergyBaseSchema = psaV4LiteEnergySchema.extend({
  type: psaV4EnergyTypeSchema,
  extension: energyExtension(psaV4EnergyBatteryBaseSchema).optional(),
});
export type PsaV4EnergyBase = z.infer<typeof psaV4EnergyBaseSchema>;

/**
 * Trip `energyConsumptions[]` item. `consumption`: total used on the trip (cL for fuel, Wh for electric —
 * vehicle-apis.md §5.8); `avgConsumption`: cL/100 km for fuel, Wh/100 km for electric.
 */
export const psaV4EnergyConsumptionSchema = z.object({
  type: psaV4EnergyTypeSchema,
  subType: psaV4EnergySubTypeSchema.optional(),
  consumption: z.number().nonnegative(),
  avgConsumption: z.number().optional(),
});
export type PsaV4EnergyConsumption = z.infer<typeof psaV4EnergyConsumptionSchema>;

/**
 * Deprecated status `energy`. The 4.17 spec types it as one `Energy`, real servers send an array of 4.0-shaped
 * items (top-level `consumption`, `residual` kWh, `battery`, `charging`; sometimes only `updatedAt`), so the
 * status accepts either form and this item requires only `type`.
 */
export const psaV4LegacyEnergySchema = psaV4LiteEnergySchema.extend({
  createdAt: psaV4DateTimeSchema.optional(),
  updatedAt: psaV4DateTimeSchema.optional(),
  type: psaV4EnergyTypeSchema,
  /** Instant fuel consumption, L/100 km. */
  consumption: z.number().nonnegative().optional(),
  /** Residual electric energy, kWh. */
  residual: z.number().nonnegative().optional(),
  battery: psaV4EnergyBatteryBaseSchema.optional(),
  charging: psaV4EnergyChargingSchema.optional(),
  extension: energyExtension(psaV4EnergyBatteryBaseSchema).optional(),
});
export type PsaV4LegacyEnergy = z.infer<typeof psaV4LegacyEnergySchema>;
