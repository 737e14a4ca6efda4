import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type PrivacyState, privacyPeriodAt, privacyStateAt } from '../fleet/privacy';
import { type ChargingState, DAY_MS, type TripRecord, type VehicleTimeline } from '../fleet/vehicle-timeline';
import type { SimVehicle } from '../world/world';
import { altitudeAt } from './geojson';
import { rfc3339 } from './hal';
import { isoDuration, keyOffUploadMs, lastUpload } from './status-resources';
import { expectApiError, startV4Server, TEST_NOW, type V4TestServer } from './test-server';

// GET …/status and …/lastPosition over real HTTP: bodies checked against strict schemas written from
// the 4.17 spec (Status, Energy, Position…), and every value against the car's timeline at the
// instant of its last upload (a parked car sleeps; driving it uploads every 30 s; charging wakes it).

const rfc3339Utc = z.iso.datetime({ precision: 0 });
const at = z.strictObject({ createdAt: rfc3339Utc });

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

const charging = z.strictObject({
  plugged: z.boolean(),
  status: z.enum(['Disconnected', 'InProgress', 'Failure', 'Stopped', 'Finished']),
  remainingTime: z.string().regex(/^PT(?:\d+H)?(?:\d+M)?(?:\d+S)?$/),
  chargingRate: z.number().int().min(0).max(500),
  chargingPowerLevel: z.enum(['Level1', 'Level2', 'Level3', 'Level4', 'Level5']).optional(),
  chargingMode: z.enum(['No', 'Slow', 'Quick']),
  nextDelayedTime: z
    .string()
    .regex(/^PT(?:\d+H)?(?:\d+M)?$/)
    .optional(),
  type: z.enum(['Partial', 'Full']).optional(),
});
const health = z.strictObject({
  capacity: z.number().int().min(0).max(100),
  resistance: z.number().int().min(0).max(100),
});
const level = z.number().min(0).max(100);

const energy = z.strictObject({
  createdAt: rfc3339Utc,
  updatedAt: rfc3339Utc,
  type: z.enum(['Fuel', 'Electric']),
  subType: z.enum(['FossilEnergy', 'ElectricEnergy', 'Hydrogen']),
  level,
  autonomy: z.number().int().min(0),
  extension: z.strictObject({
    fuel: z
      .strictObject({
        consumptions: z.strictObject({ total: z.number().min(0), instant: z.number().min(0) }),
      })
      .optional(),
    electric: z
      .strictObject({
        battery: z.strictObject({
          load: z.strictObject({
            createdAt: rfc3339Utc,
            capacity: z.number().int(),
            residual: z.number().int(),
          }),
          health: health.extend({ createdAt: rfc3339Utc }),
        }),
        charging,
      })
      .optional(),
  }),
});
const legacyEnergy = z.strictObject({
  createdAt: rfc3339Utc,
  updatedAt: rfc3339Utc,
  type: z.enum(['Fuel', 'Electric']),
  level,
  autonomy: z.number().int().min(0),
  consumption: z.number().min(0).optional(),
  residual: z.number().min(0).optional(),
  battery: z.strictObject({ capacity: z.number(), health }).optional(),
  charging: charging.optional(),
});

const liquid = z.strictObject({ level: z.number().int().min(0).max(100), temp: z.number() });
const engine = z.strictObject({
  createdAt: rfc3339Utc,
  type: z.enum(['Thermic', 'Electric']),
  speed: z.number().min(0),
  extension: z
    .strictObject({
      thermic: z.strictObject({ coolant: liquid, oil: liquid, air: z.strictObject({ temp: z.number() }) }),
    })
    .optional(),
});
const lights = z.array(
  z.strictObject({
    direction: z.enum(['Left', 'Right']).optional(),
    position: z.enum(['Front', 'Rear']).optional(),
    status: z.enum(['Off', 'On']),
  }),
);
const preconditioning = z.strictObject({
  airConditioning: z.strictObject({
    createdAt: rfc3339Utc,
    updatedAt: rfc3339Utc,
    status: z.enum(['Enabled', 'Disabled', 'Finished', 'Failure']),
    programs: z.array(
      z.strictObject({
        enabled: z.boolean(),
        slot: z.number().int().min(1).max(4),
        recurrence: z.enum(['None', 'Daily']),
        start: z.string().regex(/^PT\d{1,2}H(?:\d{1,2}M)?$/),
        occurence: z.strictObject({
          day: z.array(z.enum(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])),
        }),
      }),
    ),
  }),
});

function statusSchema(origin: string) {
  const link = z.strictObject({ href: z.string().startsWith(`${origin}/connectedcar/v4/user/vehicles/`) });
  return z.strictObject({
    createdAt: rfc3339Utc,
    updatedAt: rfc3339Utc,
    _links: z.strictObject({ self: link, vehicle: link }),
    lastPosition: position.optional(),
    energies: z.array(energy).min(1).optional(),
    energy: z.array(legacyEnergy).min(1).optional(),
    odometer: at.extend({ mileage: z.number().min(0) }).optional(),
    kinetic: at
      .extend({ acceleration: z.number(), speed: z.number().min(0), moving: z.boolean() })
      .optional(),
    ignition: at.extend({ type: z.enum(['Stop', 'StartUp', 'Start']) }).optional(),
    engines: z.array(engine).min(1).optional(),
    powertrain: at
      .extend({ status: z.enum(['NotRunning', 'Starting', 'Running', 'Stopping', 'Stopped']) })
      .optional(),
    battery: at.extend({ voltage: z.number().min(0).max(100) }).optional(),
    privacy: at.extend({ state: z.enum(['None', 'Geolocation', 'Full']) }).optional(),
    service: at.extend({ type: z.enum(['Electric', 'Hybrid', 'Unknown']) }),
    environment: z
      .strictObject({
        luminosity: at.extend({ day: z.boolean() }),
        air: at.extend({ temp: z.number().min(-40).max(50) }),
      })
      .optional(),
    doorsState: at
      .extend({
        lockedStates: z.array(z.enum(['Unlocked', 'Locked', 'SuperLocked'])).length(1),
        opening: z.array(
          z.strictObject({
            identifier: z.enum(['Driver', 'Passenger', 'RearLeft', 'RearRight', 'Trunk']),
            state: z.enum(['Open', 'Closed']),
          }),
        ),
      })
      .optional(),
    safety: at
      .extend({
        beltStatus: z.array(
          z.strictObject({ belt: z.enum(['Normal', 'Omission']), id: z.enum(['Driver', 'Passenger']) }),
        ),
        autoECallTriggering: z.enum(['NotDetected', 'Detected', 'ShockDetectionUnabled']),
      })
      .optional(),
    drivingBehavior: at
      .extend({ mode: z.enum(['Normal', 'Sport', 'Comfort', 'Eco', 'Hybrid', 'ZEV']) })
      .optional(),
    lightingSystem: at.extend({ turn: lights, fog: lights }).optional(),
    alarm: z.strictObject({ status: at.extend({ activation: z.enum(['Inactive', 'Active']) }) }).optional(),
    preconditioning: preconditioning.optional(),
    preconditionning: preconditioning.optional(),
  });
}
type StatusBody = z.infer<ReturnType<typeof statusSchema>>;

const round1 = (value: number) => Math.round(value * 10) / 10;
/** Upload periods of the telematics box: every 30 s while driving, every 5 min while charging. */
const DRIVING_UPLOAD_MS = 30_000;
const CHARGING_UPLOAD_MS = 5 * 60_000;

describe('PSA v4 …/status and …/lastPosition', () => {
  let server: V4TestServer;
  let schema: ReturnType<typeof statusSchema>;
  let petrol: SimVehicle;
  let electric: SimVehicle;

  beforeAll(async () => {
    server = await startV4Server();
    schema = statusSchema(server.origin);
    const [first, second] = server.ctx.world.ownerAt(0).vehicles;
    if (!first || !second) throw new Error('the demo owner has two cars');
    petrol = first;
    electric = second;
  });
  afterAll(() => server.close());

  const timelineOf = (vehicle: SimVehicle) => server.ctx.fleet.timelineOf(vehicle);

  /** Moves the frozen clock and issues a token that is live at that instant. */
  function setNow(ms: number, ownerIndex = 0, scopes?: readonly string[]) {
    server.clock.set({ now: ms });
    return server.credentialsFor(ownerIndex, scopes);
  }

  async function status(vehicle: SimVehicle, nowMs: number, scopes?: readonly string[]) {
    const response = await server.call(
      `/user/vehicles/${vehicle.id}/status`,
      setNow(nowMs, vehicle.ownerIndex, scopes),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/hal+json');
    return schema.parse(await response.json());
  }

  async function lastPosition(vehicle: SimVehicle, nowMs: number) {
    const response = await server.call(
      `/user/vehicles/${vehicle.id}/lastPosition`,
      setNow(nowMs, vehicle.ownerIndex),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.geo+json');
    return position.parse(await response.json());
  }

  /** The GeoJSON coordinates the timeline gives for an instant: [lon, lat, alt]. */
  function coordinatesAt(timeline: VehicleTimeline, ms: number) {
    const state = timeline.stateAt(ms);
    return [Number(state.lon.toFixed(6)), Number(state.lat.toFixed(6)), altitudeAt(state.lat, state.lon)];
  }

  /** Status and lastPosition tell the same position, and it is the timeline's at the fix. */
  function expectPositionAt(
    body: StatusBody,
    feature: z.infer<typeof position>,
    vehicle: SimVehicle,
    fixMs: number,
  ) {
    expect(body.lastPosition).toEqual(feature);
    expect(feature.properties.createdAt).toBe(rfc3339(fixMs));
    expect(feature.geometry.coordinates).toEqual(coordinatesAt(timelineOf(vehicle), fixMs));
    expect(feature.properties.heading).toBe(Math.round(timelineOf(vehicle).stateAt(fixMs).headingDeg) % 360);
  }

  /** Legacy `energy` items equal their `energies` twins on every field both carry. */
  function expectLegacyTwins(body: StatusBody) {
    const energies = body.energies ?? [];
    const legacy = body.energy ?? [];
    expect(legacy.map((item) => item.type)).toEqual(energies.map((item) => item.type));
    energies.forEach((item, index) => {
      const twin = legacy[index];
      expect(twin).toMatchObject({
        createdAt: item.createdAt,
        updatedAt: item.updatedAt,
        level: item.level,
        autonomy: item.autonomy,
      });
      if (item.type === 'Electric') {
        expect(twin?.charging).toEqual(item.extension.electric?.charging);
        expect(twin?.battery?.health).toMatchObject({
          capacity: item.extension.electric?.battery.health.capacity,
          resistance: item.extension.electric?.battery.health.resistance,
        });
        expect(twin?.residual).toBeCloseTo((item.extension.electric?.battery.load.residual ?? 0) / 1000, 1);
      } else {
        expect(twin?.consumption).toBe(item.extension.fuel?.consumptions.instant);
      }
    });
    expect(body.preconditionning).toEqual(body.preconditioning);
  }

  /** The trips of a car that start in [fromMs, toMs). */
  const tripsOf = (vehicle: SimVehicle, fromMs: number, toMs: number) =>
    timelineOf(vehicle).tripsBetween(fromMs, toMs);

  function firstTrip(
    vehicle: SimVehicle,
    fromMs: number,
    predicate: (trip: TripRecord) => boolean = () => true,
  ) {
    const trip = tripsOf(vehicle, fromMs, fromMs + 7 * DAY_MS).find(predicate);
    if (!trip) throw new Error('no trip in the test world');
    return trip;
  }

  /** A charging session of a car, found from the day's last trip. */
  function sessionAfter(vehicle: SimVehicle, fromMs: number, predicate: (session: ChargingState) => boolean) {
    for (const trip of tripsOf(vehicle, fromMs, fromMs + 4 * DAY_MS)) {
      const session = timelineOf(vehicle).stateAt(trip.endMs + 3_600_000).charging;
      if (session && predicate(session)) return { trip, session };
    }
    return null;
  }

  describe('a sleeping car', () => {
    it('reports the combustion car as of its key-off upload, with every field of the spec', async () => {
      const timeline = timelineOf(petrol);
      const now = timeline.stateAt(TEST_NOW);
      expect(now.moving).toBe(false);
      const endMs = now.lastTripEndMs ?? 0;
      const body = await status(petrol, TEST_NOW);
      const uploadMs = endMs + keyOffUploadMs(server.ctx.world.seed, petrol.id, endMs);
      expect(body.createdAt).toBe(rfc3339(uploadMs));
      expect(body.updatedAt).toBe(body.createdAt);
      expect(uploadMs - endMs).toBeGreaterThanOrEqual(3000);
      expect(uploadMs - endMs).toBeLessThanOrEqual(12_000);
      // Parked for more than a day: the box has slept since.
      expect(TEST_NOW - uploadMs).toBeGreaterThan(DAY_MS);

      const then = timeline.stateAt(uploadMs);
      expect(body._links.self.href).toBe(
        `${server.origin}/connectedcar/v4/user/vehicles/${petrol.id}/status?profile=endUser`,
      );
      expect(body._links.vehicle.href).toBe(`${server.origin}/connectedcar/v4/user/vehicles/${petrol.id}`);
      expect(body.odometer).toEqual({ createdAt: body.createdAt, mileage: round1(then.odometerKm) });
      expect(body.energies?.map((item) => [item.type, item.subType, item.level])).toEqual([
        ['Fuel', 'FossilEnergy', round1(then.fuelLevelPct ?? -1)],
      ]);
      const fuel = body.energies?.[0];
      const { ratedConsumption, tankLitres } = timeline.model;
      expect(fuel?.autonomy).toBe(
        Math.floor(((((fuel?.level ?? 0) / 100) * (tankLitres ?? 0)) / ratedConsumption.value) * 100),
      );
      expect(fuel?.extension.fuel?.consumptions.instant).toBe(0);
      expect(fuel?.extension.fuel?.consumptions.total).toBeCloseTo(
        then.odometerKm * ratedConsumption.value * 1.15,
        0,
      );
      expect(fuel?.extension.electric).toBeUndefined();
      expect(body.kinetic).toEqual({ createdAt: body.createdAt, acceleration: 0, speed: 0, moving: false });
      expect(body.ignition).toEqual({ createdAt: rfc3339(endMs), type: 'Stop' });
      expect(body.powertrain).toEqual({ createdAt: rfc3339(endMs), status: 'Stopped' });
      expect(body.engines?.map((item) => [item.type, item.speed])).toEqual([['Thermic', 0]]);
      // Just switched off: the coolant is still near its running temperature.
      expect(body.engines?.[0]?.extension?.thermic.coolant.temp).toBeGreaterThan(60);
      expect(body.privacy).toEqual({ createdAt: body.createdAt, state: 'None' });
      expect(body.service).toEqual({ createdAt: body.createdAt, type: 'Unknown' });
      expect(body.doorsState?.lockedStates).toEqual(['Locked']);
      expect(body.alarm?.status).toEqual({ createdAt: rfc3339(endMs), activation: 'Active' });
      expect(body.safety?.autoECallTriggering).toBe('NotDetected');
      expect(body.battery?.voltage).toBeGreaterThan(50);
      expect(body.environment?.air.createdAt).toBe(body.createdAt);
      // No traction battery: no air-conditioning programs.
      expect(body.preconditioning).toBeUndefined();
      expectLegacyTwins(body);
      expectPositionAt(body, await lastPosition(petrol, TEST_NOW), petrol, endMs);
    });

    it('keeps answering the same upload while the car stays parked', async () => {
      const first = await status(petrol, TEST_NOW);
      const later = await status(petrol, TEST_NOW + 5 * 3_600_000);
      expect(timelineOf(petrol).stateAt(TEST_NOW + 5 * 3_600_000).moving).toBe(false);
      expect(later).toEqual(first);
    });

    it('switches from the last 30 s upload to the key-off upload a few seconds after the trip', async () => {
      const trip = firstTrip(petrol, TEST_NOW - 2 * DAY_MS);
      const delay = keyOffUploadMs(server.ctx.world.seed, petrol.id, trip.endMs);
      const before = await status(petrol, trip.endMs + delay - 1000);
      const lastDriving =
        trip.startMs + Math.floor((trip.endMs - 1 - trip.startMs) / DRIVING_UPLOAD_MS) * DRIVING_UPLOAD_MS;
      expect(before.createdAt).toBe(rfc3339(lastDriving));
      expect(before.ignition?.type).toBe('Start');
      expect(before.powertrain?.status).toBe('Running');
      const after = await status(petrol, trip.endMs + delay);
      expect(after.createdAt).toBe(rfc3339(trip.endMs + delay));
      expect(after.ignition).toEqual({ createdAt: rfc3339(trip.endMs), type: 'Stop' });
      expect(after.odometer?.mileage).toBe(round1(timelineOf(petrol).stateAt(trip.endMs).odometerKm));
    });
  });

  describe('a driving car', () => {
    it('reports the trace at the latest 30 s boundary since key-on', async () => {
      const timeline = timelineOf(electric);
      const trip = firstTrip(
        electric,
        TEST_NOW,
        (candidate) => candidate.endMs - candidate.startMs > 20 * 60_000,
      );
      const nowMs = trip.startMs + 17 * 60_000 + 17_000;
      const uploadMs = trip.startMs + 17 * 60_000;
      const body = await status(electric, nowMs);
      expect(body.createdAt).toBe(rfc3339(uploadMs));
      const state = timeline.stateAt(uploadMs);
      const trace = timeline.traceOf(trip);
      const i = (uploadMs - trip.startMs) / 1000;
      expect(state.moving).toBe(true);
      expect(body.kinetic).toEqual({
        createdAt: body.createdAt,
        acceleration: Math.round((trace.accelerationMs2[i] ?? 0) * 100) / 100,
        speed: round1(trace.speedKmh[i] ?? 0),
        moving: (trace.speedKmh[i] ?? 0) > 0.5,
      });
      expect(body.odometer?.mileage).toBe(round1(state.odometerKm));
      expect(body.energies?.[0]?.level).toBe(round1(state.batteryLevelPct ?? -1));
      expect(body.energies?.[0]?.extension.electric?.charging).toEqual({
        plugged: false,
        status: 'Disconnected',
        remainingTime: 'PT0S',
        chargingRate: 0,
        chargingMode: 'No',
      });
      expect(body.engines).toEqual([
        { createdAt: body.createdAt, type: 'Electric', speed: Math.round(trace.engineRpm[i] ?? 0) },
      ]);
      expect(body.ignition).toEqual({ createdAt: rfc3339(trip.startMs), type: 'Start' });
      expect(body.powertrain).toEqual({ createdAt: rfc3339(trip.startMs), status: 'Running' });
      expect(body.alarm?.status.activation).toBe('Inactive');
      expect(body.service.type).toBe('Electric');
      expect(body.preconditioning?.airConditioning.status).toBe('Disabled');
      expectLegacyTwins(body);
      const feature = await lastPosition(electric, nowMs);
      expectPositionAt(body, feature, electric, uploadMs);
      const onTrip = timeline.positionOnTrip(trip, trace.distanceKm[i] ?? 0);
      expect(feature.geometry.coordinates.slice(0, 2)).toEqual([
        Number(onTrip.lon.toFixed(6)),
        Number(onTrip.lat.toFixed(6)),
      ]);

      // The same 30 s window answers the same upload; the next one moves on by 30 s.
      expect(await status(electric, uploadMs + DRIVING_UPLOAD_MS - 1000)).toEqual(body);
      const next = await status(electric, uploadMs + DRIVING_UPLOAD_MS);
      expect(next.createdAt).toBe(rfc3339(uploadMs + DRIVING_UPLOAD_MS));
      expect(next.odometer?.mileage).toBeGreaterThanOrEqual(
        body.odometer?.mileage ?? Number.POSITIVE_INFINITY,
      );
    });

    it('reports the running engine of a combustion car, its fuel flow and warming coolant', async () => {
      const timeline = timelineOf(petrol);
      // A second at speed with fuel flowing, on a 30 s boundary at least 10 minutes in.
      const cruising = (trace: ReturnType<typeof timeline.traceOf>) => {
        let i = 600;
        while (
          i < trace.speedKmh.length &&
          ((trace.speedKmh[i] ?? 0) < 50 || (trace.fuelRateLph[i] ?? 0) <= 0)
        )
          i += 30;
        return i;
      };
      const trip = firstTrip(
        petrol,
        TEST_NOW - 2 * DAY_MS,
        (candidate) =>
          candidate.endMs - candidate.startMs > 12 * 60_000 &&
          cruising(timeline.traceOf(candidate)) < timeline.traceOf(candidate).speedKmh.length,
      );
      const trace = timeline.traceOf(trip);
      const i = cruising(trace);
      expect(i).toBeLessThan(trace.speedKmh.length);
      const uploadMs = trip.startMs + i * 1000;
      const body = await status(petrol, uploadMs + 29_000);
      expect(body.createdAt).toBe(rfc3339(uploadMs));
      const speed = trace.speedKmh[i] ?? 0;
      // Capped at 30 L/100 km, as the telemetry writes it.
      const instant = round1(Math.min(30, ((trace.fuelRateLph[i] ?? 0) / speed) * 100));
      expect(body.energies?.[0]?.extension.fuel?.consumptions.instant).toBe(instant);
      expect(body.energy?.[0]?.consumption).toBe(instant);
      expect(body.energies?.[0]?.level).toBe(round1(trace.fuelLevelPct?.[i] ?? -1));
      const [thermic] = body.engines ?? [];
      expect(thermic?.type).toBe('Thermic');
      expect(thermic?.speed).toBe(Math.round(trace.engineRpm[i] ?? 0));
      const coolant = thermic?.extension?.thermic.coolant.temp ?? 0;
      expect(coolant).toBeGreaterThan(trace.outsideTempC);
      expect(coolant).toBeLessThanOrEqual(90);
      expect(body.environment?.air.temp).toBe(round1(trace.outsideTempC));
      expect(body.kinetic?.moving).toBe(true);
      // Past 10 km/h the doors have locked themselves.
      expect(body.doorsState?.lockedStates).toEqual(['Locked']);
      expectLegacyTwins(body);
    });
  });

  it('reports both energies and both engines of a plug-in hybrid', async () => {
    const hybrid = Array.from({ length: server.ctx.world.ownerCount - 1 }, (_, index) =>
      server.ctx.world.ownerAt(index + 1),
    )
      .flatMap((owner) => owner.vehicles)
      .find(
        (vehicle) =>
          vehicle.powertrain === 'hybrid' &&
          privacyStateAt(server.ctx.world.seed, vehicle, TEST_NOW) === 'None',
      );
    if (!hybrid) throw new Error('a plug-in hybrid in the test world');
    const timeline = timelineOf(hybrid);
    const trip = firstTrip(
      hybrid,
      TEST_NOW - DAY_MS,
      (candidate) => candidate.endMs - candidate.startMs > 5 * 60_000,
    );
    const uploadMs = trip.startMs + 5 * 60_000;
    const body = await status(hybrid, uploadMs + 10_000);
    const state = timeline.stateAt(uploadMs);
    expect(body.service.type).toBe('Hybrid');
    expect(body.energies?.map((item) => [item.type, item.subType, item.level])).toEqual([
      ['Fuel', 'FossilEnergy', round1(state.fuelLevelPct ?? -1)],
      ['Electric', 'ElectricEnergy', round1(state.batteryLevelPct ?? -1)],
    ]);
    expect(body.engines?.map((item) => item.type)).toEqual(['Thermic', 'Electric']);
    expect(body.engines?.[0]?.speed).toBe(Math.round(timeline.traceOf(trip).engineRpm[300] ?? 0));
    expect(body.preconditioning?.airConditioning.programs.every((program) => program.slot >= 1)).toBe(true);
    expectLegacyTwins(body);
  });

  describe('a charging car', () => {
    it('wakes every 5 minutes to report charging progress overnight', async () => {
      const timeline = timelineOf(electric);
      const found = sessionAfter(
        electric,
        TEST_NOW,
        (session) => session.endMs - session.startMs > 3 * 3_600_000,
      );
      if (!found) throw new Error('the demo EV charges at home in the test world');
      const { trip, session } = found;
      const uploadMs = session.startMs + 13 * CHARGING_UPLOAD_MS;
      const nowMs = uploadMs + 2 * 60_000 + 17_000;
      const body = await status(electric, nowMs);
      expect(body.createdAt).toBe(rfc3339(uploadMs));
      expect(nowMs - uploadMs).toBeLessThan(CHARGING_UPLOAD_MS);
      const state = timeline.stateAt(uploadMs);
      expect(state.charging?.status).toBe('InProgress');
      const [item] = body.energies ?? [];
      expect(item?.level).toBe(round1(state.batteryLevelPct ?? -1));
      expect(item?.level).toBeGreaterThan(session.fromPct);
      expect(item?.level).toBeLessThan(session.targetPct);
      const capacityWh = Math.round((timeline.model.batteryKwh ?? 0) * 1000);
      expect(item?.extension.electric?.battery.load).toEqual({
        createdAt: body.createdAt,
        capacity: capacityWh,
        residual: Math.round((capacityWh * (item?.level ?? 0)) / 100),
      });
      expect(item?.extension.electric?.charging).toMatchObject({
        plugged: true,
        status: 'InProgress',
        remainingTime: isoDuration(session.endMs - uploadMs),
        chargingMode: 'Slow',
        type: session.targetPct >= 100 ? 'Full' : 'Partial',
      });
      expect(item?.extension.electric?.charging.chargingRate).toBe(
        Math.round(session.powerKw / (timeline.model.ratedConsumption.value / 100)),
      );
      expect(item?.extension.electric?.charging.chargingPowerLevel).toMatch(/^Level[1-5]$/);
      // Parked since the trip: the position is the key-off fix, the odometer the trip's end.
      expect(body.ignition).toEqual({ createdAt: rfc3339(trip.endMs), type: 'Stop' });
      expect(body.odometer?.mileage).toBe(round1(timeline.stateAt(trip.endMs).odometerKm));
      expectLegacyTwins(body);
      expectPositionAt(body, await lastPosition(electric, nowMs), electric, trip.endMs);

      // An hour later the battery holds more.
      const later = await status(electric, nowMs + 3_600_000);
      expect(later.createdAt).toBe(rfc3339(uploadMs + 12 * CHARGING_UPLOAD_MS));
      expect(later.energies?.[0]?.level).toBeGreaterThan(item?.level ?? 100);
    });

    it('reports the finished charge the morning after, as of its end', async () => {
      const timeline = timelineOf(electric);
      const found = sessionAfter(electric, TEST_NOW, () => true);
      if (!found) throw new Error('the demo EV charges at home in the test world');
      const { trip, session } = found;
      const morning = (Math.floor(trip.endMs / DAY_MS) + 1) * DAY_MS + 5 * 3_600_000;
      expect(timeline.stateAt(morning).moving).toBe(false);
      expect(session.endMs).toBeLessThan(morning);
      const body = await status(electric, morning);
      expect(body.createdAt).toBe(rfc3339(session.endMs));
      expect(body.energies?.[0]?.level).toBe(round1(session.targetPct));
      expect(body.energies?.[0]?.extension.electric?.charging).toEqual({
        plugged: true,
        status: 'Finished',
        remainingTime: 'PT0S',
        chargingRate: 0,
        chargingMode: 'No',
        type: session.targetPct >= 100 ? 'Full' : 'Partial',
      });
      expectLegacyTwins(body);
      expectPositionAt(body, await lastPosition(electric, morning), electric, trip.endMs);
    });

    it('reports a delayed off-peak start as Stopped with the time until it starts', async () => {
      let found: { vehicle: SimVehicle; trip: TripRecord; session: ChargingState } | null = null;
      for (let index = 1; index < server.ctx.world.ownerCount && !found; index += 1) {
        for (const vehicle of server.ctx.world.ownerAt(index).vehicles) {
          if (vehicle.powertrain !== 'electric' && vehicle.powertrain !== 'hybrid') continue;
          const match = sessionAfter(
            vehicle,
            TEST_NOW - 3 * DAY_MS,
            (session) => session.startMs > session.pluggedAtMs,
          );
          if (match) {
            found = { vehicle, ...match };
            break;
          }
        }
      }
      if (!found) throw new Error('an off-peak charger in the test world');
      const { vehicle, session } = found;
      const plugUploadMs =
        session.pluggedAtMs + keyOffUploadMs(server.ctx.world.seed, vehicle.id, found.trip.endMs);
      const nowMs = Math.floor((plugUploadMs + session.startMs) / 2);
      const body = await status(vehicle, nowMs);
      expect(body.createdAt).toBe(rfc3339(plugUploadMs));
      const electricEnergy = body.energies?.find((item) => item.type === 'Electric');
      expect(electricEnergy?.extension.electric?.charging).toMatchObject({
        plugged: true,
        status: 'Stopped',
        chargingMode: 'No',
        chargingRate: 0,
        nextDelayedTime: isoDuration(session.startMs - plugUploadMs),
      });
      expect(electricEnergy?.level).toBe(round1(session.fromPct));
      expectLegacyTwins(body);
      // Once energy flows the box reports from the session's start on.
      const started = await status(vehicle, session.startMs + 60_000);
      expect(started.createdAt).toBe(rfc3339(session.startMs));
      expect(
        started.energies?.find((item) => item.type === 'Electric')?.extension.electric?.charging.status,
      ).toBe('InProgress');
    });
  });

  describe('privacy and scopes', () => {
    /** A peer car and an instant mid-way through a privacy period of the given mode. */
    function carInPrivacy(state: PrivacyState) {
      for (let index = 1; index < server.ctx.world.ownerCount; index += 1) {
        for (const vehicle of server.ctx.world.ownerAt(index).vehicles) {
          for (let period = 0; period < 8; period += 1) {
            const { state: found, fromMs } = privacyPeriodAt(
              server.ctx.world.seed,
              vehicle,
              TEST_NOW - period * 28 * DAY_MS,
            );
            const nowMs = fromMs + 14 * DAY_MS + 12 * 3_600_000;
            if (found === state) return { vehicle, nowMs };
          }
        }
      }
      throw new Error(`no car in ${state} privacy in the test world`);
    }

    it('Geolocation privacy hides the position from status and answers 404 on lastPosition', async () => {
      const { vehicle, nowMs } = carInPrivacy('Geolocation');
      expect(privacyStateAt(server.ctx.world.seed, vehicle, nowMs)).toBe('Geolocation');
      const body = await status(vehicle, nowMs);
      expect(body.privacy?.state).toBe('Geolocation');
      expect(body.lastPosition).toBeUndefined();
      expect(body.kinetic).toBeDefined();
      expect(body.odometer).toBeDefined();
      const response = await server.call(
        `/user/vehicles/${vehicle.id}/lastPosition`,
        setNow(nowMs, vehicle.ownerIndex),
      );
      await expectApiError(response, 404, 40499);
    });

    it('Full privacy hides the position and the kinetic data', async () => {
      const { vehicle, nowMs } = carInPrivacy('Full');
      const body = await status(vehicle, nowMs);
      expect(body.privacy?.state).toBe('Full');
      expect(body.lastPosition).toBeUndefined();
      expect(body.kinetic).toBeUndefined();
      expect(body.energies).toBeDefined();
      const response = await server.call(
        `/user/vehicles/${vehicle.id}/lastPosition`,
        setNow(nowMs, vehicle.ownerIndex),
      );
      await expectApiError(response, 404, 40499);
    });

    it('sends the position only with data:position, and telemetry only with data:telemetry', async () => {
      const full = await status(electric, TEST_NOW);
      const noPosition = await status(electric, TEST_NOW, ['openid', 'data:telemetry']);
      expect(noPosition.lastPosition).toBeUndefined();
      const { lastPosition: _omitted, ...rest } = full;
      expect(noPosition).toEqual(rest);

      const positionOnly = await status(electric, TEST_NOW, ['openid', 'data:position']);
      expect(Object.keys(positionOnly).sort()).toEqual([
        '_links',
        'createdAt',
        'lastPosition',
        'service',
        'updatedAt',
      ]);
      expect(positionOnly.lastPosition).toEqual(full.lastPosition);
      expect(positionOnly.createdAt).toBe(full.createdAt);

      const neither = await status(electric, TEST_NOW, ['openid']);
      expect(Object.keys(neither).sort()).toEqual(['_links', 'createdAt', 'service', 'updatedAt']);

      const response = await server.call(
        `/user/vehicles/${electric.id}/lastPosition`,
        setNow(TEST_NOW, 0, ['openid', 'data:telemetry']),
      );
      await expectApiError(response, 403, 40302);
    });

    it("answers 403 for another owner's car on both endpoints", async () => {
      const foreign = server.ctx.world.ownerAt(1).vehicles[0];
      const credentials = setNow(TEST_NOW);
      await expectApiError(
        await server.call(`/user/vehicles/${foreign?.id}/status`, credentials),
        403,
        40301,
      );
      await expectApiError(
        await server.call(`/user/vehicles/${foreign?.id}/lastPosition`, credentials),
        403,
        40301,
      );
    });

    it('has no status for a car that has uploaded nothing since it joined the service', async () => {
      // A peer car enrolled late: just after enrolment, before its first trip as a connected car.
      for (let index = 1; index < server.ctx.world.ownerCount; index += 1) {
        for (const vehicle of server.ctx.world.ownerAt(index).vehicles) {
          const enrolledAtMs = server.ctx.fleet.enrolledAtMs(vehicle);
          const nowMs = enrolledAtMs + 1000;
          const state = timelineOf(vehicle).stateAt(nowMs);
          if (state.moving || state.charging || state.lastTripEndMs === null) continue;
          const credentials = setNow(nowMs, index);
          await expectApiError(
            await server.call(`/user/vehicles/${vehicle.id}/status`, credentials),
            404,
            40499,
          );
          await expectApiError(
            await server.call(`/user/vehicles/${vehicle.id}/lastPosition`, credentials),
            404,
            40499,
          );
          return;
        }
      }
      throw new Error('no parked car at its enrolment in the test world');
    });
  });

  it('is deterministic: two servers with the same seed and clock give the same bodies', async () => {
    const other = await startV4Server();
    try {
      for (const vehicle of [petrol, electric]) {
        for (const nowMs of [TEST_NOW, TEST_NOW + 10.5 * 3_600_000]) {
          const mine = await (await server.call(`/user/vehicles/${vehicle.id}/status`, setNow(nowMs))).text();
          other.clock.set({ now: nowMs });
          const theirs = await (
            await other.call(`/user/vehicles/${vehicle.id}/status`, other.credentialsFor(0))
          ).text();
          expect(theirs.replaceAll(other.origin, server.origin)).toBe(mine);
        }
      }
    } finally {
      await other.close();
    }
  });

  it('writes coordinates longitude first', async () => {
    const feature = await lastPosition(electric, TEST_NOW);
    const home = timelineOf(electric).home;
    const [lon, lat, alt] = feature.geometry.coordinates;
    // Parked at home (the day's last trip ends there); latitude and longitude differ by far more than 1°.
    expect(Math.abs((lon ?? 0) - home.lon)).toBeLessThan(0.01);
    expect(Math.abs((lat ?? 0) - home.lat)).toBeLessThan(0.01);
    expect(alt).toBe(altitudeAt(lat ?? 0, lon ?? 0));
  });

  it('finds the last upload of a car left parked for more than a month', () => {
    // No car of the test world stands still that long, so the timeline is narrowed: it forgets
    // every trip after one 45 days back, as a car left in a garage would have none.
    const real = timelineOf(petrol);
    const last = real.tripsBetween(TEST_NOW - 46 * DAY_MS, TEST_NOW - 45 * DAY_MS).at(-1);
    if (!last) throw new Error('the demo car drives most days');
    const parked: VehicleTimeline = {
      ...real,
      tripsBetween: (fromMs, toMs) => real.tripsBetween(fromMs, Math.min(toMs, last.startMs + 1)),
      stateAt: (ms) =>
        ms < last.endMs
          ? real.stateAt(ms)
          : { ...real.stateAt(last.endMs), lastTripEndMs: ms - last.endMs > 30 * DAY_MS ? null : last.endMs },
    };
    const ctx = { ...server.ctx, fleet: { ...server.ctx.fleet, timelineOf: () => parked } };
    const upload = lastUpload(ctx, petrol, TEST_NOW);
    const delay = keyOffUploadMs(ctx.world.seed, petrol.id, last.endMs);
    expect(upload).toMatchObject({ kind: 'parked', atMs: last.endMs + delay, fixMs: last.endMs, trip: last });
    expect(upload?.state.odometerKm).toBe(real.stateAt(last.endMs + delay).odometerKm);
  });
});
