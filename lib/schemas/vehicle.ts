import { z } from 'zod';

// The vehicle as the API and the client see it: no owner id, no internal columns.
export const vehicleDtoSchema = z.object({
  id: z.string(),
  label: z.string(),
  brand: z.string(),
  model: z.string(),
  powertrain: z.string(),
  vin: z.string(),
});

export type VehicleDto = z.infer<typeof vehicleDtoSchema>;

export const vehicleIdSchema = z.string().min(1).max(64);

export function toVehicleDto(row: VehicleDto & Record<string, unknown>): VehicleDto {
  return {
    id: row.id,
    label: row.label,
    brand: row.brand,
    model: row.model,
    powertrain: row.powertrain,
    vin: row.vin,
  };
}
