import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  PSA_V4_ALERT_TYPES,
  psaV4AlertSchema,
  psaV4AlertsSchema,
  psaV4CollisionSchema,
  psaV4CollisionsSchema,
  psaV4MaintenanceSchema,
} from '../../vehicle-api/psa-v4/schema';
import { SimClock } from '../clock';
import { createSimContext, type SimContext } from '../context';
import { alertsBetween } from '../fleet/alerts';
import { collisionsBetween } from '../fleet/collisions';
import { maintenanceAt } from '../fleet/maintenance';
import { TEST_TOKEN_SCOPES } from '../oauth/scopes';
import { createSimulatorServer } from '../server';
import type { SimVehicle } from '../world/world';
import {
  type Credentials,
  expectApiError,
  issueTestCredentials,
  startV4Server,
  TEST_NOW,
  type V4TestServer,
} from './test-server';
import { createV4Routes } from './user-routes';

// Contract tests over real HTTP for maintenance, alerts and collisions (spec 4.17 Maintenance,
// Alert(s), Collision(s); vehicle-apis.md §4.1, §5.6, §5.7, §5.9, §6). Objects are strict so that
// a field the spec does not define fails the test, and every body also passes the schemas Kinetic's
// own client reads the API with.

const rfc3339Utc = z.iso.datetime({ precision: 0 });
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const DAY_MS = 86_400_000;

function schemasFor(origin: string, vehicleId: string) {
  const base = `${origin}/connectedcar/v4/user/vehicles/${vehicleId}`;
  const href = (pattern: RegExp) =>
    z.strictObject({
      href: z.string().refine((value) => pattern.test(value.slice(base.length)) && value.startsWith(base)),
    });
  const tripLink = href(new RegExp(`^/trips/${vehicleId}-\\d+-\\d+$`));
  const position = z.strictObject({
    type: z.literal('Feature'),
    geometry: z.strictObject({
      type: z.literal('Point'),
      coordinates: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number()]),
    }),
    properties: z.strictObject({
      createdAt: rfc3339Utc,
      heading: z.number().int().min(0).max(359).optional(),
      type: z.enum(['Estimated', 'Acquire']),
      signalQuality: z.number().int().optional(),
      fixStatus: z.enum(['2D', '3D']).optional(),
    }),
  });
  const maintenance = z.strictObject({
    createdAt: rfc3339Utc,
    updatedAt: rfc3339Utc,
    daysBeforeMaintenance: z.number().int(),
    mileageBeforeMaintenance: z.number(),
    _links: z.strictObject({
      self: href(/^\/maintenance$/),
      vehicle: href(/^$/),
      alerts: href(/^\/alerts$/),
    }),
  });
  const alert = z.strictObject({
    id: hex64,
    active: z.boolean(),
    type: z.enum(PSA_V4_ALERT_TYPES),
    severity: z.enum(['Information', 'Warning', 'Critical']),
    startedAt: rfc3339Utc,
    endAt: rfc3339Utc.optional(),
    startPosition: position.optional(),
    endPosition: position.optional(),
    createdAt: rfc3339Utc,
    updatedAt: rfc3339Utc,
    _links: z.strictObject({
      self: href(/^\/alerts\/[0-9a-f]{64}$/),
      vehicle: href(/^$/),
      trips: z.array(tripLink).min(1).optional(),
    }),
  });
  const collision = z.strictObject({
    id: hex64,
    createdAt: rfc3339Utc,
    updatedAt: rfc3339Utc,
    details: z
      .array(
        z.strictObject({
          side: z.enum(['Front', 'Rear', 'Lateral']),
          severity: z.enum(['Minimal', 'Minor', 'Major']),
        }),
      )
      .min(1),
    pedestrian: z.boolean(),
    tippedOver: z.boolean(),
    _links: z.strictObject({
      self: href(/^\/collisions\/[0-9a-f]{64}$/),
      vehicle: href(/^$/),
      trip: tripLink,
    }),
  });
  const collection = <T extends z.ZodType>(name: string, item: T, path: string) => {
    const pageLink = href(new RegExp(`^/${path}\\?pageToken=[^&]+$`));
    return z.strictObject({
      _links: z.strictObject({
        self: pageLink,
        first: pageLink,
        next: pageLink.optional(),
        prev: pageLink.optional(),
        last: pageLink,
      }),
      total: z.number().int().min(1),
      totalPage: z.number().int().min(1),
      currentPage: z.number().int().min(1),
      _embedded: z.strictObject({ [name]: z.array(item) }),
    });
  };
  return {
    maintenance,
    alert,
    collision,
    alerts: collection('alerts', alert, 'alerts'),
    collisions: collection('Collisions', collision, 'collisions'),
  };
}

const without = (scope: string) => TEST_TOKEN_SCOPES.filter((granted) => granted !== scope);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

type AlertsBody = z.infer<ReturnType<typeof schemasFor>['alerts']>;

describe('PSA v4 maintenance and alerts', () => {
  let server: V4TestServer;
  let demo: Required<Credentials>;
  let combustion: SimVehicle;
  let electric: SimVehicle;
  let foreignId: string;

  beforeAll(async () => {
    server = await startV4Server();
    demo = server.credentialsFor(0);
    [combustion, electric] = server.ctx.world.ownerAt(0).vehicles as [SimVehicle, SimVehicle];
    foreignId = server.ctx.world.ownerAt(1).vehicles[0]?.id ?? '';
  });
  afterAll(() => server.close());

  const alertsPath = (vehicle: SimVehicle, query = '') => `/user/vehicles/${vehicle.id}/alerts${query}`;
  const historyStart = (vehicle: SimVehicle) => server.ctx.fleet.historyStartMs(vehicle, TEST_NOW);

  it('GET maintenance returns the service indicator of each car', async () => {
    for (const vehicle of [combustion, electric]) {
      const response = await server.call(`/user/vehicles/${vehicle.id}/maintenance`, demo);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/hal+json');
      const json = await response.json();
      psaV4MaintenanceSchema.parse(json);
      const body = schemasFor(server.origin, vehicle.id).maintenance.parse(json);
      const counters = maintenanceAt(server.ctx, vehicle, TEST_NOW);
      expect(body.daysBeforeMaintenance).toBe(counters?.daysBeforeMaintenance);
      expect(body.mileageBeforeMaintenance).toBe(counters?.mileageBeforeMaintenance);
      expect(body.createdAt).toBe(iso(Math.floor((counters?.createdAtMs ?? 0) / 1000) * 1000));
      expect(Date.parse(body.createdAt)).toBeLessThanOrEqual(TEST_NOW);
      // A 2-year plan for the electric car, a year for the other.
      expect(body.daysBeforeMaintenance).toBeLessThanOrEqual(vehicle.powertrain === 'electric' ? 731 : 366);
    }
  });

  it('refuses maintenance of a foreign car, and without data:telemetry', async () => {
    await expectApiError(await server.call(`/user/vehicles/${foreignId}/maintenance`, demo), 403, 40301);
    const noTelemetry = server.credentialsFor(0, without('data:telemetry'));
    const error = await expectApiError(
      await server.call(`/user/vehicles/${combustion.id}/maintenance`, noTelemetry),
      403,
      40302,
    );
    expect(error.message).toContain('data:telemetry');
  });

  it('GET alerts lists the served history newest first, positions included', async () => {
    for (const vehicle of [combustion, electric]) {
      const response = await server.call(alertsPath(vehicle), demo);
      expect(response.status).toBe(200);
      const json = await response.json();
      psaV4AlertsSchema.parse(json);
      const body = schemasFor(server.origin, vehicle.id).alerts.parse(json);
      const alerts = body._embedded.alerts as z.infer<ReturnType<typeof schemasFor>['alert']>[];
      const expected = alertsBetween(server.ctx, vehicle, historyStart(vehicle), TEST_NOW + 1, TEST_NOW);
      expect(body.total).toBe(expected.length);
      expect(alerts.map((alert) => alert.id)).toEqual(
        expected
          .map((alert) => alert.id)
          .reverse()
          .slice(0, 60),
      );
      const starts = alerts.map((alert) => Date.parse(alert.startedAt));
      expect(starts).toEqual([...starts].sort((a, b) => b - a));
      for (const alert of alerts) {
        expect(Date.parse(alert.startedAt)).toBeLessThanOrEqual(TEST_NOW);
        expect(alert.active || Date.parse(alert.startedAt) >= historyStart(vehicle)).toBe(true);
        expect(alert.active).toBe(alert.endAt === undefined);
        if (alert.endAt) expect(Date.parse(alert.endAt)).toBeGreaterThan(Date.parse(alert.startedAt));
        // The demo owner never hides positions.
        expect(alert.startPosition?.properties.createdAt).toBe(alert.startedAt);
        if (alert.endAt) expect(alert.endPosition?.properties.createdAt).toBe(alert.endAt);
        if (vehicle.powertrain === 'electric')
          expect(['FuelLevelLow', 'OilLevelLow', 'AdBlueFault']).not.toContain(alert.type);
      }
      // A winter month: ice warnings on cold departures, each linked to its trip.
      const ice = alerts.filter((alert) => alert.type === 'RiskOfIce');
      expect(ice.length).toBeGreaterThan(0);
      for (const alert of ice) expect(alert._links.trips).toHaveLength(1);
    }
  });

  it('leaves positions out without data:position', async () => {
    const noPosition = server.credentialsFor(0, without('data:position'));
    const response = await server.call(alertsPath(combustion), noPosition);
    expect(response.status).toBe(200);
    const body = schemasFor(server.origin, combustion.id).alerts.parse(await response.json());
    expect(body.total).toBeGreaterThan(0);
    for (const alert of body._embedded.alerts as Record<string, unknown>[]) {
      expect(alert).not.toHaveProperty('startPosition');
      expect(alert).not.toHaveProperty('endPosition');
    }
  });

  it('pages with pageSize, pageToken links and indexRange', async () => {
    const schema = schemasFor(server.origin, combustion.id).alerts;
    const all = schema.parse(await (await server.call(alertsPath(combustion), demo)).json());
    const ids = (body: AlertsBody) => (body._embedded.alerts as { id: string }[]).map((alert) => alert.id);
    expect(all.total).toBeGreaterThan(3);
    const pages: string[] = [];
    let body = schema.parse(await (await server.call(alertsPath(combustion, '?pageSize=2'), demo)).json());
    expect(body.totalPage).toBe(Math.ceil(all.total / 2));
    for (;;) {
      expect(ids(body).length).toBeLessThanOrEqual(2);
      pages.push(...ids(body));
      if (!body._links.next) break;
      body = schema.parse(await (await server.call(body._links.next.href, demo)).json());
    }
    expect(body.currentPage).toBe(body.totalPage);
    expect(pages).toEqual(ids(all));
    const ranged = schema.parse(
      await (await server.call(alertsPath(combustion, '?indexRange=1-3'), demo)).json(),
    );
    expect(ranged.total).toBe(3);
    expect(ids(ranged)).toEqual(ids(all).slice(1, 4));
  });

  it('filters by timestamps on the alert start, keeping alerts still on', async () => {
    const known = alertsBetween(server.ctx, combustion, historyStart(combustion), TEST_NOW + 1, TEST_NOW);
    expect(known.length).toBeGreaterThanOrEqual(4);
    const ids = (body: AlertsBody) => (body._embedded.alerts as { id: string }[]).map((alert) => alert.id);
    const schema = schemasFor(server.origin, combustion.id).alerts;
    // From the middle alert's start to now.
    const from = known[Math.floor(known.length / 2)]?.startedAtMs ?? 0;
    const sinceQuery = `?timestamps=${encodeURIComponent(`${iso(from)}/`)}`;
    const since = schema.parse(await (await server.call(alertsPath(combustion, sinceQuery), demo)).json());
    expect(ids(since)).toEqual(
      known
        .filter((alert) => alert.startedAtMs >= from || alert.active)
        .map((alert) => alert.id)
        .reverse(),
    );
    // Two one-hour ranges: an alert started in either one, or one still on when they end.
    const ranges = [known[0], known[2]].map((alert) => ({
      fromMs: alert?.startedAtMs ?? 0,
      toMs: (alert?.startedAtMs ?? 0) + 3_600_000,
    }));
    const query = ranges
      .map((range) => `timestamps=${encodeURIComponent(`${iso(range.fromMs)}/PT1H`)}`)
      .join('&');
    const twice = schema.parse(await (await server.call(alertsPath(combustion, `?${query}`), demo)).json());
    const inEither = known.filter(
      (alert) =>
        ranges.some((range) => alert.startedAtMs >= range.fromMs && alert.startedAtMs < range.toMs) ||
        (alert.active && ranges.some((range) => alert.startedAtMs < range.toMs)),
    );
    expect(inEither.length).toBeGreaterThanOrEqual(2);
    expect(ids(twice)).toEqual(inEither.map((alert) => alert.id).reverse());
    // Before the served history, or in the future: nothing.
    for (const range of [
      `${iso(historyStart(combustion) - 20 * DAY_MS)}/P5D`,
      `${iso(TEST_NOW + DAY_MS)}/P1D`,
    ]) {
      await expectApiError(
        await server.call(alertsPath(combustion, `?timestamps=${encodeURIComponent(range)}`), demo),
        404,
        40499,
      );
    }
  });

  it('GET alerts/{aid} returns the listed alert, and 404 for an unknown one', async () => {
    const schemas = schemasFor(server.origin, electric.id);
    const list = schemas.alerts.parse(
      await (await server.call(alertsPath(electric, '?pageSize=5'), demo)).json(),
    );
    for (const listed of list._embedded.alerts as { id: string; _links: { self: { href: string } } }[]) {
      const response = await server.call(listed._links.self.href, demo);
      expect(response.status).toBe(200);
      const json = await response.json();
      psaV4AlertSchema.parse(json);
      expect(schemas.alert.parse(json)).toEqual(listed);
    }
    const known = (list._embedded.alerts as { id: string }[])[0]?.id ?? '';
    const unknown = `${known.slice(0, 63)}${known.endsWith('0') ? '1' : '0'}`;
    await expectApiError(await server.call(alertsPath(electric, `/${unknown}`), demo), 404, 40400);
    await expectApiError(await server.call(alertsPath(electric, '/not-an-alert'), demo), 404, 40400);
    // The same alert under the other car is unknown there; under a foreign car it is forbidden.
    await expectApiError(await server.call(alertsPath(combustion, `/${known}`), demo), 404, 40400);
    await expectApiError(await server.call(`/user/vehicles/${foreignId}/alerts/${known}`, demo), 403, 40301);
  });

  it('GET trips/{tid}/alerts lists the alerts that were on during that trip', async () => {
    // An alert of a demo car that overlapped a trip the cloud still serves.
    const found = [electric, combustion].flatMap((candidate) =>
      alertsBetween(server.ctx, candidate, historyStart(candidate), TEST_NOW + 1, TEST_NOW).map((alert) => ({
        vehicle: candidate,
        alert,
        trip: alert.trips.find((trip) => trip.startMs >= historyStart(candidate)),
      })),
    );
    const pick = found.find((entry) => entry.trip !== undefined);
    expect(pick).toBeDefined();
    const { vehicle, alert: served, trip } = pick as (typeof found)[number];
    const all = found.filter((entry) => entry.vehicle === vehicle).map((entry) => entry.alert);
    const tripId = trip?.id ?? '';
    const tripAlerts = `/user/vehicles/${vehicle.id}/trips/${tripId}/alerts`;
    const response = await server.call(tripAlerts, demo);
    expect(response.status).toBe(200);
    const body = psaV4AlertsSchema.parse(await response.json());
    const ids = (body._embedded.alerts ?? []).map((alert) => alert.id);
    expect(ids).toContain(served.id);
    const one = await server.call(`${tripAlerts}/${served.id}`, demo);
    expect(one.status).toBe(200);
    expect(psaV4AlertSchema.parse(await one.json()).id).toBe(served.id);
    // An alert of another trip is not found under this one; a trip the car never made is 404.
    const other = all.find((alert) => alert.trips.every((trip) => trip.id !== tripId));
    if (other) await expectApiError(await server.call(`${tripAlerts}/${other.id}`, demo), 404, 40400);
    await expectApiError(
      await server.call(`/user/vehicles/${vehicle.id}/trips/nope/alerts`, demo),
      404,
      40499,
    );
    const noTrip = server.credentialsFor(0, without('data:trip'));
    await expectApiError(await server.call(tripAlerts, noTrip), 403, 40302);
  });

  it('refuses alerts of a foreign car, without data:alert, and with invalid parameters', async () => {
    await expectApiError(await server.call(`/user/vehicles/${foreignId}/alerts`, demo), 403, 40301);
    const noAlert = server.credentialsFor(0, without('data:alert'));
    await expectApiError(await server.call(alertsPath(combustion), noAlert), 403, 40302);
    const invalid: [string, number][] = [
      ['?pageSize=0', 40001],
      ['?pageSize=61', 40001],
      ['?indexRange=9-5', 40001],
      ['?timestamps=yesterday', 40001],
      ['?timestamps=2026-02-10T00:00:00Z/2026-02-01T00:00:00Z', 40001],
      ['?locale=fr%20FR', 40001],
      ['?pageSize=2&pageSize=3', 40002],
      ['?pageToken=forged', 40003],
    ];
    for (const [query, code] of invalid) {
      await expectApiError(await server.call(alertsPath(combustion, query), demo), 400, code);
    }
  });
});

/**
 * A v4 server whose cloud keeps years of history: collisions are rare (about one per ten
 * car-years), so the 30-day default window of the shared test server rarely holds one.
 */
async function startLongHistoryServer() {
  const clock = new SimClock({ now: TEST_NOW, frozen: true });
  const ctx = createSimContext({ seed: 'v4-test', peers: 20, clock, backfillDays: 3000 });
  const httpServer = createSimulatorServer(ctx, [createV4Routes({ rateLimit: { perSecond: 1_000_000 } })]);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const credentialsFor = (ownerIndex: number, scopes?: readonly string[]) =>
    issueTestCredentials(ctx, ownerIndex, scopes).credentials;
  const call = (path: string, credentials: ReturnType<typeof credentialsFor>) => {
    const url = new URL(path.startsWith('http') ? path : `${origin}/connectedcar/v4${path}`);
    url.searchParams.append('client_id', credentials.clientId);
    return fetch(url, {
      headers: {
        accept: 'application/hal+json',
        'x-introspect-realm': credentials.realm,
        authorization: `Bearer ${credentials.token}`,
      },
    });
  };
  const close = () => new Promise<void>((resolve) => httpServer.close(() => resolve()));
  return { ctx, origin, credentialsFor, call, close };
}

describe('PSA v4 collisions', () => {
  let server: Awaited<ReturnType<typeof startLongHistoryServer>>;
  let shortServer: V4TestServer;
  let ctx: SimContext;
  let car: SimVehicle;
  let expected: ReturnType<typeof collisionsBetween>;

  beforeAll(async () => {
    server = await startLongHistoryServer();
    shortServer = await startV4Server();
    ctx = server.ctx;
    // The car of the test world with the most collisions in its served history.
    const candidates = Array.from({ length: 21 }, (_, index) => ctx.world.ownerAt(index).vehicles).flat();
    const ranked = candidates
      .map((vehicle) => ({
        vehicle,
        collisions: collisionsBetween(
          ctx,
          vehicle,
          ctx.fleet.historyStartMs(vehicle, TEST_NOW),
          TEST_NOW + 1,
          TEST_NOW,
        ),
      }))
      .sort((a, b) => b.collisions.length - a.collisions.length);
    car = ranked[0]?.vehicle as SimVehicle;
    expected = ranked[0]?.collisions ?? [];
  });
  afterAll(async () => {
    await server.close();
    await shortServer.close();
  });

  const collisionsPath = (query = '') => `/user/vehicles/${car.id}/collisions${query}`;

  it('GET collisions lists them newest first under _embedded.Collisions', async () => {
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const owner = server.credentialsFor(car.ownerIndex);
    const response = await server.call(collisionsPath(), owner);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/hal+json');
    const schemas = schemasFor(server.origin, car.id);
    const json = await response.json();
    psaV4CollisionsSchema.parse(json);
    const body = schemas.collisions.parse(json);
    const listed = body._embedded.Collisions as z.infer<typeof schemas.collision>[];
    expect(body.total).toBe(expected.length);
    expect(listed.map((collision) => collision.id)).toEqual(
      expected.map((collision) => collision.id).reverse(),
    );
    for (const [index, collision] of listed.entries()) {
      const domain = expected[expected.length - 1 - index];
      expect(collision.createdAt).toBe(iso(domain?.createdAtMs ?? 0));
      expect(collision.details).toEqual(domain?.details);
      expect(collision._links.trip.href).toBe(
        `${server.origin}/connectedcar/v4/user/vehicles/${car.id}/trips/${domain?.tripId}`,
      );
      const one = await server.call(collision._links.self.href, owner);
      expect(one.status).toBe(200);
      const oneJson = await one.json();
      psaV4CollisionSchema.parse(oneJson);
      expect(schemas.collision.parse(oneJson)).toEqual(collision);
    }
    // Paging and the timestamps filter work as for any collection.
    const page = schemas.collisions.parse(
      await (await server.call(collisionsPath('?pageSize=1'), owner)).json(),
    );
    expect(page.totalPage).toBe(expected.length);
    expect(page._links.next).toBeDefined();
    const newest = expected.at(-1)?.createdAtMs ?? 0;
    const filtered = schemas.collisions.parse(
      await (
        await server.call(collisionsPath(`?timestamps=${encodeURIComponent(`${iso(newest)}/`)}`), owner)
      ).json(),
    );
    expect((filtered._embedded.Collisions as { id: string }[]).map((collision) => collision.id)).toEqual([
      expected.at(-1)?.id,
    ]);
  });

  it('GET trips/{tid}/collisions lists the collisions of that trip only', async () => {
    const owner = server.credentialsFor(car.ownerIndex);
    const collision = expected.at(-1);
    const tripCollisions = `/user/vehicles/${car.id}/trips/${collision?.tripId}/collisions`;
    const response = await server.call(tripCollisions, owner);
    expect(response.status).toBe(200);
    const body = psaV4CollisionsSchema.parse(await response.json());
    expect((body._embedded.Collisions ?? []).map((item) => item.id)).toEqual(
      expected
        .filter((item) => item.tripId === collision?.tripId)
        .map((item) => item.id)
        .reverse(),
    );
    const one = await server.call(`${tripCollisions}/${collision?.id}`, owner);
    expect(psaV4CollisionSchema.parse(await one.json()).id).toBe(collision?.id);
    const elsewhere = expected.find((item) => item.tripId !== collision?.tripId);
    if (elsewhere) {
      await expectApiError(await server.call(`${tripCollisions}/${elsewhere.id}`, owner), 404, 40400);
    }
  });

  it('answers 404 for an unknown collision or an empty window, 403 for a foreign car or scope', async () => {
    const owner = server.credentialsFor(car.ownerIndex);
    const known = expected[0]?.id ?? '';
    await expectApiError(
      await server.call(collisionsPath(`/${known.slice(0, 63)}${known.endsWith('0') ? '1' : '0'}`), owner),
      404,
      40400,
    );
    await expectApiError(
      await server.call(collisionsPath('?timestamps=2026-03-02T00:00:00Z/P1D'), owner),
      404,
      40499,
    );
    const stranger = server.credentialsFor(car.ownerIndex === 0 ? 1 : 0);
    await expectApiError(await server.call(collisionsPath(), stranger), 403, 40301);
    await expectApiError(await server.call(collisionsPath(`/${known}`), stranger), 403, 40301);
    const noCollision = server.credentialsFor(car.ownerIndex, without('data:collision'));
    await expectApiError(await server.call(collisionsPath(), noCollision), 403, 40302);
    await expectApiError(await server.call(collisionsPath('?indexRange=x'), owner), 400, 40001);
  });

  it('serves only the retention window: the 30-day cloud has none of these older collisions', async () => {
    const recent = expected.filter(
      (collision) => collision.createdAtMs >= shortServer.ctx.fleet.historyStartMs(car, TEST_NOW),
    );
    const owner = shortServer.credentialsFor(car.ownerIndex);
    const response = await shortServer.call(collisionsPath(), owner);
    if (recent.length === 0) {
      await expectApiError(response, 404, 40499);
      const older = expected[0]?.id ?? '';
      await expectApiError(await shortServer.call(collisionsPath(`/${older}`), owner), 404, 40400);
    } else {
      expect(response.status).toBe(200);
      const body = (await response.json()) as { total: number };
      expect(body.total).toBe(recent.length);
    }
  });
});
