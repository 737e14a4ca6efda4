import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  psaV4AlertSchema,
  psaV4AlertsSchema,
  psaV4CollisionSchema,
  psaV4CollisionsSchema,
  psaV4MaintenanceSchema,
  psaV4PortalErrorSchema,
  psaV4PositionSchema,
  psaV4StatusSchema,
  psaV4TelemetriesSchema,
  psaV4TripSchema,
  psaV4TripsSchema,
  psaV4UserSchema,
  psaV4VehicleSchema,
  psaV4VehiclesSchema,
  psaV4WayPointsSchema,
} from '@/lib/vehicle-api/psa-v4/schema';
import { DAY_MS } from '../fleet/vehicle-timeline';
import type { SimVehicle } from '../world/world';
import { type Credentials, startV4Server, TEST_NOW, type V4TestServer } from './test-server';

// The contract: every v4 answer of the simulator parses with the schemas Kinetic's adapter uses,
// which were written from the spec independently of the simulator. A field the simulator names
// wrongly, an enum value the spec does not have, a unit out of range or a missing required field
// fails here. Collections are followed through their `next` links.

type Schema = z.ZodType;

let server: V4TestServer;

beforeAll(async () => {
  server = await startV4Server();
});
afterAll(() => server.close());

async function fetchJson(path: string, credentials: Credentials): Promise<{ status: number; body: unknown }> {
  const response = await server.call(path, credentials);
  return { status: response.status, body: await response.json() };
}

/** Parses `body` with `schema`, failing with the issues' paths so a mismatch is easy to find. */
function expectContract(schema: Schema, body: unknown, where: string): void {
  const result = schema.safeParse(body);
  const issues = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  expect(issues, where).toEqual([]);
}

/** A 200 parsed with `schema`, or a 404 "no data" parsed as the portal's error. */
async function expectOkOrNoData(path: string, credentials: Credentials, schema: Schema) {
  const { status, body } = await fetchJson(path, credentials);
  if (status === 404) {
    expectContract(psaV4PortalErrorSchema, body, path);
    expect((body as { code: number }).code, path).toBe(40499);
    return null;
  }
  expect(status, `${path}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
  expectContract(schema, body, path);
  return body as Record<string, unknown>;
}

/** The collection's first pages, each parsed, following `next` (absolute hrefs). */
async function walkCollection(path: string, credentials: Credentials, schema: Schema, maxPages = 3) {
  const pages: Record<string, unknown>[] = [];
  let next: string | undefined = path;
  while (next && pages.length < maxPages) {
    const page = await expectOkOrNoData(next, credentials, schema);
    if (!page) break;
    pages.push(page);
    next = (page._links as { next?: { href: string } }).next?.href;
  }
  return pages;
}

function embedded<T>(page: Record<string, unknown> | undefined, key: string): T[] {
  return ((page?._embedded as Record<string, T[]> | undefined)?.[key] ?? []) as T[];
}

/** Instants that exercise different states: now, mid-trip, and just after a trip ends. */
function instantsFor(vehicle: SimVehicle): number[] {
  const timeline = server.ctx.fleet.timelineOf(vehicle);
  const trips = timeline.tripsBetween(TEST_NOW - 3 * DAY_MS, TEST_NOW);
  const instants = [TEST_NOW];
  const trip = trips.at(-1);
  if (trip) instants.push(Math.floor((trip.startMs + trip.endMs) / 2), trip.endMs + 120_000);
  return instants;
}

function carsUnderTest(): { ownerIndex: number; vehicle: SimVehicle }[] {
  const cars = server.ctx.world.ownerAt(0).vehicles.map((vehicle) => ({ ownerIndex: 0, vehicle }));
  // One peer of each powertrain the demo owner lacks.
  for (const powertrain of ['diesel', 'hybrid'] as const) {
    for (let index = 1; index < server.ctx.world.ownerCount; index++) {
      const vehicle = server.ctx.world.ownerAt(index).vehicles.find((car) => car.powertrain === powertrain);
      if (vehicle) {
        cars.push({ ownerIndex: index, vehicle });
        break;
      }
    }
  }
  return cars;
}

describe('PSA v4 contract: the simulator against Kinetic’s schemas', () => {
  it('serves the account and its vehicles', async () => {
    const demo = server.credentialsFor(0);
    expectContract(psaV4UserSchema, (await fetchJson('/user', demo)).body, '/user');
    const vehicles = await walkCollection(
      '/user/vehicles?extension=onboardCapabilities',
      demo,
      psaV4VehiclesSchema,
    );
    expect(vehicles).toHaveLength(1);
    for (const vehicle of server.ctx.world.ownerAt(0).vehicles) {
      const path = `/user/vehicles/${vehicle.id}?extension=branding&extension=pictures`;
      expectContract(psaV4VehicleSchema, (await fetchJson(path, demo)).body, path);
    }
  });

  it('serves every car endpoint in shapes the adapter accepts, at rest and on the move', async () => {
    let trips = 0;
    let telemetries = 0;
    let statuses = 0;
    for (const { ownerIndex, vehicle } of carsUnderTest()) {
      const base = `/user/vehicles/${vehicle.id}`;
      for (const instant of instantsFor(vehicle)) {
        server.clock.set({ now: instant, frozen: true });
        // Tokens live on the simulated clock: issue one at the instant under test.
        const credentials = server.credentialsFor(ownerIndex);
        const where = `${vehicle.powertrain} at ${new Date(instant).toISOString()}`;
        if (await expectOkOrNoData(`${base}/status`, credentials, psaV4StatusSchema)) statuses++;
        await expectOkOrNoData(`${base}/lastPosition`, credentials, psaV4PositionSchema);
        await expectOkOrNoData(`${base}/maintenance`, credentials, psaV4MaintenanceSchema);
        const telemetry = await walkCollection(
          `${base}/telemetry?pageSize=200`,
          credentials,
          psaV4TelemetriesSchema,
          2,
        );
        telemetries += telemetry.reduce((sum, page) => sum + embedded(page, 'telemetries').length, 0);
        const tripPages = await walkCollection(`${base}/trips`, credentials, psaV4TripsSchema);
        const tripItems = tripPages.flatMap((page) => embedded<{ id: string }>(page, 'trips'));
        trips += tripItems.length;
        const last = tripItems.at(-1);
        if (last) {
          await expectOkOrNoData(`${base}/trips/${last.id}`, credentials, psaV4TripSchema);
          await walkCollection(`${base}/trips/${last.id}/wayPoints`, credentials, psaV4WayPointsSchema, 2);
          await walkCollection(
            `${base}/trips/${last.id}/telemetry?pageSize=100`,
            credentials,
            psaV4TelemetriesSchema,
            1,
          );
          await walkCollection(`${base}/trips/${last.id}/alerts`, credentials, psaV4AlertsSchema, 1);
          await walkCollection(`${base}/trips/${last.id}/collisions`, credentials, psaV4CollisionsSchema, 1);
        }
        const alerts = await walkCollection(`${base}/alerts`, credentials, psaV4AlertsSchema);
        const alert = embedded<{ id: string }>(alerts[0], 'alerts')[0];
        if (alert) await expectOkOrNoData(`${base}/alerts/${alert.id}`, credentials, psaV4AlertSchema);
        const collisions = await walkCollection(`${base}/collisions`, credentials, psaV4CollisionsSchema);
        const collision = embedded<{ id: string }>(collisions[0], 'Collisions')[0];
        if (collision) {
          await expectOkOrNoData(`${base}/collisions/${collision.id}`, credentials, psaV4CollisionSchema);
        }
        expect(where).toBeTruthy();
      }
    }
    // The walk really saw data, not only 404s.
    expect(statuses).toBeGreaterThan(5);
    expect(trips).toBeGreaterThan(10);
    expect(telemetries).toBeGreaterThan(100);
  });

  it('answers refusals in the portal error shape', async () => {
    server.clock.set({ now: TEST_NOW, frozen: true });
    const demo = server.credentialsFor(0);
    const vehicle = server.ctx.world.ownerAt(0).vehicles[0] as SimVehicle;
    for (const path of [
      `/user/vehicles/${'f'.repeat(32)}/status`,
      `/user/vehicles/${vehicle.id}/trips?pageSize=0`,
      `/user/vehicles/${vehicle.id}/telemetry?type=nope`,
      `/user/vehicles/${vehicle.id}/trips/nope`,
    ]) {
      const { status, body } = await fetchJson(path, demo);
      expect(status, path).toBeGreaterThanOrEqual(400);
      expectContract(psaV4PortalErrorSchema, body, path);
    }
  });
});
