import { beforeEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../faults/rules';
import { FaultSwitchboard } from '../../faults/switchboard';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import type { SimVehicle } from '../../world/world';
import { rfc3339 } from '../hal';
import {
  callbackTestBedPerTest,
  demoCarOf,
  eventIdOfMessage,
  type ReceivedMessage,
  TRIP_START_STOP_TRIGGERS,
  tripsAhead,
} from './test-support';

// The webhook faults of /sim/faults (interfaces.md › Simulator): webhook_duplicate,
// webhook_reorder and webhook_delay, each observable by a receiver, targeted by endpoint (the
// target's URL path) and vehicle, and drawn reproducibly from the seed.

const MINUTE = 60_000;

const bed = callbackTestBedPerTest();
let car: SimVehicle;
let trips: TripRecord[];

beforeEach(() => {
  car = demoCarOf(bed.server, 'electric');
  trips = tripsAhead(bed.server, car);
});

function trip(index: number): TripRecord {
  const found = trips[index];
  if (!found) throw new Error(`no trip ${index} in the window`);
  return found;
}

async function subscribeTrips(path: string) {
  const credentials = bed.server.credentialsFor(0);
  const callback = await bed.server.api('/user/callbacks', credentials, {
    method: 'POST',
    body: { callback: { webhook: { name: 'kinetic', target: bed.receiver.url(path) } } },
  });
  const callbackId = String(callback.body?.callbackId);
  const monitor = await bed.server.api(
    `/user/vehicles/${car.id}/callbacks/${callbackId}/monitors`,
    credentials,
    {
      method: 'POST',
      body: { label: 'trips', triggerParam: TRIP_START_STOP_TRIGGERS },
    },
  );
  expect(monitor.status).toBe(202);
}

const setRules = (rules: FaultRule[]) => bed.server.ctx.faults.set({ rules });
const dataOf = (message: ReceivedMessage) => message.monitorEvent.values[0]?.data;

describe('webhook faults', () => {
  it('webhook_duplicate delivers the same message, same id, twice', async () => {
    setRules([{ kind: 'webhook_duplicate', rate: 1, endpoints: ['/hooks/**'] }]);
    await subscribeTrips('/hooks/duplicate');
    await bed.server.advanceTo(trip(0).startMs + MINUTE);
    expect(bed.receiver.deliveries).toHaveLength(2);
    const [original, copy] = bed.receiver.deliveries;
    expect(copy?.body).toEqual(original?.body);
    expect(copy?.headers['x-event-id']).toBe(original?.headers['x-event-id']);
    expect(eventIdOfMessage(copy?.body as ReceivedMessage)).toBe(original?.headers['x-event-id']);
    expect(original?.headers['x-sim-fault']).toBeUndefined();
    expect(copy?.headers['x-sim-fault']).toBe('webhook_duplicate');
  });

  it('webhook_reorder sends a message after the next one, or alone once its hold runs out', async () => {
    setRules([{ kind: 'webhook_reorder', rate: 1, params: { delayS: 120 } }]);
    bed.server.dispatcher.configure({ batchSize: 1 });
    await subscribeTrips('/hooks/reorder');
    // Start and stop raised in one pass: the start is held back, the stop overtakes it.
    await bed.server.advanceTo(trip(0).endMs + MINUTE);
    const messages = bed.receiver.messages();
    expect(messages.map(dataOf)).toEqual(['vehicle.trip.stop', 'vehicle.trip.start']);
    expect(Date.parse(messages[0]?.date ?? '')).toBeGreaterThan(Date.parse(messages[1]?.date ?? ''));
    expect(bed.receiver.deliveries[1]?.headers['x-sim-fault']).toBe('webhook_reorder');

    // The next start has no follower yet: held for delayS, then sent.
    await bed.server.advanceTo(trip(1).startMs + 30_000);
    expect(bed.receiver.deliveries).toHaveLength(2);
    await bed.server.advanceTo(trip(1).startMs + 120_000);
    expect(bed.receiver.messages().map(dataOf)).toEqual([
      'vehicle.trip.stop',
      'vehicle.trip.start',
      'vehicle.trip.start',
    ]);
  });

  it('webhook_delay sends a message delayS simulated seconds late, with its own date', async () => {
    setRules([{ kind: 'webhook_delay', rate: 1, params: { delayS: 300 }, vehicles: [car.id] }]);
    await subscribeTrips('/hooks/delay');
    const startMs = trip(0).startMs;
    await bed.server.advanceTo(startMs + 299_000);
    expect(bed.receiver.deliveries).toHaveLength(0);
    await bed.server.advanceTo(startMs + 300_000);
    expect(bed.receiver.deliveries).toHaveLength(1);
    expect(bed.receiver.messages()[0]?.date).toBe(rfc3339(startMs));
    expect(bed.receiver.deliveries[0]?.headers['x-sim-fault']).toBe('webhook_delay');
  });

  it('fires only on the endpoints and vehicles a rule names', async () => {
    const other = bed.server.ctx.world.ownerAt(0).vehicles.find((vehicle) => vehicle.id !== car.id);
    setRules([
      { kind: 'webhook_duplicate', rate: 1, endpoints: ['/elsewhere/*'] },
      { kind: 'webhook_duplicate', rate: 1, vehicles: [other?.id ?? 'none'] },
    ]);
    await subscribeTrips('/hooks/targeted');
    await bed.server.advanceTo(trip(0).endMs + MINUTE);
    expect(bed.receiver.messages().map(dataOf)).toEqual(['vehicle.trip.start', 'vehicle.trip.stop']);
    expect(bed.receiver.deliveries.every((delivery) => delivery.headers['x-sim-fault'] === undefined)).toBe(
      true,
    );
  });

  it('draws webhook faults reproducibly from the seed, apart from HTTP faults', () => {
    const rules: FaultRule[] = [
      { kind: 'webhook_duplicate', rate: 0.3 },
      { kind: 'webhook_delay', rate: 0.3, params: { delayS: 5 } },
      { kind: 'server_error', rate: 0.5 },
    ];
    const draws = (seed: string) => {
      const board = new FaultSwitchboard({ rules }, { seed });
      return Array.from(
        { length: 40 },
        () => board.pickDelivery({ path: '/hook', vehicleId: 'car' })?.kind ?? null,
      );
    };
    const first = draws('seed-a');
    expect(draws('seed-a')).toEqual(first);
    expect(draws('seed-b')).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set(['webhook_duplicate', 'webhook_delay', null]));
    // HTTP requests never draw webhook kinds, and deliveries never draw HTTP kinds.
    const board = new FaultSwitchboard({ rules }, { seed: 'seed-a' });
    for (let n = 0; n < 40; n++) {
      const decision = board.pick({ method: 'GET', path: '/connectedcar/v4/user', vehicleId: null });
      expect([undefined, 'server_error']).toContain(decision?.kind);
    }
    // Counting HTTP requests does not move the webhook draws.
    expect(
      Array.from({ length: 40 }, () => board.pickDelivery({ path: '/hook', vehicleId: 'car' })?.kind ?? null),
    ).toEqual(first);
  });
});
