import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TripRecord } from '../fleet/vehicle-timeline';
import type { SimVehicle } from '../world/world';
import { type Credentials, expectApiError, startV4Server, TEST_NOW, type V4TestServer } from './test-server';

// Contract tests of getTelemetry and getTelemetryForTrip over real HTTP: messages against strict
// schemas written from the spec (4.17 Telemetry, Telemetries, EngineBase, EnergyBase, Transmission,
// BasicKinetic, PositionBase…), and every value against the 1 Hz trace of the trip it belongs to.

const rfc3339Utc = z.iso.datetime({ precision: 0 });
const DAY_MS = 86_400_000;

function schemasFor(origin: string) {
  const href = z.string().refine((value) => value.startsWith(`${origin}/connectedcar/v4/`), 'an API href');
  const link = z.strictObject({ href });
  const location = z.strictObject({
    type: z.literal('Feature'),
    geometry: z.strictObject({ type: z.literal('Point'), coordinates: z.array(z.number()).min(2).max(3) }),
    // PositionBase: no createdAt (the message carries it).
    properties: z.strictObject({
      heading: z.number().int().min(0).max(360).optional(),
      signalQuality: z.number().int().optional(),
      type: z.enum(['Estimated', 'Acquire']).optional(),
      fixStatus: z.enum(['2D', '3D']).optional(),
    }),
  });
  const ratios = ['Ratio1', 'Ratio2', 'Ratio3', 'Ratio4', 'Ratio5', 'Ratio6', 'Ratio7', 'Ratio8'] as const;
  const telemetry = z.strictObject({
    createdAt: rfc3339Utc,
    _links: z.strictObject({ self: link, vehicle: link.optional(), trip: link.optional() }),
    privacy: z.strictObject({ state: z.enum(['None', 'Geolocation', 'Full']) }).optional(),
    environment: z
      .strictObject({
        luminosity: z.strictObject({ day: z.boolean() }).optional(),
        air: z.strictObject({ temp: z.number() }).optional(),
      })
      .optional(),
    vehicle: z
      .strictObject({
        engines: z
          .array(z.strictObject({ type: z.enum(['Thermic', 'Electric']), speed: z.number().min(0) }))
          .optional(),
        energies: z
          .array(
            z.strictObject({
              type: z.enum(['Fuel', 'Electric']),
              subType: z.enum(['FossilEnergy', 'ElectricEnergy', 'Hydrogen']).optional(),
              level: z.number().min(0).max(100),
              autonomy: z.number().int().min(0),
              extension: z
                .strictObject({
                  fuel: z.strictObject({ consumption: z.strictObject({ consumption: z.number().min(0) }) }),
                })
                .optional(),
            }),
          )
          .optional(),
        transmission: z
          .strictObject({
            gearbox: z.strictObject({
              mode: z.strictObject({ automatic: z.boolean() }),
              ratio: z.enum([...ratios, 'Neutral', 'Reverse']),
            }),
          })
          .optional(),
        adas: z.strictObject({ sli: z.number().int().min(0) }).optional(),
        ignition: z.strictObject({ type: z.enum(['Stop', 'StartUp', 'Start']) }).optional(),
        doorsState: z
          .strictObject({
            lockedStates: z.array(z.enum(['Unlocked', 'Locked'])),
            opening: z.array(
              z.strictObject({
                identifier: z.enum(['Driver', 'Passenger', 'RearLeft', 'RearRight', 'Trunk']),
                state: z.enum(['Open', 'Closed']),
              }),
            ),
          })
          .optional(),
        safety: z
          .strictObject({
            beltStatus: z.array(
              z.strictObject({ belt: z.enum(['Normal', 'Omission']), id: z.enum(['Driver', 'Passenger']) }),
            ),
            autoECallTriggering: z.enum(['NotDetected', 'Detected', 'ShockDetectionUnabled']),
          })
          .optional(),
        odometer: z.strictObject({ mileage: z.number().min(0) }).optional(),
        kinetic: z
          .strictObject({ acceleration: z.number(), speed: z.number().min(0), moving: z.boolean() })
          .optional(),
        alarm: z
          .strictObject({ status: z.strictObject({ activation: z.enum(['Inactive', 'Active']) }) })
          .optional(),
      })
      .optional(),
    _embedded: z
      .strictObject({
        extension: z.strictObject({
          location: location.optional(),
          maintenance: z
            .strictObject({ daysBeforeMaintenance: z.number().int(), mileageBeforeMaintenance: z.number() })
            .optional(),
        }),
      })
      .optional(),
  });
  const telemetries = z.strictObject({
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
    _embedded: z.strictObject({ telemetries: z.array(telemetry) }),
  });
  return { telemetries };
}

type Telemetries = z.infer<ReturnType<typeof schemasFor>['telemetries']>;
type Message = Telemetries['_embedded']['telemetries'][number];

const round1 = (value: number) => Math.round(value * 10) / 10;
const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('PSA v4 telemetry', () => {
  let server: V4TestServer;
  let schemas: ReturnType<typeof schemasFor>;
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
  const telemetryPath = (vehicle: SimVehicle, query = '') => `/user/vehicles/${vehicle.id}/telemetry${query}`;
  const tripTelemetryPath = (vehicle: SimVehicle, trip: TripRecord, query = '') =>
    `/user/vehicles/${vehicle.id}/trips/${trip.id}/telemetry${query}`;

  async function page(path: string, credentials: Credentials = demo): Promise<Telemetries> {
    const response = await server.call(path, credentials);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/hal+json');
    return schemas.telemetries.parse(await response.json());
  }

  async function all(path: string, credentials: Credentials = demo): Promise<Message[]> {
    const first = await page(path, credentials);
    const messages = [...first._embedded.telemetries];
    for (let next = first._links.next?.href; next; ) {
      const body = await page(next, credentials);
      messages.push(...body._embedded.telemetries);
      next = body._links.next?.href;
    }
    expect(messages).toHaveLength(first.total);
    return messages;
  }

  /** The trip record and sample index a message stands for, from its trip link and createdAt. */
  function sampleOf(vehicle: SimVehicle, message: Message, nowMs = TEST_NOW) {
    const tripId = message._links.trip?.href.split('/trips/')[1];
    const trip = historyTrips(vehicle, nowMs).find((record) => record.id === tripId) as TripRecord;
    expect(trip).toBeDefined();
    const index = (Date.parse(message.createdAt) - trip.startMs) / 1000;
    expect(Number.isInteger(index)).toBe(true);
    return { trip, index, trace: timelineOf(vehicle).traceOf(trip) };
  }

  /** Seconds recorded by `nowMs` of the car's trips that fall in [fromMs, toMs). */
  function secondsIn(vehicle: SimVehicle, fromMs: number, toMs: number, nowMs: number): number[] {
    const seconds: number[] = [];
    for (const trip of historyTrips(vehicle, nowMs)) {
      for (let t = trip.startMs; t <= Math.min(trip.endMs, nowMs); t += 1000) {
        if (t >= fromMs && t < toMs) seconds.push(t);
      }
    }
    return seconds;
  }

  /** A moment in the middle of the car's last trip before TEST_NOW. */
  function insideLastTrip(vehicle: SimVehicle) {
    const trip = historyTrips(vehicle).at(-1) as TripRecord;
    const elapsedS = Math.floor((trip.endMs - trip.startMs) / 4000);
    return { trip, elapsedS, now: trip.startMs + elapsedS * 1000 };
  }

  it('covers the last 24 h by default: nothing while the car sleeps, every second driven otherwise', async () => {
    // At TEST_NOW the demo car has been parked for more than a day.
    expect(secondsIn(car, TEST_NOW - DAY_MS, TEST_NOW + 1, TEST_NOW)).toHaveLength(0);
    await expectApiError(await server.call(telemetryPath(car), demo), 404, 40499);

    const { trip, now } = insideLastTrip(car);
    server.clock.set({ now });
    const credentials = server.credentialsFor(0);
    // Small messages (privacy only) keep the thousands of seconds cheap to list.
    const messages = await all(telemetryPath(car, '?pageSize=2000&type=privacy'), credentials);
    const expected = secondsIn(car, now - DAY_MS, now + 1, now);
    expect(messages.map((message) => Date.parse(message.createdAt))).toEqual(expected);
    const last = await page(
      telemetryPath(car, `?indexRange=${expected.length - 1}-&type=vehicle.ignition`),
      credentials,
    );
    const message = last._embedded.telemetries[0];
    expect(message?.createdAt).toBe(at(now));
    expect(message?._links.trip?.href).toBe(
      `${server.origin}/connectedcar/v4/user/vehicles/${car.id}/trips/${trip.id}`,
    );
    // The pending trip's current second is not its key-off.
    expect(message?.vehicle?.ignition?.type).toBe('Start');
  });

  it('reports the trace at every second: speed, acceleration, rpm, gear, levels, odometer', async () => {
    const path = telemetryPath(car, '?timestamps=2026-02-20T00:00:00Z/P2D&pageSize=2000');
    const body = await page(path);
    expect(body._embedded.telemetries).toHaveLength(2000);
    expect(body.total).toBe(secondsIn(car, Date.UTC(2026, 1, 20), Date.UTC(2026, 1, 22), TEST_NOW).length);
    const model = timelineOf(car).model;
    for (const message of body._embedded.telemetries) {
      const { trip, index, trace } = sampleOf(car, message);
      const vehicle = message.vehicle;
      expect(vehicle?.kinetic?.speed).toBe(round1(trace.speedKmh[index] ?? Number.NaN));
      expect(vehicle?.kinetic?.acceleration).toBeCloseTo(trace.accelerationMs2[index] ?? Number.NaN, 2);
      expect(vehicle?.engines).toEqual([{ type: 'Thermic', speed: Math.round(trace.engineRpm[index] ?? 0) }]);
      const gear = trace.gear[index] ?? 0;
      expect(vehicle?.transmission?.gearbox.ratio).toBe(gear > 0 ? `Ratio${gear}` : 'Neutral');
      const [fuel] = vehicle?.energies ?? [];
      expect(fuel?.level).toBe(round1(trace.fuelLevelPct?.[index] ?? Number.NaN));
      const litres = ((fuel?.level ?? 0) / 100) * (model.tankLitres ?? 0);
      expect(
        Math.abs((fuel?.autonomy ?? 0) - (litres / model.ratedConsumption.value) * 100),
      ).toBeLessThanOrEqual(1);
      const rate = trace.fuelRateLph[index] ?? 0;
      const speed = trace.speedKmh[index] ?? 0;
      const instant = fuel?.extension?.fuel.consumption.consumption ?? Number.NaN;
      if (speed >= 10 && (rate / speed) * 100 < 30) expect(instant).toBeCloseTo((rate / speed) * 100, 1);
      expect(instant).toBeLessThanOrEqual(30);
      const startMileage = timelineOf(car).stateAt(trip.startMs).odometerKm;
      expect(vehicle?.odometer?.mileage).toBeCloseTo(startMileage + (trace.distanceKm[index] ?? 0), 1);
      expect(message.environment?.air?.temp).toBe(round1(trace.outsideTempC));
    }
    await expectApiError(await server.call(telemetryPath(car, '?pageSize=2001'), demo), 400, 40001);
  });

  it('gives a trip’s telemetry from key-on to key-off, agreeing with the trip body', async () => {
    for (const vehicle of [car, ev]) {
      const trip = historyTrips(vehicle)[6] as TripRecord;
      const trace = timelineOf(vehicle).traceOf(trip);
      const messages = await all(
        tripTelemetryPath(vehicle, trip, '?pageSize=2000&type=vehicle.energies&type=vehicle.ignition'),
      );
      expect(messages).toHaveLength(trace.speedKmh.length);
      expect(messages.map((m) => m.vehicle?.kinetic?.speed)).toEqual(
        Array.from(trace.speedKmh, (v) => round1(v)),
      );
      const tripBody = await (
        await server.call(`/user/vehicles/${vehicle.id}/trips/${trip.id}`, demo)
      ).json();
      const first = messages[0] as Message;
      const last = messages.at(-1) as Message;
      expect(first.createdAt).toBe(tripBody.startedAt);
      expect(last.createdAt).toBe(tripBody.stoppedAt);
      expect(first.vehicle?.ignition?.type).toBe('StartUp');
      expect(last.vehicle?.ignition?.type).toBe('Stop');
      expect(first.vehicle?.odometer?.mileage).toBe(tripBody.startMileage);
      expect(
        Math.abs((last.vehicle?.odometer?.mileage ?? 0) - (tripBody.startMileage + tripBody.distance)),
      ).toBeLessThanOrEqual(0.11);
      const levels = (message: Message) =>
        message.vehicle?.energies?.map((e) => [e.type, e.level, e.autonomy]);
      const lite = (energies: { type: string; level: number; autonomy: number }[]) =>
        energies.map((e) => [e.type, e.level, e.autonomy]);
      expect(levels(first)).toEqual(lite(tripBody.startEnergies));
      expect(levels(last)).toEqual(lite(tripBody.endEnergies));
      expect(Math.max(...messages.map((m) => m.vehicle?.kinetic?.speed ?? 0))).toBe(
        tripBody.kinetic.maxSpeed,
      );
    }
    // The electric car: its motor, its battery, no gearbox.
    const evMessages = await page(
      tripTelemetryPath(ev, historyTrips(ev)[6] as TripRecord, '?indexRange=100-101'),
    );
    for (const message of evMessages._embedded.telemetries) {
      expect(message.vehicle?.engines?.map((engine) => engine.type)).toEqual(['Electric']);
      expect(message.vehicle?.energies?.map((energy) => [energy.type, energy.subType])).toEqual([
        ['Electric', 'ElectricEnergy'],
      ]);
      expect(message.vehicle?.transmission).toBeUndefined();
    }
  });

  it('keeps only the blocks the type filter asks for', async () => {
    const trip = historyTrips(car)[4] as TripRecord;
    const keysOf = async (query: string) => {
      const body = await page(tripTelemetryPath(car, trip, `?indexRange=200-200${query}`));
      const message = body._embedded.telemetries[0] as Message;
      return { top: Object.keys(message).sort(), vehicle: Object.keys(message.vehicle ?? {}).sort() };
    };
    expect(await keysOf('')).toEqual({
      top: ['_links', 'createdAt', 'environment', 'privacy', 'vehicle'],
      vehicle: [
        'adas',
        'alarm',
        'doorsState',
        'energies',
        'engines',
        'ignition',
        'kinetic',
        'odometer',
        'safety',
        'transmission',
      ],
    });
    expect(await keysOf('&type=privacy')).toEqual({ top: ['_links', 'createdAt', 'privacy'], vehicle: [] });
    expect(await keysOf('&type=environment&type=privacy')).toEqual({
      top: ['_links', 'createdAt', 'environment', 'privacy'],
      vehicle: [],
    });
    // kinetic and odometer have no type of their own: they come with any vehicle block.
    expect(await keysOf('&type=vehicle.engines&type=vehicle.energies')).toEqual({
      top: ['_links', 'createdAt', 'vehicle'],
      vehicle: ['energies', 'engines', 'kinetic', 'odometer'],
    });
    expect(await keysOf('&type=vehicle.transmission,vehicle.alarm.status')).toEqual({
      top: ['_links', 'createdAt', 'vehicle'],
      vehicle: ['alarm', 'kinetic', 'odometer', 'transmission'],
    });
    expect((await keysOf('&type=vehicle')).vehicle).toEqual((await keysOf('')).vehicle);
    for (const query of [
      '?type=nope',
      '?type=vehicle.kinetic',
      '?extension=nope',
      '?timestamps=garbage',
      '?pageSize=0',
    ]) {
      await expectApiError(await server.call(telemetryPath(car, query), demo), 400, 40001);
      await expectApiError(await server.call(tripTelemetryPath(car, trip, query), demo), 400, 40001);
    }
  });

  it('adds the location extension when asked and allowed', async () => {
    const trip = historyTrips(car)[4] as TripRecord;
    const timeline = timelineOf(car);
    const trace = timeline.traceOf(trip);
    const body = await page(tripTelemetryPath(car, trip, '?extension=location&indexRange=300-309'));
    expect(body._embedded.telemetries).toHaveLength(10);
    for (const [k, message] of body._embedded.telemetries.entries()) {
      const place = timeline.positionOnTrip(trip, trace.distanceKm[300 + k] ?? 0);
      const location = message._embedded?.extension.location;
      expect(location?.geometry.coordinates.slice(0, 2)).toEqual([
        Number(place.lon.toFixed(6)),
        Number(place.lat.toFixed(6)),
      ]);
      expect(location?.properties.heading).toBe(Math.round(place.headingDeg) % 360);
    }
    const plain = await page(tripTelemetryPath(car, trip, '?indexRange=300-309'));
    expect(plain._embedded.telemetries.every((message) => message._embedded === undefined)).toBe(true);
    const noPosition = server.credentialsFor(0, ['openid', 'profile', 'data:trip', 'data:telemetry']);
    const hidden = await page(
      tripTelemetryPath(car, trip, '?extension=location&indexRange=300-309'),
      noPosition,
    );
    expect(hidden._embedded.telemetries.every((message) => message._embedded === undefined)).toBe(true);
  });

  it('adds the service counters with the maintenance extension, running down as the car drives', async () => {
    const trip = historyTrips(car)[4] as TripRecord;
    const body = await page(tripTelemetryPath(car, trip, '?extension=maintenance&indexRange=0-'));
    const counters = body._embedded.telemetries.map((message) => message._embedded?.extension.maintenance);
    expect(counters.every((value) => value !== undefined)).toBe(true);
    const first = counters[0];
    const last = counters.at(-1);
    const trace = timelineOf(car).traceOf(trip);
    const driven = trace.distanceKm[Math.min(counters.length, trace.speedKmh.length) - 1] ?? 0;
    // Mid-trip nobody services the car: the distance left falls by the distance driven.
    expect((first?.mileageBeforeMaintenance ?? 0) - (last?.mileageBeforeMaintenance ?? 0)).toBeCloseTo(
      driven,
      0,
    );
    expect(last?.daysBeforeMaintenance).toBeLessThanOrEqual(first?.daysBeforeMaintenance ?? 0);
  });

  it('follows the privacy mode: no location under Geolocation, no telemetry under Full', async () => {
    const geoCar = server.ctx.world.ownerAt(2).vehicles[0] as SimVehicle;
    const geo = server.credentialsFor(2);
    const body = await page(
      telemetryPath(geoCar, '?timestamps=2026-02-20T00:00:00Z/P3D&extension=location'),
      geo,
    );
    for (const message of body._embedded.telemetries) {
      expect(message.privacy?.state).toBe('Geolocation');
      expect(message._embedded).toBeUndefined();
      expect(message.vehicle?.kinetic).toBeDefined();
    }

    const fullCar = server.ctx.world.ownerAt(20).vehicles[0] as SimVehicle;
    const full = server.credentialsFor(20);
    // Full privacy until 2026-02-12: nothing before, every second driven after.
    await expectApiError(
      await server.call(
        telemetryPath(fullCar, '?timestamps=2026-02-01T00:00:00Z/2026-02-12T00:00:00Z'),
        full,
      ),
      404,
      40499,
    );
    const hiddenTrip = historyTrips(fullCar).find(
      (trip) => trip.startMs < Date.UTC(2026, 1, 12),
    ) as TripRecord;
    await expectApiError(await server.call(tripTelemetryPath(fullCar, hiddenTrip), full), 404, 40499);
    const after = await page(
      telemetryPath(fullCar, '?timestamps=2026-02-01T00:00:00Z/2026-02-20T00:00:00Z'),
      full,
    );
    expect(after.total).toBe(
      secondsIn(fullCar, Date.UTC(2026, 1, 12), Date.UTC(2026, 1, 20), TEST_NOW).length,
    );
    expect(Date.parse(after._embedded.telemetries[0]?.createdAt ?? '')).toBeGreaterThanOrEqual(
      Date.UTC(2026, 1, 12),
    );
    // A plug-in hybrid reports its engine and its motor.
    expect(after._embedded.telemetries[0]?.vehicle?.engines?.map((engine) => engine.type)).toEqual([
      'Thermic',
      'Electric',
    ]);
  });

  it('pages with pageToken over the first page’s window while the car drives on', async () => {
    const { trip, now } = insideLastTrip(car);
    server.clock.set({ now });
    const since = `?timestamps=${at(trip.startMs - DAY_MS)}/&pageSize=500`;
    const first = await page(telemetryPath(car, since), server.credentialsFor(0));
    const expected = secondsIn(car, trip.startMs - DAY_MS, now, now);
    expect(first.total).toBe(expected.length);
    // Five minutes later the trip has gone on, but page 2 keeps the first page's window.
    server.clock.set({ now: now + 300_000 });
    const later = server.credentialsFor(0);
    const second = await page(first._links.next?.href as string, later);
    expect(second.currentPage).toBe(2);
    expect(second.total).toBe(first.total);
    expect(second._embedded.telemetries.map((m) => Date.parse(m.createdAt))).toEqual(
      expected.slice(500, 1000),
    );
    const fresh = await page(telemetryPath(car, since), later);
    expect(fresh.total).toBe(first.total + 300);
  });

  it('requires its scopes, the caller’s own car and a trip the car has', async () => {
    const trip = historyTrips(car)[1] as TripRecord;
    const tripOnly = server.credentialsFor(0, ['openid', 'profile', 'data:trip']);
    await expectApiError(await server.call(telemetryPath(car), tripOnly), 403, 40302);
    expect((await page(tripTelemetryPath(car, trip, '?pageSize=5'), tripOnly)).total).toBeGreaterThan(5);
    const telemetryOnly = server.credentialsFor(0, ['openid', 'profile', 'data:telemetry']);
    await expectApiError(await server.call(tripTelemetryPath(car, trip), telemetryOnly), 403, 40302);
    const peerCar = server.ctx.world.ownerAt(5).vehicles[0] as SimVehicle;
    await expectApiError(await server.call(telemetryPath(peerCar), demo), 403, 40301);
    await expectApiError(
      await server.call(`/user/vehicles/${car.id}/trips/${car.id}-1-0/telemetry`, demo),
      404,
      40499,
    );
    const evTrip = historyTrips(ev)[1] as TripRecord;
    await expectApiError(await server.call(tripTelemetryPath(car, evTrip), demo), 404, 40499);
  });

  it('answers the same bodies from two servers with the same seed and clock', async () => {
    const other = await startV4Server();
    try {
      const trip = historyTrips(ev)[2] as TripRecord;
      const paths = [
        telemetryPath(
          car,
          '?timestamps=2026-02-24T00:00:00Z/P1D&pageSize=50&indexRange=10-&extension=location',
        ),
        tripTelemetryPath(ev, trip, '?type=vehicle&pageSize=20'),
      ];
      for (const path of paths) {
        const a = await (await server.call(path, demo)).text();
        const b = await (await other.call(path, other.credentialsFor(0))).text();
        expect(a.length).toBeGreaterThan(1000);
        expect(b.replaceAll(other.origin, server.origin)).toBe(a);
      }
    } finally {
      await other.close();
    }
  });
});
