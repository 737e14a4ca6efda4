import 'server-only';
import { z } from 'zod';
import { psaV4DateTimeSchema, psaV4LinkSchema } from './common';

// Next service (spec `MaintenanceBase`, `Maintenance`). Both values go negative once the service is overdue.
// The spec promises at least one of them; that promise is checked, since a body with neither is useless.

const fields = {
  /** Days until the next service (negative = overdue). */
  daysBeforeMaintenance: z.int().optional(),
  /** Distance until the next service, km (negative = overdue). */
  mileageBeforeMaintenance: z.number().optional(),
};

type MaintenanceFields = { daysBeforeMaintenance?: number; mileageBeforeMaintenance?: number };

const hasOneValue = (value: MaintenanceFields) =>
  value.daysBeforeMaintenance !== undefined || value.mileageBeforeMaintenance !== undefined;
const oneValueRequired = { message: 'Expected daysBeforeMaintenance or mileageBeforeMaintenance' };

/**
 * Telemetry `_embedded.extension.maintenance`. `MaintenanceBase` lists `createdAt` as required but declares
 * no such property; as in the other `…Base` schemas, the message's own `createdAt` applies instead.
 */
export const psaV4MaintenanceBaseSchema = z.object(fields).refine(hasOneValue, oneValueRequired);
export type PsaV4MaintenanceBase = z.infer<typeof psaV4MaintenanceBaseSchema>;

/** `GET /user/vehicles/{id}/maintenance`. */
export const psaV4MaintenanceSchema = z
  .object({
    ...fields,
    createdAt: psaV4DateTimeSchema,
    updatedAt: psaV4DateTimeSchema.optional(),
    _links: z.object({
      self: psaV4LinkSchema,
      vehicle: psaV4LinkSchema.optional(),
      alerts: psaV4LinkSchema.optional(),
    }),
  })
  .refine(hasOneValue, oneValueRequired);
export type PsaV4Maintenance = z.infer<typeof psaV4MaintenanceSchema>;
