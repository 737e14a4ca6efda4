import 'server-only';
import { z } from 'zod';
import { psaV4CollectionSchema, psaV4DateTimeSchema, psaV4LinkSchema } from './common';
import { psaV4EnergyBaseSchema } from './energy';
import { psaV4MaintenanceBaseSchema } from './maintenance';
import { psaV4PositionBaseSchema } from './position';
import {
  psaV4AdasSchema,
  psaV4AlarmBaseSchema,
  psaV4BatteryBaseSchema,
  psaV4DoorsStateBaseSchema,
  psaV4DrivingBehaviorBaseSchema,
  psaV4EngineBaseSchema,
  psaV4EnvironmentBaseSchema,
  psaV4IgnitionBaseSchema,
  psaV4KineticBaseSchema,
  psaV4LightingSystemBaseSchema,
  psaV4OdometerBaseSchema,
  psaV4PowertrainBaseSchema,
  psaV4PrivacyBaseSchema,
  psaV4SafetyBaseSchema,
  psaV4TransmissionSchema,
  psaV4WipingBladesSchema,
} from './vehicle-state';

// `GET …/telemetry` and `GET …/trips/{tid}/telemetry` (spec `Telemetry`, `Telemetries`): time-stamped messages,
// each holding only the blocks that message carried (filtered with `type=`). The message's `createdAt` dates
// every block inside it, so the blocks use the `…Base` forms without their own timestamps.

export const psaV4TelemetrySchema = z.object({
  createdAt: psaV4DateTimeSchema.optional(),
  _links: z.object({
    self: psaV4LinkSchema,
    vehicle: psaV4LinkSchema.optional(),
    /** The trip the message belongs to, when the car was driving. */
    trip: psaV4LinkSchema.optional(),
  }),
  privacy: psaV4PrivacyBaseSchema.optional(),
  environment: psaV4EnvironmentBaseSchema.optional(),
  vehicle: z
    .object({
      engines: z.array(psaV4EngineBaseSchema).optional(),
      energies: z.array(psaV4EnergyBaseSchema).optional(),
      transmission: psaV4TransmissionSchema.optional(),
      powertrain: psaV4PowertrainBaseSchema.optional(),
      adas: psaV4AdasSchema.optional(),
      lightingSystem: psaV4LightingSystemBaseSchema.optional(),
      ignition: psaV4IgnitionBaseSchema.optional(),
      doorsState: psaV4DoorsStateBaseSchema.optional(),
      battery: psaV4BatteryBaseSchema.optional(),
      safety: psaV4SafetyBaseSchema.optional(),
      wipingBlades: psaV4WipingBladesSchema.optional(),
      odometer: psaV4OdometerBaseSchema.optional(),
      kinetic: psaV4KineticBaseSchema.optional(),
      drivingBehavior: psaV4DrivingBehaviorBaseSchema.optional(),
      alarm: psaV4AlarmBaseSchema.optional(),
    })
    .optional(),
  /** Present when requested with `extension=location` / `extension=maintenance`. */
  _embedded: z
    .object({
      extension: z
        .object({
          location: psaV4PositionBaseSchema.optional(),
          maintenance: psaV4MaintenanceBaseSchema.optional(),
        })
        .optional(),
    })
    .optional(),
});
export type PsaV4Telemetry = z.infer<typeof psaV4TelemetrySchema>;

export const psaV4TelemetriesSchema = psaV4CollectionSchema('telemetries', psaV4TelemetrySchema);
export type PsaV4Telemetries = z.infer<typeof psaV4TelemetriesSchema>;
