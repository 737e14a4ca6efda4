import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDatabase, type TestDatabase } from '../../test/db-harness';
import { getSyncState } from '../db/queries/sync-state';
import type { Database } from '../db/schema';
import { PEER_EMAIL_DOMAIN } from '../demo/peers';
import { HOSTILE_VEHICLE_NAME } from '../simulator/faults/hostile';
import { plainHttp, type UpstreamHttp } from '../vehicle-api/http/upstream';
import type { VehicleDataProvider } from '../vehicle-api/provider';
import { getGlance } from '../vehicles/glance';
import { CLOUD_NOW, startTestCloud, type TestCloud, wireWorker } from './cloud-for-tests';
import type { ProviderFactory } from './providers';
import { linkPeers, linkSimulatedOwner } from './simulated-owners';
import { createSyncWorker } from './sync-worker';

const MINUTE = 60_000;

async function countRows(db: Kysely<Database>, table: 'samples' | 'trips' | 'alerts', vehicleIds: string[]) {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('vehicle_id', 'in', vehicleIds)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const silent = () => {};

describe.each(ENGINES)('sync worker on %s', (engine) => {
  let cloud: TestCloud;
  let opened: TestDatabase | undefined;
  beforeAll(async () => {
    cloud = await startTestCloud({ peers: 2 });
  });
  afterAll(async () => {
    await cloud.close();
  });
  afterEach(async () => {
    cloud.setFaults([]);
    cloud.clock.set({ now: CLOUD_NOW, frozen: true });
    await opened?.cleanup();
    opened = undefined;
  });

  const open = async () => {
    opened = await openTestDatabase(engine);
    return opened.db;
  };

  it('links the demo owner through the adapters, syncs its cars once, and a second pass adds nothing', async () => {
    const db = await open();
    const wired = await wireWorker(cloud, db);
    const demo = await linkSimulatedOwner(
      wired.linkOptions,
      wired.page.owners[0] ?? expect.fail('no owner'),
      true,
    );
    expect(demo.vehicles.length).toBeGreaterThan(0);
    const owner = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', demo.userId)
      .executeTakeFirstOrThrow();
    expect(owner.email).toBe('demo@kinetic.local');

    const worker = createSyncWorker({ db, providers: wired.providers, now: wired.now, log: silent });
    const first = await worker.runOnce();
    expect(first).toMatchObject({ leased: demo.vehicles.length, synced: demo.vehicles.length, failed: 0 });

    const ids = demo.vehicles.map((vehicle) => vehicle.vehicleId);
    const samples = await countRows(db, 'samples', ids);
    const trips = await countRows(db, 'trips', ids);
    // A day of history of cars that drive daily: samples and finished trips.
    expect(samples).toBeGreaterThan(0);
    expect(trips).toBeGreaterThan(0);
    for (const id of ids) {
      const state = await getSyncState(db, id, 'psa-v4');
      expect(state?.lastSyncedAt).toBe(cloud.clock.now());
      expect(state?.cursor).not.toBeNull();
      expect(state?.leaseOwner).toBeNull();
      expect(state?.failures).toBe(0);
    }

    // Nothing is due yet: the cadence put every car in the future.
    expect((await worker.runOnce()).leased).toBe(0);

    // Later (the cloud's clock still frozen, so it holds nothing new): the cursors bring nothing twice.
    const later = createSyncWorker({
      db,
      providers: wired.providers,
      now: () => cloud.clock.now() + 3 * 60 * MINUTE,
      log: silent,
    });
    expect(await later.runOnce()).toMatchObject({ leased: ids.length, synced: ids.length });
    expect(await countRows(db, 'samples', ids)).toBe(samples);
    expect(await countRows(db, 'trips', ids)).toBe(trips);
  });

  it('schedules the next sync by what the car is doing', async () => {
    const db = await open();
    const wired = await wireWorker(cloud, db, { backfillMs: 10 * MINUTE });
    const demo = await linkSimulatedOwner(
      wired.linkOptions,
      wired.page.owners[0] ?? expect.fail('no owner'),
      true,
    );
    const worker = createSyncWorker({ db, providers: wired.providers, now: wired.now, log: silent });
    await worker.runOnce();
    // The cadence table of cadence.ts, restated: driving 30 s, parked / charging / unknown 5 min,
    // asleep 15 min on the first sync that finds it asleep.
    const expected: Record<string, number> = {
      driving: 30_000,
      parked: 5 * MINUTE,
      charging: 5 * MINUTE,
      unknown: 5 * MINUTE,
      asleep: 15 * MINUTE,
    };
    for (const vehicle of demo.vehicles) {
      const state = await getSyncState(db, vehicle.vehicleId, 'psa-v4');
      if (!state || state.lastSyncedAt === null) throw new Error('not synced');
      expect(state.nextSyncAt - state.lastSyncedAt).toBe(expected[state.activity]);
    }
  });

  it('syncs a car again at the driving cadence while its provider says history is left to fetch', async () => {
    const db = await open();
    const wired = await wireWorker(cloud, db, { backfillMs: 10 * MINUTE });
    const demo = await linkSimulatedOwner(
      wired.linkOptions,
      wired.page.owners[0] ?? expect.fail('no owner'),
      true,
    );
    // The provider's answer, with the backlog flag set as a bounded backfill would set it.
    const behind: ProviderFactory = {
      forAccount(account) {
        const inner = wired.providers.forAccount(account);
        return {
          ...inner,
          sync: async (ref, cursor) => ({ ...(await inner.sync(ref, cursor)), backlog: true }),
        };
      },
      forget: wired.providers.forget,
    };
    const worker = createSyncWorker({ db, providers: behind, now: wired.now, log: silent });
    await worker.runOnce();
    for (const vehicle of demo.vehicles) {
      const state = await getSyncState(db, vehicle.vehicleId, 'psa-v4');
      if (!state || state.lastSyncedAt === null) throw new Error('not synced');
      // A parked car would wait 5 min (or 15 asleep); one with history to fetch comes back in 30 s.
      expect(state.nextSyncAt - state.lastSyncedAt).toBe(30_000);
    }
  });

  it('reschedules at the Retry-After of a 429', async () => {
    const db = await open();
    const wired = await wireWorker(cloud, db, { backfillMs: 10 * MINUTE });
    const demo = await linkSimulatedOwner(
      wired.linkOptions,
      wired.page.owners[0] ?? expect.fail('no owner'),
      true,
    );
    cloud.setFaults([
      { kind: 'rate_limit', rate: 1, endpoints: ['/connectedcar/**'], params: { retryAfterS: 120 } },
    ]);
    const worker = createSyncWorker({ db, providers: wired.providers, now: wired.now, log: silent });
    const pass = await worker.runOnce();
    expect(pass).toMatchObject({
      leased: demo.vehicles.length,
      rateLimited: demo.vehicles.length,
      synced: 0,
    });
    for (const vehicle of demo.vehicles) {
      const state = await getSyncState(db, vehicle.vehicleId, 'psa-v4');
      expect(state?.nextSyncAt).toBe(cloud.clock.now() + 120_000);
      expect(state?.failures).toBe(1);
      expect(state?.lastSyncedAt).toBeNull();
      expect(state?.leaseOwner).toBeNull();
    }
  });

  it('holds the cars back 900 s on a quota-exceeded 403, and the glance says until when (UP-01)', async () => {
    const db = await open();
    const wired = await wireWorker(cloud, db, { backfillMs: 10 * MINUTE });
    const demo = await linkSimulatedOwner(
      wired.linkOptions,
      wired.page.owners[0] ?? expect.fail('no owner'),
      true,
    );
    const first = cloud.clock.now();
    const synced = createSyncWorker({ db, providers: wired.providers, now: wired.now, log: silent });
    expect((await synced.runOnce()).synced).toBe(demo.vehicles.length);

    // 16 minutes later every car is due again (even an asleep one), and the quota is spent.
    const later = first + 16 * MINUTE;
    // The cloud's clock, which the providers' rate-limit gate also reads, moves with the worker's.
    cloud.clock.set({ now: later, frozen: true });
    cloud.setFaults([{ kind: 'quota_exceeded', rate: 1, endpoints: ['/connectedcar/**'] }]);
    const worker = createSyncWorker({ db, providers: wired.providers, now: wired.now, log: silent });
    expect(await worker.runOnce()).toMatchObject({
      leased: demo.vehicles.length,
      rateLimited: demo.vehicles.length,
      synced: 0,
    });
    for (const vehicle of demo.vehicles) {
      const state = await getSyncState(db, vehicle.vehicleId, 'psa-v4');
      expect(state?.nextSyncAt).toBe(later + 900_000);
      expect(state?.lastError).toMatch(/^UpstreamRateLimitedError: /);
      expect(state?.leaseOwner).toBeNull();
      // What the owner's page and the glance API say: stale since the last sync, next update in 900 s.
      const glance = await getGlance(db, demo.userId, vehicle.vehicleId, later);
      expect(glance?.sync).toEqual({
        lastSyncedAt: first,
        staleSince: first,
        rateLimitedUntil: later + 900_000,
      });
    }
    // The quota comes back, but the cars are not due before the 900 s are over.
    cloud.setFaults([]);
    expect((await worker.runOnce()).leased).toBe(0);
  });

  it('stores a hostile car name from the maker exactly as sent, and the SQL in it does nothing (IN-06)', async () => {
    const db = await open();
    const wired = await wireWorker(cloud, db, { backfillMs: 10 * MINUTE });
    cloud.setFaults([{ kind: 'hostile_names', rate: 1, endpoints: ['/connectedcar/v4/user/vehicles'] }]);
    const demo = await linkSimulatedOwner(
      wired.linkOptions,
      wired.page.owners[0] ?? expect.fail('no owner'),
      true,
    );
    cloud.setFaults([]);
    const rows = await db
      .selectFrom('vehicles')
      .select(['label', 'model', 'brand'])
      .where(
        'id',
        'in',
        demo.vehicles.map((vehicle) => vehicle.vehicleId),
      )
      .execute();
    expect(rows.length).toBe(demo.vehicles.length);
    for (const row of rows) {
      expect(row.model).toBe(HOSTILE_VEHICLE_NAME);
      expect(row.label).toBe(`${row.brand} ${HOSTILE_VEHICLE_NAME}`);
    }
    // The trips table is still there and fills as usual.
    const worker = createSyncWorker({ db, providers: wired.providers, now: wired.now, log: silent });
    expect((await worker.runOnce()).synced).toBe(demo.vehicles.length);
    expect(
      await countRows(
        db,
        'trips',
        demo.vehicles.map((vehicle) => vehicle.vehicleId),
      ),
    ).toBeGreaterThan(0);
  });

  it('aborts the car whose upstream hangs at the call budget while the other cars sync on schedule (UP-03)', async () => {
    const db = await open();
    // Every request on the wire, by car: at most one per car at a time, at most the global cap.
    const inFlight = new Map<string, number>();
    let total = 0;
    let peakTotal = 0;
    let peakPerCar = 0;
    const transport: UpstreamHttp = {
      async request(request) {
        const car = /\/user\/vehicles\/([^/?]+)\//.exec(request.url)?.[1] ?? '(account)';
        inFlight.set(car, (inFlight.get(car) ?? 0) + 1);
        total++;
        peakTotal = Math.max(peakTotal, total);
        if (car !== '(account)') peakPerCar = Math.max(peakPerCar, inFlight.get(car) ?? 0);
        try {
          return await plainHttp.request(request);
        } finally {
          inFlight.set(car, (inFlight.get(car) ?? 1) - 1);
          total--;
        }
      },
    };
    // A 500 ms budget per call (production: 15 s), four attempts: the hung car holds one lane ~2 s.
    const wired = await wireWorker(cloud, db, {
      backfillMs: 10 * MINUTE,
      resilience: { timeoutMs: 500, maxConcurrency: 3 },
      transport,
    });
    await linkSimulatedOwner(wired.linkOptions, wired.page.owners[0] ?? expect.fail('no owner'), true);
    expect(await linkPeers({ ...wired.linkOptions, peers: 2 })).toBe(2);
    const cars = await db
      .selectFrom('car_account_vehicles')
      .select(['vehicle_id', 'provider_vehicle_id'])
      .orderBy('provider_vehicle_id')
      .execute();
    const [hung, ...others] = cars;
    if (!hung || others.length < 3) throw new Error('expected at least four cars');
    // The cloud accepts the hung car's requests and never answers them (the socket stays open 60 s).
    cloud.setFaults([
      { kind: 'timeout', rate: 1, vehicles: [hung.provider_vehicle_id], params: { latencyMs: 60_000 } },
    ]);
    const worker = createSyncWorker({
      db,
      providers: wired.providers,
      now: wired.now,
      random: () => 0.5,
      log: silent,
    });
    const pass = await worker.runOnce();
    expect(pass).toMatchObject({ leased: cars.length, synced: others.length, failed: 1 });
    expect(peakPerCar).toBe(1);
    expect(peakTotal).toBeLessThanOrEqual(3);
    expect(peakTotal).toBeGreaterThan(1);

    const stuck = await getSyncState(db, hung.vehicle_id, 'psa-v4');
    expect(stuck?.lastSyncedAt).toBeNull();
    expect(stuck?.failures).toBe(1);
    expect(stuck?.lastError).toBe('Error: The operation was aborted due to timeout');
    // Backoff with jitter (random 0.5: half of the first 30 s window), lease given back.
    expect(stuck?.nextSyncAt).toBe(cloud.clock.now() + 15_000);
    expect(stuck?.leaseOwner).toBeNull();
    const cadence: Record<string, number> = {
      driving: 30_000,
      parked: 5 * MINUTE,
      charging: 5 * MINUTE,
      unknown: 5 * MINUTE,
      asleep: 15 * MINUTE,
    };
    for (const car of others) {
      const state = await getSyncState(db, car.vehicle_id, 'psa-v4');
      if (!state || state.lastSyncedAt === null) throw new Error(`car ${car.vehicle_id} did not sync`);
      expect(state.lastSyncedAt).toBe(cloud.clock.now());
      expect(state.failures).toBe(0);
      expect(state.nextSyncAt - state.lastSyncedAt).toBe(cadence[state.activity]);
    }
  });

  it('refuses an oversized or too deeply nested answer: the sync fails and stores nothing of that car (IN-06)', async () => {
    const db = await open();
    // A hostile stand-in for two cars' data endpoints on loopback: one answers 9 MiB, one 1,000 levels.
    const hostile = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/hal+json' });
      if (request.url?.startsWith('/big/')) {
        const chunk = `"${'x'.repeat(64 * 1024)}",`;
        const write = () => {
          for (let sent = 0; sent < 9 * 1024 * 1024 && !response.destroyed; sent += chunk.length) {
            response.write(chunk);
          }
          if (!response.destroyed) response.end('1]');
        };
        response.write('[');
        write();
      } else {
        response.end(`${'['.repeat(1_000)}${']'.repeat(1_000)}`);
      }
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    const routes = new Map<string, string>();
    const transport: UpstreamHttp = {
      request(request) {
        for (const [providerVehicleId, kind] of routes) {
          if (request.url.includes(`/user/vehicles/${providerVehicleId}/`)) {
            const url = new URL(request.url);
            return plainHttp.request({ ...request, url: `${origin}/${kind}${url.pathname}${url.search}` });
          }
        }
        return plainHttp.request(request);
      },
    };
    try {
      const wired = await wireWorker(cloud, db, { backfillMs: 10 * MINUTE, transport });
      const demo = await linkSimulatedOwner(
        wired.linkOptions,
        wired.page.owners[0] ?? expect.fail('no owner'),
        true,
      );
      await linkPeers({ ...wired.linkOptions, peers: 1 });
      const cars = await db
        .selectFrom('car_account_vehicles')
        .select(['vehicle_id', 'provider_vehicle_id'])
        .orderBy('provider_vehicle_id')
        .execute();
      const [big, deep, ...fine] = cars;
      if (!big || !deep || fine.length === 0) throw new Error('expected at least three cars');
      routes.set(big.provider_vehicle_id, 'big');
      routes.set(deep.provider_vehicle_id, 'deep');
      const worker = createSyncWorker({ db, providers: wired.providers, now: wired.now, log: silent });
      expect(await worker.runOnce()).toMatchObject({ leased: cars.length, synced: fine.length, failed: 2 });
      const refused = {
        [big.vehicle_id]: /^UpstreamAnswerRefusedError: GET \/.*: the answer is over 8388608 bytes$/,
        [deep.vehicle_id]: /^UpstreamAnswerRefusedError: GET \/.*: the answer nests deeper than 64 levels$/,
      };
      for (const [vehicleId, error] of Object.entries(refused)) {
        const state = await getSyncState(db, vehicleId, 'psa-v4');
        expect(state?.lastError).toMatch(error);
        expect(state?.failures).toBe(1);
        expect(state?.lastSyncedAt).toBeNull();
        expect(await countRows(db, 'samples', [vehicleId])).toBe(0);
        expect(await countRows(db, 'trips', [vehicleId])).toBe(0);
        expect(await countRows(db, 'alerts', [vehicleId])).toBe(0);
      }
      expect(demo.vehicles.length).toBeGreaterThan(0);
      for (const car of fine) {
        expect((await getSyncState(db, car.vehicle_id, 'psa-v4'))?.lastSyncedAt).toBe(cloud.clock.now());
      }
    } finally {
      hostile.closeAllConnections();
      await new Promise<void>((resolve) => hostile.close(() => resolve()));
    }
  });

  it('backs off with jitter on 5xx, within the capped window', async () => {
    const db = await open();
    // A high breaker threshold: this test is about the backoff, not the circuit.
    const wired = await wireWorker(cloud, db, {
      resilience: { failureThreshold: 100 },
      backfillMs: 10 * MINUTE,
    });
    const demo = await linkSimulatedOwner(
      wired.linkOptions,
      wired.page.owners[0] ?? expect.fail('no owner'),
      true,
    );
    cloud.setFaults([{ kind: 'server_error', rate: 1, endpoints: ['/connectedcar/**'] }]);
    // random() = 0.5: half of the first window (30 s · 2^0).
    const worker = createSyncWorker({
      db,
      providers: wired.providers,
      now: wired.now,
      random: () => 0.5,
      log: silent,
    });
    const pass = await worker.runOnce();
    expect(pass.failed).toBe(demo.vehicles.length);
    for (const vehicle of demo.vehicles) {
      const state = await getSyncState(db, vehicle.vehicleId, 'psa-v4');
      expect(state?.nextSyncAt).toBe(cloud.clock.now() + 15_000);
      expect(state?.lastError).toMatch(/500|server/i);
    }
  });

  it('a revoked grant ends in re-authorisation needed, without a refresh loop', async () => {
    const db = await open();
    let refreshes = 0;
    // The token endpoint takes the global fetch when its provider is built: count from before.
    const originalFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/am/oauth2/access_token'))
        refreshes++;
      return originalFetch(input, init);
    };
    try {
      const wired = await wireWorker(cloud, db, { withClientSecrets: true, backfillMs: 10 * MINUTE });
      const demo = await linkSimulatedOwner(
        wired.linkOptions,
        wired.page.owners[0] ?? expect.fail('no owner'),
        true,
      );
      cloud.setFaults([{ kind: 'token_revoked', rate: 1, endpoints: ['/connectedcar/**'] }]);
      const worker = createSyncWorker({ db, providers: wired.providers, now: wired.now, log: silent });
      const pass = await worker.runOnce();
      expect(pass.reauthorization).toBe(demo.vehicles.length);
      // One refresh attempt, refused (the grant is revoked): no second one for the account's other cars.
      expect(refreshes).toBe(1);
      const account = await db
        .selectFrom('car_accounts')
        .select(['status', 'status_reason'])
        .where('id', '=', demo.accountId)
        .executeTakeFirstOrThrow();
      expect(account).toEqual({ status: 'reauthorization_needed', status_reason: 'grant_refused' });
      // The account's cars are no longer leased, however late it gets.
      const later = createSyncWorker({
        db,
        providers: wired.providers,
        now: () => cloud.clock.now() + 86_400_000,
        log: silent,
      });
      expect((await later.runOnce()).leased).toBe(0);
      expect(refreshes).toBe(1);
    } finally {
      globalThis.fetch = originalFetch;
    }
  });

  it('tries the peers it could not link again, until the maker lists their cars', async () => {
    const db = await open();
    // The circuit breaker stays out of it: on the frozen clock it would never close again.
    const wired = await wireWorker(cloud, db, { resilience: { failureThreshold: 1_000 } });
    // Listing a peer's cars fails (500 on every attempt), for the first pass and the first retry.
    cloud.setFaults([{ kind: 'server_error', rate: 1, endpoints: ['/connectedcar/v4/user/vehicles'] }]);
    expect(await linkPeers({ ...wired.linkOptions, peers: 2 }), 'without retry').toBe(0);

    const lines: string[] = [];
    const attempts: number[] = [];
    const linked = await linkPeers({
      ...wired.linkOptions,
      peers: 2,
      log: (line) => lines.push(line),
      retry: async (attempt) => {
        attempts.push(attempt);
        if (attempt === 1) cloud.setFaults([]);
      },
    });
    expect(linked).toBe(2);
    expect(attempts).toEqual([0, 1]);
    // Each peer failed twice (the first pass and the first retry), then linked.
    expect(lines.filter((line) => /peer \d could not be linked/.test(line))).toHaveLength(4);
    const linkedCars = await db.selectFrom('car_account_vehicles').select('vehicle_id').execute();
    const peerCars = [1, 2].flatMap((index) => cloud.ctx.world.ownerAt(index).vehicles);
    expect(linkedCars).toHaveLength(peerCars.length);
    expect(await db.selectFrom('sync_state').select('vehicle_id').execute()).toHaveLength(peerCars.length);
  });

  it('links peers as password-less Kinetic users of their own, and stop() gives unstarted leases back', async () => {
    const db = await open();
    const wired = await wireWorker(cloud, db, { backfillMs: 10 * MINUTE });
    await linkSimulatedOwner(wired.linkOptions, wired.page.owners[0] ?? expect.fail('no owner'), true);
    expect(await linkPeers({ ...wired.linkOptions, peers: 2 })).toBe(2);
    const peers = await db
      .selectFrom('users')
      .select(['email', 'password_hash', 'is_demo'])
      .where('email', 'like', `%@${PEER_EMAIL_DOMAIN}`)
      .execute();
    expect(peers).toHaveLength(2);
    for (const peer of peers) expect(peer).toMatchObject({ password_hash: null, is_demo: 0 });
    // Linking again reuses the users, accounts and cars.
    const vehiclesBefore = await db.selectFrom('vehicles').select('id').execute();
    expect(await linkPeers({ ...wired.linkOptions, peers: 2 })).toBe(2);
    expect(await db.selectFrom('vehicles').select('id').execute()).toHaveLength(vehiclesBefore.length);

    // One car at a time; stop() during the first sync: the rest of the batch goes back unsynced.
    let worker: ReturnType<typeof createSyncWorker> | undefined;
    let stopped: Promise<void> | undefined;
    const stopping: ProviderFactory = {
      forAccount(account) {
        const inner = wired.providers.forAccount(account);
        return {
          ...inner,
          sync: async (ref, cursor) => {
            stopped ??= worker?.stop();
            return inner.sync(ref, cursor);
          },
        };
      },
      forget: wired.providers.forget,
    };
    worker = createSyncWorker({ db, providers: stopping, now: wired.now, concurrency: 1, log: silent });
    const pass = await worker.runOnce();
    await stopped;
    expect(pass.synced).toBe(1);
    expect(pass.released).toBe(vehiclesBefore.length - 1);
    const leased = await db
      .selectFrom('sync_state')
      .select('vehicle_id')
      .where('lease_owner', 'is not', null)
      .execute();
    expect(leased).toEqual([]);
  });
});

describe('two workers on one PostgreSQL', () => {
  let cloud: TestCloud;
  let opened: TestDatabase | undefined;
  beforeAll(async () => {
    cloud = await startTestCloud({ peers: 3, seed: 'two-workers' });
  });
  afterAll(async () => {
    await cloud.close();
    await opened?.cleanup();
  });

  it('never sync the same car at once, and between them sync every due car once per round', async () => {
    opened = await openTestDatabase('postgres');
    const { db } = opened;
    let offset = 0;
    // Leases are the point here, not data: a first sync of ten minutes of history.
    const wired = await wireWorker(cloud, db, {
      now: () => cloud.clock.now() + offset,
      backfillMs: 10 * MINUTE,
    });
    await linkSimulatedOwner(wired.linkOptions, wired.page.owners[0] ?? expect.fail('no owner'), true);
    await linkPeers({ ...wired.linkOptions, peers: 3 });
    const cars = (await db.selectFrom('sync_state').select('vehicle_id').execute()).length;
    expect(cars).toBeGreaterThanOrEqual(4);

    const inFlight = new Map<string, number>();
    let overlaps = 0;
    const syncedBy: Record<string, string[]> = {};
    const watching = (name: string): ProviderFactory => ({
      forAccount(account) {
        const inner: VehicleDataProvider = wired.providers.forAccount(account);
        return {
          ...inner,
          sync: async (ref, cursor) => {
            const count = (inFlight.get(ref.providerVehicleId) ?? 0) + 1;
            inFlight.set(ref.providerVehicleId, count);
            if (count > 1) overlaps++;
            syncedBy[name] = [...(syncedBy[name] ?? []), ref.providerVehicleId];
            try {
              // Hold the car a little so the other worker's lease attempt lands meanwhile.
              await new Promise((resolve) => setTimeout(resolve, 5));
              return await inner.sync(ref, cursor);
            } finally {
              inFlight.set(ref.providerVehicleId, (inFlight.get(ref.providerVehicleId) ?? 1) - 1);
            }
          },
        };
      },
      forget: wired.providers.forget,
    });
    const now = () => cloud.clock.now() + offset;
    const a = createSyncWorker({
      db,
      providers: watching('a'),
      workerId: 'a',
      now,
      batchSize: 2,
      concurrency: 2,
      log: silent,
    });
    const b = createSyncWorker({
      db,
      providers: watching('b'),
      workerId: 'b',
      now,
      batchSize: 2,
      concurrency: 2,
      log: silent,
    });

    for (let round = 0; round < 3; round++) {
      for (const key of Object.keys(syncedBy)) delete syncedBy[key];
      // Both workers pass until nothing is due this round.
      for (;;) {
        const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
        if (ra.leased + rb.leased === 0) break;
      }
      const all = [...(syncedBy.a ?? []), ...(syncedBy.b ?? [])];
      expect(all).toHaveLength(cars);
      expect(new Set(all).size).toBe(cars);
      offset += 3 * 60 * MINUTE;
    }
    expect(overlaps).toBe(0);
  }, 20_000);
});
