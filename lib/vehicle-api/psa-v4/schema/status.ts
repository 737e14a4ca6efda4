import 'server-only';
import { z } from 'zod';
import { psaV4DateTimeSchema, psaV4LinkSchema } from './common';
import { psaV4EnergySchema, psaV4LegacyEnergySchema } from './energy';
import { psaV4PositionSchema } from './position';
import {
  psaV4AlarmSchema,
  psaV4BatterySchema,
  psaV4DoorsStateSchema,
  psaV4DrivingBehaviorSchema,
  psaV4EngineSchema,
  psaV4EnvironmentSchema,
  psaV4IgnitionSchema,
  psaV4KineticSchema,
  psaV4LightingSystemSchema,
  psaV4OdometerSchema,
  psaV4PowertrainSchema,
  psaV4PreconditioningSchema,
  psaV4PrivacySchema,
  psaV4SafetySchema,
  psaV4ServiceSchema,
} from './vehicle-state';

// `GET /user/vehicles/{id}/status` (spec `Status`): the latest known value of every signal, each block with
// its own `createdAt` (collection time). Blocks are absent when the car never sent them, the owner's privacy
// setting hides them, or the token lacks the scope (`data:telemetry`, `data:position`).

export const psaV4StatusSchema = z.object({
  createdAt: psaV4DateTimeSchema,
  updatedAt: psaV4DateTimeSchema.optional(),
  _links: z.object({
    self: psaV4LinkSchema,
    /** The spec's key. */
    vehicle: psaV4LinkSchema.optional(),
    /** Seen in captured 2021–22 bodies and the portal's concept page instead of `vehicle`. */
    vehicles: psaV4LinkSchema.optional(),
  }),
  lastPosition: psaV4PositionSchema.optional(),
  energies: z.array(psaV4EnergySchema).optional(),
  engines: z.array(psaV4EngineSchema).optional(),
  odometer: psaV4OdometerSchema.optional(),
  kinetic: psaV4KineticSchema.optional(),
  ignition: psaV4IgnitionSchema.optional(),
  powertrain: psaV4PowertrainSchema.optional(),
  battery: psaV4BatterySchema.optional(),
  privacy: psaV4PrivacySchema.optional(),
  service: psaV4ServiceSchema.optional(),
  environment: psaV4EnvironmentSchema.optional(),
  doorsState: psaV4DoorsStateSchema.optional(),
  safety: psaV4SafetySchema.optional(),
  drivingBehavior: psaV4DrivingBehaviorSchema.optional(),
  lightingSystem: psaV4LightingSystemSchema.optional(),
  preconditioning: psaV4PreconditioningSchema.optional(),
  alarm: psaV4AlarmSchema.optional(),
  /** Deprecated duplicate of `preconditioning` (double "n"), still sent. */
  preconditionning: psaV4PreconditioningSchema.optional(),
  /**
   * Deprecated duplicate of `energies`, still sent: one item per the spec, an array in real responses.
   * Prefer `energies`.
   */
  energy: z.union([z.array(psaV4LegacyEnergySchema), psaV4LegacyEnergySchema]).optional(),
});
export type PsaV4Status = z.infer<typeof psaV4StatusSchema>;
