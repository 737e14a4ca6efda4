import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DAY_MS, type TripRecord } from '../../fleet/vehicle-timeline';
import { rfc3339 } from '../../v4/hal';
import type { Upload } from '../../v4/status-resources';
import { telemetryRenderer } from '../../v4/telemetry-resources';
import type { SimVehicle } from '../../world/world';
import { keysOf, range, recentTrip, secondMap, uploadAt, yyyymmdd } from '../test-helpers';
import { setupV1Server, V1_TEST_NOW } from '../test-server';

// The /safety operations: driver-aid states over the last sampled minute (or a day's last one),
// checked second by second against the trace and v4's speed-limit reading.

const kit = setupV1Server({ seed: 'v1-telemetry-safety' });
const { ctx, combustion, electric } = kit;

const EVERY = range(1, 60);
const state = z.union([z.literal(0), z.literal(1), z.literal(2)]);
const drivingSchemaOf = (all: boolean) =>
  z.strictObject({
    autoECall: z.literal(0),
    afil: secondMap(EVERY, state, all),
    respectTimeIntVeh: secondMap(EVERY, state, all),
    survBlindSpot: secondMap(EVERY, state, all),
    speedInfoPanel: secondMap(EVERY, z.number().int().min(0), all),
    rearSoundParkAssist: secondMap(EVERY, state, all),
    frontSoundParkAssist: secondMap(EVERY, state, all),
    laneKeepAssistLeft: secondMap(EVERY, state, all),
    laneKeepAssistRight: secondMap(EVERY, state, all),
    vin: z.string(),
    lastUpdate: z.iso.datetime(),
    contract: z.string(),
  });
const safetySchemaOf = (all: boolean) =>
  z.strictObject({
    infoBeltSecurity: secondMap(EVERY, z.literal(0), all),
    AdEmergencyBrakeSystem: secondMap(EVERY, state, all),
    abs: secondMap(EVERY, z.union([z.literal(0), z.literal(1)]), all),
    esp: secondMap(EVERY, z.literal(0), all),
    vin: z.string(),
    lastUpdate: z.iso.datetime(),
    contract: z.string(),
  });
type Driving = z.infer<ReturnType<typeof drivingSchemaOf>>;
type Safety = z.infer<ReturnType<typeof safetySchemaOf>>;

async function driving(vehicle: SimVehicle, path = 'drivingassistance', query: Record<string, string> = {}) {
  const body = await kit.expectOk(
    kit.get(`/safety/${path}/${vehicle.vin}`, { ...kit.queryOf(vehicle), ...query }),
  );
  return drivingSchemaOf(!query.listsecond).parse(body) as Driving;
}

async function safety(vehicle: SimVehicle, path = 'safetyassistance', query: Record<string, string> = {}) {
  const body = await kit.expectOk(
    kit.get(`/safety/${path}/${vehicle.vin}`, { ...kit.queryOf(vehicle), ...query }),
  );
  return safetySchemaOf(!query.listsecond).parse(body) as Safety;
}

/** Speed, limit and acceleration at second s of the minute ending at the upload; null parked. */
function sampleOf(vehicle: SimVehicle, upload: Upload, second: number) {
  const atMs = upload.atMs - 60_000 + second * 1000;
  const { trip } = upload;
  if (atMs < trip.startMs || atMs > trip.endMs) return null;
  const trace = ctx.fleet.timelineOf(vehicle).traceOf(trip);
  const i = Math.floor((atMs - trip.startMs) / 1000);
  return {
    atMs,
    trip,
    speedKmh: trace.speedKmh[i] ?? 0,
    limitKmh: trace.limitKmh[i] ?? 0,
    accelerationMs2: trace.accelerationMs2[i] ?? 0,
    outsideTempC: trace.outsideTempC,
  };
}

/** The documented rules, second by second. */
function expectAids(vehicle: SimVehicle, aids: Driving, belts: Safety, upload: Upload) {
  expect(aids.lastUpdate).toBe(rfc3339(upload.atMs));
  expect(belts.lastUpdate).toBe(rfc3339(upload.atMs));
  for (const second of EVERY) {
    const at = sampleOf(vehicle, upload, second);
    const speed = at?.speedKmh ?? -1;
    const watchingFrom = (kmh: number) => (at !== null && speed >= kmh ? 1 : 0);
    expect(aids.afil[second]).toBe(watchingFrom(80));
    expect(aids.laneKeepAssistLeft[second]).toBe(watchingFrom(65));
    expect(aids.laneKeepAssistRight[second]).toBe(watchingFrom(65));
    expect(aids.respectTimeIntVeh[second]).toBe(watchingFrom(30));
    expect(aids.survBlindSpot[second]).toBe(watchingFrom(12));
    expect(aids.speedInfoPanel[second]).toBe(at === null ? 0 : Math.round(at.limitKmh));
    const parking = at !== null && speed <= 10;
    const lastSeconds = at !== null && at.trip.endMs - at.atMs <= 20_000;
    expect(aids.frontSoundParkAssist[second]).toBe(parking ? 1 : 0);
    expect(aids.rearSoundParkAssist[second]).toBe(parking ? (lastSeconds ? 2 : 1) : 0);
    expect(belts.AdEmergencyBrakeSystem[second]).toBe(at !== null && speed >= 5 && speed <= 140 ? 1 : 0);
    const locking = at !== null && at.outsideTempC <= 3 && at.accelerationMs2 < -3.5;
    expect(belts.abs[second]).toBe(locking ? 1 : 0);
  }
}

describe('PSA v1 GET /safety/drivingassistance and /safety/safetyassistance', () => {
  it('follows the petrol 208 mid-trip, the speed-limit reading as v4’s adas.sli', async () => {
    const trip = recentTrip(ctx, combustion, V1_TEST_NOW);
    kit.setNow(trip.startMs + 725_000);
    const upload = uploadAt(ctx, combustion, ctx.clock.now());
    expect(upload.atMs).toBe(trip.startMs + 720_000);
    const aids = await driving(combustion);
    expectAids(combustion, aids, await safety(combustion), upload);
    const render = telemetryRenderer({
      apiBase: '',
      vehicle: combustion,
      timeline: ctx.fleet.timelineOf(combustion),
      seed: ctx.world.seed,
      types: ['vehicle.adas'],
      location: false,
      maintenanceAt: null,
      atMs: ctx.clock.now(),
    });
    for (const second of EVERY) {
      const index = (upload.atMs - 60_000 + second * 1000 - trip.startMs) / 1000;
      const message = render({ trip, index }) as { vehicle?: { adas?: { sli: number } } };
      expect(aids.speedInfoPanel[second]).toBe(message.vehicle?.adas?.sli ?? 0);
    }
  });

  it('beeps the rear parking sensors while parking, and rests once parked', async () => {
    kit.setNow(V1_TEST_NOW);
    const upload = uploadAt(ctx, combustion, V1_TEST_NOW);
    expect(upload.kind).toBe('parked');
    const aids = await driving(combustion);
    expectAids(combustion, aids, await safety(combustion), upload);
    expect(aids.rearSoundParkAssist['60']).toBe(0);
  });

  it('answers for the e-208 at rest and mid-trip', async () => {
    kit.setNow(V1_TEST_NOW);
    expectAids(
      electric,
      await driving(electric),
      await safety(electric),
      uploadAt(ctx, electric, V1_TEST_NOW),
    );
    const trip = recentTrip(ctx, electric, V1_TEST_NOW);
    kit.setNow(trip.startMs + 455_000);
    const upload = uploadAt(ctx, electric, ctx.clock.now());
    expectAids(electric, await driving(electric), await safety(electric), upload);
  });

  it('locks the wheels (abs) only when braking hard on a freezing road', async () => {
    // A trip at or below 3 °C with a hard stop in the last weeks; rough drivers brake hard most.
    const owners = range(0, ctx.world.ownerCount - 1)
      .map((index) => ctx.world.ownerAt(index))
      .sort((a, b) => b.style.aggressiveness - a.style.aggressiveness);
    let found: { vehicle: SimVehicle; trip: TripRecord; index: number } | null = null;
    for (const vehicle of owners.flatMap((owner) => owner.vehicles)) {
      if (vehicle.brand === 'opel') continue;
      const timeline = ctx.fleet.timelineOf(vehicle);
      for (const trip of timeline.tripsBetween(V1_TEST_NOW - 20 * DAY_MS, V1_TEST_NOW)) {
        const trace = timeline.traceOf(trip);
        const index = trace.accelerationMs2.findIndex((value, i) => i > 60 && value < -3.5);
        if (trace.outsideTempC <= 3 && index > 0) found ??= { vehicle, trip, index };
      }
      if (found) break;
    }
    if (!found) throw new Error('no hard stop on a freezing road in the test world');
    const { vehicle, trip, index } = found;
    const reportMs = trip.startMs + Math.ceil(((index + 10) * 1000) / 30_000) * 30_000;
    kit.setNow(reportMs + 1000);
    const upload = uploadAt(ctx, vehicle, ctx.clock.now());
    const belts = await safety(vehicle);
    expectAids(vehicle, await driving(vehicle), belts, upload);
    expect(belts.abs[index - (reportMs - 60_000 - trip.startMs) / 1000]).toBe(1);
  });

  it('narrows the maps to listsecond', async () => {
    kit.setNow(V1_TEST_NOW);
    const aids = await driving(combustion, 'drivingassistance', { listsecond: '3,4' });
    expect(keysOf(aids.afil)).toEqual([3, 4]);
    expect(aids.autoECall).toBe(0);
    const belts = await safety(combustion, 'safetyassistance', { listsecond: '60' });
    expect(keysOf(belts.abs)).toEqual([60]);
  });
});

describe('PSA v1 GET /safety/search/…/day/{vin}', () => {
  it('gives the last minute the car reported on that day', async () => {
    kit.setNow(V1_TEST_NOW);
    const trip = recentTrip(ctx, combustion, V1_TEST_NOW - DAY_MS);
    const day = Math.floor(trip.startMs / DAY_MS);
    const upload = uploadAt(ctx, combustion, (day + 1) * DAY_MS - 1);
    expect(Math.floor(upload.atMs / DAY_MS)).toBe(day);
    const dayText = yyyymmdd(day * DAY_MS);
    const aids = await driving(combustion, 'search/drivingassistance/day', { day: dayText });
    const belts = await safety(combustion, 'search/safetyassistance/day', { day: dayText });
    expectAids(combustion, aids, belts, upload);
  });

  it('refuses a malformed day with 400, and a future day or one before the history with 404', async () => {
    kit.setNow(V1_TEST_NOW);
    const query = kit.queryOf(combustion);
    for (const path of ['drivingassistance', 'safetyassistance']) {
      const url = `/safety/search/${path}/day/${combustion.vin}`;
      await kit.expectRefusal(kit.get(url, query), 400);
      await kit.expectRefusal(kit.get(url, { ...query, day: '2026-02-27' }), 400);
      await kit.expectRefusal(kit.get(url, { ...query, day: '20260230' }), 400);
      await kit.expectRefusal(kit.get(url, { ...query, day: '20260302' }), 404);
      await kit.expectRefusal(kit.get(url, { ...query, day: '20250101' }), 404);
      await kit.expectRefusal(kit.get(url, { ...query, day: '20260227', listsecond: '0' }), 400);
    }
  });
});
