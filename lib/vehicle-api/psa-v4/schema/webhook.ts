import 'server-only';
import { z } from 'zod';
import { psaV4AlertSchema } from './alert';
import { psaV4MonitorDataSchema, psaV4TelemetryExtensionSchema } from './callbacks';
import { psaV4DateTimeSchema } from './common';
import { psaV4MaintenanceSchema } from './maintenance';
import { psaV4PositionSchema } from './position';
import { psaV4StatusSchema } from './status';
import { psaV4TelemetrySchema } from './telemetry';
import { psaV4TripSchema } from './trip';
import { psaV4AlarmSchema, psaV4DoorsStateSchema } from './vehicle-state';

// What PSA POSTs to a webhook callback (api-b2c-webhook-template.yaml 4.16, `Message`; vehicle-apis.md
// §4.2). One message per event, or a JSON array of up to 100 when messages queued up ("batch notifying",
// spec `Webhook`). The receiver answers 200 once it has the body, even if processing fails, 500 otherwise
// (PSA then retries every 10 s for up to 3 days), so duplicates and reordering are expected.
//
// Strictness: unknown fields are stripped, as in the rest of psa-v4. The template marks nothing as
// required; the fields without which a message cannot be routed or deduplicated are required anyway
// (callbackId, type, date, and the event matching the type). Embedded vehicle data ("refer to the API
// spec definition") is checked with the same schemas as the REST resources it copies.

/** Spec `Attributes`: the Body attributes of the callback and monitor, as key/value pairs. */
export const psaV4WebhookAttributeSchema = z.object({ key: z.string(), value: z.string() });
export type PsaV4WebhookAttribute = z.infer<typeof psaV4WebhookAttributeSchema>;

/**
 * What fired the trigger. `string`: the primitive or enum value as text in `literalValue` (e.g. `"19"` for
 * a level; the receiver converts it per the data's type). `obj.alert`: the alerts themselves, as `Alert`
 * resources, in `objectValues`.
 */
export const psaV4MonitorEventValueBodySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('string'), body: z.object({ literalValue: z.string() }) }),
  z.object({ type: z.literal('obj.alert'), body: z.object({ objectValues: z.array(psaV4AlertSchema) }) }),
]);
export type PsaV4MonitorEventValueBody = z.infer<typeof psaV4MonitorEventValueBodySchema>;

export const psaV4MonitorEventValueSchema = z.object({
  /** The trigger operand that changed. */
  data: psaV4MonitorDataSchema,
  value: psaV4MonitorEventValueBodySchema.optional(),
  /** The state it came from, as text; only when the monitor's trigger set a `previous`. */
  previous: z.string().optional(),
});
export type PsaV4MonitorEventValue = z.infer<typeof psaV4MonitorEventValueSchema>;

/** An extension whose body items each hold `key` → `item`. */
function extension<T extends z.ZodType, K extends string, I extends z.ZodType>(type: T, key: K, item: I) {
  const entry = { [key]: item } as { [P in K]: I };
  return z.object({ type, body: z.array(z.object(entry)) });
}

/**
 * `vehicle.doorsState` items. The template names the key `doorState` while the model is `DoorsState`; both
 * spellings are accepted [infer], one is required.
 */
const doorsStateItem = z
  .object({ doorState: psaV4DoorsStateSchema.optional(), doorsState: psaV4DoorsStateSchema.optional() })
  .refine((item) => item.doorState !== undefined || item.doorsState !== undefined, {
    message: 'Expected doorState',
  });

/**
 * The extra vehicle data the monitor asked for (`extendedEventParam`), latest known at the event date. Each
 * `type` says which key its body items hold; `vehicle.telemetry.<type>` is the narrowed telemetry [infer:
 * the template lists only the bare names, the monitor spec allows the suffix].
 */
export const psaV4MonitorEventExtensionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('vehicle.doorsState'), body: z.array(doorsStateItem) }),
  extension(z.literal('vehicle.status'), 'status', psaV4StatusSchema),
  extension(z.literal('vehicle.maintenance'), 'maintenance', psaV4MaintenanceSchema),
  extension(z.literal('vehicle.position'), 'position', psaV4PositionSchema),
  extension(psaV4TelemetryExtensionSchema, 'telemetry', psaV4TelemetrySchema),
  /** All alerts active at the event date. */
  extension(z.literal('vehicle.alerts'), 'alerts', z.array(psaV4AlertSchema)),
  extension(z.literal('vehicle.alarm'), 'alarm', psaV4AlarmSchema),
  /** The trip the event belongs to. */
  extension(z.literal('vehicle.trip'), 'trip', psaV4TripSchema),
]);
export type PsaV4MonitorEventExtension = z.infer<typeof psaV4MonitorEventExtensionSchema>;

/** Spec `MonitorEvent`. */
export const psaV4MonitorEventSchema = z.object({
  monitorId: z.string().min(1),
  /** false = the trigger just became true; true = a reminder while it stays true (`refreshEvent`). */
  refresh: z.boolean().optional(),
  /** One item per data trigger that fired (one unless the trigger is compound). */
  values: z.array(psaV4MonitorEventValueSchema).optional(),
  extensions: z.array(psaV4MonitorEventExtensionSchema).optional(),
});
export type PsaV4MonitorEvent = z.infer<typeof psaV4MonitorEventSchema>;

/** Template `RemoteType`: the REST `RemoteType` plus `ChargingState`. */
export const psaV4RemoteTypeSchema = z.enum([
  'ThermalPreconditioning',
  'ElectricBatteryChargingRequest',
  'Horn',
  'Doors',
  'Lights',
  'ChargingState',
  'WakeUp',
  'Navigation',
]);
export type PsaV4RemoteType = z.infer<typeof psaV4RemoteTypeSchema>;

const DONE_STATUSES = ['Success', 'AlreadyDone', 'Failed'] as const;
const PENDING_STATUSES = [
  'Accepted',
  'WakingUpVehicle',
  'CheckingVehicle',
  'SentToVehicle',
  'VehicleBatteryChargeTooLow',
  'TooManyWakeUpsOverMonth',
] as const;

/** Template `RemoteFailedEventStatus`. */
export const psaV4RemoteFailureCauseSchema = z.enum([
  'GeneralError',
  'VehicleError',
  'WrongCommand',
  'VehicleConnectionTimeout',
  'MissingRights',
  'NotPossibleDueToVehicleBatteryLevel',
  'NotPossibleDueToVehiclePrivacyLevel',
  'TooManyWakeUpsOverMonth',
  'TooManyRequestInShortTime',
  'SameActionInProgress',
  'NotPossibleDueToVehicleStolenState',
  'VehicleInUse',
  'TooManyRequestSent',
  'DoorsOpen',
  'VehicleErrorOrCidInside',
  'CidInside',
  'ExternalChargingSystemError',
  'VehicleChargingSystemError',
  'VehicleIsNotLocked',
  'CanceledByDriver',
]);
export type PsaV4RemoteFailureCause = z.infer<typeof psaV4RemoteFailureCauseSchema>;

const remoteStatusFields = {
  failureCause: psaV4RemoteFailureCauseSchema.optional(),
  feedbackDetail: z.enum(['NoCIDBlacklisted', 'CIDBlacklisted']).optional(),
};

/** Template `RemoteEventStatus`: a Pending event carries a processing status, a Done event a final one. */
export const psaV4RemoteEventStatusSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Pending'), status: z.enum(PENDING_STATUSES), ...remoteStatusFields }),
  z.object({ type: z.literal('Done'), status: z.enum(DONE_STATUSES), ...remoteStatusFields }),
]);
export type PsaV4RemoteEventStatus = z.infer<typeof psaV4RemoteEventStatusSchema>;

/** Template `RemoteEvent`; the action id and its status are what the event is for, so both are required. */
export const psaV4RemoteEventSchema = z.object({
  remoteActionId: z.string().min(1),
  remoteType: psaV4RemoteTypeSchema.optional(),
  eventStatus: psaV4RemoteEventStatusSchema,
});
export type PsaV4RemoteEvent = z.infer<typeof psaV4RemoteEventSchema>;

const messageFields = {
  /** The callback (subscription) the message came through. */
  callbackId: z.string().min(1),
  /** When the message was raised/built; "format: dateTime", read as RFC 3339. */
  date: psaV4DateTimeSchema,
  attributes: z.array(psaV4WebhookAttributeSchema).optional(),
};

/** Template `Message`: a monitor event or a remote event, as `type` says. */
export const psaV4WebhookMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Monitor'), ...messageFields, monitorEvent: psaV4MonitorEventSchema }),
  z.object({ type: z.literal('Remote'), ...messageFields, remoteEvent: psaV4RemoteEventSchema }),
]);
export type PsaV4WebhookMessage = z.infer<typeof psaV4WebhookMessageSchema>;

/** Most messages one delivery may batch ("batch size … set at 100", spec `Webhook`). */
export const PSA_V4_WEBHOOK_BATCH_MAX = 100;

/**
 * The body of one webhook delivery: a single message, or an array of 1 to 100. Always parsed into an array,
 * so the receiver handles both the same way; issue paths therefore start with the message index.
 */
export const psaV4WebhookDeliverySchema = z.preprocess(
  (body) => (Array.isArray(body) ? body : [body]),
  z.array(psaV4WebhookMessageSchema).min(1).max(PSA_V4_WEBHOOK_BATCH_MAX),
);
export type PsaV4WebhookDelivery = z.infer<typeof psaV4WebhookDeliverySchema>;
