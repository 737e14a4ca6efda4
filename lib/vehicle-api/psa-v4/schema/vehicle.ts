import 'server-only';
import { z } from 'zod';
import { psaV4CollectionSchema, psaV4DateTimeSchema, psaV4LinkSchema } from './common';

// `GET /user/vehicles`, `GET /user/vehicles/{id}` (spec `Vehicle`, `Vehicles`, `VehicleExtension`,
// `OnboardCapabilities`) and `GET /user` (spec `User`).

/** Vehicle picture: rendered by the browser, so only http(s) URLs are accepted. */
const pictureUrl = z.url({ protocol: /^https?$/ });
/** The spec allows 1 to 12 pictures. */
const pictures = z.array(pictureUrl).min(1).max(12);

/** Data the car can deliver, as the scope that unlocks each part. */
export const PSA_V4_DATA_CAPABILITIES = [
  'data:vehicle:devices:pnc',
  'data:telemetry',
  'data:telemetry:environment',
  'data:telemetry:privacy',
  'data:telemetry:vehicle',
  'data:telemetry:vehicle:ignition',
  'data:telemetry:vehicle:preconditioning',
  'data:telemetry:vehicle:energies',
  'data:telemetry:vehicle:engines',
  'data:telemetry:vehicle:doorsState',
  'data:telemetry:vehicle:powertrain',
  'data:telemetry:vehicle:battery',
  'data:telemetry:vehicle:safety',
  'data:telemetry:vehicle:odometer',
  'data:telemetry:vehicle:kinetic',
  'data:telemetry:vehicle:transmission',
  'data:telemetry:vehicle:adas',
  'data:telemetry:vehicle:lightingSystem',
  'data:telemetry:vehicle:maintenance',
  'data:telemetry:vehicle:drivingBehavior',
  'data:telemetry:vehicle:wipingBlades',
  'data:telemetry:vehicle:alarm',
  'data:position',
  'data:trip',
  'data:alert',
  'data:collision',
] as const;

function simpleRemote<S extends string>(scopeName: S) {
  return z.object({ supported: z.boolean(), scopeName: z.literal(scopeName) });
}

const chargingPreferences = z.object({ level: z.boolean().optional(), type: z.boolean().optional() });

/**
 * Remote commands the car accepts. In the spec's `charging.parameters`, `preferences` is indented as a
 * sibling of `schedule` yet listed in `schedule.required`; it is read as an optional sibling (and tolerated
 * inside `schedule` too), while `schedule` still requires `programs` and `nextDelayedTime`.
 */
const remoteCapabilities = z.object({
  preconditioning: simpleRemote('remote:preconditioning:write').extend({
    parameters: z.object({
      /** Max number of programs the car stores. */
      programs: z.object({ size: z.int().nonnegative() }).optional(),
      immediate: z.boolean().optional(),
    }),
  }),
  charging: simpleRemote('remote:charging:write').extend({
    parameters: z.object({
      immediate: z.object({ start: z.boolean().optional(), stop: z.boolean().optional() }).optional(),
      schedule: z
        .object({
          programs: z.object({ supported: z.boolean(), size: z.int().nonnegative().optional() }),
          nextDelayedTime: z.boolean(),
          preferences: chargingPreferences.optional(),
        })
        .optional(),
      preferences: chargingPreferences.optional(),
    }),
  }),
  door: simpleRemote('remote:door:write'),
  horn: simpleRemote('remote:horn:write'),
  lights: simpleRemote('remote:lights:write'),
  wakeup: simpleRemote('remote:wakeup:write'),
  navigation: simpleRemote('remote:navigation:write'),
});

export const psaV4OnboardCapabilitiesSchema = z.object({
  data: z.array(z.enum(PSA_V4_DATA_CAPABILITIES)).optional(),
  remote: remoteCapabilities.optional(),
});
export type PsaV4OnboardCapabilities = z.infer<typeof psaV4OnboardCapabilitiesSchema>;

/** `_embedded.extension`, filled by `?extension=onboardCapabilities|branding|pictures`. */
export const psaV4VehicleExtensionSchema = z.object({
  onboardCapabilities: psaV4OnboardCapabilitiesSchema.optional(),
  branding: z.object({ brand: z.string().optional(), label: z.string().optional() }).optional(),
  pictures: pictures.optional(),
});
export type PsaV4VehicleExtension = z.infer<typeof psaV4VehicleExtensionSchema>;

const optionalLink = psaV4LinkSchema.optional();

/** Only `_links.self` is required by the spec; even `id` may be missing, so callers must check it. */
export const psaV4VehicleSchema = z.object({
  id: z.string().min(1).optional(),
  vin: z.string().optional(),
  motorization: z.enum(['Electric', 'Hybrid', 'Thermic', 'Hydrogen']).optional(),
  /** Deprecated: see `_embedded.extension.branding`. */
  brand: z.string().optional(),
  /** Deprecated: model/version label, see `_embedded.extension.branding`. */
  label: z.string().optional(),
  /** Deprecated: see `_embedded.extension.pictures`. */
  pictures: pictures.optional(),
  /** Stolen-vehicle call centre; only with `?country=` and the matching rights. */
  callCenter: z
    .object({
      stolen: z
        .object({ countryCode: z.enum(['CL', 'BR', 'AR']).optional(), phoneNumber: z.string().optional() })
        .optional(),
    })
    .optional(),
  createdAt: psaV4DateTimeSchema.optional(),
  updatedAt: psaV4DateTimeSchema.optional(),
  _links: z.object({
    self: psaV4LinkSchema,
    user: optionalLink,
    lastPosition: optionalLink,
    trips: optionalLink,
    maintenance: optionalLink,
    alerts: optionalLink,
    status: optionalLink,
    telemetry: optionalLink,
    collisions: optionalLink,
    alarms: optionalLink,
    monitors: optionalLink,
    remotes: optionalLink,
    callbacks: optionalLink,
  }),
  _embedded: z.object({ extension: psaV4VehicleExtensionSchema.optional() }).optional(),
});
export type PsaV4Vehicle = z.infer<typeof psaV4VehicleSchema>;

export const psaV4VehiclesSchema = psaV4CollectionSchema('vehicles', psaV4VehicleSchema);
export type PsaV4Vehicles = z.infer<typeof psaV4VehiclesSchema>;

/** The account; no field is required by the spec. Note the capital V of the embedded `Vehicles`. */
export const psaV4UserSchema = z.object({
  email: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  createdAt: psaV4DateTimeSchema.optional(),
  updatedAt: psaV4DateTimeSchema.optional(),
  _links: z.object({ self: optionalLink, vehicles: optionalLink }).optional(),
  _embedded: z.object({ Vehicles: z.array(psaV4VehicleSchema).optional() }).optional(),
});
export type PsaV4User = z.infer<typeof psaV4UserSchema>;
