import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type CallbackTestServer,
  demoCarOf,
  startCallbackServer,
  TRIP_START_STOP_TRIGGERS,
  tripsAhead,
} from '@/lib/simulator/v4/callbacks/test-support';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { processPendingWebhookEvents } from './process';
import { generateWebhookSecret, webhookSubscriptionAttributes } from './secret';
import { linkedCarWithCallback } from './test-support';

// End to end with the simulated PSA cloud over real HTTP: Kinetic subscribes a callback with its
// secret and VIN attributes, the simulator's dispatcher POSTs real deliveries (single messages,
// batches, duplicates) to the receiver route — bridged onto a local port — and the processor turns
// them into trips. Expectations come from the simulated world (the car's trip timeline).

const { requireApiUser } = vi.hoisted(() => ({ requireApiUser: vi.fn() }));
vi.mock('@/lib/auth', () => ({ requireApiUser }));
const { withRoute } = await import('@/lib/route-handler');
const { handlePsaWebhook } = await import('./handler');

const MINUTE = 60_000;

describe.each(ENGINES)('PSA webhooks from the simulator on %s', (engine) => {
  const database = useTestDatabase(engine);
  let sim: CallbackTestServer;
  let bridge: { url: string; statuses: number[]; bodies: unknown[]; close(): Promise<void> };

  beforeEach(async () => {
    // The simulator draws callback ids from its seed, so every test gets the same ones: start each
    // test without the previous one's subscriptions (their events go with them).
    await database().db.deleteFrom('webhook_subscriptions').execute();
    sim = await startCallbackServer();
    // The route, on the test database and the simulated clock, behind a plain HTTP server.
    const POST = withRoute((request) =>
      handlePsaWebhook(request, { db: database().db, now: () => sim.clock.now() }),
    );
    const statuses: number[] = [];
    const bodies: unknown[] = [];
    const server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', async () => {
        const headers = new Headers();
        for (const [key, value] of Object.entries(incoming.headers)) {
          if (typeof value === 'string') headers.set(key, value);
        }
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        const request = new Request(`http://127.0.0.1${incoming.url ?? '/'}`, {
          method: incoming.method ?? 'GET',
          headers,
          body: Buffer.concat(chunks),
        });
        const response = await POST(request, { params: Promise.resolve({}) });
        statuses.push(response.status);
        outgoing.writeHead(response.status, { 'content-type': 'application/json' });
        outgoing.end(await response.text());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    bridge = {
      url: `http://127.0.0.1:${port}/api/webhooks/psa`,
      statuses,
      bodies,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  });

  afterEach(async () => {
    await sim.close();
    await bridge.close();
  });

  /** Subscribes the demo owner's electric car at the simulator and links it in Kinetic. */
  async function subscribe(secretAtSimulator?: string) {
    const simCar = demoCarOf(sim, 'electric');
    const secret = generateWebhookSecret();
    const credentials = sim.credentialsFor(0);
    const callback = await sim.api('/user/callbacks', credentials, {
      method: 'POST',
      body: {
        label: 'kinetic',
        callback: {
          webhook: {
            name: 'kinetic',
            target: bridge.url,
            attributes: webhookSubscriptionAttributes(secretAtSimulator ?? secret),
          },
        },
      },
    });
    expect(callback.status).toBe(200);
    const callbackId = String(callback.body?.callbackId);
    const monitor = await sim.api(
      `/user/vehicles/${simCar.id}/callbacks/${callbackId}/monitors`,
      credentials,
      {
        method: 'POST',
        body: {
          label: 'trips',
          triggerParam: TRIP_START_STOP_TRIGGERS,
          extendedEventParam: ['vehicle.trip'],
        },
      },
    );
    expect(monitor.status).toBe(202);
    const car = await linkedCarWithCallback(database().db, {
      vin: simCar.vin,
      providerVehicleId: simCar.id,
      callbackId,
      secret,
    });
    return { simCar, car, callbackId };
  }

  const tripsOf = (vehicleId: string) =>
    database()
      .db.selectFrom('trips')
      .select(['provider_trip_id', 'started_at', 'ended_at'])
      .where('vehicle_id', '=', vehicleId)
      .orderBy('started_at')
      .execute();

  it('stores the trips of real deliveries once, through duplicates and a batch', async () => {
    const { simCar, car, callbackId } = await subscribe();
    const [first, second] = tripsAhead(sim, simCar);
    if (!first || !second) throw new Error('fewer than two trips in the window');
    // Every message is delivered twice (same id): the receiver must keep one.
    sim.ctx.faults.set({ rules: [{ kind: 'webhook_duplicate', rate: 1, endpoints: ['/api/webhooks/**'] }] });

    await sim.advanceTo(first.startMs + MINUTE);
    await sim.advanceTo(first.startMs + 2 * MINUTE);
    // One jump over the first trip's stop and the second trip's start and stop: queued together.
    await sim.advanceTo(second.endMs + MINUTE);
    await sim.advanceTo(second.endMs + 2 * MINUTE);
    await sim.advanceTo(second.endMs + 3 * MINUTE);

    expect(bridge.statuses.every((status) => status === 200)).toBe(true);
    // What the simulator sent: every message twice, and at least one batch (a JSON array).
    const messages = bridge.bodies.flatMap((body) => (Array.isArray(body) ? body : [body]));
    expect(messages).toHaveLength(8);
    expect(bridge.bodies.some((body) => Array.isArray(body) && body.length > 1)).toBe(true);
    const events = await database()
      .db.selectFrom('webhook_events')
      .select(['event_id'])
      .where('callback_id', '=', callbackId)
      .execute();
    // Four events (two starts, two stops), each stored once.
    expect(events).toHaveLength(4);

    const result = await processPendingWebhookEvents(database().db, 100, { now: sim.clock.now() });
    expect(result).toEqual({ claimed: 4, done: 4, failed: 0, retried: 0 });
    expect(await tripsOf(car.vehicleId)).toEqual([
      { provider_trip_id: first.id, started_at: first.startMs, ended_at: first.endMs },
      { provider_trip_id: second.id, started_at: second.startMs, ended_at: second.endMs },
    ]);
    // Nothing is left to do: a second pass finds no work.
    expect((await processPendingWebhookEvents(database().db, 100, { now: sim.clock.now() })).claimed).toBe(0);
  });

  it('refuses deliveries carrying a secret other than the one Kinetic recorded', async () => {
    const { simCar, callbackId } = await subscribe(generateWebhookSecret());
    const [first] = tripsAhead(sim, simCar);
    if (!first) throw new Error('no trip in the window');
    await sim.advanceTo(first.startMs + MINUTE);
    expect(bridge.statuses).toEqual([401]);
    const events = await database()
      .db.selectFrom('webhook_events')
      .select('event_id')
      .where('callback_id', '=', callbackId)
      .execute();
    expect(events).toEqual([]);
  });
});
