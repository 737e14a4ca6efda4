import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fogLampsOf } from '../../fleet/lights';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import { rfc3339 } from '../../v4/hal';
import { statusResource, type Upload } from '../../v4/status-resources';
import { isDaylight } from '../../v4/telemetry-resources';
import type { SimVehicle } from '../../world/world';
import { DRIVING_UPLOAD_MS, keysOf, range, recentTrip, secondMap, uploadAt } from '../test-helpers';
import { setupV1Server, V1_TEST_NOW } from '../test-server';

// GET /running/data/lightstatus/{vin}, GET /environment/get/{vin} and their POST …/list twins:
// lamps and surroundings over the last sampled minute, checked against the trace, the timeline's
// headings and v4's status for the same report.

const kit = setupV1Server({ seed: 'v1-telemetry-lights' });
const { ctx, combustion, electric } = kit;

const EVERY = range(1, 60);
const flag = z.union([z.literal(0), z.literal(1)]);
const lightSchemaOf = (all: boolean) =>
  z.strictObject({
    fogFront: secondMap([30, 41, 60], flag, all),
    fogRear: secondMap([30, 41, 60], flag, all),
    turnRight: secondMap(EVERY, flag, all),
    turnLeft: secondMap(EVERY, flag, all),
    brakeLight: secondMap(EVERY, flag, all),
    vin: z.string(),
    lastUpdate: z.iso.datetime(),
    contract: z.string(),
  });
const environmentSchemaOf = (all: boolean) =>
  z.strictObject({
    exteriorTemp: secondMap([41], z.number(), all),
    infoDayAndNight: secondMap(EVERY, flag, all),
    vin: z.string(),
    lastUpdate: z.iso.datetime(),
    contract: z.string(),
  });
const lightSchema = lightSchemaOf(true);
type Lights = z.infer<typeof lightSchema>;
type Environment = z.infer<ReturnType<typeof environmentSchemaOf>>;

async function lights(vehicle: SimVehicle, query: Record<string, string> = {}) {
  const body = await kit.expectOk(
    kit.get(`/running/data/lightstatus/${vehicle.vin}`, {
      ...kit.queryOf(vehicle),
      ...query,
    }),
  );
  return lightSchemaOf(!query.listsecond).parse(body) as Lights;
}

async function environment(vehicle: SimVehicle, query: Record<string, string> = {}) {
  const body = await kit.expectOk(
    kit.get(`/environment/get/${vehicle.vin}`, { ...kit.queryOf(vehicle), ...query }),
  );
  return environmentSchemaOf(!query.listsecond).parse(body) as Environment;
}

const instantOf = (upload: Upload, second: number) => upload.atMs - 60_000 + second * 1000;
function sampleOf(upload: Upload, second: number): number | null {
  const atMs = instantOf(upload, second);
  const { trip } = upload;
  return atMs < trip.startMs || atMs > trip.endMs ? null : Math.floor((atMs - trip.startMs) / 1000);
}

/** The documented rule: the road 150 m ahead turns by 30° or more (clockwise is right). */
function expectedTurn(vehicle: SimVehicle, trip: TripRecord, index: number): 'right' | 'left' | null {
  const timeline = ctx.fleet.timelineOf(vehicle);
  const km = timeline.traceOf(trip).distanceKm[index] ?? 0;
  const from = timeline.positionOnTrip(trip, km).headingDeg;
  const to = timeline.positionOnTrip(trip, Math.min(trip.distanceKm, km + 0.15)).headingDeg;
  const change = ((to - from + 540) % 360) - 180;
  if (Math.abs(change) < 30) return null;
  return change > 0 ? 'right' : 'left';
}

/** Brake lamps on beyond 1 m/s² of deceleration, turn signals by the heading rule, all off parked. */
function expectLamps(vehicle: SimVehicle, body: Lights, upload: Upload) {
  expect(body.lastUpdate).toBe(rfc3339(upload.atMs));
  const trace = ctx.fleet.timelineOf(vehicle).traceOf(upload.trip);
  for (const second of EVERY) {
    const i = sampleOf(upload, second);
    const braking = i !== null && (trace.accelerationMs2[i] ?? 0) < -1;
    expect(body.brakeLight[second], `brake at ${second}`).toBe(braking ? 1 : 0);
    const turn = i === null ? null : expectedTurn(vehicle, upload.trip, i);
    expect(body.turnRight[second], `right at ${second}`).toBe(turn === 'right' ? 1 : 0);
    expect(body.turnLeft[second], `left at ${second}`).toBe(turn === 'left' ? 1 : 0);
  }
  for (const second of [30, 41, 60]) {
    if (sampleOf(upload, second) === null) {
      expect(body.fogFront[second]).toBe(0);
      expect(body.fogRear[second]).toBe(0);
    }
    // Rear fog lamps only with the front ones.
    if (body.fogRear[second] === 1) expect(body.fogFront[second]).toBe(1);
  }
}

/** Freezes the clock so the minute ends at the first 30 s upload after sample `index` + 10 s. */
function minuteAround(trip: TripRecord, index: number): number {
  const reportMs = trip.startMs + Math.ceil(((index + 10) * 1000) / DRIVING_UPLOAD_MS) * DRIVING_UPLOAD_MS;
  kit.setNow(reportMs + 5000);
  return reportMs;
}

describe('PSA v1 GET /running/data/lightstatus/{vin}', () => {
  it('shows the petrol 208’s last braking before key-off, every lamp off once parked', async () => {
    kit.setNow(V1_TEST_NOW);
    const upload = uploadAt(ctx, combustion);
    const body = await lights(combustion);
    expectLamps(combustion, body, upload);
    expect(body.brakeLight['60']).toBe(0);
  });

  it('lights the brake lamps while the car decelerates mid-trip', async () => {
    const trip = recentTrip(ctx, combustion, V1_TEST_NOW);
    const trace = ctx.fleet.timelineOf(combustion).traceOf(trip);
    const braking = trace.accelerationMs2.findIndex((value, i) => i > 120 && value < -1.2);
    expect(braking).toBeGreaterThan(0);
    const reportMs = minuteAround(trip, braking);
    const upload = uploadAt(ctx, combustion);
    expect(upload.atMs).toBe(reportMs);
    const body = await lights(combustion);
    expectLamps(combustion, body, upload);
    const second = braking - (reportMs - 60_000 - trip.startMs) / 1000;
    expect(body.brakeLight[second]).toBe(1);
  });

  it('signals the trip’s sharp turn on the side it turns, before and through it', async () => {
    const trip = recentTrip(ctx, combustion, V1_TEST_NOW);
    const trace = ctx.fleet.timelineOf(combustion).traceOf(trip);
    let corner = -1;
    for (let i = 0; i < trace.speedKmh.length && corner < 0; i++)
      if (expectedTurn(combustion, trip, i)) corner = i;
    expect(corner).toBeGreaterThanOrEqual(0);
    const side = expectedTurn(combustion, trip, corner);
    const reportMs = minuteAround(trip, corner);
    const body = await lights(combustion);
    expectLamps(combustion, body, uploadAt(ctx, combustion));
    const second = corner - (reportMs - 60_000 - trip.startMs) / 1000;
    const [on, off] = side === 'right' ? [body.turnRight, body.turnLeft] : [body.turnLeft, body.turnRight];
    expect(on[second]).toBe(1);
    expect(off[second]).toBe(0);
  });

  it('answers for the e-208 at rest and mid-trip', async () => {
    kit.setNow(V1_TEST_NOW);
    expectLamps(electric, await lights(electric), uploadAt(ctx, electric));
    const trip = recentTrip(ctx, electric, V1_TEST_NOW);
    minuteAround(trip, 300);
    expectLamps(electric, await lights(electric), uploadAt(ctx, electric));
  });

  it('narrows the maps to listsecond', async () => {
    kit.setNow(V1_TEST_NOW);
    const all = await lights(combustion);
    const some = await lights(combustion, { listsecond: '30,31' });
    expect(keysOf(some.fogFront)).toEqual([30]);
    expect(keysOf(some.brakeLight)).toEqual([30, 31]);
    expect(some.turnLeft['31']).toBe(all.turnLeft['31']);
    expect(some.lastUpdate).toBe(all.lastUpdate);
  });
});

describe('PSA v1 fog lamps', () => {
  // Trips of the world's cars over a winter week: fog lamps come on only on cool nights.
  const trips = ctx.world
    .ownerAt(0)
    .vehicles.concat(ctx.world.ownerAt(1).vehicles, ctx.world.ownerAt(2).vehicles)
    .flatMap((vehicle) =>
      ctx.fleet
        .timelineOf(vehicle)
        .tripsBetween(V1_TEST_NOW - 14 * 86_400_000, V1_TEST_NOW)
        .map((trip) => ({ vehicle, trip })),
    );

  it('lights them on cool dark trips only, rear lamps with the front ones', () => {
    let cool = 0;
    let foggy = 0;
    for (const { vehicle, trip } of trips) {
      const timeline = ctx.fleet.timelineOf(vehicle);
      const trace = timeline.traceOf(trip);
      const fog = fogLampsOf(ctx.world.seed, timeline, trip, trace);
      const dark = !isDaylight(trip.startMs, timeline.home.lat, timeline.home.lon);
      const coolNight = dark && trace.outsideTempC >= -5 && trace.outsideTempC <= 8;
      if (coolNight) cool++;
      if (fog.front) foggy++;
      if (!coolNight) expect(fog.front).toBe(false);
      if (fog.rear) expect(fog.front).toBe(true);
    }
    expect(cool).toBeGreaterThan(8);
    // Rarely: some cool nights, not most.
    expect(foggy).toBeGreaterThan(0);
    expect(foggy).toBeLessThan(cool * 0.6);
  });

  it('reports them over HTTP while a foggy trip runs', async () => {
    const found = trips.find(({ vehicle, trip }) => {
      const timeline = ctx.fleet.timelineOf(vehicle);
      return (
        vehicle.brand !== 'opel' && fogLampsOf(ctx.world.seed, timeline, trip, timeline.traceOf(trip)).front
      );
    });
    if (!found) throw new Error('no foggy trip in the test world');
    kit.setNow(found.trip.startMs + 305_000);
    const answer = await kit.get(
      `/running/data/lightstatus/${found.vehicle.vin}`,
      kit.queryOf(found.vehicle),
    );
    const body = lightSchema.parse(answer.body);
    expect([body.fogFront['30'], body.fogFront['41'], body.fogFront['60']]).toEqual([1, 1, 1]);
  });
});

describe('PSA v1 GET /environment/get/{vin}', () => {
  function v4Air(vehicle: SimVehicle, upload: Upload): number {
    const status = statusResource(ctx, vehicle, upload, { apiBase: '', telemetry: true, position: false });
    if (!('environment' in status)) throw new Error('status without telemetry');
    return status.environment.air.temp;
  }

  function expectEnvironment(vehicle: SimVehicle, body: Environment, upload: Upload) {
    expect(body.lastUpdate).toBe(rfc3339(upload.atMs));
    expect(body.exteriorTemp['41']).toBe(v4Air(vehicle, upload));
    const { home } = ctx.fleet.timelineOf(vehicle);
    for (const second of EVERY) {
      const day = isDaylight(instantOf(upload, second), home.lat, home.lon);
      expect(body.infoDayAndNight[second]).toBe(day ? 1 : 0);
    }
  }

  it('gives the petrol 208’s outside air as v4 does, and the night at its key-off', async () => {
    kit.setNow(V1_TEST_NOW);
    const upload = uploadAt(ctx, combustion);
    const body = await environment(combustion);
    expectEnvironment(combustion, body, upload);
    // The key-off report reads the trip's own air.
    const trace = ctx.fleet.timelineOf(combustion).traceOf(upload.trip);
    expect(body.exteriorTemp['41']).toBeCloseTo(trace.outsideTempC, 1);
  });

  it('gives the trip’s air and daylight mid-trip, for both cars', async () => {
    for (const vehicle of [combustion, electric]) {
      const trip = recentTrip(ctx, vehicle, V1_TEST_NOW);
      kit.setNow(trip.startMs + 400_000);
      const upload = uploadAt(ctx, vehicle);
      const body = await environment(vehicle);
      expectEnvironment(vehicle, body, upload);
      expect(body.exteriorTemp['41']).toBeCloseTo(
        ctx.fleet.timelineOf(vehicle).traceOf(trip).outsideTempC,
        1,
      );
    }
  });

  it('answers the e-208 at rest with the air of its last report', async () => {
    kit.setNow(V1_TEST_NOW);
    expectEnvironment(electric, await environment(electric), uploadAt(ctx, electric));
  });

  it('narrows to listsecond and has a POST twin', async () => {
    kit.setNow(V1_TEST_NOW);
    const some = await environment(combustion, { listsecond: '5,41' });
    expect(keysOf(some.exteriorTemp)).toEqual([41]);
    expect(keysOf(some.infoDayAndNight)).toEqual([5, 41]);
    const { status, body } = await kit.post(
      '/environment/list',
      { client_id: kit.keyOf(combustion), listsecond: '5,41' },
      { listvin: [combustion.vin, electric.vin], listcontract: [combustion.contract, electric.contract] },
    );
    expect(status).toBe(200);
    expect(body).toEqual([some, await environment(electric, { listsecond: '5,41' })]);
    const lightList = await kit.post(
      '/running/lightstatus/list',
      { client_id: kit.keyOf(combustion) },
      { listvin: [electric.vin, combustion.vin], listcontract: [electric.contract, 'CT00000000'] },
    );
    expect(lightList.status).toBe(200);
    expect(lightList.body).toEqual([await lights(electric)]);
  });
});
