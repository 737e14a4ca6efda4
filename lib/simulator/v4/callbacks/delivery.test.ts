import { describe, expect, it } from 'vitest';
import { psaV4WebhookDeliverySchema } from '@/lib/vehicle-api/psa-v4/schema/webhook';
import { alertsBetween } from '../../fleet/alerts';
import type { SimVehicle } from '../../world/world';
import { rfc3339 } from '../hal';
import { TEST_NOW } from '../test-server';
import {
  callbackTestBedPerTest,
  demoCarOf,
  eventIdOfMessage,
  type ReceivedMessage,
  TRIP_START_STOP_TRIGGERS,
  tripsAhead,
} from './test-support';

// Monitor events delivered to a local webhook receiver over real HTTP, on a frozen clock the tests
// move. Expectations come from the simulated world (the car's timeline, its alerts) and from the
// v4 GET endpoints, never from the dispatcher itself.

const MINUTE = 60_000;
const DAY = 86_400_000;

const bed = callbackTestBedPerTest();

const demo = () => bed.server.credentialsFor(0);
const carOf = (powertrain: SimVehicle['powertrain']) => demoCarOf(bed.server, powertrain);
const tripsOf = (car: SimVehicle, days = 3) => tripsAhead(bed.server, car, days);

type MonitorBody = Record<string, unknown>;

async function subscribeMonitor(
  car: SimVehicle,
  path: string,
  monitor: MonitorBody,
  attributes: unknown[] = [{ type: 'Header', key: 'x-kinetic-secret', value: 's3cret' }],
) {
  const credentials = demo();
  const callback = await bed.server.api('/user/callbacks', credentials, {
    method: 'POST',
    body: {
      label: 'kinetic',
      callback: { webhook: { name: 'kinetic', target: bed.receiver.url(path), attributes } },
    },
  });
  expect(callback.status).toBe(200);
  const callbackId = String(callback.body?.callbackId);
  const created = await bed.server.api(
    `/user/vehicles/${car.id}/callbacks/${callbackId}/monitors`,
    credentials,
    {
      method: 'POST',
      body: monitor,
    },
  );
  expect(created.status).toBe(202);
  return { callbackId, monitorId: String(created.body?.monitorId) };
}

const tripMonitor: MonitorBody = {
  label: 'trips',
  triggerParam: TRIP_START_STOP_TRIGGERS,
  extendedEventParam: ['vehicle.trip', 'vehicle.position'],
};

const literalOf = (message: ReceivedMessage | undefined) =>
  message?.monitorEvent.values[0]?.value.body.literalValue;
const tripExtension = (message: ReceivedMessage | undefined) =>
  message?.monitorEvent.extensions.find((extension) => extension.type === 'vehicle.trip')?.body[0]?.trip as
    | Record<string, unknown>
    | undefined;

describe('webhook deliveries', () => {
  it("delivers a trip's start and its stop once each, with the subscriber's secret header", async () => {
    const car = carOf('electric');
    const [trip] = tripsOf(car);
    if (!trip) throw new Error('no trip in the window');
    const everything = [
      'vehicle.trip',
      'vehicle.position',
      'vehicle.status',
      'vehicle.doorsState',
      'vehicle.alarm',
      'vehicle.maintenance',
      'vehicle.alerts',
    ];
    const monitor = { ...tripMonitor, extendedEventParam: everything };
    const { callbackId, monitorId } = await subscribeMonitor(car, '/hooks/trips', monitor, [
      { type: 'Header', key: 'x-kinetic-secret', value: 's3cret' },
      { type: 'Query', key: 'source', value: 'sim' },
      { type: 'Body', key: 'vehicle', value: '$vin' },
    ]);

    await bed.server.advanceTo(trip.startMs - MINUTE);
    expect(bed.receiver.deliveries).toHaveLength(0);
    await bed.server.advanceTo(trip.startMs + MINUTE);
    expect(bed.receiver.deliveries).toHaveLength(1);
    const [first] = bed.receiver.deliveries;
    expect(first?.path).toBe('/hooks/trips');
    expect(first?.query.get('source')).toBe('sim');
    expect(first?.headers['x-kinetic-secret']).toBe('s3cret');
    expect(first?.headers['content-type']).toBe('application/json');
    expect(Array.isArray(first?.body)).toBe(false);
    const start = first?.body as ReceivedMessage;
    expect(start).toMatchObject({
      callbackId,
      type: 'Monitor',
      date: rfc3339(trip.startMs),
      monitorEvent: {
        monitorId,
        refresh: false,
        values: [{ data: 'vehicle.trip.start', value: { type: 'string', body: { literalValue: trip.id } } }],
      },
    });
    expect(start.attributes).toContainEqual({ key: 'vehicle', value: car.vin });
    expect(first?.headers['x-event-id']).toBe(eventIdOfMessage(start));
    expect(tripExtension(start)).toMatchObject({
      id: trip.id,
      startedAt: rfc3339(trip.startMs),
      done: false,
    });

    await bed.server.advanceTo(trip.endMs + MINUTE);
    await bed.server.advanceTo(trip.endMs + 10 * MINUTE);
    expect(bed.receiver.deliveries).toHaveLength(2);
    const stop = bed.receiver.deliveries[1]?.body as ReceivedMessage;
    expect(stop.monitorEvent.values).toEqual([
      { data: 'vehicle.trip.stop', value: { type: 'string', body: { literalValue: trip.id } } },
    ]);
    // The cloud learns of the stop at the car's key-off upload, seconds after the trip's end.
    const stopMs = Date.parse(stop.date);
    expect(stopMs).toBeGreaterThanOrEqual(trip.endMs);
    expect(stopMs).toBeLessThanOrEqual(trip.endMs + 15_000);
    expect(tripExtension(stop)).toMatchObject({ id: trip.id, stoppedAt: rfc3339(trip.endMs), done: true });
    // The position is the one GET …/lastPosition gave at that instant.
    bed.server.clock.set({ now: stopMs });
    const lastPosition = await bed.server.api(`/user/vehicles/${car.id}/lastPosition`, demo());
    const position = stop.monitorEvent.extensions.find((extension) => extension.type === 'vehicle.position');
    expect(position?.body).toEqual([{ position: lastPosition.body }]);

    const ids = bed.receiver.messages().map(eventIdOfMessage);
    expect(new Set(ids).size).toBe(2);
    expect(bed.receiver.deliveries[1]?.headers['x-kinetic-secret']).toBe('s3cret');
    expect(stop.monitorEvent.extensions.map((extension) => extension.type)).toEqual(everything);
    const status = stop.monitorEvent.extensions.find((extension) => extension.type === 'vehicle.status');
    expect(status?.body[0]?.status).toMatchObject({ createdAt: stop.date });
    // The deliveries parse with Kinetic's own webhook schema (the contract of interfaces.md).
    for (const delivery of bed.receiver.deliveries) {
      expect(psaV4WebhookDeliverySchema.safeParse(delivery.body).success).toBe(true);
    }
  });

  it('fires a fuel-level threshold once, when an upload crosses it', async () => {
    const car = carOf('petrol');
    const timeline = bed.server.ctx.fleet.timelineOf(car);
    const [trip, next] = tripsOf(car);
    if (!trip || !next) throw new Error('no trips in the window');
    const startLevel = timeline.stateAt(trip.startMs).fuelLevelPct ?? 0;
    const endLevel = timeline.stateAt(trip.endMs).fuelLevelPct ?? 0;
    expect(startLevel - endLevel).toBeGreaterThan(0.5);
    // Between two 0.1 steps, so no reading equals it.
    const threshold = Number((Math.floor(((startLevel + endLevel) / 2) * 10) / 10 + 0.05).toFixed(2));
    expect(timeline.stateAt(next.endMs).fuelLevelPct ?? 100).toBeLessThan(threshold);
    await subscribeMonitor(car, '/hooks/fuel', {
      label: 'fuel',
      triggerParam: {
        triggers: [
          {
            name: 'low',
            data: { data: 'vehicle.energy.fuel.level', op: 'lowerThan', value: [String(threshold)] },
          },
        ],
        boolExp: 'low',
      },
    });

    await bed.server.advanceTo(trip.endMs + MINUTE);
    await bed.server.advanceTo(next.endMs + MINUTE);
    const messages = bed.receiver.messages();
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message?.monitorEvent.values[0]?.data).toBe('vehicle.energy.fuel.level');
    const eventMs = Date.parse(message?.date ?? '');
    expect(eventMs).toBeGreaterThan(trip.startMs);
    expect(eventMs).toBeLessThanOrEqual(trip.endMs + 15_000);
    const level = Number(literalOf(message));
    expect(level).toBeLessThan(threshold);

    // GET …/status tells the same story: this level at the event, still above just before.
    const fuelAt = async (ms: number) => {
      bed.server.clock.set({ now: ms });
      const status = await bed.server.api(`/user/vehicles/${car.id}/status`, demo());
      const energies = status.body?.energies as Array<{ type: string; level: number }>;
      return energies.find((energy) => energy.type === 'Fuel')?.level;
    };
    expect(await fuelAt(eventMs)).toBe(level);
    expect(await fuelAt(eventMs - 1000)).toBeGreaterThanOrEqual(threshold);
  });

  it('sends nothing while the callback or the monitor is paused, and replays nothing after', async () => {
    const car = carOf('electric');
    const [first, second, third] = tripsOf(car);
    if (!first || !second || !third) throw new Error('no trips in the window');
    const { callbackId, monitorId } = await subscribeMonitor(car, '/hooks/paused', {
      ...tripMonitor,
      triggerParam: {
        triggers: [{ name: 'start', data: { data: 'vehicle.trip.start', op: 'onChange' } }],
        boolExp: 'start',
      },
    });
    // A fresh token each time: the clock moves past a token's hour.
    const setStatus = (path: string, status: string) =>
      bed.server.api(`${path}/status`, demo(), { method: 'PUT', body: { status } });
    const monitorPath = `/user/vehicles/${car.id}/callbacks/${callbackId}/monitors/${monitorId}`;

    expect((await setStatus(`/user/callbacks/${callbackId}`, 'Paused')).status).toBe(202);
    await bed.server.advanceTo(first.startMs + MINUTE);
    expect(bed.receiver.deliveries).toHaveLength(0);

    await setStatus(`/user/callbacks/${callbackId}`, 'Running');
    expect((await setStatus(monitorPath, 'Paused')).status).toBe(202);
    await bed.server.advanceTo(second.startMs + MINUTE);
    expect(bed.receiver.deliveries).toHaveLength(0);

    await setStatus(monitorPath, 'Running');
    await bed.server.advanceTo(third.startMs + MINUTE);
    expect(bed.receiver.messages().map(literalOf)).toEqual([third.id]);
  });

  it('retries a refused delivery every 10 s with the same id, and batches what queued up meanwhile', async () => {
    const car = carOf('electric');
    const [first, second] = tripsOf(car);
    if (!first || !second) throw new Error('no trips in the window');
    await subscribeMonitor(car, '/hooks/retry', tripMonitor);

    bed.receiver.answerWith(500);
    await bed.server.advanceTo(first.startMs + MINUTE);
    expect(bed.receiver.deliveries).toHaveLength(1);
    await bed.server.dispatcher.tick();
    await bed.server.advanceTo(first.startMs + MINUTE + 9_000);
    expect(bed.receiver.deliveries).toHaveLength(1);
    await bed.server.advanceTo(first.startMs + MINUTE + 10_000);
    expect(bed.receiver.deliveries).toHaveLength(2);
    const [refused, accepted] = bed.receiver.deliveries;
    expect(accepted?.body).toEqual(refused?.body);
    expect(accepted?.headers['x-event-id']).toBe(refused?.headers['x-event-id']);
    await bed.server.advanceTo(first.startMs + 2 * MINUTE);
    expect(bed.receiver.deliveries).toHaveLength(2);

    // The stop is refused; by the retry the next trip has started too: one array, oldest first.
    bed.receiver.answerWith(500);
    await bed.server.advanceTo(first.endMs + MINUTE);
    expect(bed.receiver.deliveries).toHaveLength(3);
    await bed.server.advanceTo(second.startMs + MINUTE);
    expect(bed.receiver.deliveries).toHaveLength(4);
    const batch = bed.receiver.deliveries[3];
    expect(Array.isArray(batch?.body)).toBe(true);
    const messages = batch?.body as ReceivedMessage[];
    expect(messages.map((message) => message.monitorEvent.values[0]?.data)).toEqual([
      'vehicle.trip.stop',
      'vehicle.trip.start',
    ]);
    expect(messages.map(literalOf)).toEqual([first.id, second.id]);
    expect(batch?.headers['x-event-id']).toBe(messages.map(eventIdOfMessage).join(', '));
    expect(psaV4WebhookDeliverySchema.safeParse(batch?.body).success).toBe(true);
  });

  it('drops a message still refused after 3 days', async () => {
    const car = carOf('electric');
    const [first] = tripsOf(car);
    if (!first) throw new Error('no trip in the window');
    const { callbackId } = await subscribeMonitor(car, '/hooks/down', {
      ...tripMonitor,
      triggerParam: {
        triggers: [{ name: 'start', data: { data: 'vehicle.trip.start', op: 'onChange' } }],
        boolExp: 'start',
      },
    });
    bed.receiver.answerWith(...Array.from({ length: 20 }, () => 500));
    await bed.server.advanceTo(first.startMs + MINUTE);
    const [pending] = bed.server.dispatcher.pending(callbackId);
    expect(pending?.message.monitorEvent.values[0]?.value.body.literalValue).toBe(first.id);
    await bed.server.advanceTo(first.startMs + 3 * DAY - MINUTE);
    expect(bed.server.dispatcher.pending(callbackId).map((entry) => entry.eventId)).toContain(
      pending?.eventId,
    );
    await bed.server.advanceTo(first.startMs + 3 * DAY + MINUTE);
    expect(bed.server.dispatcher.pending(callbackId).map((entry) => entry.eventId)).not.toContain(
      pending?.eventId,
    );
  });

  it('raises a new alert as an obj.alert value with the alert itself', async () => {
    const car = carOf('electric');
    const [alert] = alertsBetween(
      bed.server.ctx,
      car,
      TEST_NOW + MINUTE,
      TEST_NOW + 5 * DAY,
      TEST_NOW + 5 * DAY,
    );
    if (!alert) throw new Error('no alert in the window');
    await subscribeMonitor(car, '/hooks/alerts', {
      label: 'alerts',
      triggerParam: {
        triggers: [{ name: 'alert', data: { data: 'vehicle.alert', op: 'onChange' } }],
        boolExp: 'alert',
      },
      extendedEventParam: ['vehicle.alerts'],
    });
    await bed.server.advanceTo(alert.startedAtMs + MINUTE);
    const [message] = bed.receiver.messages();
    expect(message?.date).toBe(rfc3339(alert.startedAtMs));
    const value = message?.monitorEvent.values[0];
    expect(value).toMatchObject({ data: 'vehicle.alert', value: { type: 'obj.alert' } });
    expect(value?.value.body.objectValues).toEqual([
      expect.objectContaining({ id: alert.id, type: alert.type, startedAt: rfc3339(alert.startedAtMs) }),
    ]);
    const active = message?.monitorEvent.extensions.find((extension) => extension.type === 'vehicle.alerts');
    const activeIds = ((active?.body[0]?.alerts ?? []) as Array<{ id: string }>).map((item) => item.id);
    expect(activeIds).toContain(alert.id);
    expect(psaV4WebhookDeliverySchema.safeParse(bed.receiver.deliveries[0]?.body).success).toBe(true);
  });

  it('reminds with refresh events while the condition holds', async () => {
    const car = carOf('electric');
    const timeline = bed.server.ctx.fleet.timelineOf(car);
    const [trip] = tripsOf(car);
    if (!trip) throw new Error('no trip in the window');
    // Half-way through the trip's distance: crossed once, and the odometer never goes back.
    const mileage = Math.round((timeline.stateAt(trip.startMs).odometerKm + trip.distanceKm / 2) * 10) / 10;
    await subscribeMonitor(car, '/hooks/refresh', {
      label: 'odometer',
      subscribeParam: { refreshEvent: 600 },
      triggerParam: {
        triggers: [
          { name: 'far', data: { data: 'vehicle.odometer', op: 'greaterThan', value: [String(mileage)] } },
        ],
        boolExp: 'far',
      },
    });
    await bed.server.advanceTo(trip.startMs + 2 * 3_600_000);
    const [event, ...refreshes] = bed.receiver.messages();
    expect(event?.monitorEvent.refresh).toBe(false);
    const firedMs = Date.parse(event?.date ?? '');
    expect(firedMs).toBeGreaterThan(trip.startMs);
    expect(firedMs).toBeLessThan(trip.endMs);
    expect(Number(literalOf(event))).toBeGreaterThan(mileage);
    expect(refreshes.map((message) => message.date)).toEqual(
      Array.from({ length: Math.floor((trip.startMs + 2 * 3_600_000 - firedMs) / 600_000) }, (_, k) =>
        rfc3339(firedMs + (k + 1) * 600_000),
      ),
    );
    expect(refreshes.every((message) => message.monitorEvent.refresh)).toBe(true);
  });

  it('fires a zone trigger when the car leaves the circle', async () => {
    const car = carOf('electric');
    const home = bed.server.ctx.fleet.timelineOf(car).home;
    const [trip] = tripsOf(car);
    if (!trip) throw new Error('no trip in the window');
    await subscribeMonitor(car, '/hooks/zone', {
      label: 'left home',
      triggerParam: {
        triggers: [
          {
            name: 'home',
            zone: {
              transition: 'Out',
              place: { radius: 1, center: { longitude: home.lon, latitude: home.lat } },
            },
          },
        ],
        boolExp: 'home',
      },
      extendedEventParam: ['vehicle.position'],
    });
    await bed.server.advanceTo(trip.endMs + MINUTE);
    const messages = bed.receiver.messages();
    expect(messages).toHaveLength(1);
    const at = Date.parse(messages[0]?.date ?? '');
    expect(at).toBeGreaterThan(trip.startMs);
    expect(at).toBeLessThan(trip.endMs);
    const position = messages[0]?.monitorEvent.extensions[0]?.body[0]?.position as {
      geometry: { coordinates: [number, number] };
    };
    const [lon, lat] = position.geometry.coordinates;
    const km = (a: number, b: number) =>
      Math.hypot((a - home.lat) * 111.2, (b - home.lon) * 111.2 * Math.cos((home.lat * Math.PI) / 180));
    expect(km(lat, lon)).toBeGreaterThan(1);
  });
});
