import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { deleteAt, failedPaths, fixturesIn, type Json, type Key, parseOk, setAt } from '../schema-test-kit';
import {
  PSA_V4_WEBHOOK_BATCH_MAX,
  type PsaV4WebhookDelivery,
  type PsaV4WebhookMessage,
  psaV4CallbackRefSchema,
  psaV4CallbackStatusSetterSchema,
  psaV4CallbackSubscribeSchema,
  psaV4MonitorParameterSchema,
  psaV4MonitorRefSchema,
  psaV4MonitorSchema,
  psaV4MonitorStatusSetterSchema,
  psaV4MonitorsSchema,
  psaV4UserCallbackSchema,
  psaV4UserCallbacksSchema,
  psaV4WebhookDeliverySchema,
  psaV4WebhookMessageSchema,
} from './schema';

// Fixtures `callbacks-*` and `webhook-*` in __fixtures__ were typed by hand:
// - callbacks-subscribe, callbacks-monitor-parameter: the 4.17 spec's `example:` values (Webhook target, name
//   and `$vin` header; ZoneTrigger; TimeTriggerEntry with the `week` example; DataTrigger level > "75"), put
//   in the spec's schema shapes, plus a shared-secret header as Kinetic will send.
// - callbacks-monitor-trip, callbacks-monitor(s), callbacks-ref, callbacks-user-callback(s), callbacks-monitor-ref:
//   written from the field lists of `MonitorParameter`, `Monitor`, `Monitors`, `CallbackRef`, `UserCallback`,
//   `UserCallbacks`, `MonitorRef` so that every field and channel appears (monitor id from the portal page).
// - webhook-monitor: the template example of vehicle-apis.md §4.2 with its "…" ids filled in and its empty
//   `status` replaced by a minimal Status; webhook-trip-stop, webhook-alert, webhook-remote, webhook-batch:
//   written from the template's `Message`, `MonitorEvent`, `RemoteEvent` fields and enums.

const { fixture, fixtureArray } = fixturesIn(new URL('./__fixtures__/', import.meta.url));

const trigger = (index: number, ...rest: Key[]): Key[] => ['triggerParam', 'triggers', index, ...rest];

/** The trip monitor with its triggers replaced. */
function monitorWith(triggers: unknown[], boolExp: string): Json {
  const monitor = fixture('callbacks-monitor-trip');
  setAt(monitor, ['triggerParam', 'triggers'], triggers);
  return setAt(monitor, ['triggerParam', 'boolExp'], boolExp);
}

describe('PSA v4 callback and monitor schemas accept the hand-typed fixtures', () => {
  it.each<[string, z.ZodType]>([
    ['callbacks-subscribe', psaV4CallbackSubscribeSchema],
    ['callbacks-ref', psaV4CallbackRefSchema],
    ['callbacks-user-callback', psaV4UserCallbackSchema],
    ['callbacks-user-callbacks', psaV4UserCallbacksSchema],
    ['callbacks-monitor-parameter', psaV4MonitorParameterSchema],
    ['callbacks-monitor-trip', psaV4MonitorParameterSchema],
    ['callbacks-monitor-ref', psaV4MonitorRefSchema],
    ['callbacks-monitor', psaV4MonitorSchema],
    ['callbacks-monitors', psaV4MonitorsSchema],
  ])('%s', (name, schema) => {
    expect(failedPaths(schema, fixture(name))).toEqual([]);
  });

  it('keeps what the adapter reads', () => {
    const subscribe = parseOk(psaV4CallbackSubscribeSchema, fixture('callbacks-subscribe'));
    expect(subscribe.callback.webhook?.attributes?.[0]).toEqual({
      type: 'Header',
      key: 'X-Vehicle_Id',
      value: '$vin',
    });
    const callbacks = parseOk(psaV4UserCallbacksSchema, fixture('callbacks-user-callbacks'));
    expect(callbacks._embedded.callbacks?.map((callback) => callback.status)).toEqual([
      'Running',
      'Paused',
      'Failed',
    ]);
    expect(callbacks._embedded.callbacks?.[2]?.subscribe.callback.pushnotif?.devices).toEqual([
      'fcm-token-1',
    ]);
    const monitor = parseOk(psaV4MonitorParameterSchema, fixture('callbacks-monitor-parameter'));
    expect(monitor.triggerParam.triggers.map((t) => t.name)).toEqual([
      'outOfParis',
      'onMonday',
      'battery_75',
    ]);
    expect(monitor.triggerParam.triggers[0]?.zone?.place).toEqual({
      radius: 20,
      center: { longitude: 2.333333, latitude: 48.866667 },
    });
    expect(parseOk(psaV4CallbackRefSchema, fixture('callbacks-ref')).callbackId).toBe('5f3c9a7e0d');
    expect(parseOk(psaV4MonitorsSchema, fixture('callbacks-monitors'))._embedded.monitors?.[1]?.status).toBe(
      'Failed',
    );
  });

  it('status setters take Running or Paused only', () => {
    for (const schema of [psaV4CallbackStatusSetterSchema, psaV4MonitorStatusSetterSchema]) {
      expect(failedPaths(schema, { status: 'Running' })).toEqual([]);
      expect(failedPaths(schema, { status: 'Paused' })).toEqual([]);
      expect(failedPaths(schema, { status: 'Failed' })).toEqual(['status']);
      expect(failedPaths(schema, {})).toEqual(['status']);
    }
  });
});

describe('PSA v4 CallbackSubscribe refuses malformed bodies', () => {
  it.each<[string, Key[], unknown]>([
    ['two channels', ['callback', 'websocket'], { target: 'wss://ws.example.com' }],
    ['a target that is no URL', ['callback', 'webhook', 'target'], 'my.post.callback'],
    ['an ftp target', ['callback', 'webhook', 'target'], 'ftp://my.post.callback'],
    ['a Header key with a space', ['callback', 'webhook', 'attributes', 0, 'key'], 'X Vehicle'],
    ['a Header key with a colon', ['callback', 'webhook', 'attributes', 1, 'key'], 'x-secret:'],
    ['an unknown attribute type', ['callback', 'webhook', 'attributes', 2, 'type'], 'Cookie'],
    ['an attribute value as a number', ['callback', 'webhook', 'attributes', 3, 'value'], 3],
    ['an unknown callback type', ['type', 0], 'Alarm'],
  ])('%s', (_name, path, value) => {
    const body = setAt(fixture('callbacks-subscribe'), path, value);
    const expected = path[1] === 'websocket' ? 'callback' : path.join('.');
    expect(failedPaths(psaV4CallbackSubscribeSchema, body)).toEqual([expected]);
  });

  it.each<[string, Key[]]>([
    ['callback', ['callback']],
    ['webhook name', ['callback', 'webhook', 'name']],
    ['webhook target', ['callback', 'webhook', 'target']],
    ['attribute key', ['callback', 'webhook', 'attributes', 0, 'key']],
    ['attribute type', ['callback', 'webhook', 'attributes', 0, 'type']],
  ])('missing %s', (_name, path) => {
    expect(failedPaths(psaV4CallbackSubscribeSchema, deleteAt(fixture('callbacks-subscribe'), path))).toEqual(
      [path.join('.')],
    );
  });

  it('no channel at all, an empty device list, a websocket on https', () => {
    expect(failedPaths(psaV4CallbackSubscribeSchema, { callback: {} })).toEqual(['callback']);
    expect(failedPaths(psaV4CallbackSubscribeSchema, { callback: { pushnotif: { devices: [] } } })).toEqual([
      'callback.pushnotif.devices',
    ]);
    const https = { callback: { websocket: { target: 'https://ws.example.com' } } };
    expect(failedPaths(psaV4CallbackSubscribeSchema, https)).toEqual(['callback.websocket.target']);
    const ws = {
      callback: { websocket: { target: 'wss://ws.example.com', attributes: [{ key: 'a', value: 'b' }] } },
    };
    expect(failedPaths(psaV4CallbackSubscribeSchema, ws)).toEqual([]);
  });
});

describe('PSA v4 callback responses refuse malformed bodies', () => {
  it('CallbackRef without its id or with an unknown status', () => {
    expect(failedPaths(psaV4CallbackRefSchema, deleteAt(fixture('callbacks-ref'), ['callbackId']))).toEqual([
      'callbackId',
    ]);
    expect(
      failedPaths(psaV4CallbackRefSchema, setAt(fixture('callbacks-ref'), ['status'], 'Created')),
    ).toEqual(['status']);
    expect(failedPaths(psaV4CallbackRefSchema, { callbackId: 'x' })).toEqual([]);
  });

  it.each<[string, Key[]]>([
    ['id', ['id']],
    ['status', ['status']],
    ['subscribe', ['subscribe']],
    ['self link', ['_links', 'self']],
  ])('UserCallback without %s', (_name, path) => {
    expect(failedPaths(psaV4UserCallbackSchema, deleteAt(fixture('callbacks-user-callback'), path))).toEqual([
      path.join('.'),
    ]);
  });

  it('UserCallbacks with a bad item or no envelope counters', () => {
    const status = ['_embedded', 'callbacks', 1, 'status'];
    expect(
      failedPaths(psaV4UserCallbacksSchema, setAt(fixture('callbacks-user-callbacks'), status, 'Stopped')),
    ).toEqual([status.join('.')]);
    expect(
      failedPaths(psaV4UserCallbacksSchema, deleteAt(fixture('callbacks-user-callbacks'), ['total'])),
    ).toEqual(['total']);
  });
});

describe('PSA v4 MonitorParameter triggers', () => {
  it.each<[string, Key[], unknown]>([
    [
      'a zone and a data trigger at once',
      trigger(0, 'data'),
      { data: 'vehicle.odometer', op: 'greaterThan', value: ['1'] },
    ],
    ['a radius of 0 km', trigger(0, 'zone', 'place', 'radius'), 0],
    ['a fractional radius', trigger(0, 'zone', 'place', 'radius'), 2.5],
    ['a centre latitude beyond 90°', trigger(0, 'zone', 'place', 'center', 'latitude'), 91],
    ['an unknown transition', trigger(0, 'zone', 'transition'), 'Inside'],
    ['a Daily start that is a clock time', trigger(1, 'time', 'times', 0, 'start'), '14:30'],
    ['a Daily start of 24 h', trigger(1, 'time', 'times', 0, 'start'), 'PT24H'],
    ['a Daily start with days', trigger(1, 'time', 'times', 0, 'start'), 'P1DT2H'],
    ['a duration that is not ISO 8601', trigger(1, 'time', 'times', 0, 'duration'), '4h30'],
    ['a full week-day name', trigger(1, 'time', 'times', 0, 'occurence', 'day', 0), 'Monday'],
    ['week 53', trigger(1, 'time', 'times', 0, 'occurence', 'week', 1), 'w53'],
    ['a reversed week range', trigger(1, 'time', 'times', 0, 'occurence', 'week', 0), 'w25-w1'],
    ['a time zone that is no IANA name', trigger(1, 'time', 'timeZone'), 'Paris'],
    ['no time entry', trigger(1, 'time', 'times'), []],
    ['an operator the data does not take', trigger(2, 'data', 'op'), 'onChange'],
    ['an unknown data operand', trigger(2, 'data', 'data'), 'vehicle.energy.level'],
    ['a level with a unit', trigger(2, 'data', 'value', 0), '75%'],
    ['a fractional level (an Integer operand)', trigger(2, 'data', 'value', 0), '75.5'],
  ])('refuse %s', (_name, path, value) => {
    const body = setAt(fixture('callbacks-monitor-parameter'), path, value);
    const expected = path.at(-1) === 'data' && typeof value === 'object' ? trigger(0) : path;
    expect(failedPaths(psaV4MonitorParameterSchema, body)).toEqual([expected.join('.')]);
  });

  it.each([
    ['a name starting with a digit', '1outOfParis'],
    ['a name with a space', 'out of Paris'],
    ['a name in quotes, as the spec pattern literally reads', '"outOfParis"'],
    ['a name with two separators', 'out-of-Paris'],
  ])('refuse %s (and boolExp, which no longer names a trigger)', (_name, name) => {
    const body = setAt(fixture('callbacks-monitor-parameter'), trigger(0, 'name'), name);
    expect(failedPaths(psaV4MonitorParameterSchema, body)).toEqual([
      trigger(0, 'name').join('.'),
      'triggerParam.boolExp',
    ]);
  });

  it('accept week 6, which the spec pattern would refuse but its text allows', () => {
    const body = setAt(
      fixture('callbacks-monitor-parameter'),
      trigger(1, 'time', 'times', 0, 'occurence', 'week', 1),
      'w6',
    );
    expect(failedPaths(psaV4MonitorParameterSchema, body)).toEqual([]);
  });

  it('a Daily entry needs a duration; a None entry needs an absolute start and no occurence', () => {
    const daily = deleteAt(
      fixture('callbacks-monitor-parameter'),
      trigger(1, 'time', 'times', 0, 'duration'),
    );
    expect(failedPaths(psaV4MonitorParameterSchema, daily)).toEqual([
      trigger(1, 'time', 'times', 0, 'duration').join('.'),
    ]);
    const defaultDaily = deleteAt(
      deleteAt(fixture('callbacks-monitor-parameter'), trigger(1, 'time', 'times', 0, 'recurrence')),
      trigger(1, 'time', 'times', 0, 'duration'),
    );
    expect(failedPaths(psaV4MonitorParameterSchema, defaultDaily)).toEqual([
      trigger(1, 'time', 'times', 0, 'duration').join('.'),
    ]);
    const relative = setAt(
      fixture('callbacks-monitor-trip'),
      trigger(2, 'time', 'times', 0, 'start'),
      'PT8H',
    );
    expect(failedPaths(psaV4MonitorParameterSchema, relative)).toEqual([
      trigger(2, 'time', 'times', 0, 'start').join('.'),
    ]);
    const withDays = setAt(fixture('callbacks-monitor-trip'), trigger(2, 'time', 'times', 0, 'occurence'), {
      day: ['Mon'],
    });
    expect(failedPaths(psaV4MonitorParameterSchema, withDays)).toEqual([
      trigger(2, 'time', 'times', 0, 'occurence').join('.'),
    ]);
    const openEnded = deleteAt(fixture('callbacks-monitor-trip'), trigger(2, 'time', 'times', 0, 'duration'));
    expect(failedPaths(psaV4MonitorParameterSchema, openEnded)).toEqual([]);
  });

  it('exactly one of zone, time, data', () => {
    const none = monitorWith([{ name: 'empty' }], 'empty');
    expect(failedPaths(psaV4MonitorParameterSchema, none)).toEqual([trigger(0).join('.')]);
  });

  it('value arity per operator', () => {
    const cases: [unknown, string[]][] = [
      [
        { data: 'vehicle.kinetic.speed', op: 'greaterThan', value: ['130', '150'] },
        [trigger(0, 'data', 'value').join('.')],
      ],
      [{ data: 'vehicle.kinetic.speed', op: 'greaterThan' }, [trigger(0, 'data', 'value').join('.')]],
      [
        { data: 'vehicle.trip.stop', op: 'onChange', value: ['7788'] },
        [trigger(0, 'data', 'value').join('.')],
      ],
      [{ data: 'vehicle.trip.state', op: 'includedIn', value: [] }, [trigger(0, 'data', 'value').join('.')]],
      [{ data: 'vehicle.trip.state', op: 'includedIn', value: ['Unfinished', 'DataLacking'] }, []],
      [{ data: 'vehicle.kinetic.speed', op: 'greaterThan', value: ['130.5'] }, []],
      [{ data: 'environment.air.temp', op: 'lowerThan', value: ['-5'] }, []],
    ];
    for (const [data, expected] of cases) {
      expect(failedPaths(psaV4MonitorParameterSchema, monitorWith([{ name: 't', data }], 't'))).toEqual(
        expected,
      );
    }
  });

  it('value forms: booleans, enums, alert names', () => {
    const value = trigger(0, 'data', 'value', 0).join('.');
    const cases: [unknown, string[]][] = [
      [{ data: 'vehicle.kinetic.moving', op: 'equalsTo', value: ['yes'] }, [value]],
      [{ data: 'vehicle.kinetic.moving', op: 'equalsTo', value: ['false'] }, []],
      [{ data: 'vehicle.trip.state', op: 'includedIn', value: ['Done'] }, [value]],
      [{ data: 'vehicle.energy.charging.status', op: 'equalsTo', value: ['Charging'] }, [value]],
      [{ data: 'vehicle.energy.charging.status', op: 'equalsTo', value: ['InProgress'] }, []],
      [
        { data: 'vehicle.alert', op: 'includedIn', value: ['FuelLevelLow', 'NoSuchAlert'] },
        [trigger(0, 'data', 'value', 1).join('.')],
      ],
      [{ data: 'privacy.state', op: 'equalsTo', value: ['Partial'] }, [value]],
      [{ data: 'vehicle.alarm.status.activation', op: 'equalsTo', value: ['Active'] }, []],
    ];
    for (const [data, expected] of cases) {
      expect(failedPaths(psaV4MonitorParameterSchema, monitorWith([{ name: 't', data }], 't'))).toEqual(
        expected,
      );
    }
  });

  it('previous states: only for the listed data, with their operators and arity', () => {
    const previous = trigger(1, 'data', 'previous');
    const odometer = setAt(fixture('callbacks-monitor-trip'), trigger(1, 'data'), {
      data: 'vehicle.odometer',
      op: 'greaterThan',
      value: ['10000'],
      previous: { value: ['9000'], op: 'equalsTo' },
    });
    expect(failedPaths(psaV4MonitorParameterSchema, odometer)).toEqual([previous.join('.')]);
    const includedIn = setAt(fixture('callbacks-monitor-trip'), [...previous, 'op'], 'includedIn');
    expect(failedPaths(psaV4MonitorParameterSchema, includedIn)).toEqual([[...previous, 'op'].join('.')]);
    const twoValues = setAt(fixture('callbacks-monitor-trip'), [...previous, 'value'], ['false', 'true']);
    expect(failedPaths(psaV4MonitorParameterSchema, twoValues)).toEqual([[...previous, 'value'].join('.')]);
    const notBoolean = setAt(fixture('callbacks-monitor-trip'), [...previous, 'value', 0], 'unplugged');
    expect(failedPaths(psaV4MonitorParameterSchema, notBoolean)).toEqual([
      [...previous, 'value', 0].join('.'),
    ]);
    const noValue = deleteAt(fixture('callbacks-monitor-trip'), [...previous, 'value']);
    expect(failedPaths(psaV4MonitorParameterSchema, noValue)).toEqual([[...previous, 'value'].join('.')]);
  });

  it('1 to 5 triggers with unique names', () => {
    const stop = (name: string) => ({ name, data: { data: 'vehicle.trip.stop', op: 'onChange' } });
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map(stop);
    expect(failedPaths(psaV4MonitorParameterSchema, monitorWith(six, 'a | b'))).toEqual([
      'triggerParam.triggers',
    ]);
    const five = six.slice(0, 5);
    expect(failedPaths(psaV4MonitorParameterSchema, monitorWith(five, 'a | b | c | d | e'))).toEqual([]);
    expect(failedPaths(psaV4MonitorParameterSchema, monitorWith([], 'a'))).toEqual([
      'triggerParam.triggers',
      'triggerParam.boolExp',
    ]);
    const twins = [stop('a'), stop('a')];
    expect(failedPaths(psaV4MonitorParameterSchema, monitorWith(twins, 'a'))).toEqual([
      trigger(1, 'name').join('.'),
    ]);
  });
});

describe('PSA v4 MonitorParameter boolean expression', () => {
  const triggers = [
    {
      name: 'z1',
      zone: { transition: 'In', place: { radius: 5, center: { longitude: 2.35, latitude: 48.85 } } },
    },
    { name: 't1', time: { times: [{ start: 'PT8H', duration: 'PT12H' }] } },
    { name: 'o-1', data: { data: 'vehicle.odometer', op: 'greaterThan', value: ['20000'] } },
  ];

  it.each([
    ['a single name', 'z1'],
    ['the grammar operators', '(z1 & t1) | (!z1 & o-1)'],
    ['nested negation and spacing', ' ! ( !z1 ) &t1 '],
    ['a name with a separator', 'o-1'],
  ])('accept %s', (_name, boolExp) => {
    expect(failedPaths(psaV4MonitorParameterSchema, monitorWith(triggers, boolExp))).toEqual([]);
  });

  it.each([
    ['an empty expression', ''],
    ['an unbalanced parenthesis (the portal example)', '((z1 & (o-1 | t1)'],
    ['a dangling operator', 'z1 &'],
    ['two names side by side', 'z1 t1'],
    ['a word operator', 'z1 AND t1'],
    ['a name that is no trigger', 'z1 & z2'],
    ['an always-true expression', 'z1 | !z1'],
    ['an always-false expression', '(z1 & t1) & !t1'],
    ['a tautology over two names', '(z1 & t1) | !z1 | !t1'],
  ])('refuse %s', (_name, boolExp) => {
    expect(failedPaths(psaV4MonitorParameterSchema, monitorWith(triggers, boolExp))).toEqual([
      'triggerParam.boolExp',
    ]);
  });
});

describe('PSA v4 MonitorParameter envelope', () => {
  it.each<[string, Key[], unknown]>([
    ['a refresh period under 60 s', ['subscribeParam', 'refreshEvent'], 30],
    ['a fractional refresh period', ['subscribeParam', 'refreshEvent'], 90.5],
    ['an empty subscribeParam', ['subscribeParam'], {}],
    [
      'callback attributes for two channels',
      ['subscribeParam', 'callbackAttributes', 'websocket'],
      [{ key: 'a', value: 'b' }],
    ],
    ['a Query monitor attribute (Header or Body only)', ['attributes', 0, 'type'], 'Query'],
    ['an unknown extension', ['extendedEventParam', 1], 'vehicle.location'],
    [
      'a telemetry type that is not in TelemetryEnum',
      ['extendedEventParam', 0],
      'vehicle.telemetry.vehicle.kinetic',
    ],
    ['an empty label', ['label'], ''],
  ])('refuse %s', (_name, path, value) => {
    const body = setAt(fixture('callbacks-monitor-parameter'), path, value);
    const expected = path[1] === 'callbackAttributes' ? 'subscribeParam.callbackAttributes' : path.join('.');
    expect(failedPaths(psaV4MonitorParameterSchema, body)).toEqual([expected]);
  });

  it.each<[string, Key[]]>([
    ['label', ['label']],
    ['triggerParam', ['triggerParam']],
    ['boolExp', ['triggerParam', 'boolExp']],
    ['trigger name', trigger(0, 'name')],
    ['zone transition', trigger(0, 'zone', 'transition')],
    ['zone centre', trigger(0, 'zone', 'place', 'center')],
    ['time entry start', trigger(1, 'time', 'times', 0, 'start')],
    ['data operator', trigger(2, 'data', 'op')],
  ])('refuse a missing %s', (_name, path) => {
    const body = deleteAt(fixture('callbacks-monitor-parameter'), path);
    expect(failedPaths(psaV4MonitorParameterSchema, body)).toEqual([path.join('.')]);
  });

  it('accepts narrowed telemetry extensions and strips unknown fields', () => {
    const body = setAt(
      fixture('callbacks-monitor-parameter'),
      ['extendedEventParam', 1],
      'vehicle.telemetry.vehicle.alarm.trigger',
    );
    setAt(body, ['subscribeParam', 'retryPolicy'], { policy: 'Always' });
    const parsed = parseOk(psaV4MonitorParameterSchema, body);
    expect(parsed.extendedEventParam).toEqual(['vehicle.alerts', 'vehicle.telemetry.vehicle.alarm.trigger']);
    expect(parsed.subscribeParam).not.toHaveProperty('retryPolicy');
  });
});

describe('PSA v4 monitor responses', () => {
  it.each<[string, Key[]]>([
    ['monitorId', ['monitorId']],
    ['monitor', ['monitor']],
    ['createdAt', ['createdAt']],
    ['updatedAt', ['updatedAt']],
    ['self link', ['_links', 'self']],
    ['status', ['status']],
  ])('Monitor without %s', (_name, path) => {
    expect(failedPaths(psaV4MonitorSchema, deleteAt(fixture('callbacks-monitor'), path))).toEqual([
      path.join('.'),
    ]);
  });

  it('MonitorRef needs id, status and both dates; the portal page\'s "Created" status is not in the enum', () => {
    for (const field of ['monitorId', 'status', 'createdAt', 'updatedAt']) {
      expect(failedPaths(psaV4MonitorRefSchema, deleteAt(fixture('callbacks-monitor-ref'), [field]))).toEqual(
        [field],
      );
    }
    expect(
      failedPaths(psaV4MonitorRefSchema, setAt(fixture('callbacks-monitor-ref'), ['status'], 'Created')),
    ).toEqual(['status']);
    const withoutLinks = deleteAt(fixture('callbacks-monitor-ref'), ['_links']);
    expect(failedPaths(psaV4MonitorRefSchema, withoutLinks)).toEqual([]);
  });

  it('Monitors with a bad embedded monitor', () => {
    const boolExp = ['_embedded', 'monitors', 1, 'monitor', 'triggerParam', 'boolExp'];
    expect(
      failedPaths(psaV4MonitorsSchema, setAt(fixture('callbacks-monitors'), boolExp, 'fuelLow |')),
    ).toEqual([boolExp.join('.')]);
  });
});

describe('PSA v4 webhook messages', () => {
  it.each(['webhook-monitor', 'webhook-trip-stop', 'webhook-alert', 'webhook-remote'])(
    '%s parses',
    (name) => {
      expect(failedPaths(psaV4WebhookMessageSchema, fixture(name))).toEqual([]);
    },
  );

  it('the vehicle-apis.md §4.2 example: the value as text, its previous, the status extension', () => {
    const message = parseOk(psaV4WebhookMessageSchema, fixture('webhook-monitor'));
    if (message.type !== 'Monitor') throw new Error('Expected a monitor message');
    expect(message.monitorEvent.refresh).toBe(false);
    const [value] = message.monitorEvent.values ?? [];
    expect(value?.data).toBe('vehicle.energy.electric.level');
    expect(value?.value).toEqual({ type: 'string', body: { literalValue: '19' } });
    expect(value?.previous).toBe('21');
    const status = message.monitorEvent.extensions?.find((extension) => extension.type === 'vehicle.status');
    expect(status?.type === 'vehicle.status' && status.body[0]?.status.energies?.[0]?.level).toBe(19);
  });

  it('a trip stop with every kind of extension', () => {
    const message = parseOk(psaV4WebhookMessageSchema, fixture('webhook-trip-stop'));
    if (message.type !== 'Monitor') throw new Error('Expected a monitor message');
    const types = message.monitorEvent.extensions?.map((extension) => extension.type);
    expect(types).toEqual([
      'vehicle.trip',
      'vehicle.position',
      'vehicle.telemetry.vehicle.energies',
      'vehicle.doorsState',
      'vehicle.maintenance',
      'vehicle.alarm',
    ]);
    const trip = message.monitorEvent.extensions?.[0];
    expect(trip?.type === 'vehicle.trip' && trip.body[0]?.trip.id).toBe('7788');
  });

  it('alerts as objects, and a remote event', () => {
    const alert = parseOk(psaV4WebhookMessageSchema, fixture('webhook-alert'));
    if (alert.type !== 'Monitor') throw new Error('Expected a monitor message');
    const value = alert.monitorEvent.values?.[0]?.value;
    expect(value?.type === 'obj.alert' && value.body.objectValues[0]?.type).toBe('FuelLevelLow');
    const remote = parseOk(psaV4WebhookMessageSchema, fixture('webhook-remote'));
    expect(remote.type === 'Remote' && remote.remoteEvent.eventStatus).toEqual({
      type: 'Done',
      status: 'Success',
      feedbackDetail: 'CIDBlacklisted',
    });
  });

  it.each<[string, string, Key[], unknown]>([
    ['an unknown message type', 'webhook-monitor', ['type'], 'Alarm'],
    ['a date that is not RFC 3339', 'webhook-monitor', ['date'], '2024-01-06 17:22:22'],
    ['an attribute value as a number', 'webhook-monitor', ['attributes', 0, 'value'], 1],
    ['refresh as text', 'webhook-monitor', ['monitorEvent', 'refresh'], 'false'],
    [
      'an unknown data operand',
      'webhook-monitor',
      ['monitorEvent', 'values', 0, 'data'],
      'vehicle.energy.level',
    ],
    ['an unknown value type', 'webhook-monitor', ['monitorEvent', 'values', 0, 'value', 'type'], 'number'],
    [
      'a literal value as a number',
      'webhook-monitor',
      ['monitorEvent', 'values', 0, 'value', 'body', 'literalValue'],
      19,
    ],
    ['previous as a number', 'webhook-monitor', ['monitorEvent', 'values', 0, 'previous'], 21],
    [
      'an unknown extension type',
      'webhook-monitor',
      ['monitorEvent', 'extensions', 0, 'type'],
      'vehicle.location',
    ],
    [
      'an extension body that is an object',
      'webhook-monitor',
      ['monitorEvent', 'extensions', 1, 'body'],
      { alerts: [] },
    ],
    [
      'an alert object without id',
      'webhook-alert',
      ['monitorEvent', 'values', 0, 'value', 'body', 'objectValues', 0, 'id'],
      undefined,
    ],
    [
      'a Done event with a pending status',
      'webhook-remote',
      ['remoteEvent', 'eventStatus', 'status'],
      'Accepted',
    ],
    ['an unknown failure cause', 'webhook-remote', ['remoteEvent', 'eventStatus', 'failureCause'], 'Unknown'],
    ['an unknown remote type', 'webhook-remote', ['remoteEvent', 'remoteType'], 'Sunroof'],
    [
      'a trip extension whose trip lacks an id',
      'webhook-trip-stop',
      ['monitorEvent', 'extensions', 0, 'body', 0, 'trip', 'id'],
      undefined,
    ],
    [
      'a position with one coordinate',
      'webhook-trip-stop',
      ['monitorEvent', 'extensions', 1, 'body', 0, 'position', 'geometry', 'coordinates'],
      [2.3],
    ],
    [
      'maintenance with neither value',
      'webhook-trip-stop',
      ['monitorEvent', 'extensions', 4, 'body', 0, 'maintenance', 'daysBeforeMaintenance'],
      undefined,
    ],
  ])('refuse %s', (_name, name, path, value) => {
    const body = value === undefined ? deleteAt(fixture(name), path) : setAt(fixture(name), path, value);
    const expected = _name.startsWith('maintenance') ? path.slice(0, -1) : path;
    expect(failedPaths(psaV4WebhookMessageSchema, body)).toEqual([expected.join('.')]);
  });

  it.each<[string, string, Key[]]>([
    ['callbackId', 'webhook-monitor', ['callbackId']],
    ['date', 'webhook-monitor', ['date']],
    ['type', 'webhook-monitor', ['type']],
    ['monitorEvent of a Monitor message', 'webhook-monitor', ['monitorEvent']],
    ['monitorId', 'webhook-monitor', ['monitorEvent', 'monitorId']],
    ['data of a value', 'webhook-monitor', ['monitorEvent', 'values', 0, 'data']],
    [
      'literalValue of a string value',
      'webhook-monitor',
      ['monitorEvent', 'values', 0, 'value', 'body', 'literalValue'],
    ],
    ['attribute key', 'webhook-monitor', ['attributes', 0, 'key']],
    ['remoteEvent of a Remote message', 'webhook-remote', ['remoteEvent']],
    ['remoteActionId', 'webhook-remote', ['remoteEvent', 'remoteActionId']],
    ['eventStatus', 'webhook-remote', ['remoteEvent', 'eventStatus']],
  ])('refuse a missing %s', (_name, name, path) => {
    expect(failedPaths(psaV4WebhookMessageSchema, deleteAt(fixture(name), path))).toEqual([path.join('.')]);
  });

  it('an extension item without the key its type names', () => {
    const swapped = setAt(fixture('webhook-monitor'), ['monitorEvent', 'extensions', 0, 'body', 0], {
      alerts: [],
    });
    expect(failedPaths(psaV4WebhookMessageSchema, swapped)).toEqual([
      'monitorEvent.extensions.0.body.0.status',
    ]);
    const doors = ['monitorEvent', 'extensions', 3, 'body', 0];
    const noDoors = setAt(fixture('webhook-trip-stop'), doors, {});
    expect(failedPaths(psaV4WebhookMessageSchema, noDoors)).toEqual([doors.join('.')]);
    const modelSpelling = setAt(fixture('webhook-trip-stop'), doors, {
      doorsState: { createdAt: '2024-05-09T17:23:35Z', lockedStates: ['Unlocked'] },
    });
    expect(failedPaths(psaV4WebhookMessageSchema, modelSpelling)).toEqual([]);
  });

  it('a Remote message carrying a monitorEvent instead of its remoteEvent', () => {
    const message = fixture('webhook-remote');
    message.monitorEvent = (fixture('webhook-monitor') as { monitorEvent: unknown }).monitorEvent;
    delete message.remoteEvent;
    expect(failedPaths(psaV4WebhookMessageSchema, message)).toEqual(['remoteEvent']);
  });

  it('strips unknown fields, keeps only the event of its type', () => {
    const message = setAt(fixture('webhook-remote'), ['eventId'], 'e-1');
    setAt(message, ['monitorEvent'], { monitorId: 'stray' });
    setAt(message, ['remoteEvent', 'eventStatus', 'retries'], 2);
    const parsed = parseOk(psaV4WebhookMessageSchema, message);
    expect(parsed).not.toHaveProperty('eventId');
    expect(parsed).not.toHaveProperty('monitorEvent');
    expect(parsed.type === 'Remote' && parsed.remoteEvent.eventStatus).not.toHaveProperty('retries');
  });

  it('a message with only what is required', () => {
    const minimal = {
      callbackId: 'c',
      type: 'Monitor',
      date: '2024-05-10T06:12:00Z',
      monitorEvent: { monitorId: 'm' },
    };
    expect(failedPaths(psaV4WebhookMessageSchema, minimal)).toEqual([]);
  });
});

describe('PSA v4 webhook deliveries: one message or a batch', () => {
  it('a single message becomes a batch of one', () => {
    const message = fixture('webhook-remote');
    const delivery = parseOk(psaV4WebhookDeliverySchema, message);
    expect(delivery).toHaveLength(1);
    expect(delivery[0]).toEqual(parseOk(psaV4WebhookMessageSchema, fixture('webhook-remote')));
  });

  it('a batch keeps its order', () => {
    const batch = fixtureArray('webhook-batch');
    const delivery = parseOk(psaV4WebhookDeliverySchema, batch);
    expect(delivery.map((message) => message.date)).toEqual(batch.map((message) => message.date));
    expect(delivery.map((message) => message.type)).toEqual(['Monitor', 'Monitor', 'Remote', 'Remote']);
  });

  it('1 to 100 messages', () => {
    const message = fixture('webhook-remote');
    expect(PSA_V4_WEBHOOK_BATCH_MAX).toBe(100);
    expect(
      failedPaths(
        psaV4WebhookDeliverySchema,
        Array.from({ length: 100 }, () => message),
      ),
    ).toEqual([]);
    expect(
      failedPaths(
        psaV4WebhookDeliverySchema,
        Array.from({ length: 101 }, () => message),
      ),
    ).toEqual(['(root)']);
    expect(failedPaths(psaV4WebhookDeliverySchema, [])).toEqual(['(root)']);
  });

  it('names the bad message of a batch, and index 0 for a bad single message', () => {
    const batch = setAt(fixtureArray('webhook-batch'), [2, 'remoteEvent', 'eventStatus', 'type'], 'Started');
    expect(failedPaths(psaV4WebhookDeliverySchema, batch)).toEqual(['2.remoteEvent.eventStatus.type']);
    const single = deleteAt(fixture('webhook-monitor'), ['callbackId']);
    expect(failedPaths(psaV4WebhookDeliverySchema, single)).toEqual(['0.callbackId']);
    expect(failedPaths(psaV4WebhookDeliverySchema, 'not json')).toEqual(['0']);
  });

  it('types narrow on the message type', () => {
    expectTypeOf<PsaV4WebhookDelivery>().toEqualTypeOf<PsaV4WebhookMessage[]>();
    expectTypeOf<
      Extract<PsaV4WebhookMessage, { type: 'Remote' }>['remoteEvent']['remoteActionId']
    >().toEqualTypeOf<string>();
    expectTypeOf<
      Extract<PsaV4WebhookMessage, { type: 'Monitor' }>['monitorEvent']['monitorId']
    >().toEqualTypeOf<string>();
  });
});
