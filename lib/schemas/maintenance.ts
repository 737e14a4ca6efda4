import { z } from 'zod';

// `GET /api/vehicles/{id}/maintenance` (docs/api.md › Maintenance): the latest service indicator
// and Kinetic's forecast from the owner's pace (lib/maintenance/forecast.ts). Metric units; times
// ISO-8601 UTC.

export const maintenanceReportDtoSchema = z.object({
  at: z.string(),
  /** Negative once overdue; null when the car does not report it. */
  daysBeforeService: z.number().nullable(),
  kmBeforeService: z.number().nullable(),
});

export const serviceForecastDtoSchema = z.object({
  status: z.enum(['ok', 'overdue', 'unknown']),
  dueAt: z.string().nullable(),
  firstLimit: z.enum(['time', 'distance']).nullable(),
  /** Days from now to `dueAt`, negative when overdue. */
  daysLeft: z.number().nullable(),
  daysBeforeServiceNow: z.number().nullable(),
  kmBeforeServiceNow: z.number().nullable(),
  paceKmPerDay: z.number().nullable(),
});

export const maintenanceDtoSchema = z.object({
  vehicleId: z.string(),
  vehicleLabel: z.string(),
  report: maintenanceReportDtoSchema.nullable(),
  forecast: serviceForecastDtoSchema,
});

export type MaintenanceReportDto = z.infer<typeof maintenanceReportDtoSchema>;
export type ServiceForecastDto = z.infer<typeof serviceForecastDtoSchema>;
export type MaintenanceDto = z.infer<typeof maintenanceDtoSchema>;
