import { z } from 'zod';
import { TELEMETRY_TYPES } from '../telemetry-resources';
import { BoolExpError, parseBoolExp } from './bool-exp';
import { isValidTimeZone, parseIsoDuration } from './time-window';

// Request bodies of the callback and monitor writes (spec 4.17 components/schemas CallbackSubscribe,
// Webhook, Attribute, MonitorParameter, MonitorTrigger, ZoneTrigger, TimeTrigger, DataTrigger,
// CallbacksStatusSetter, MonitorStatusSetter; vehicle-apis.md §4.2). Objects are strict: an
// unknown property is a 400, so a typo never silently turns a trigger off. Lengths and counts are
// bounded [infer: the spec gives none] so that a subscriber cannot grow the simulator's memory.

export const CALLBACK_TYPES = ['Monitor', 'Remote'] as const;
export type CallbackType = (typeof CALLBACK_TYPES)[number];

/** Every `DataTrigger.data` of the spec (4.17), in the spec's order. */
export const DATA_NAMES = [
  'vehicle.alert',
  'vehicle.odometer',
  'vehicle.powertrain.status',
  'vehicle.engines.thermic.oil.temp',
  'vehicle.energy.electric.level',
  'vehicle.energy.electric.autonomy',
  'vehicle.energy.fuel.level',
  'vehicle.energy.fuel.autonomy',
  'vehicle.autonomy',
  'vehicle.energy.charging.status',
  'vehicle.energy.charging.plugged',
  'vehicle.energy.charging.type',
  'vehicle.doorsState.lockedState',
  'vehicle.doorsState.opening',
  'vehicle.kinetic.moving',
  'vehicle.kinetic.speed',
  'vehicle.trip.start',
  'vehicle.trip.stop',
  'vehicle.trip.duration',
  'vehicle.trip.distance',
  'vehicle.trip.state',
  'vehicle.safety.beltWarning',
  'environment.air.temp',
  'privacy.state',
  'vehicle.drivingBehavior.mode',
  'vehicle.safety.autoECallTriggering',
  'vehicle.preconditioning.airConditioning',
  'vehicle.alarm.trigger.type',
  'vehicle.alarm.status.activation',
] as const;
export type DataName = (typeof DATA_NAMES)[number];

export const DATA_OPS = ['equalsTo', 'greaterThan', 'lowerThan', 'includedIn', 'onChange'] as const;
export type DataOp = (typeof DATA_OPS)[number];

/**
 * How a datum is compared, from the spec's DataTrigger table: numbers take thresholds, enums and
 * lists take equalsTo/includedIn, booleans equalsTo, trip start and stop are events. onChange is
 * accepted for every datum [infer: the table lists it for enums only; a change of a number is as
 * well defined].
 */
export type DataKind = 'number' | 'enum' | 'boolean' | 'event' | 'alert';

export const DATA_KINDS: Record<DataName, DataKind> = {
  'vehicle.alert': 'alert',
  'vehicle.odometer': 'number',
  'vehicle.powertrain.status': 'enum',
  'vehicle.engines.thermic.oil.temp': 'number',
  'vehicle.energy.electric.level': 'number',
  'vehicle.energy.electric.autonomy': 'number',
  'vehicle.energy.fuel.level': 'number',
  'vehicle.energy.fuel.autonomy': 'number',
  'vehicle.autonomy': 'number',
  'vehicle.energy.charging.status': 'enum',
  'vehicle.energy.charging.plugged': 'boolean',
  'vehicle.energy.charging.type': 'enum',
  'vehicle.doorsState.lockedState': 'enum',
  'vehicle.doorsState.opening': 'enum',
  'vehicle.kinetic.moving': 'boolean',
  'vehicle.kinetic.speed': 'number',
  'vehicle.trip.start': 'event',
  'vehicle.trip.stop': 'event',
  'vehicle.trip.duration': 'number',
  'vehicle.trip.distance': 'number',
  'vehicle.trip.state': 'enum',
  'vehicle.safety.beltWarning': 'enum',
  'environment.air.temp': 'number',
  'privacy.state': 'enum',
  'vehicle.drivingBehavior.mode': 'enum',
  'vehicle.safety.autoECallTriggering': 'enum',
  'vehicle.preconditioning.airConditioning': 'enum',
  'vehicle.alarm.trigger.type': 'enum',
  'vehicle.alarm.status.activation': 'enum',
};

const OPS_BY_KIND: Record<DataKind, readonly DataOp[]> = {
  number: ['equalsTo', 'greaterThan', 'lowerThan', 'onChange'],
  enum: ['equalsTo', 'includedIn', 'onChange'],
  boolean: ['equalsTo', 'onChange'],
  event: ['onChange'],
  alert: ['onChange', 'equalsTo', 'includedIn'],
};

/** Data a `previous` state may be given for (the spec's "Previous Data" table). */
export const PREVIOUS_ELIGIBLE: readonly DataName[] = [
  'vehicle.alert',
  'vehicle.energy.charging.status',
  'vehicle.energy.charging.plugged',
  'vehicle.kinetic.moving',
  'vehicle.safety.beltWarning',
  'vehicle.safety.autoECallTriggering',
  'privacy.state',
  'vehicle.drivingBehavior.mode',
];

export const EXTENSION_TYPES = [
  'vehicle.doorsState',
  'vehicle.status',
  'vehicle.maintenance',
  'vehicle.position',
  'vehicle.telemetry',
  'vehicle.alerts',
  'vehicle.alarm',
  'vehicle.trip',
] as const;
export type ExtensionType = (typeof EXTENSION_TYPES)[number];

/** The extension type of an `extendedEventParam` item (`vehicle.telemetry.vehicle.engines` → telemetry). */
export function extensionTypeOf(item: string): ExtensionType {
  return item.startsWith('vehicle.telemetry') ? 'vehicle.telemetry' : (item as ExtensionType);
}

// --- Attributes ----------------------------------------------------------------------------------

/** Sent by the simulator on every delivery; a subscriber may not set them. */
export const EVENT_ID_KEY = 'x-event-id';
const RESERVED_HEADERS = new Set([
  EVENT_ID_KEY,
  'x-sim-fault',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'host',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

// Values travel as header values too: no control characters (no header injection).
const hasNoControlCharacter = (text: string) =>
  [...text].every((char) => {
    const code = char.charCodeAt(0);
    return code >= 0x20 && code !== 0x7f;
  });
const attributeValue = z
  .string()
  .max(1024)
  .refine(hasNoControlCharacter, { message: 'expected text without control characters' });

function attributeSchema<const T extends readonly [string, ...string[]]>(types: T) {
  return z
    .strictObject({ type: z.enum(types), key: z.string().min(1).max(64), value: attributeValue })
    .superRefine((attribute, context) => {
      const key = attribute.key.toLowerCase();
      if (attribute.type === 'Header' && !HEADER_NAME.test(attribute.key)) {
        context.addIssue({ code: 'custom', path: ['key'], message: 'expected an HTTP header name' });
      } else if (attribute.type === 'Header' && (RESERVED_HEADERS.has(key) || key.startsWith('proxy-'))) {
        context.addIssue({
          code: 'custom',
          path: ['key'],
          message: `the header ${key} is set by the sender`,
        });
      } else if (attribute.type !== 'Header' && key === EVENT_ID_KEY) {
        context.addIssue({ code: 'custom', path: ['key'], message: `${EVENT_ID_KEY} is set by the sender` });
      }
    });
}

const webhookAttributes = z.array(attributeSchema(['Header', 'Body', 'Query'])).max(20);
/** Monitor attributes are BasicAttributes: Header or Body only. */
const monitorAttributes = z.array(attributeSchema(['Header', 'Body'])).max(20);

export type Attribute = z.infer<typeof webhookAttributes>[number];

// --- Callbacks ----------------------------------------------------------------------------------

/**
 * The webhook target: an absolute http(s) URL the simulator will POST to. Credentials go in
 * Header attributes (the PSA scheme), not in the URL.
 */
const targetUrl = z
  .string()
  .max(2048)
  .refine(
    (text) => {
      if (!URL.canParse(text)) return false;
      const url = new URL(text);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    },
    { message: 'expected an http(s) URL without user or password' },
  );

const webhookSchema = z.strictObject({
  name: z.string().min(1).max(100),
  target: targetUrl,
  attributes: webhookAttributes.optional(),
});

export const callbackSubscribeSchema = z
  .strictObject({
    label: z.string().max(100).optional(),
    type: z.array(z.enum(CALLBACK_TYPES)).min(1).max(2).optional(),
    callback: z.strictObject({
      webhook: webhookSchema.optional(),
      // Accepted by the spec, not simulated: refused below with a message saying so.
      websocket: z.unknown().optional(),
      pushnotif: z.unknown().optional(),
    }),
  })
  .superRefine((subscribe, context) => {
    const kinds = (['webhook', 'websocket', 'pushnotif'] as const).filter(
      (kind) => subscribe.callback[kind] !== undefined,
    );
    if (kinds.length !== 1) {
      context.addIssue({
        code: 'custom',
        path: ['callback'],
        message: 'expected exactly one of webhook, websocket or pushnotif',
      });
    } else if (kinds[0] !== 'webhook') {
      context.addIssue({
        code: 'custom',
        path: ['callback', kinds[0] ?? ''],
        message: 'the simulator delivers webhook callbacks only',
      });
    }
    if (subscribe.type && new Set(subscribe.type).size !== subscribe.type.length) {
      context.addIssue({ code: 'custom', path: ['type'], message: 'expected each type once' });
    }
  });

export type CallbackSubscribe = z.infer<typeof callbackSubscribeSchema>;
export type Webhook = z.infer<typeof webhookSchema>;

export const statusSetterSchema = z.strictObject({ status: z.enum(['Running', 'Paused']) });
export type SettableStatus = z.infer<typeof statusSetterSchema>['status'];

// --- Monitors -----------------------------------------------------------------------------------

/** The spec's pattern `[a-zA-Z]+[.-_]?[0-9]*`, read as letters, one optional separator, digits. */
const TRIGGER_NAME = /^[A-Za-z]{1,32}[._-]?[0-9]{0,8}$/;

const zoneSchema = z.strictObject({
  transition: z.enum(['In', 'Out']),
  place: z.strictObject({
    // km; the spec types it integer.
    radius: z.number().int().min(1).max(20_000),
    center: z.strictObject({
      longitude: z.number().min(-180).max(180),
      latitude: z.number().min(-90).max(90),
    }),
  }),
});

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const WEEK_ITEM = /^[wW]([1-9]|[1-4][0-9]|5[0-3])(-[wW]([1-9]|[1-4][0-9]|5[0-3]))?$/;
/** A time of day as a duration (`PT14H30M`, seconds allowed), before 24 h. */
const DAILY_START = /^PT(?=\d)(?:([01]?\d|2[0-3])H)?(?:([0-5]?\d)M)?(?:([0-5]?\d)S)?$/;

const timeEntrySchema = z
  .strictObject({
    recurrence: z.enum(['None', 'Daily']).optional(),
    start: z.string().max(64),
    duration: z.string().max(64).optional(),
    occurence: z
      .strictObject({
        day: z.array(z.enum(DAYS)).min(1).max(7).optional(),
        week: z.array(z.string().regex(WEEK_ITEM)).min(1).max(52).optional(),
      })
      .optional(),
    enabled: z.boolean().optional(),
    slot: z.number().int().min(1).max(10).optional(),
  })
  .superRefine((entry, context) => {
    const daily = (entry.recurrence ?? 'Daily') === 'Daily';
    if (entry.duration !== undefined && parseIsoDuration(entry.duration) === null) {
      context.addIssue({ code: 'custom', path: ['duration'], message: 'expected an ISO 8601 duration' });
    }
    if (daily) {
      if (!DAILY_START.test(entry.start)) {
        context.addIssue({
          code: 'custom',
          path: ['start'],
          message: 'expected a time of day, e.g. PT14H30M',
        });
      }
      if (entry.duration === undefined) {
        context.addIssue({ code: 'custom', path: ['duration'], message: 'required with a Daily recurrence' });
      }
    } else {
      if (!z.iso.datetime({ offset: true }).safeParse(entry.start).success) {
        context.addIssue({ code: 'custom', path: ['start'], message: 'expected an RFC 3339 date-time' });
      }
      if (entry.occurence !== undefined) {
        context.addIssue({ code: 'custom', path: ['occurence'], message: 'only with a Daily recurrence' });
      }
    }
  });

const timeSchema = z.strictObject({
  times: z.array(timeEntrySchema).min(1).max(10),
  timeZone: z
    .string()
    .max(64)
    .refine(isValidTimeZone, { message: 'expected a time zone such as Europe/Paris' })
    .optional(),
});

const dataSchema = z
  .strictObject({
    data: z.enum(DATA_NAMES),
    op: z.enum(DATA_OPS),
    value: z.array(z.string().max(100)).max(50).optional(),
    previous: z
      .strictObject({
        value: z.array(z.string().max(100)).min(1).max(50),
        op: z.enum(['equalsTo', 'includedIn']),
      })
      .optional(),
  })
  .superRefine((trigger, context) => {
    const kind = DATA_KINDS[trigger.data];
    if (!OPS_BY_KIND[kind].includes(trigger.op)) {
      context.addIssue({
        code: 'custom',
        path: ['op'],
        message: `${trigger.data} takes ${OPS_BY_KIND[kind].join(', ')}`,
      });
      return;
    }
    const values = trigger.value ?? [];
    if (trigger.op !== 'onChange' && values.length === 0) {
      context.addIssue({ code: 'custom', path: ['value'], message: `${trigger.op} needs a value` });
    }
    const first = values[0];
    if (kind === 'number' && trigger.op !== 'onChange' && first !== undefined && !isNumeric(first)) {
      context.addIssue({ code: 'custom', path: ['value', 0], message: 'expected a number' });
    }
    if (kind === 'boolean' && trigger.op === 'equalsTo' && first !== 'true' && first !== 'false') {
      context.addIssue({ code: 'custom', path: ['value', 0], message: 'expected "true" or "false"' });
    }
    if (trigger.previous && !PREVIOUS_ELIGIBLE.includes(trigger.data)) {
      context.addIssue({
        code: 'custom',
        path: ['previous'],
        message: `no previous state for ${trigger.data}`,
      });
    }
  });

export const isNumeric = (text: string) => /^[+-]?(?:\d{1,12}(?:\.\d{0,6})?|\.\d{1,6})$/.test(text);

const triggerSchema = z
  .strictObject({
    name: z.string().regex(TRIGGER_NAME, { message: 'expected a name like "fuel" or "z1"' }),
    zone: zoneSchema.optional(),
    time: timeSchema.optional(),
    data: dataSchema.optional(),
  })
  .superRefine((trigger, context) => {
    const kinds = [trigger.zone, trigger.time, trigger.data].filter((part) => part !== undefined);
    if (kinds.length !== 1) {
      context.addIssue({ code: 'custom', message: 'expected exactly one of zone, time or data' });
    }
  });

const extensionItem = z
  .string()
  .refine(
    (item) =>
      (EXTENSION_TYPES as readonly string[]).includes(item) ||
      (item.startsWith('vehicle.telemetry.') &&
        (TELEMETRY_TYPES as readonly string[]).includes(item.slice('vehicle.telemetry.'.length))),
    { message: `expected one of ${EXTENSION_TYPES.join(', ')} (or vehicle.telemetry.<type>)` },
  );

export const monitorParameterSchema = z
  .strictObject({
    label: z.string().min(1).max(100),
    subscribeParam: z
      .strictObject({
        refreshEvent: z
          .number()
          .int()
          .min(60)
          .max(7 * 86_400)
          .optional(),
        callbackAttributes: z
          .strictObject({
            webhook: webhookAttributes.optional(),
            websocket: z.unknown().optional(),
            pushnotif: z.unknown().optional(),
          })
          .optional(),
      })
      .optional(),
    attributes: monitorAttributes.optional(),
    extendedEventParam: z.array(extensionItem).max(20).optional(),
    triggerParam: z.strictObject({
      triggers: z.array(triggerSchema).min(1).max(5),
      boolExp: z.string().min(1).max(500),
    }),
  })
  .superRefine((parameter, context) => {
    const subscribe = parameter.subscribeParam;
    if (subscribe && subscribe.refreshEvent === undefined && subscribe.callbackAttributes === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['subscribeParam'],
        message: 'expected refreshEvent or callbackAttributes',
      });
    }
    const attributes = subscribe?.callbackAttributes;
    if (attributes && (attributes.websocket !== undefined || attributes.pushnotif !== undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['subscribeParam', 'callbackAttributes'],
        message: 'expected webhook attributes, as the callback is a webhook',
      });
    }
    const names = parameter.triggerParam.triggers.map((trigger) => trigger.name);
    if (new Set(names).size !== names.length) {
      context.addIssue({
        code: 'custom',
        path: ['triggerParam', 'triggers'],
        message: 'expected unique names',
      });
      return;
    }
    try {
      parseBoolExp(parameter.triggerParam.boolExp, names);
    } catch (error) {
      if (!(error instanceof BoolExpError)) throw error;
      context.addIssue({ code: 'custom', path: ['triggerParam', 'boolExp'], message: error.message });
    }
  });

export type MonitorParameter = z.infer<typeof monitorParameterSchema>;
export type MonitorTrigger = MonitorParameter['triggerParam']['triggers'][number];
export type DataTrigger = NonNullable<MonitorTrigger['data']>;
export type ZoneTrigger = NonNullable<MonitorTrigger['zone']>;
export type TimeTrigger = NonNullable<MonitorTrigger['time']>;
export type TimeEntry = TimeTrigger['times'][number];

/** A zod failure as one line naming each bad field (`triggerParam.triggers.0.data.op: …`). */
export function issuesMessage(error: z.ZodError): string {
  const text = error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
  return `Invalid body: ${text}`.slice(0, 1000);
}
