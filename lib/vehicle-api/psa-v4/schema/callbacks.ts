import 'server-only';
import { z } from 'zod';
import { psaV4AlertTypeSchema } from './alert';
import { psaV4CollectionSchema, psaV4DateTimeSchema, psaV4DurationSchema, psaV4LinkSchema } from './common';
import { psaV4ChargingStatusSchema } from './energy';
import { psaV4WeekDaySchema } from './programs';
import { psaV4AlarmActivationSchema, psaV4AlarmTriggerTypeSchema } from './vehicle-state';

// Callbacks and monitors (spec 4.17 tags Subscribe and Monitors; vehicle-apis.md §4.2). Two directions:
// - request bodies Kinetic sends: `CallbackSubscribe` (POST/PUT /user/callbacks[/{cbid}]), `MonitorParameter`
//   (POST/PUT …/callbacks/{cbid}/monitors[/{mid}]) and the two `{status}` setters. These schemas are as strict
//   as the spec's prose ("exactly one of", "must be an array of size = 1", "between 00H and 23h59"), so a
//   bad body is caught before the API answers 400;
// - responses Kinetic parses: `UserCallbacks`, `UserCallback`, `CallbackRef`, `Monitors`, `Monitor`,
//   `MonitorRef`. As everywhere in psa-v4, unknown fields are stripped and only the spec's `required`
//   fields are required (exceptions are marked). A stored `subscribe`/`monitor` echoes what was sent, so
//   responses reuse the request schemas.

// ——— Attributes ———

/** An HTTP header name (RFC 9110 token): Header attributes become request headers of the delivery. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const headerKeyIsToken = (attribute: { type?: string; key: string }) =>
  attribute.type !== 'Header' || HEADER_NAME.test(attribute.key);
const headerKeyMessage = { message: 'A Header attribute key must be an HTTP header name', path: ['key'] };

/**
 * Spec `Attribute` (webhook callbacks): Header → sent as an `x-…` header of every delivery (Kinetic puts its
 * shared secret there), Body → added to the message's `attributes`, Query → added to the target URL.
 * `value` is a literal or a `$`-prefixed variable (`$vin`, `$CallbackID`, `$CallbackLabel`), resolved by PSA.
 */
export const psaV4AttributeSchema = z
  .object({
    type: z.enum(['Header', 'Body', 'Query']),
    key: z.string().min(1),
    value: z.string(),
  })
  .refine(headerKeyIsToken, headerKeyMessage);
export type PsaV4Attribute = z.infer<typeof psaV4AttributeSchema>;

/** Spec `WSAttribute`: websockets only carry Body attributes; `type` defaults to `Body`. */
export const psaV4WebsocketAttributeSchema = z.object({
  type: z.literal('Body').optional(),
  key: z.string().min(1),
  value: z.string(),
});
export type PsaV4WebsocketAttribute = z.infer<typeof psaV4WebsocketAttributeSchema>;

/**
 * Spec `PushNotifAttribute`: Header (the default) → FCM `data` map, Body → message body. The spec lists no
 * required field; an attribute without key or value means nothing, so both are required here.
 */
export const psaV4PushNotifAttributeSchema = z.object({
  type: z.enum(['Header', 'Body']).optional(),
  key: z.string().min(1),
  value: z.string(),
});
export type PsaV4PushNotifAttribute = z.infer<typeof psaV4PushNotifAttributeSchema>;

/** Spec `MonitorAttribute` (a `BasicAttribute`: Header or Body); variables `$MonitorID`, `$MonitorLabel`. */
export const psaV4MonitorAttributeSchema = z
  .object({
    type: z.enum(['Header', 'Body']),
    key: z.string().min(1),
    value: z.string(),
  })
  .refine(headerKeyIsToken, headerKeyMessage);
export type PsaV4MonitorAttribute = z.infer<typeof psaV4MonitorAttributeSchema>;

type ChannelSet = { pushnotif?: unknown; webhook?: unknown; websocket?: unknown };
const channelCount = (value: ChannelSet) =>
  [value.pushnotif, value.webhook, value.websocket].filter((channel) => channel !== undefined).length;

/**
 * Spec `CallbackAttributes`: per-monitor attributes added to (or replacing) the callback's own. "Only one of
 * pushnotif, webhook or websocket should be set", the one matching the callback.
 */
export const psaV4CallbackAttributesSchema = z
  .object({
    pushnotif: z.array(psaV4PushNotifAttributeSchema).optional(),
    webhook: z.array(psaV4AttributeSchema).optional(),
    websocket: z.array(psaV4WebsocketAttributeSchema).optional(),
  })
  .refine((value) => channelCount(value) <= 1, { message: 'Set attributes for one channel only' });
export type PsaV4CallbackAttributes = z.infer<typeof psaV4CallbackAttributesSchema>;

// ——— Callbacks ———

/**
 * Spec `Webhook`: where PSA POSTs the messages (`Url`, RFC 3986). The portal asks for HTTPS with a public
 * certificate in production; plain http is accepted so a local simulator can be the target.
 */
export const psaV4WebhookCallbackSchema = z.object({
  name: z.string().min(1),
  target: z.url({ protocol: /^https?$/ }),
  attributes: z.array(psaV4AttributeSchema).optional(),
});
export type PsaV4WebhookCallback = z.infer<typeof psaV4WebhookCallbackSchema>;

/** Spec `Websocket`. */
export const psaV4WebsocketCallbackSchema = z.object({
  target: z.url({ protocol: /^wss?$/ }),
  attributes: z.array(psaV4WebsocketAttributeSchema).optional(),
});
export type PsaV4WebsocketCallback = z.infer<typeof psaV4WebsocketCallbackSchema>;

/** Spec `PushNotif`: FCM device tokens, at least one. */
export const psaV4PushNotifCallbackSchema = z.object({
  devices: z.array(z.string().min(1)).min(1),
  attributes: z.array(psaV4PushNotifAttributeSchema).optional(),
});
export type PsaV4PushNotifCallback = z.infer<typeof psaV4PushNotifCallbackSchema>;

/** What a callback may serve; absent = both. */
export const psaV4CallbackTypeSchema = z.enum(['Monitor', 'Remote']);
export type PsaV4CallbackType = z.infer<typeof psaV4CallbackTypeSchema>;

/** Spec `CallbackSubscribe`: the body of POST /user/callbacks and PUT /user/callbacks/{cbid} (complete). */
export const psaV4CallbackSubscribeSchema = z.object({
  label: z.string().optional(),
  type: z.array(psaV4CallbackTypeSchema).optional(),
  /** "The callback can only be one of the following elements": exactly one channel. */
  callback: z
    .object({
      pushnotif: psaV4PushNotifCallbackSchema.optional(),
      webhook: psaV4WebhookCallbackSchema.optional(),
      websocket: psaV4WebsocketCallbackSchema.optional(),
    })
    .refine((value) => channelCount(value) === 1, {
      message: 'Expected exactly one of webhook, websocket, pushnotif',
    }),
});
export type PsaV4CallbackSubscribe = z.infer<typeof psaV4CallbackSubscribeSchema>;

/** Spec `CallbackStatus`; `Paused` = no event is posted. */
export const psaV4CallbackStatusSchema = z.enum(['Running', 'Paused', 'Failed']);
export type PsaV4CallbackStatus = z.infer<typeof psaV4CallbackStatusSchema>;

/** Spec `CallbacksStatusSetter`: body of PUT /user/callbacks/{cbid}/status (`Failed` is not settable). */
export const psaV4CallbackStatusSetterSchema = z.object({ status: z.enum(['Running', 'Paused']) });
export type PsaV4CallbackStatusSetter = z.infer<typeof psaV4CallbackStatusSetterSchema>;

/**
 * Spec `CallbackRef`, the answer to POST/PUT /user/callbacks[/{cbid}] and …/status. The spec requires
 * nothing; `callbackId` is required here all the same, because a reference without the id is useless (the
 * id is how every later call and every delivered message names the callback).
 */
export const psaV4CallbackRefSchema = z.object({
  _links: z.object({ callback: psaV4LinkSchema.optional() }).optional(),
  callbackId: z.string().min(1),
  status: psaV4CallbackStatusSchema.optional(),
});
export type PsaV4CallbackRef = z.infer<typeof psaV4CallbackRefSchema>;

/** Spec `UserCallback`: GET /user/callbacks/{cbid}. */
export const psaV4UserCallbackSchema = z.object({
  _links: z.object({ self: psaV4LinkSchema }),
  label: z.string().optional(),
  id: z.string().min(1),
  subscribe: psaV4CallbackSubscribeSchema,
  status: psaV4CallbackStatusSchema,
});
export type PsaV4UserCallback = z.infer<typeof psaV4UserCallbackSchema>;

/** Spec `UserCallbacks`: GET /user/callbacks (`_embedded.callbacks`). */
export const psaV4UserCallbacksSchema = psaV4CollectionSchema('callbacks', psaV4UserCallbackSchema);
export type PsaV4UserCallbacks = z.infer<typeof psaV4UserCallbacksSchema>;

// ——— Monitor triggers ———

/** Operands of a data trigger (spec `DataTrigger.data`, also `MonitorEvent.values[].data` of the webhook). */
export const PSA_V4_MONITOR_DATA = [
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
export const psaV4MonitorDataSchema = z.enum(PSA_V4_MONITOR_DATA);
export type PsaV4MonitorData = z.infer<typeof psaV4MonitorDataSchema>;

export const psaV4MonitorOperatorSchema = z.enum([
  'equalsTo',
  'greaterThan',
  'lowerThan',
  'includedIn',
  'onChange',
]);
export type PsaV4MonitorOperator = z.infer<typeof psaV4MonitorOperatorSchema>;

type Operator = PsaV4MonitorOperator;
type Rule = { ops: readonly Operator[]; value: z.ZodType<string> };

// The literal forms a trigger value takes, per the type column of the spec's `DataTrigger.data` table.
const integerText = z.string().regex(/^[+-]?\d+$/, { message: 'Expected an integer written as a string' });
const numberText = z
  .string()
  .regex(/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/, { message: 'Expected a number written as a string' });
const booleanText = z.enum(['true', 'false']);
/** Enums the spec names but does not list (powertrain status, charging type, belt warning…). */
const enumText = z.string().min(1);
const compare = ['equalsTo', 'greaterThan', 'lowerThan'] as const;

/** Allowed operators and value form of each operand (spec `DataTrigger.data` table). */
const DATA_RULES: Record<PsaV4MonitorData, Rule> = {
  'vehicle.alert': { ops: ['onChange', 'includedIn', 'equalsTo'], value: psaV4AlertTypeSchema },
  'vehicle.odometer': { ops: compare, value: integerText },
  'vehicle.powertrain.status': { ops: ['equalsTo', 'onChange', 'includedIn'], value: enumText },
  'vehicle.engines.thermic.oil.temp': { ops: compare, value: integerText },
  'vehicle.energy.electric.level': { ops: compare, value: integerText },
  'vehicle.energy.electric.autonomy': { ops: compare, value: integerText },
  'vehicle.energy.fuel.level': { ops: compare, value: integerText },
  'vehicle.energy.fuel.autonomy': { ops: compare, value: integerText },
  'vehicle.autonomy': { ops: compare, value: integerText },
  'vehicle.energy.charging.status': {
    ops: ['onChange', 'equalsTo', 'includedIn'],
    value: psaV4ChargingStatusSchema,
  },
  'vehicle.energy.charging.plugged': { ops: ['onChange', 'equalsTo'], value: booleanText },
  'vehicle.energy.charging.type': { ops: ['onChange', 'equalsTo'], value: enumText },
  'vehicle.doorsState.lockedState': { ops: ['onChange'], value: enumText },
  'vehicle.doorsState.opening': { ops: ['onChange'], value: enumText },
  'vehicle.kinetic.moving': { ops: ['onChange', 'equalsTo'], value: booleanText },
  'vehicle.kinetic.speed': { ops: compare, value: numberText },
  'vehicle.trip.start': { ops: ['onChange'], value: enumText },
  'vehicle.trip.stop': { ops: ['onChange'], value: enumText },
  'vehicle.trip.duration': { ops: compare, value: integerText },
  'vehicle.trip.distance': { ops: compare, value: numberText },
  'vehicle.trip.state': {
    ops: ['includedIn'],
    value: z.enum(['Nominal', 'Unstarted', 'DataLacking', 'Unfinished']),
  },
  'vehicle.safety.beltWarning': { ops: ['onChange', 'equalsTo'], value: enumText },
  'environment.air.temp': { ops: compare, value: numberText },
  'privacy.state': {
    ops: ['equalsTo', 'onChange', 'includedIn'],
    value: z.enum(['None', 'Geolocation', 'Full']),
  },
  'vehicle.drivingBehavior.mode': { ops: ['equalsTo', 'onChange', 'includedIn'], value: enumText },
  'vehicle.safety.autoECallTriggering': { ops: ['equalsTo', 'onChange', 'includedIn'], value: enumText },
  'vehicle.preconditioning.airConditioning': { ops: ['onChange'], value: enumText },
  'vehicle.alarm.trigger.type': {
    ops: ['onChange', 'equalsTo', 'includedIn'],
    value: psaV4AlarmTriggerTypeSchema,
  },
  'vehicle.alarm.status.activation': { ops: ['onChange', 'equalsTo'], value: psaV4AlarmActivationSchema },
};

/**
 * Operands that may carry a `previous` state, and its operators (spec `DataTrigger.previous` table, minus
 * `vehicle.engines.running`, which is no trigger operand and so can never "match the trigger data").
 */
const PREVIOUS_OPS: Partial<Record<PsaV4MonitorData, readonly Operator[]>> = {
  'vehicle.alert': ['includedIn', 'equalsTo'],
  'vehicle.energy.charging.status': ['includedIn', 'equalsTo'],
  'vehicle.energy.charging.plugged': ['equalsTo'],
  'vehicle.kinetic.moving': ['equalsTo'],
  'vehicle.safety.beltWarning': ['includedIn', 'equalsTo'],
  'vehicle.safety.autoECallTriggering': ['equalsTo', 'includedIn'],
  'privacy.state': ['equalsTo', 'includedIn'],
  'vehicle.drivingBehavior.mode': ['equalsTo', 'includedIn'],
};

/**
 * The right operand's size per operator ("onChange: no value; includedIn: size ≥ 1; equalsTo, greaterThan and
 * lowerThan: size = 1") and each value's form.
 */
function checkValues(
  ctx: z.RefinementCtx,
  path: (string | number)[],
  op: Operator,
  values: string[] | undefined,
  form: z.ZodType<string>,
) {
  const list = values ?? [];
  const sizeOk =
    op === 'onChange' ? list.length === 0 : op === 'includedIn' ? list.length >= 1 : list.length === 1;
  if (!sizeOk) {
    const expected =
      op === 'onChange' ? 'no value' : op === 'includedIn' ? 'at least one value' : 'exactly one value';
    ctx.addIssue({ code: 'custom', path, message: `${op} takes ${expected}` });
    return;
  }
  list.forEach((value, index) => {
    if (!form.safeParse(value).success)
      ctx.addIssue({ code: 'custom', path: [...path, index], message: `Not a valid value: ${value}` });
  });
}

/** Spec `DataTrigger`: fires on a vehicle data value or change. */
export const psaV4DataTriggerSchema = z
  .object({
    data: psaV4MonitorDataSchema,
    op: psaV4MonitorOperatorSchema,
    value: z.array(z.string()).optional(),
    /** The state the data must come from for the first firing. */
    previous: z.object({ value: z.array(z.string()), op: z.enum(['equalsTo', 'includedIn']) }).optional(),
  })
  .superRefine((trigger, ctx) => {
    const rule = DATA_RULES[trigger.data];
    if (!rule.ops.includes(trigger.op)) {
      ctx.addIssue({
        code: 'custom',
        path: ['op'],
        message: `${trigger.op} does not apply to ${trigger.data}`,
      });
    } else {
      checkValues(ctx, ['value'], trigger.op, trigger.value, rule.value);
    }
    if (trigger.previous === undefined) return;
    const previousOps = PREVIOUS_OPS[trigger.data];
    if (previousOps === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['previous'],
        message: `${trigger.data} takes no previous state`,
      });
    } else if (!previousOps.includes(trigger.previous.op)) {
      ctx.addIssue({
        code: 'custom',
        path: ['previous', 'op'],
        message: 'Operator not allowed for previous',
      });
    } else {
      checkValues(ctx, ['previous', 'value'], trigger.previous.op, trigger.previous.value, rule.value);
    }
  });
export type PsaV4DataTrigger = z.infer<typeof psaV4DataTriggerSchema>;

/** Spec `ZoneTrigger`: entering (`In`) or leaving (`Out`) a circle. */
export const psaV4ZoneTriggerSchema = z.object({
  transition: z.enum(['In', 'Out']),
  place: z.object({
    /** km, an integer; at least 1 and at most half the Earth's circumference. */
    radius: z.int().min(1).max(20_000),
    center: z.object({
      longitude: z.number().min(-180).max(180),
      latitude: z.number().min(-90).max(90),
    }),
  }),
});
export type PsaV4ZoneTrigger = z.infer<typeof psaV4ZoneTriggerSchema>;

const TIME_OF_DAY = /^PT(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/;

/** `PT14H30M` → 52,200; undefined unless a time of day between 00:00 and 23:59:59. */
function secondsOfDay(text: string): number | undefined {
  const match = TIME_OF_DAY.exec(text);
  if (!match) return undefined;
  const [hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
  ];
  const total = hours * 3600 + minutes * 60 + seconds;
  return total < 24 * 3600 ? total : undefined;
}

const WEEK = /^[wW](\d{1,2})(?:-[wW](\d{1,2}))?$/;

/**
 * A week of the year or a range (`w1`, `w34-w46`). The spec's pattern `[wW][1-5][0-9]?` would refuse w6..w9,
 * which its own text ("from w1 to w52") allows; the text is followed.
 */
const weekSchema = z.string().refine(
  (text) => {
    const match = WEEK.exec(text);
    if (!match) return false;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    return from >= 1 && to <= 52 && from <= to;
  },
  { message: 'Expected a week w1..w52 or a range such as w34-w46' },
);

/**
 * Spec `TimeTriggerEntry` (a `Program` + `duration`). `recurrence` defaults to `Daily`:
 * - Daily: `start` is a time of day as a duration (`PT14H30M`), `duration` is mandatory;
 * - None: `start` is an absolute RFC 3339 time, and `occurence` must not be given.
 * (The spec's own example writes `occurence` as a bare day array; its schema's `{day, week}` is followed.)
 */
export const psaV4TimeTriggerEntrySchema = z
  .object({
    recurrence: z.enum(['None', 'Daily']).optional(),
    start: z.string(),
    duration: psaV4DurationSchema.optional(),
    occurence: z
      .object({
        day: z.array(psaV4WeekDaySchema).min(1).max(7),
        week: z.array(weekSchema).min(1).max(52).optional(),
      })
      .optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.recurrence === 'None') {
      if (!psaV4DateTimeSchema.safeParse(entry.start).success)
        ctx.addIssue({ code: 'custom', path: ['start'], message: 'Expected an RFC 3339 start time' });
      if (entry.occurence !== undefined)
        ctx.addIssue({ code: 'custom', path: ['occurence'], message: 'occurence applies to Daily only' });
      return;
    }
    if (secondsOfDay(entry.start) === undefined)
      ctx.addIssue({ code: 'custom', path: ['start'], message: 'Expected a time of day such as PT14H30M' });
    if (entry.duration === undefined)
      ctx.addIssue({ code: 'custom', path: ['duration'], message: 'duration is mandatory when Daily' });
  });
export type PsaV4TimeTriggerEntry = z.infer<typeof psaV4TimeTriggerEntrySchema>;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Spec `TimeTrigger`. The spec's `timeZone` pattern is broken (`\w?/\w?`); an IANA zone name is checked instead. */
export const psaV4TimeTriggerSchema = z.object({
  times: z.array(psaV4TimeTriggerEntrySchema).min(1),
  /** Defaults to `Europe/Paris`. */
  timeZone: z.string().refine(isTimeZone, { message: 'Expected an IANA time zone' }).optional(),
});
export type PsaV4TimeTrigger = z.infer<typeof psaV4TimeTriggerSchema>;

/**
 * A trigger name. The spec's pattern is `"[a-zA-Z]+[.-_]?[0-9]*"`, quotes included by mistake and with `[.-_]`
 * read as a range; the intent (letters, an optional `.`, `-` or `_`, digits) is what is checked.
 */
const TRIGGER_NAME = /^[a-zA-Z]+[._-]?[0-9]*$/;

/** Spec `MonitorTrigger`: a unique name and exactly one of zone, time, data. */
export const psaV4MonitorTriggerSchema = z
  .object({
    name: z.string().regex(TRIGGER_NAME, { message: 'Expected letters, an optional . - or _, then digits' }),
    zone: psaV4ZoneTriggerSchema.optional(),
    time: psaV4TimeTriggerSchema.optional(),
    data: psaV4DataTriggerSchema.optional(),
  })
  .refine(
    (trigger) => [trigger.zone, trigger.time, trigger.data].filter((t) => t !== undefined).length === 1,
    {
      message: 'Expected exactly one of zone, time, data',
    },
  );
export type PsaV4MonitorTrigger = z.infer<typeof psaV4MonitorTriggerSchema>;

// ——— Boolean expression over trigger names ———

type BoolExp =
  | { kind: 'name'; name: string }
  | { kind: 'not'; operand: BoolExp }
  | { kind: 'and' | 'or'; left: BoolExp; right: BoolExp };

const BOOL_TOKEN = /\s*(?:([&|!()])|([a-zA-Z]+[._-]?[0-9]*))/y;

function tokenize(text: string): string[] | undefined {
  const source = text.trim();
  const tokens: string[] = [];
  BOOL_TOKEN.lastIndex = 0;
  while (BOOL_TOKEN.lastIndex < source.length) {
    const match = BOOL_TOKEN.exec(source);
    if (!match) return undefined;
    tokens.push(match[1] ?? match[2] ?? '');
  }
  return tokens;
}

/**
 * Parses the spec grammar `exp ::= exp '&' exp | exp '|' exp | (exp) | !exp` over trigger names. The spec
 * states no precedence; the usual one (`!` over `&` over `|`) is assumed [infer].
 */
function parseBoolExp(text: string): BoolExp | undefined {
  const tokens = tokenize(text);
  if (tokens === undefined || tokens.length === 0) return undefined;
  let at = 0;
  const peek = () => tokens[at];
  function binary(kind: 'and' | 'or', symbol: string, next: () => BoolExp | undefined) {
    let left = next();
    while (left !== undefined && peek() === symbol) {
      at += 1;
      const right = next();
      left = right === undefined ? undefined : { kind, left, right };
    }
    return left;
  }
  function unary(): BoolExp | undefined {
    const token = peek();
    at += 1;
    if (token === '!') {
      const operand = unary();
      return operand === undefined ? undefined : { kind: 'not', operand };
    }
    if (token === '(') {
      const inner = or();
      if (peek() !== ')') return undefined;
      at += 1;
      return inner;
    }
    return token !== undefined && /^[a-zA-Z]/.test(token) ? { kind: 'name', name: token } : undefined;
  }
  const and = () => binary('and', '&', unary);
  const or = (): BoolExp | undefined => binary('or', '|', and);
  const tree = or();
  return at === tokens.length ? tree : undefined;
}

function namesOf(exp: BoolExp, into = new Set<string>()): Set<string> {
  if (exp.kind === 'name') into.add(exp.name);
  else if (exp.kind === 'not') namesOf(exp.operand, into);
  else {
    namesOf(exp.left, into);
    namesOf(exp.right, into);
  }
  return into;
}

function evaluate(exp: BoolExp, truth: ReadonlyMap<string, boolean>): boolean {
  switch (exp.kind) {
    case 'name':
      return truth.get(exp.name) === true;
    case 'not':
      return !evaluate(exp.operand, truth);
    case 'and':
      return evaluate(exp.left, truth) && evaluate(exp.right, truth);
    case 'or':
      return evaluate(exp.left, truth) || evaluate(exp.right, truth);
  }
}

/** "Always true or always false expressions are prohibited": try every assignment (≤ 5 names, 32 rows). */
function isConstant(exp: BoolExp, names: string[]): boolean {
  const outcomes = new Set<boolean>();
  for (let row = 0; row < 2 ** names.length; row += 1) {
    const truth = new Map(names.map((name, bit) => [name, ((row >> bit) & 1) === 1]));
    outcomes.add(evaluate(exp, truth));
  }
  return outcomes.size === 1;
}

/** Spec `MonitorParameter.triggerParam`: 1 to 5 triggers combined by `boolExp`. */
export const psaV4TriggerParamSchema = z
  .object({
    triggers: z.array(psaV4MonitorTriggerSchema).min(1).max(5),
    /** E.g. `(z1 & t1) | (z2 & !t1)`; its operands must be the names of the triggers. */
    boolExp: z.string(),
  })
  .superRefine((param, ctx) => {
    const names = param.triggers.map((trigger) => trigger.name);
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index)
        ctx.addIssue({
          code: 'custom',
          path: ['triggers', index, 'name'],
          message: `Duplicate trigger ${name}`,
        });
    });
    const tree = parseBoolExp(param.boolExp);
    if (tree === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['boolExp'],
        message: 'Not a boolean expression over trigger names',
      });
      return;
    }
    const used = [...namesOf(tree)];
    const unknown = used.filter((name) => !names.includes(name));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['boolExp'],
        message: `Unknown trigger(s): ${unknown.join(', ')}`,
      });
    } else if (isConstant(tree, used)) {
      ctx.addIssue({
        code: 'custom',
        path: ['boolExp'],
        message: 'The expression is always true or always false',
      });
    }
  });
export type PsaV4TriggerParam = z.infer<typeof psaV4TriggerParamSchema>;

// ——— Monitors ———

/** Telemetry types a `vehicle.telemetry.<type>` extension may narrow to (spec `TelemetryEnum`). */
export const PSA_V4_TELEMETRY_TYPES = [
  'environment',
  'privacy',
  'vehicle',
  'vehicle.adas',
  'vehicle.battery',
  'vehicle.doorsState',
  'vehicle.energies',
  'vehicle.engines',
  'vehicle.ignition',
  'vehicle.lightingSystem',
  'vehicle.safety',
  'vehicle.transmission',
  'vehicle.alarm.status',
  'vehicle.alarm.trigger',
  'vehicle.wipingBlades',
] as const;

/** The telemetry extension, whole or narrowed to one type (`vehicle.telemetry.<TelemetryEnum>`). */
export const PSA_V4_TELEMETRY_EXTENSIONS = [
  'vehicle.telemetry',
  ...PSA_V4_TELEMETRY_TYPES.map((type) => `vehicle.telemetry.${type}` as const),
] as const;
export const psaV4TelemetryExtensionSchema = z.enum(PSA_V4_TELEMETRY_EXTENSIONS);
export type PsaV4TelemetryExtension = z.infer<typeof psaV4TelemetryExtensionSchema>;

/**
 * Extra data attached to each event (spec `extendedEventParam`): the 8 listed values plus
 * `vehicle.telemetry.<TelemetryEnum>`, which the spec's table allows ("can be selected several times").
 */
export const PSA_V4_EVENT_EXTENSIONS = [
  'vehicle.doorsState',
  'vehicle.status',
  'vehicle.maintenance',
  'vehicle.position',
  'vehicle.alerts',
  'vehicle.alarm',
  'vehicle.trip',
  ...PSA_V4_TELEMETRY_EXTENSIONS,
] as const;
export const psaV4EventExtensionSchema = z.enum(PSA_V4_EVENT_EXTENSIONS);
export type PsaV4EventExtension = z.infer<typeof psaV4EventExtensionSchema>;

/** Spec `MonitorCallbackSubscribe`: "at least one of the parameters must be provided". */
export const psaV4MonitorSubscribeParamSchema = z
  .object({
    /** Seconds between reminder events while the trigger stays true; at least 60. */
    refreshEvent: z.int().min(60).optional(),
    callbackAttributes: psaV4CallbackAttributesSchema.optional(),
  })
  .refine((param) => param.refreshEvent !== undefined || param.callbackAttributes !== undefined, {
    message: 'Expected refreshEvent or callbackAttributes',
  });
export type PsaV4MonitorSubscribeParam = z.infer<typeof psaV4MonitorSubscribeParamSchema>;

/**
 * Spec `MonitorParameter`: the body of POST …/monitors and PUT …/monitors/{mid} (complete), echoed as
 * `Monitor.monitor`. At most 5 monitors per vehicle, client and user (spec introduction).
 */
export const psaV4MonitorParameterSchema = z.object({
  label: z.string().min(1),
  subscribeParam: psaV4MonitorSubscribeParamSchema.optional(),
  attributes: z.array(psaV4MonitorAttributeSchema).optional(),
  extendedEventParam: z.array(psaV4EventExtensionSchema).optional(),
  triggerParam: psaV4TriggerParamSchema,
});
export type PsaV4MonitorParameter = z.infer<typeof psaV4MonitorParameterSchema>;

/** Spec `MonitorStatus`. */
export const psaV4MonitorStatusSchema = z.enum(['Running', 'Paused', 'Failed']);
export type PsaV4MonitorStatus = z.infer<typeof psaV4MonitorStatusSchema>;

/** Spec `MonitorStatusSetter`: body of PUT …/monitors/{mid}/status. */
export const psaV4MonitorStatusSetterSchema = z.object({ status: z.enum(['Running', 'Paused']) });
export type PsaV4MonitorStatusSetter = z.infer<typeof psaV4MonitorStatusSetterSchema>;

/** Spec `MonitorRef`: the 202 answer to POST/PUT …/monitors[/{mid}] and …/status. */
export const psaV4MonitorRefSchema = z.object({
  createdAt: psaV4DateTimeSchema,
  updatedAt: psaV4DateTimeSchema,
  _links: z.object({ monitor: psaV4LinkSchema.optional() }).optional(),
  monitorId: z.string().min(1),
  status: psaV4MonitorStatusSchema,
});
export type PsaV4MonitorRef = z.infer<typeof psaV4MonitorRefSchema>;

/** Spec `Monitor`: GET …/monitors/{mid}; every field is required. */
export const psaV4MonitorSchema = z.object({
  createdAt: psaV4DateTimeSchema,
  updatedAt: psaV4DateTimeSchema,
  _links: z.object({ self: psaV4LinkSchema }),
  monitorId: z.string().min(1),
  monitor: psaV4MonitorParameterSchema,
  status: psaV4MonitorStatusSchema,
});
export type PsaV4Monitor = z.infer<typeof psaV4MonitorSchema>;

/** Spec `Monitors`: GET …/callbacks/{cbid}/monitors (`_embedded.monitors`). */
export const psaV4MonitorsSchema = psaV4CollectionSchema('monitors', psaV4MonitorSchema);
export type PsaV4Monitors = z.infer<typeof psaV4MonitorsSchema>;
