import 'server-only';
import { z } from 'zod';
import {
  psaV1ContractSchema,
  psaV1DateTimeSchema,
  psaV1FlagSchema,
  psaV1LabelledObjectSchema,
  psaV1NumberSchema,
  psaV1VehicleFields,
  psaV1VinSchema,
} from './common';

// Maintenance / Alerting (vehicle-apis.md §7): `GET /maintenance/{vin}` + `POST /maintenance/list`, and
// `GET /maintenance/alert/{vin}` + `POST /maintenance/list/alert`. Labels are localized by `locale`.

/** The localized caption of a maintenance value (`fuelLevelLabel`…). */
export const psaV1ValueLabelSchema = z.object({ label: z.string(), groupLabel: z.string() });
export type PsaV1ValueLabel = z.infer<typeof psaV1ValueLabelSchema>;

const nonNegative = (max: number) => psaV1NumberSchema({ min: 0, max });
/** Instantaneous consumption at one of the 10-second marks: L/100 km or mpg (unstated). */
const instant = nonNegative(1000);

/** Fuel block; absent for a car without a tank [infer]. */
export const psaV1MaintenanceFuelSchema = psaV1LabelledObjectSchema(
  {
    /** Low-fuel warning lamp, 0 or 1 [infer from the name]. */
    fuelTankAlerte: psaV1FlagSchema,
    /** Range left, km or miles. */
    residualAutonomy: nonNegative(5000),
    /** Cumulative fuel used, litres or gallons. */
    fuelTotalConsumption: nonNegative(10_000_000),
    /** Percent or litres. */
    fuelLevel: nonNegative(100),
    /** Litres or gallons. */
    fuelTankCapacity: nonNegative(200),
    instFuelConsumption10: instant,
    instFuelConsumption20: instant,
    instFuelConsumption30: instant,
    instFuelConsumption40: instant,
    instFuelConsumption50: instant,
    instFuelConsumption60: instant,
  },
  psaV1ValueLabelSchema,
);
export type PsaV1MaintenanceFuel = z.infer<typeof psaV1MaintenanceFuelSchema>;

/** Service block. The day and distance counts go negative once the service is overdue [infer, as in v4]. */
export const psaV1MaintenanceServiceSchema = psaV1LabelledObjectSchema(
  {
    /** Odometer, km or miles. */
    totMileage: nonNegative(2_000_000),
    /** Indicator texts the spec types as string and does not explain; kept as text. */
    indDayBeforeMaint: z.string(),
    indMileageBeforeMaint: z.string(),
    dayBeforeMaint: psaV1NumberSchema({ min: -10_000, max: 10_000 }),
    mileageBeforeMaint: psaV1NumberSchema({ min: -1_000_000, max: 1_000_000 }),
  },
  psaV1ValueLabelSchema,
);
export type PsaV1MaintenanceService = z.infer<typeof psaV1MaintenanceServiceSchema>;

export const psaV1MaintenanceSchema = z.object({
  fuel: psaV1MaintenanceFuelSchema.optional(),
  maintenance: psaV1MaintenanceServiceSchema.optional(),
  ...psaV1VehicleFields,
});
export type PsaV1Maintenance = z.infer<typeof psaV1MaintenanceSchema>;

export const psaV1MaintenanceListSchema = z.array(psaV1MaintenanceSchema);
export type PsaV1MaintenanceList = z.infer<typeof psaV1MaintenanceListSchema>;

const alertFields = {
  idAlert: z.string().min(1),
  dateUpdate: psaV1DateTimeSchema.optional(),
  dateAlertBegin: psaV1DateTimeSchema,
  /**
   * Absent, null or empty while the alert is still on [infer: an active alert has no end; the spec only
   * says string].
   */
  dateAlertEnd: z.union([psaV1DateTimeSchema, z.literal(''), z.null()]).optional(),
  /** 1 = active, 0 = inactive, as the `active` query parameter that filters on it. */
  alertState: psaV1FlagSchema,
  /** Localized alert text. */
  alert: z.string().min(1),
  /** Localized advice (the spec's spelling). */
  advise: z.string().optional(),
  category: z.string().optional(),
};

/** An alert of `GET /maintenance/alert/{vin}`; the VIN is on the envelope. */
export const psaV1MaintenanceAlertSchema = z.object(alertFields);
export type PsaV1MaintenanceAlert = z.infer<typeof psaV1MaintenanceAlertSchema>;

export const psaV1MaintenanceAlertsSchema = z.object({
  listAlert: z.array(psaV1MaintenanceAlertSchema),
  vin: psaV1VinSchema,
  contract: psaV1ContractSchema.optional(),
});
export type PsaV1MaintenanceAlerts = z.infer<typeof psaV1MaintenanceAlertsSchema>;

/** An alert of `POST /maintenance/list/alert`, which mixes cars: each item names its own VIN. */
export const psaV1MaintenanceAlertItemSchema = z.object({
  ...alertFields,
  vin: psaV1VinSchema,
  contract: psaV1ContractSchema.optional(),
});
export type PsaV1MaintenanceAlertItem = z.infer<typeof psaV1MaintenanceAlertItemSchema>;

/** `POST /maintenance/list/alert`: one envelope (not an array) with every car's alerts. */
export const psaV1MaintenanceAlertListSchema = z.object({
  listAlert: z.array(psaV1MaintenanceAlertItemSchema),
});
export type PsaV1MaintenanceAlertList = z.infer<typeof psaV1MaintenanceAlertListSchema>;
