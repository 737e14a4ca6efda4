import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { privacyStateAt } from '../fleet/privacy';
import type { TripRecord } from '../fleet/vehicle-timeline';
import type { SimVehicle } from '../world/world';
import { type Credentials, expectApiError, startV4Server, TEST_NOW, type V4TestServer } from './test-server';

// Contract tests of getTripsByVehicle, getTripByVehicle and getPathForTrip over real HTTP: bodies
// against strict schemas written from the spec (4.17 Trip, Trips, WayPoints, Position), and every
// number against the car's timeline (trace distance, odometer, levels, positions).

const rfc3339Utc = z.iso.datetime({ precision: 0 });

function schemasFor(origin: string) {
  const href = z.string().refine((value) => value.startsWith(`${origin}/connectedcar/v4/`), 'an API href');
  const link = z.strictObject({ href });
  const position = z.strictObject({
    type: z.literal('Feature'),
    geometry: z.strictObject({ type: z.literal('Point'), coordinates: z.array(z.number()).min(2).max(3) }),
    properties: z.strictObject({
      createdAt: rfc3339Utc,
      heading: z.number().int().min(0).max(360).optional(),
      signalQuality: z.number().int().optional(),
      type: z.enum(['Estimated', 'Acquire']).optional(),
      fixStatus: z.enum(['2D', '3D']).optional(),
    }),
  });
  const energyType = z.enum(['Fuel', 'Electric']);
  const energySubType = z.enum(['FossilEnergy', 'ElectricEnergy', 'Hydrogen']);
  const liteEnergy = z.strictObject({
    type: energyType,
    subType: energySubType.optional(),
    level: z.number().min(0).max(100),
    autonomy: z.number().int().min(0),
  });
  const trip = z.strictObject({
    id: z.string().min(1),
    createdAt: rfc3339Utc,
    updatedAt: rfc3339Utc,
    startedAt: rfc3339Utc,
    stoppedAt: rfc3339Utc.optional(),
    startPosition: position.optional(),
    stopPosition: position.optional(),
    duration: z.number().int().min(0),
    distance: z.number().min(0),
    startMileage: z.number().min(0),
    startEnergies: z.array(liteEnergy).optional(),
    endEnergies: z.array(liteEnergy).optional(),
    energyConsumptions: z
      .array(
        z.strictObject({
          type: energyType,
          subType: energySubType.optional(),
          consumption: z.number().min(0),
          avgConsumption: z.number().min(0),
        }),
      )
      .optional(),
    kinetic: z.strictObject({ avgSpeed: z.number().min(0), maxSpeed: z.number().min(0) }).optional(),
    segments: z
      .array(
        z.strictObject({
          propulsion: z.enum(['Thermal', 'Electric', 'Hybrid']),
          percent: z.number().min(0).max(100),
          distance: z.number().min(0),
        }),
      )
      .optional(),
    done: z.boolean(),
    faults: z
      .array(
        z.strictObject({
          fault: z.enum(['Unstarted', 'DataLacking', 'Unfinished']),
          cause: z.enum(['GeoPrivacy', 'FullPrivacy', 'Connection']),
        }),
      )
      .optional(),
    _links: z.strictObject({ self: link, vehicle: link, waypoints: link, alerts: link, collisions: link }),
  });
  const collection = <T extends z.ZodType>(embedded: T) =>
    z.strictObject({
      _links: z.strictObject({
        self: link,
        first: link,
        prev: link.optional(),
        next: link.optional(),
        last: link.optional(),
      }),
      total: z.number().int().min(1),
      totalPage: z.number().int().min(1),
      currentPage: z.number().int().min(1),
      _embedded: embedded,
    });
  return {
    trip,
    trips: collection(z.strictObject({ trips: z.array(trip) })),
    wayPoints: collection(z.strictObject({ positions: z.array(position) })),
  };
}

type Schemas = ReturnType<typeof schemasFor>;
type TripBody = z.infer<Schemas['trip']>;

const round1 = (value: number) => Math.round(value * 10) / 10;
const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('PSA v4 trips and way points', () => {
  let server: V4TestServer;
  let schemas: Schemas;
  let demo: Required<Credentials>;
  let car: SimVehicle;
  let ev: SimVehicle;

  beforeAll(async () => {
    server = await startV4Server();
    schemas = schemasFor(server.origin);
    demo = server.credentialsFor(0);
    [car, ev] = server.ctx.world.ownerAt(0).vehicles as [SimVehicle, SimVehicle];
  });
  afterAll(() => server.close());
  afterEach(() => server.clock.set({ now: TEST_NOW }));

  const timelineOf = (vehicle: SimVehicle) => server.ctx.fleet.timelineOf(vehicle);
  const historyTrips = (vehicle: SimVehicle, nowMs = TEST_NOW) =>
    timelineOf(vehicle).tripsBetween(server.ctx.fleet.historyStartMs(vehicle, nowMs), nowMs + 1);
  const tripsPath = (vehicle: SimVehicle, query = '') => `/user/vehicles/${vehicle.id}/trips${query}`;

  async function listAll(vehicle: SimVehicle, query: string, credentials: Credentials = demo) {
    const response = await server.call(tripsPath(vehicle, query), credentials);
    expect(response.status).toBe(200);
    const first = schemas.trips.parse(await response.json());
    const trips: TripBody[] = [...first._embedded.trips];
    let next = first._links.next?.href;
    while (next) {
      const page = schemas.trips.parse(await (await server.call(next, credentials)).json());
      trips.push(...page._embedded.trips);
      next = page._links.next?.href;
    }
    expect(trips).toHaveLength(first.total);
    return trips;
  }

  /** The trip body's numbers, checked against the timeline. */
  function expectTripMatchesTimeline(vehicle: SimVehicle, body: TripBody, record: TripRecord) {
    const timeline = timelineOf(vehicle);
    const trace = timeline.traceOf(record);
    const last = trace.speedKmh.length - 1;
    expect(body.startedAt).toBe(at(record.startMs));
    expect(body.stoppedAt).toBe(at(record.endMs));
    expect(body.createdAt).toBe(body.stoppedAt);
    expect(body.duration).toBe((record.endMs - record.startMs) / 1000);
    expect(body.distance).toBe(round1(record.distanceKm));
    expect(body.distance).toBe(round1(trace.distanceKm[last] ?? Number.NaN));
    expect(body.startMileage).toBe(round1(timeline.stateAt(record.startMs).odometerKm));
    const levels = (i: number) =>
      [trace.fuelLevelPct?.[i], trace.batteryLevelPct?.[i]]
        .filter((v) => v !== undefined)
        .map((v) => round1(v));
    expect(body.startEnergies?.map((energy) => energy.level)).toEqual(levels(0));
    expect(body.endEnergies?.map((energy) => energy.level)).toEqual(levels(last));
    expect(body.kinetic?.maxSpeed).toBe(round1(Math.max(...trace.speedKmh)));
    const segmentKm = (body.segments ?? []).reduce((sum, segment) => sum + segment.distance, 0);
    expect(Math.abs(segmentKm - body.distance)).toBeLessThanOrEqual(0.2);
    const start = timeline.positionOnTrip(record, 0);
    expect(body.startPosition?.geometry.coordinates.slice(0, 2)).toEqual([
      Number(start.lon.toFixed(6)),
      Number(start.lat.toFixed(6)),
    ]);
  }

  it('lists the combustion car’s trips of the history window, oldest first, per the spec', async () => {
    const trips = await listAll(car, '');
    const records = historyTrips(car);
    expect(trips.map((trip) => trip.id)).toEqual(records.map((record) => record.id));
    expect(trips.length).toBeGreaterThan(60);
    for (const [index, body] of trips.entries()) {
      const record = records[index] as TripRecord;
      expect(body.done).toBe(true);
      expect(body.faults).toBeUndefined();
      expect(body.energyConsumptions?.map((c) => c.type)).toEqual(['Fuel']);
      expect(body.segments?.map((s) => s.propulsion)).toEqual(['Thermal']);
      expect(body._links.waypoints.href).toBe(
        `${server.origin}/connectedcar/v4/user/vehicles/${car.id}/trips/${record.id}/wayPoints`,
      );
      if (index % 10 === 0) expectTripMatchesTimeline(car, body, record);
    }
    // Mileage moves forward by the distance driven: exactly within a day; across midnight the
    // timeline starts the day from planned km, a few hundred metres ahead at most.
    for (let i = 1; i < trips.length; i++) {
      const previous = trips[i - 1] as TripBody;
      const gap = (trips[i] as TripBody).startMileage - (previous.startMileage + previous.distance);
      const sameDay = previous.startedAt.slice(0, 10) === (trips[i] as TripBody).startedAt.slice(0, 10);
      expect(gap).toBeGreaterThanOrEqual(-0.11);
      expect(gap).toBeLessThanOrEqual(sameDay ? 0.11 : 1);
    }
  });

  it('describes the electric car’s energy in Wh and its range from the rated consumption', async () => {
    const records = historyTrips(ev);
    const record = records[3] as TripRecord;
    const response = await server.call(tripsPath(ev, `/${record.id}`), demo);
    expect(response.status).toBe(200);
    const body = schemas.trip.parse(await response.json());
    expectTripMatchesTimeline(ev, body, record);
    const model = timelineOf(ev).model;
    const energy = body.startEnergies?.[0];
    expect(energy?.type).toBe('Electric');
    expect(energy?.subType).toBe('ElectricEnergy');
    const expectedKm =
      ((energy?.level ?? 0) / 100) * (model.batteryKwh ?? 0) * (100 / model.ratedConsumption.value);
    expect(Math.abs((energy?.autonomy ?? 0) - expectedKm)).toBeLessThanOrEqual(1);
    const [consumption] = body.energyConsumptions ?? [];
    const trace = timelineOf(ev).traceOf(record);
    const kwh = trace.energyKwh[trace.energyKwh.length - 1] ?? 0;
    expect(consumption).toEqual({
      type: 'Electric',
      subType: 'ElectricEnergy',
      consumption: Math.round(kwh * 1000),
      avgConsumption: Math.round(((kwh * 1000) / record.distanceKm) * 100),
    });
    // A plausible EV figure: 10–30 kWh/100 km.
    expect(consumption?.avgConsumption).toBeGreaterThan(10_000);
    expect(consumption?.avgConsumption).toBeLessThan(30_000);
  });

  it('serves one trip with the same body as the list', async () => {
    const list = schemas.trips.parse(
      await (await server.call(tripsPath(car, '?indexRange=5-5'), demo)).json(),
    );
    const item = list._embedded.trips[0] as TripBody;
    const single = await server.call(tripsPath(car, `/${item.id}`), demo);
    expect(single.status).toBe(200);
    expect(single.headers.get('content-type')).toBe('application/hal+json');
    expect(schemas.trip.parse(await single.json())).toEqual(item);
  });

  it('pages with pageToken over the window of the first page while the clock runs', async () => {
    const first = schemas.trips.parse(await (await server.call(tripsPath(car, '?pageSize=50'), demo)).json());
    const total = historyTrips(car).length;
    expect(first.total).toBe(total);
    expect(first.totalPage).toBe(Math.ceil(total / 50));
    // Ten days later the car has driven more, but page 2 of the first query lists the same window.
    server.clock.set({ now: TEST_NOW + 10 * 86_400_000 });
    const later = server.credentialsFor(0);
    const next = first._links.next?.href as string;
    const second = schemas.trips.parse(await (await server.call(next, later)).json());
    expect(second.currentPage).toBe(2);
    expect(second.total).toBe(total);
    expect(second._embedded.trips.map((trip) => trip.id)).toEqual(
      historyTrips(car)
        .slice(50)
        .map((trip) => trip.id),
    );
    const fresh = schemas.trips.parse(await (await server.call(tripsPath(car), later)).json());
    // A new query describes the new now: its window has slid by ten days.
    const slid = historyTrips(car, TEST_NOW + 10 * 86_400_000);
    expect(fresh.total).toBe(slid.length);
    expect(fresh._embedded.trips[0]?.id).toBe(slid[0]?.id);
    expect(fresh._embedded.trips[0]?.id).not.toBe(first._embedded.trips[0]?.id);
  });

  it('filters by timestamps (trip start), distance, duration and states', async () => {
    const records = historyTrips(car);
    const from = Date.UTC(2026, 1, 10);
    const to = Date.UTC(2026, 1, 15);
    const inWindow = await listAll(car, `?timestamps=${at(from)}/${at(to)}`);
    expect(inWindow.map((trip) => trip.id)).toEqual(
      records.filter((r) => r.startMs >= from && r.startMs < to).map((r) => r.id),
    );
    expect(inWindow.length).toBeGreaterThan(0);

    const medium = await listAll(car, '?distance=5-15.5');
    expect(medium.length).toBeGreaterThan(0);
    expect(medium.every((trip) => trip.distance >= 5 && trip.distance <= 15.5)).toBe(true);
    expect(medium.length).toBe(
      records.filter((r) => round1(r.distanceKm) >= 5 && round1(r.distanceKm) <= 15.5).length,
    );

    const long = await listAll(car, '?duration=1200-');
    expect(long.length).toBeGreaterThan(0);
    expect(long.length).toBeLessThan(records.length);
    expect(long.every((trip) => trip.duration >= 1200)).toBe(true);

    const nominal = await listAll(car, '?states=Nominal');
    expect(nominal).toHaveLength(records.length);
    // The demo's cars never hide anything: no trip lacks data.
    await expectApiError(
      await server.call(tripsPath(car, '?states=DataLacking&states=Unfinished'), demo),
      404,
      40499,
    );
  });

  it('lists the pending trip last, not done, with what it has driven so far', async () => {
    const record = historyTrips(car).at(-1) as TripRecord;
    const elapsedS = Math.floor((record.endMs - record.startMs) / 2000);
    const now = record.startMs + elapsedS * 1000;
    server.clock.set({ now });
    const trips = await listAll(car, '');
    const pending = trips.at(-1) as TripBody;
    expect(pending.id).toBe(record.id);
    expect(pending.done).toBe(false);
    expect(pending.stoppedAt).toBeUndefined();
    expect(pending.stopPosition).toBeUndefined();
    expect(pending.endEnergies).toBeUndefined();
    expect(pending.createdAt).toBe(at(now));
    expect(pending.duration).toBe(elapsedS);
    const trace = timelineOf(car).traceOf(record);
    expect(pending.distance).toBe(round1(trace.distanceKm[elapsedS] ?? Number.NaN));
    expect(pending.distance).toBeLessThan(round1(record.distanceKm));
    expect(trips.slice(0, -1).every((trip) => trip.done)).toBe(true);
    const single = schemas.trip.parse(
      await (await server.call(tripsPath(car, `/${record.id}`), demo)).json(),
    );
    expect(single).toEqual(pending);
  });

  it('hides positions without data:position and refuses without data:trip', async () => {
    const noPosition = server.credentialsFor(0, ['openid', 'profile', 'data:trip']);
    const trips = await listAll(car, '?timestamps=2026-02-20T00:00:00Z/P2D', noPosition);
    expect(trips.length).toBeGreaterThan(0);
    for (const trip of trips) {
      expect(trip.startPosition).toBeUndefined();
      expect(trip.stopPosition).toBeUndefined();
      expect(trip.kinetic).toBeDefined();
    }
    const id = trips[0]?.id as string;
    await expectApiError(await server.call(tripsPath(car, `/${id}/wayPoints`), noPosition), 403, 40302);
    const noTrip = server.credentialsFor(0, ['openid', 'profile', 'data:position', 'data:telemetry']);
    await expectApiError(await server.call(tripsPath(car), noTrip), 403, 40302);
    await expectApiError(await server.call(tripsPath(car, `/${id}`), noTrip), 403, 40302);
  });

  it('answers 403 for a car of another owner and 404 for a trip the car does not have', async () => {
    const peerCar = server.ctx.world.ownerAt(3).vehicles[0] as SimVehicle;
    await expectApiError(await server.call(tripsPath(peerCar), demo), 403, 40301);
    await expectApiError(
      await server.call(tripsPath(peerCar, `/${historyTrips(peerCar)[0]?.id}`), demo),
      403,
      40301,
    );
    const evTrip = historyTrips(ev)[0] as TripRecord;
    const futureDay = Math.floor(TEST_NOW / 86_400_000) + 2;
    for (const tid of [
      'nope',
      evTrip.id,
      `${car.id}-${futureDay}-0`,
      `${car.id}-20000-0`,
      `${car.id}-999999999999-0`,
      `${historyTrips(car)[0]?.id}9`,
    ]) {
      await expectApiError(await server.call(tripsPath(car, `/${tid}`), demo), 404, 40499);
      await expectApiError(await server.call(tripsPath(car, `/${tid}/wayPoints`), demo), 404, 40499);
    }
  });

  it('refuses malformed filters with 400 in the API error shape', async () => {
    for (const query of [
      '?distance=abc',
      '?distance=5.25-',
      '?distance=10-5',
      '?duration=1.5-',
      '?states=Finished',
      '?timestamps=garbage',
      '?pageSize=61',
      '?indexRange=x',
    ]) {
      await expectApiError(await server.call(tripsPath(car, query), demo), 400, 40001);
    }
    const tid = historyTrips(car)[0]?.id as string;
    for (const query of ['?tolerance=-1', '?tolerance=abc', '?timestamps=2026-13-01T00:00:00Z/']) {
      await expectApiError(await server.call(tripsPath(car, `/${tid}/wayPoints${query}`), demo), 400, 40001);
    }
  });

  it('gives the path every 5 s of the trace and its last point, paged and simplified', async () => {
    const record = historyTrips(car)[2] as TripRecord;
    const timeline = timelineOf(car);
    const trace = timeline.traceOf(record);
    const last = trace.speedKmh.length - 1;
    const indexes = Array.from({ length: Math.floor(last / 5) + 1 }, (_, k) => k * 5);
    if (last % 5 !== 0) indexes.push(last);
    const path = tripsPath(car, `/${record.id}/wayPoints`);

    const first = schemas.wayPoints.parse(await (await server.call(path, demo)).json());
    expect(first.total).toBe(indexes.length);
    expect(first._embedded.positions).toHaveLength(60);
    const points = [...first._embedded.positions];
    let next = first._links.next?.href;
    while (next) {
      const page = schemas.wayPoints.parse(await (await server.call(next, demo)).json());
      points.push(...page._embedded.positions);
      next = page._links.next?.href;
    }
    expect(points).toHaveLength(indexes.length);
    for (const [k, i] of indexes.entries()) {
      const point = points[k];
      const expected = timeline.positionOnTrip(record, trace.distanceKm[i] ?? 0);
      expect(point?.properties.createdAt).toBe(at(record.startMs + i * 1000));
      expect(point?.geometry.coordinates.slice(0, 2)).toEqual([
        Number(expected.lon.toFixed(6)),
        Number(expected.lat.toFixed(6)),
      ]);
      expect(point?.properties.heading).toBe(Math.round(expected.headingDeg) % 360);
    }

    const simplified = schemas.wayPoints.parse(
      await (await server.call(`${path}?tolerance=0.05&pageSize=60`, demo)).json(),
    );
    expect(simplified.total).toBeLessThan(indexes.length);
    expect(simplified.total).toBeGreaterThan(1);
    expect(simplified._embedded.positions[0]).toEqual(points[0]);
    const coarse = schemas.wayPoints.parse(await (await server.call(`${path}?tolerance=5`, demo)).json());
    expect(coarse.total).toBeLessThanOrEqual(simplified.total);
    const zero = schemas.wayPoints.parse(await (await server.call(`${path}?tolerance=0`, demo)).json());
    expect(zero.total).toBe(indexes.length);

    const from = record.startMs + 60_000;
    const windowed = schemas.wayPoints.parse(
      await (await server.call(`${path}?timestamps=${at(from)}/PT1M`, demo)).json(),
    );
    expect(windowed.total).toBe(12);
    expect(windowed._embedded.positions[0]?.properties.createdAt).toBe(at(from));
  });

  it('marks trips driven under privacy modes and hides what they hide', async () => {
    // Owner 2's car has Geolocation privacy from 2026-02-12; owner 20's car had Full privacy before.
    const geoOwner = server.ctx.world.ownerAt(2);
    const geoCar = geoOwner.vehicles[0] as SimVehicle;
    const geo = server.credentialsFor(2);
    const seed = server.ctx.world.seed;
    const geoTrips = await listAll(geoCar, '?states=DataLacking', geo);
    expect(geoTrips.length).toBeGreaterThan(0);
    for (const trip of geoTrips) {
      expect(privacyStateAt(seed, geoCar, Date.parse(trip.startedAt))).toBe('Geolocation');
      expect(trip.faults).toEqual([{ fault: 'DataLacking', cause: 'GeoPrivacy' }]);
      expect(trip.startPosition).toBeUndefined();
      expect(trip.stopPosition).toBeUndefined();
      expect(trip.kinetic).toBeDefined();
      expect(trip.startEnergies).toBeDefined();
    }
    const geoId = geoTrips[0]?.id as string;
    await expectApiError(await server.call(tripsPath(geoCar, `/${geoId}/wayPoints`), geo), 404, 40499);
    const nominal = await listAll(geoCar, '?states=Nominal', geo);
    expect(nominal.length + geoTrips.length).toBe(historyTrips(geoCar).length);
    expect(nominal.every((trip) => trip.startPosition && !trip.faults)).toBe(true);

    const fullCar = server.ctx.world.ownerAt(20).vehicles[0] as SimVehicle;
    const full = server.credentialsFor(20);
    const fullTrips = await listAll(fullCar, '?states=DataLacking', full);
    expect(fullTrips.length).toBeGreaterThan(0);
    for (const trip of fullTrips) {
      expect(trip.faults).toEqual([{ fault: 'DataLacking', cause: 'FullPrivacy' }]);
      expect(trip.startPosition).toBeUndefined();
      expect(trip.kinetic).toBeUndefined();
      expect(trip.startEnergies).toBeUndefined();
      expect(trip.endEnergies).toBeUndefined();
      expect(trip.energyConsumptions).toBeUndefined();
      expect(trip.distance).toBeGreaterThanOrEqual(0);
    }
  });

  it('splits a plug-in hybrid’s trips into electric, hybrid and thermal segments', async () => {
    const hybrid = server.ctx.world.ownerAt(18).vehicles[0] as SimVehicle;
    expect(hybrid.powertrain).toBe('hybrid');
    const trips = await listAll(hybrid, '', server.credentialsFor(18));
    const propulsions = new Set(trips.flatMap((trip) => (trip.segments ?? []).map((s) => s.propulsion)));
    expect(propulsions.has('Electric')).toBe(true);
    expect(propulsions.has('Thermal') || propulsions.has('Hybrid')).toBe(true);
    for (const trip of trips) {
      const percent = (trip.segments ?? []).reduce((sum, segment) => sum + segment.percent, 0);
      if (trip.distance > 0) expect(Math.abs(percent - 100)).toBeLessThanOrEqual(0.3);
      expect(trip.startEnergies?.map((energy) => energy.type)).toEqual(['Fuel', 'Electric']);
      expect(trip.energyConsumptions?.map((energy) => energy.type)).toEqual(['Fuel', 'Electric']);
    }
  });

  it('answers the same bodies from two servers with the same seed and clock', async () => {
    const other = await startV4Server();
    try {
      const tid = historyTrips(car)[7]?.id as string;
      const paths = [
        tripsPath(car, '?pageSize=7&indexRange=3-'),
        tripsPath(ev, `/${historyTrips(ev)[4]?.id}`),
        tripsPath(car, `/${tid}/wayPoints?tolerance=0.01`),
      ];
      for (const path of paths) {
        const a = await (await server.call(path, demo)).text();
        const b = await (await other.call(path, other.credentialsFor(0))).text();
        expect(a.length).toBeGreaterThan(100);
        expect(b.replaceAll(other.origin, server.origin)).toBe(a);
      }
    } finally {
      await other.close();
    }
  });
});
