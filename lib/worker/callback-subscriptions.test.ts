import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type CallbackTestServer,
  startCallbackServer,
  tripsAhead,
} from '@/lib/simulator/v4/callbacks/test-support';
import { issueTestCredentials } from '@/lib/simulator/v4/test-server';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createTokenCipher } from '../crypto/token-cipher';
import { connectCarAccount, linkVehicles } from '../db/queries/car-accounts';
import { createUser } from '../db/queries/users';
import type { Database } from '../db/schema';
import type { CallbackSubscriptionTables } from '../db/schema-callback-subscriptions';
import { processPendingWebhookEvents } from '../ingest/webhooks/process';
import { hashWebhookSecret } from '../ingest/webhooks/secret';
import { tripMessage, tripResource } from '../ingest/webhooks/test-support';
import {
  ALERTS_MONITOR_LABEL,
  createCallbackSubscriber,
  TRIPS_MONITOR_LABEL,
  unsubscribeAccount,
  webhookTargetFromEnv,
} from './callback-subscriptions';
import { type AccountRef, createProviderFactory } from './providers';

// The worker's webhook subscriptions end to end, over real HTTP: the worker subscribes a linked
// account at the simulated PSA cloud, a simulated trip happens, the simulator's dispatcher delivers
// to Kinetic's receiver route (on a local port), and the worker's processor stores the trip once.
// Expectations come from the simulated world (the car's trip timeline) and from what the simulator
// holds (its callbacks and monitors, read through its own API).

const { requireApiUser } = vi.hoisted(() => ({ requireApiUser: vi.fn() }));
vi.mock('@/lib/auth', () => ({ requireApiUser }));
const { withRoute } = await import('@/lib/route-handler');
const { handlePsaWebhook } = await import('../ingest/webhooks/handler');

const MINUTE = 60_000;
const silent = () => {};

type Bridge = { url: string; statuses: number[]; close(): Promise<void> };

/** The receiver route on the test database and the simulated clock, behind a plain HTTP server. */
async function startReceiverRoute(db: () => Kysely<Database>, now: () => number): Promise<Bridge> {
  const POST = withRoute((request) => handlePsaWebhook(request, { db: db(), now }));
  const statuses: number[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const headers = new Headers();
      for (const [key, value] of Object.entries(incoming.headers)) {
        if (typeof value === 'string') headers.set(key, value);
      }
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
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/psa`,
    statuses,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('webhookTargetFromEnv', () => {
  it('aims at AUTH_URL’s origin when set, else this machine’s port', () => {
    expect(webhookTargetFromEnv({ AUTH_URL: 'https://kinetic.example.org/some/path', PORT: 3000 })).toBe(
      'https://kinetic.example.org/api/webhooks/psa',
    );
    expect(webhookTargetFromEnv({ AUTH_URL: undefined, PORT: 4321 })).toBe(
      'http://localhost:4321/api/webhooks/psa',
    );
  });
});

describe.each(ENGINES)('callback subscriptions against the simulator on %s', (engine) => {
  const database = useTestDatabase(engine);
  let sim: CallbackTestServer;
  let bridge: Bridge;
  let counter = 0;

  beforeEach(async () => {
    // Every test gets a fresh simulator drawing the same callback ids from its seed: start each
    // test without the previous ones' accounts and subscriptions.
    const { db } = database();
    await db.updateTable('car_accounts').set({ status: 'disconnected' }).execute();
    await db.deleteFrom('webhook_subscriptions').execute();
    sim = await startCallbackServer();
    bridge = await startReceiverRoute(
      () => database().db,
      () => sim.clock.now(),
    );
  });
  afterEach(async () => {
    await sim.close();
    await bridge.close();
  });

  /** Kinetic's side: the providers over the simulator, and owner `ownerIndex` linked with all their cars. */
  async function linkOwner(ownerIndex: number) {
    const { db } = database();
    const cipher = createTokenCipher(randomBytes(32));
    const { owner, client, issued } = issueTestCredentials(sim.ctx, ownerIndex);
    const now = () => sim.clock.now();
    const providers = createProviderFactory({
      db,
      cipher,
      now,
      psaV4: {
        apiBaseUrl: `${sim.origin}/connectedcar/v4`,
        apps: [{ brand: client.brand, realm: client.realm, clientId: client.clientId }],
      },
      // The simulated days of the test outlive an access token: refresh by issuing a new pair.
      refreshEndpointFor: () => ({
        refresh: async () => {
          const next = issueTestCredentials(sim.ctx, ownerIndex).issued;
          return {
            accessToken: next.access_token,
            refreshToken: next.refresh_token,
            expiresInS: next.expires_in,
          };
        },
      }),
      resilience: { baseDelayMs: 1, capDelayMs: 5, maxWaitMs: 0 },
    });
    counter++;
    const user = await createUser(db, { email: `cb-${engine}-${counter}@example.com`, passwordHash: null });
    const { account } = await connectCarAccount(db, cipher, {
      ownerId: user.id,
      provider: 'psa-v4',
      brand: client.brand,
      makerSubject: `sim-owner-${ownerIndex}-${counter}`,
      tokens: {
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        expiresAt: now() + issued.expires_in * 1000,
        scopes: issued.scope.split(' '),
      },
      now: now(),
    });
    const linked = await linkVehicles(
      db,
      user.id,
      account.id,
      owner.vehicles.map((vehicle) => ({
        providerVehicleId: vehicle.id,
        vin: vehicle.vin,
        label: vehicle.model,
        brand: vehicle.brand,
        model: vehicle.model,
        powertrain: vehicle.powertrain,
      })),
      { now: now() },
    );
    const ref: AccountRef = { id: account.id, provider: 'psa-v4', brand: client.brand };
    return { db, providers, now, account: ref, owner, vehicles: linked ?? [] };
  }

  /** What the simulator holds for owner `ownerIndex`: their callbacks, each with its monitors per car. */
  async function upstream(ownerIndex: number) {
    const credentials = sim.credentialsFor(ownerIndex);
    const listed = await sim.api('/user/callbacks', credentials);
    const callbacks =
      (listed.body?._embedded as { callbacks?: Array<{ id: string; subscribe: unknown }> } | undefined)
        ?.callbacks ?? [];
    const monitors = new Map<string, string[]>();
    for (const callback of callbacks) {
      for (const vehicle of sim.ctx.world.ownerAt(ownerIndex).vehicles) {
        const answer = await sim.api(
          `/user/vehicles/${vehicle.id}/callbacks/${callback.id}/monitors`,
          credentials,
        );
        const found =
          (answer.body?._embedded as { monitors?: Array<{ monitor: { label: string } }> } | undefined)
            ?.monitors ?? [];
        monitors.set(`${callback.id}/${vehicle.id}`, found.map((monitor) => monitor.monitor.label).sort());
      }
    }
    return { callbacks, monitors };
  }

  it('subscribes a linked account once, with the secret header and the VIN attribute', async () => {
    const linked = await linkOwner(0);
    const subscriber = createCallbackSubscriber({ ...linked, target: bridge.url, log: silent });
    expect(await subscriber.runOnce()).toEqual({ leased: 1, subscribed: 1, failed: 0 });

    const { callbacks, monitors } = await upstream(0);
    expect(callbacks).toHaveLength(1);
    const callback = callbacks[0] as { id: string; subscribe: { callback: { webhook: unknown } } };
    const webhook = callback.subscribe.callback.webhook as {
      target: string;
      attributes: Array<{ type: string; key: string; value: string }>;
    };
    expect(webhook.target).toBe(bridge.url);
    const header = webhook.attributes.find((attribute) => attribute.type === 'Header');
    expect(header?.key).toBe('x-kinetic-secret');
    expect(webhook.attributes).toContainEqual({ type: 'Body', key: 'vin', value: '$vin' });
    // Kinetic keeps only the secret's hash, under the callback PSA named.
    const recorded = await linked.db
      .selectFrom('webhook_subscriptions')
      .select(['callback_id', 'car_account_id', 'secret_hash'])
      .execute();
    expect(recorded).toEqual([
      {
        callback_id: callback.id,
        car_account_id: linked.account.id,
        secret_hash: hashWebhookSecret(header?.value ?? ''),
      },
    ]);
    // Each car watched by the two monitors.
    for (const vehicle of linked.owner.vehicles) {
      expect(monitors.get(`${callback.id}/${vehicle.id}`)).toEqual(
        [ALERTS_MONITOR_LABEL, TRIPS_MONITOR_LABEL].sort(),
      );
    }

    // Nothing left to do, for this worker or another one.
    expect((await subscriber.runOnce()).leased).toBe(0);
    const other = createCallbackSubscriber({ ...linked, target: bridge.url, workerId: 'other', log: silent });
    expect((await other.runOnce()).leased).toBe(0);
    expect((await upstream(0)).callbacks).toHaveLength(1);
  });

  it('two workers at once subscribe the account once', async () => {
    const linked = await linkOwner(1);
    const one = createCallbackSubscriber({ ...linked, target: bridge.url, workerId: 'one', log: silent });
    const two = createCallbackSubscriber({ ...linked, target: bridge.url, workerId: 'two', log: silent });
    const [a, b] = await Promise.all([one.runOnce(), two.runOnce()]);
    expect(a.subscribed + b.subscribed).toBe(1);
    expect(a.failed + b.failed).toBe(0);
    const { callbacks, monitors } = await upstream(1);
    expect(callbacks).toHaveLength(1);
    for (const labels of monitors.values()) expect(labels).toHaveLength(2);
  });

  it('after a crash that lost what it recorded, adopts the callback and monitors PSA already has', async () => {
    const linked = await linkOwner(2);
    const subscriber = createCallbackSubscriber({ ...linked, target: bridge.url, log: silent });
    await subscriber.runOnce();
    const before = await upstream(2);
    // The worker died before recording anything: Kinetic knows no callback.
    const accountId = linked.account.id;
    const db = linked.db.withTables<CallbackSubscriptionTables>();
    await db.deleteFrom('webhook_subscriptions').where('car_account_id', '=', accountId).execute();
    await db.deleteFrom('callback_subscriptions').where('car_account_id', '=', accountId).execute();
    await db.deleteFrom('callback_monitors').where('car_account_id', '=', accountId).execute();

    const restarted = createCallbackSubscriber({
      ...linked,
      target: bridge.url,
      workerId: 'restarted',
      log: silent,
    });
    expect(await restarted.runOnce()).toEqual({ leased: 1, subscribed: 1, failed: 0 });
    const after = await upstream(2);
    expect(after.callbacks.map((callback) => callback.id)).toEqual(
      before.callbacks.map((callback) => callback.id),
    );
    expect(after.monitors).toEqual(before.monitors);
    const recorded = await db
      .selectFrom('webhook_subscriptions')
      .select('callback_id')
      .where('car_account_id', '=', accountId)
      .execute();
    expect(recorded).toEqual(before.callbacks.map((callback) => ({ callback_id: callback.id })));
  });

  it('re-subscribing with a fresh secret refuses the old secret at once and accepts the new one (UP-08)', async () => {
    const linked = await linkOwner(0);
    const subscriber = createCallbackSubscriber({ ...linked, target: bridge.url, log: silent });
    await subscriber.runOnce();
    const secretAt = async () => {
      const [callback] = (await upstream(0)).callbacks as Array<{
        id: string;
        subscribe: { callback: { webhook: { attributes: Array<{ type: string; value: string }> } } };
      }>;
      if (!callback) throw new Error('no callback at PSA');
      const header = callback.subscribe.callback.webhook.attributes.find((a) => a.type === 'Header');
      return { callbackId: callback.id, secret: header?.value ?? '' };
    };
    const before = await secretAt();
    // The worker forgets that it subscribed (a lost record, a re-link of the same maker identity):
    // the receiver still holds the old secret's hash until the re-subscription replaces it.
    const accountId = linked.account.id;
    const db = linked.db.withTables<CallbackSubscriptionTables>();
    await db.deleteFrom('callback_subscriptions').where('car_account_id', '=', accountId).execute();
    await db.deleteFrom('callback_monitors').where('car_account_id', '=', accountId).execute();
    const again = createCallbackSubscriber({ ...linked, target: bridge.url, workerId: 'again', log: silent });
    expect(await again.runOnce()).toEqual({ leased: 1, subscribed: 1, failed: 0 });
    const after = await secretAt();
    // The same callback, re-subscribed (PUT) with a new secret.
    expect(after.callbackId).toBe(before.callbackId);
    expect(after.secret).not.toBe(before.secret);
    expect(after.secret.length).toBeGreaterThanOrEqual(32);

    const vin = linked.vehicles[0]?.vin ?? expect.fail('no linked car');
    const at = sim.clock.now() - MINUTE;
    const deliver = (secret: string, eventId: string) =>
      fetch(bridge.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kinetic-secret': secret, 'x-event-id': eventId },
        body: JSON.stringify(
          tripMessage({
            callbackId: after.callbackId,
            eventId,
            vin,
            date: at,
            kind: 'start',
            trip: tripResource({ id: `trip-${eventId}`, startedAt: at, done: false }),
          }),
        ),
      });
    // The old secret is refused on the very next delivery, storing nothing; the new one is accepted.
    expect((await deliver(before.secret, 'rotation-old')).status).toBe(401);
    expect((await deliver(after.secret, 'rotation-new')).status).toBe(200);
    const stored = await linked.db
      .selectFrom('webhook_events')
      .select('event_id')
      .where('callback_id', '=', after.callbackId)
      .execute();
    expect(stored).toEqual([{ event_id: 'rotation-new' }]);
  });

  it('a trip that ends reaches the receiver and is stored once; unsubscribing stops the deliveries', async () => {
    const linked = await linkOwner(0);
    const subscriber = createCallbackSubscriber({ ...linked, target: bridge.url, log: silent });
    await subscriber.runOnce();
    const simCar = sim.ctx.world.ownerAt(0).vehicles.find((vehicle) => vehicle.powertrain === 'electric');
    if (!simCar) throw new Error('the demo owner has no electric car');
    const vehicleId = linked.vehicles.find((vehicle) => vehicle.vin === simCar.vin)?.vehicleId;
    const [trip, later] = tripsAhead(sim, simCar);
    if (!trip || !later) throw new Error('fewer than two trips ahead');
    // Every message delivered twice (same event id): the receiver must keep one.
    sim.ctx.faults.set({ rules: [{ kind: 'webhook_duplicate', rate: 1, endpoints: ['/api/webhooks/**'] }] });

    await sim.advanceTo(trip.startMs + MINUTE);
    await sim.advanceTo(trip.endMs + MINUTE);
    expect(bridge.statuses.length).toBeGreaterThan(0);
    expect(bridge.statuses.every((status) => status === 200)).toBe(true);

    const first = await processPendingWebhookEvents(linked.db, 100, { now: sim.clock.now() });
    expect(first.failed).toBe(0);
    expect(first.done).toBe(first.claimed);
    expect((await processPendingWebhookEvents(linked.db, 100, { now: sim.clock.now() })).claimed).toBe(0);
    const trips = await linked.db
      .selectFrom('trips')
      .select(['provider_trip_id', 'started_at', 'ended_at'])
      .where('vehicle_id', '=', vehicleId ?? '')
      .execute();
    expect(trips).toEqual([{ provider_trip_id: trip.id, started_at: trip.startMs, ended_at: trip.endMs }]);

    const result = await unsubscribeAccount(
      { db: linked.db, providers: linked.providers, log: silent },
      linked.account,
    );
    expect(result.failed).toEqual([]);
    expect(result.deleted).toHaveLength(1);
    expect((await upstream(0)).callbacks).toEqual([]);
    const left = await linked.db
      .selectFrom('webhook_subscriptions')
      .select('callback_id')
      .where('car_account_id', '=', linked.account.id)
      .execute();
    expect(left).toEqual([]);

    const delivered = bridge.statuses.length;
    await sim.advanceTo(later.endMs + MINUTE);
    expect(bridge.statuses.length).toBe(delivered);
  });
});
