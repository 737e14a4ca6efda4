import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BRAND_INFO } from '../world/brands';
import { type Credentials, expectApiError, startV4Server, type V4TestServer } from './test-server';

// Contract tests: every response of the three endpoints is checked against Kinetic's own schemas,
// written from the PSA Connected Car v4 spec (4.17.2: User, Vehicle, Vehicles, CollectionResult,
// Link, xError) and vehicle-apis.md §3.3/§3.4. Objects are strict so that a field the spec does
// not define fails the test: a client built against the simulator must not come to rely on it.

const rfc3339Utc = z.iso.datetime({ precision: 0 });

function schemasFor(origin: string) {
  const apiHref = z
    .string()
    .refine((href) => href.startsWith(`${origin}/connectedcar/v4/`), 'an absolute href under the API base')
    .refine((href) => !href.includes('client_id'), 'no client_id in stored hrefs');
  const link = z.strictObject({ href: apiHref });
  const url = z.url();

  const scopeName = <T extends string>(name: T) => z.literal(name);
  const onboardCapabilities = z.strictObject({
    data: z.array(
      z.enum([
        'data:vehicle:devices:pnc',
        'data:telemetry',
        'data:telemetry:environment',
        'data:telemetry:privacy',
        'data:telemetry:vehicle',
        'data:telemetry:vehicle:ignition',
        'data:telemetry:vehicle:preconditioning',
        'data:telemetry:vehicle:energies',
        'data:telemetry:vehicle:engines',
        'data:telemetry:vehicle:doorsState',
        'data:telemetry:vehicle:powertrain',
        'data:telemetry:vehicle:battery',
        'data:telemetry:vehicle:safety',
        'data:telemetry:vehicle:odometer',
        'data:telemetry:vehicle:kinetic',
        'data:telemetry:vehicle:transmission',
        'data:telemetry:vehicle:adas',
        'data:telemetry:vehicle:lightingSystem',
        'data:telemetry:vehicle:maintenance',
        'data:telemetry:vehicle:drivingBehavior',
        'data:telemetry:vehicle:wipingBlades',
        'data:telemetry:vehicle:alarm',
        'data:position',
        'data:trip',
        'data:alert',
        'data:collision',
      ]),
    ),
    remote: z.strictObject({
      preconditioning: z.strictObject({
        supported: z.boolean(),
        scopeName: scopeName('remote:preconditioning:write'),
        parameters: z.strictObject({
          programs: z.strictObject({ size: z.number().int() }).optional(),
          immediate: z.boolean().optional(),
        }),
      }),
      charging: z.strictObject({
        supported: z.boolean(),
        scopeName: scopeName('remote:charging:write'),
        parameters: z.strictObject({
          immediate: z
            .strictObject({ start: z.boolean().optional(), stop: z.boolean().optional() })
            .optional(),
          schedule: z
            .strictObject({
              programs: z.strictObject({ supported: z.boolean(), size: z.number().int().optional() }),
              nextDelayedTime: z.boolean(),
              preferences: z.strictObject({ level: z.boolean().optional(), type: z.boolean().optional() }),
            })
            .optional(),
        }),
      }),
      door: z.strictObject({ supported: z.boolean(), scopeName: scopeName('remote:door:write') }),
      horn: z.strictObject({ supported: z.boolean(), scopeName: scopeName('remote:horn:write') }),
      lights: z.strictObject({ supported: z.boolean(), scopeName: scopeName('remote:lights:write') }),
      wakeup: z.strictObject({ supported: z.boolean(), scopeName: scopeName('remote:wakeup:write') }),
      navigation: z.strictObject({ supported: z.boolean(), scopeName: scopeName('remote:navigation:write') }),
    }),
  });

  const vehicle = z.strictObject({
    createdAt: rfc3339Utc.optional(),
    updatedAt: rfc3339Utc.optional(),
    id: z.string().regex(/^[0-9a-f]{32,}$/),
    vin: z.string().regex(/^[A-HJ-NPR-Z0-9]{17}$/),
    motorization: z.enum(['Electric', 'Hybrid', 'Thermic', 'Hydrogen']).optional(),
    callCenter: z
      .strictObject({ stolen: z.strictObject({ countryCode: z.string(), phoneNumber: z.string() }) })
      .optional(),
    brand: z.string().optional(),
    label: z.string().optional(),
    pictures: z.array(url).min(1).max(12).optional(),
    _links: z.strictObject({
      self: link,
      user: link.optional(),
      lastPosition: link.optional(),
      trips: link.optional(),
      maintenance: link.optional(),
      alerts: link.optional(),
      status: link.optional(),
      telemetry: link.optional(),
      collisions: link.optional(),
      alarms: link.optional(),
      monitors: link.optional(),
      remotes: link.optional(),
      callbacks: link.optional(),
    }),
    _embedded: z
      .strictObject({
        extension: z.strictObject({
          onboardCapabilities: onboardCapabilities.optional(),
          branding: z.strictObject({ brand: z.string().optional(), label: z.string().optional() }).optional(),
          pictures: z.array(url).min(1).max(12).optional(),
        }),
      })
      .optional(),
  });

  const user = z.strictObject({
    createdAt: rfc3339Utc.optional(),
    updatedAt: rfc3339Utc.optional(),
    email: z.email().optional(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    _links: z.strictObject({ self: link.optional(), vehicles: link.optional() }).optional(),
    // Exact HAL name: capital V on /user (lower-case on /user/vehicles).
    _embedded: z.strictObject({ Vehicles: z.array(vehicle) }),
  });

  const pageLink = z.strictObject({
    href: apiHref.refine((href) => /\/user\/vehicles\?pageToken=[^&]+$/.test(href), 'a pageToken link'),
  });
  const vehicles = z.strictObject({
    _links: z.strictObject({
      self: pageLink,
      first: pageLink,
      next: pageLink.optional(),
      prev: pageLink.optional(),
      last: pageLink.optional(),
    }),
    total: z.number().int().min(0),
    totalPage: z.number().int().min(1),
    currentPage: z.number().int().min(1),
    _embedded: z.strictObject({ vehicles: z.array(vehicle) }),
  });

  return { vehicle, user, vehicles };
}

type VehiclesBody = ReturnType<typeof schemasFor>['vehicles']['_output'];

describe('PSA v4 /user and /user/vehicles', () => {
  let server: V4TestServer;
  let schemas: ReturnType<typeof schemasFor>;
  let demo: Credentials;

  beforeAll(async () => {
    server = await startV4Server();
    schemas = schemasFor(server.origin);
    demo = server.credentialsFor(0);
  });
  afterAll(() => server.close());

  const peerWith = (predicate: (vehicleCount: number) => boolean) => {
    for (let index = 1; index < server.ctx.world.ownerCount; index += 1) {
      if (predicate(server.ctx.world.ownerAt(index).vehicles.length)) return server.ctx.world.ownerAt(index);
    }
    throw new Error('no such peer in the test world');
  };

  it('GET /user returns the owner with _embedded.Vehicles, per the spec', async () => {
    const response = await server.call('/user', demo);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/hal+json');
    const body = schemas.user.parse(await response.json());
    expect(body.email).toBe('demo@kinetic.local');
    expect(`${body.firstName} ${body.lastName}`).toBe('Demo driver');
    expect(body._links?.self?.href).toBe(`${server.origin}/connectedcar/v4/user`);
    expect(body._links?.vehicles?.href).toBe(`${server.origin}/connectedcar/v4/user/vehicles`);
    expect(body._embedded.Vehicles.map((vehicle) => vehicle.id)).toEqual(
      server.ctx.world.ownerAt(0).vehicles.map((vehicle) => vehicle.id),
    );
    // The account predates its cars; the cars join the service around their model year.
    const accountAt = Date.parse(body.createdAt ?? '');
    for (const vehicle of body._embedded.Vehicles) {
      const enrolledAt = Date.parse(vehicle.createdAt ?? '');
      expect(accountAt).toBeLessThanOrEqual(enrolledAt);
      expect(enrolledAt).toBeLessThanOrEqual(server.clock.now());
      const modelYear = 2010 + 'ABCDEFGHJKLMNPRSTVWXY123456789'.indexOf(vehicle.vin.charAt(9));
      expect(new Date(enrolledAt).getUTCFullYear() - modelYear).toBeOneOf([-1, 0]);
    }
  });

  it('GET /user/vehicles: the demo owner sees exactly its two Peugeots, one Thermic, one Electric', async () => {
    const response = await server.call('/user/vehicles', demo);
    expect(response.status).toBe(200);
    const body = schemas.vehicles.parse(await response.json());
    const owned = server.ctx.world.ownerAt(0).vehicles;
    expect(body).toMatchObject({ total: 2, totalPage: 1, currentPage: 1 });
    expect(body._embedded.vehicles.map((vehicle) => [vehicle.id, vehicle.vin])).toEqual(
      owned.map((vehicle) => [vehicle.id, vehicle.vin]),
    );
    expect(body._embedded.vehicles.map((vehicle) => vehicle.brand)).toEqual(['Peugeot', 'Peugeot']);
    expect(body._embedded.vehicles.map((vehicle) => vehicle.motorization)).toEqual(['Thermic', 'Electric']);
    expect(body._links.self.href).toBe(body._links.first.href);
    expect(body._links.last?.href).toBe(body._links.first.href);
    expect(body._links.next).toBeUndefined();
    expect(body._links.prev).toBeUndefined();
  });

  it('GET /user/vehicles/{id} returns the vehicle with absolute links and RFC 3339 timestamps', async () => {
    const [first] = server.ctx.world.ownerAt(0).vehicles;
    const response = await server.call(`/user/vehicles/${first?.id}`, demo);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/hal+json');
    const body = schemas.vehicle.parse(await response.json());
    expect(body).toMatchObject({ id: first?.id, vin: first?.vin, brand: 'Peugeot', label: first?.model });
    expect(body._links.self.href).toBe(`${server.origin}/connectedcar/v4/user/vehicles/${first?.id}`);
    expect(body._links.status?.href).toBe(`${body._links.self.href}/status`);
    expect(body._embedded).toBeUndefined();
  });

  it('maps every powertrain to the spec motorization enum', async () => {
    const expected = { petrol: 'Thermic', diesel: 'Thermic', hybrid: 'Hybrid', electric: 'Electric' };
    const seen = new Set<string>();
    for (let index = 1; index < server.ctx.world.ownerCount && seen.size < 4; index += 1) {
      const owner = server.ctx.world.ownerAt(index);
      const credentials = server.credentialsFor(index);
      for (const vehicle of owner.vehicles) {
        if (seen.has(vehicle.powertrain)) continue;
        seen.add(vehicle.powertrain);
        const body = schemas.vehicle.parse(
          await (await server.call(`/user/vehicles/${vehicle.id}`, credentials)).json(),
        );
        expect(body.motorization, vehicle.powertrain).toBe(expected[vehicle.powertrain]);
        expect(body.brand).toBe(BRAND_INFO[vehicle.brand].label);
      }
    }
    expect(seen.size).toBe(4);
  });

  it('adds the requested extensions under _embedded.extension', async () => {
    const [, electric] = server.ctx.world.ownerAt(0).vehicles;
    const response = await server.call(
      `/user/vehicles/${electric?.id}?extension=branding&extension=pictures&extension=onboardCapabilities&locale=fr-FR`,
      demo,
    );
    expect(response.status).toBe(200);
    const body = schemas.vehicle.parse(await response.json());
    expect(body._embedded?.extension.branding).toEqual({ brand: 'Peugeot', label: electric?.model });
    expect(body._embedded?.extension.pictures?.length).toBeGreaterThan(0);
    expect(body._embedded?.extension.onboardCapabilities?.remote.charging.supported).toBe(true);
    expect(body._embedded?.extension.onboardCapabilities?.data).toContain('data:vehicle:devices:pnc');

    const list = schemas.vehicles.parse(
      await (await server.call('/user/vehicles?extension=branding,onboardCapabilities', demo)).json(),
    );
    for (const vehicle of list._embedded.vehicles) {
      expect(vehicle._embedded?.extension.branding?.brand).toBe('Peugeot');
      expect(vehicle._embedded?.extension.onboardCapabilities).toBeDefined();
    }
    await expectApiError(await server.call('/user/vehicles?extension=colour', demo), 400, 40001);
  });

  it('shows a peer only their own vehicles', async () => {
    const peer = peerWith(() => true);
    const credentials = server.credentialsFor(peer.index);
    const body = schemas.vehicles.parse(await (await server.call('/user/vehicles', credentials)).json());
    expect(body._embedded.vehicles.map((vehicle) => vehicle.id)).toEqual(
      peer.vehicles.map((vehicle) => vehicle.id),
    );
    const user = schemas.user.parse(await (await server.call('/user', credentials)).json());
    expect(user.email).toBe(peer.email);
    expect(user._embedded.Vehicles.map((vehicle) => vehicle.id)).toEqual(
      peer.vehicles.map((vehicle) => vehicle.id),
    );
  });

  it("answers 403 for another owner's vehicle and for an unknown id alike", async () => {
    const peer = peerWith(() => true);
    const foreignId = peer.vehicles[0]?.id ?? '';
    const foreign = await expectApiError(await server.call(`/user/vehicles/${foreignId}`, demo), 403, 40301);
    expect(foreign.message).toMatch(/no access to this vehicle/i);
    // Well-formed but nobody's (owner index past the world), and plainly made up.
    const unknownIds = [`${'ffffff00'}00${foreignId.slice(10)}`, 'not-a-vehicle', '0'.repeat(200)];
    for (const id of unknownIds) {
      const unknown = await expectApiError(await server.call(`/user/vehicles/${id}`, demo), 403, 40301);
      expect(unknown.message).toBe(foreign.message);
    }
  });

  it('filters by vinPrefix, case-insensitively, and answers 404 "No vehicule found" when none match', async () => {
    const [, electric] = server.ctx.world.ownerAt(0).vehicles;
    const vin = electric?.vin ?? '';
    const one = schemas.vehicles.parse(
      await (await server.call(`/user/vehicles?vinPrefix=${vin.toLowerCase()}`, demo)).json(),
    );
    expect(one._embedded.vehicles.map((vehicle) => vehicle.vin)).toEqual([vin]);
    const none = await expectApiError(await server.call('/user/vehicles?vinPrefix=ZZZ', demo), 404, 40410);
    expect(none.message).toBe('No vehicule found');
    await expectApiError(await server.call('/user/vehicles?vinPrefix=VF3-', demo), 400, 40001);
  });

  it('validates country and repeated parameters', async () => {
    expect((await server.call('/user?country=BR', demo)).status).toBe(200);
    await expectApiError(await server.call('/user?country=FR', demo), 400, 40001);
    await expectApiError(await server.call('/user/vehicles?pageSize=1&pageSize=2', demo), 400, 40002);
  });

  describe('pagination', () => {
    it('refuses pageSize outside 1..60 and malformed indexRange with 400', async () => {
      for (const pageSize of ['0', '61', '-1', 'abc', '1.5', '', '1e1', '999999999999']) {
        await expectApiError(await server.call(`/user/vehicles?pageSize=${pageSize}`, demo), 400, 40001);
      }
      for (const indexRange of ['abc', '5', '-1', '3-1', '1-2-3', '', ' 0-', '0-x', `${'9'.repeat(30)}-`]) {
        await expectApiError(
          await server.call(`/user/vehicles?indexRange=${encodeURIComponent(indexRange)}`, demo),
          400,
          40001,
        );
      }
      expect((await server.call('/user/vehicles?pageSize=60&indexRange=0-', demo)).status).toBe(200);
    });

    it('pages with consistent first/prev/next/last links and visits every vehicle exactly once', async () => {
      const owned = server.ctx.world.ownerAt(0).vehicles.map((vehicle) => vehicle.id);
      const seen: string[] = [];
      const pages: VehiclesBody[] = [];
      let next: string | undefined = '/user/vehicles?pageSize=1&extension=branding';
      while (next) {
        const response = await server.call(next, demo);
        expect(response.status).toBe(200);
        const page = schemas.vehicles.parse(await response.json());
        pages.push(page);
        seen.push(...page._embedded.vehicles.map((vehicle) => vehicle.id));
        // The extension asked for on the first page rides along in the token.
        for (const vehicle of page._embedded.vehicles)
          expect(vehicle._embedded?.extension.branding).toBeDefined();
        next = page._links.next?.href;
        expect(pages.length).toBeLessThanOrEqual(owned.length);
      }
      expect(seen).toEqual(owned);
      expect(pages.map((page) => [page.total, page.totalPage, page.currentPage])).toEqual([
        [2, 2, 1],
        [2, 2, 2],
      ]);
      const [first, last] = pages;
      expect(first?._links.prev).toBeUndefined();
      expect(first?._links.next?.href).toBe(last?._links.self.href);
      expect(first?._links.last?.href).toBe(last?._links.self.href);
      expect(last?._links.prev?.href).toBe(first?._links.self.href);
      expect(last?._links.first.href).toBe(first?._links.self.href);
      expect(last?._links.next).toBeUndefined();
    });

    it('applies indexRange before paging and answers 404 past the results', async () => {
      const owned = server.ctx.world.ownerAt(0).vehicles;
      const second = schemas.vehicles.parse(
        await (await server.call('/user/vehicles?indexRange=1-', demo)).json(),
      );
      expect(second._embedded.vehicles.map((vehicle) => vehicle.id)).toEqual([owned[1]?.id]);
      expect(second.total).toBe(1);
      const firstOnly = schemas.vehicles.parse(
        await (await server.call('/user/vehicles?indexRange=0-0', demo)).json(),
      );
      expect(firstOnly._embedded.vehicles.map((vehicle) => vehicle.id)).toEqual([owned[0]?.id]);
      await expectApiError(await server.call('/user/vehicles?indexRange=5-', demo), 404, 40499);
    });

    it("refuses a tampered pageToken and another owner's pageToken with 400", async () => {
      const page = schemas.vehicles.parse(
        await (await server.call('/user/vehicles?pageSize=1', demo)).json(),
      );
      const token = new URL(page._links.next?.href ?? '').searchParams.get('pageToken') ?? '';
      expect((await server.call(`/user/vehicles?pageToken=${token}`, demo)).status).toBe(200);
      const flipped = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}${token.slice(-1)}`;
      for (const bad of [flipped, 'abc', `${'0'.repeat(32)}e30`, token.slice(32), 'x'.repeat(5000)]) {
        await expectApiError(await server.call(`/user/vehicles?pageToken=${bad}`, demo), 400, 40003);
      }
      const peer = server.credentialsFor(peerWith(() => true).index);
      await expectApiError(await server.call(`/user/vehicles?pageToken=${token}`, peer), 400, 40003);
    });

    it('pages a peer with two cars too', async () => {
      const peer = peerWith((count) => count === 2);
      const credentials = server.credentialsFor(peer.index);
      const first = schemas.vehicles.parse(
        await (await server.call('/user/vehicles?pageSize=1', credentials)).json(),
      );
      const second = schemas.vehicles.parse(
        await (await server.call(first._links.next?.href ?? '', credentials)).json(),
      );
      expect(
        [...first._embedded.vehicles, ...second._embedded.vehicles].map((vehicle) => vehicle.id),
      ).toEqual(peer.vehicles.map((vehicle) => vehicle.id));
    });
  });
});
