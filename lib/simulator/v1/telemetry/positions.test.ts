import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import { altitudeAt } from '../../v4/geojson';
import { rfc3339 } from '../../v4/hal';
import { lastPositionFeature, type Upload } from '../../v4/status-resources';
import { telemetryRenderer } from '../../v4/telemetry-resources';
import { tripPrivacy } from '../../v4/trip-resources';
import type { SimVehicle } from '../../world/world';
import { keysOf, peerReportingUnder, range, recentTrip, secondMap, uploadAt } from '../test-helpers';
import { setupV1Server, V1_TEST_NOW } from '../test-server';
import { v1TripId } from '../trip-ids';

// GET /place/lastposition/{vin} and /place/positions/trip/{vin}: 0.17 Hz fixes (seconds 6…60)
// that must sit where the timeline puts the car and where v4 shows it, hidden as v4 hides them.

const kit = setupV1Server({ seed: 'v1-telemetry-positions' });
const { ctx, combustion, electric } = kit;

const SIXES = range(6, 60, 6);
const blockSchemaOf = (all: boolean) =>
  z.strictObject({
    latitude: secondMap(SIXES, z.string().regex(/^-?\d+(\.\d{1,6})?$/), all),
    longitude: secondMap(SIXES, z.string().regex(/^-?\d+(\.\d{1,6})?$/), all),
    altitude: secondMap(SIXES, z.string().regex(/^\d+$/), all),
    nbsat: secondMap(SIXES, z.string().regex(/^\d+$/), all),
    source: secondMap(SIXES, z.enum(['1', '2']), all),
    vin: z.string(),
    lastUpdate: z.iso.datetime(),
    contract: z.string(),
  });
type Block = z.infer<ReturnType<typeof blockSchemaOf>>;

async function lastPosition(vehicle: SimVehicle, query: Record<string, string> = {}): Promise<Block> {
  const body = await kit.expectOk(
    kit.get(`/place/lastposition/${vehicle.vin}`, {
      near: '0',
      ...kit.queryOf(vehicle),
      ...query,
    }),
  );
  return blockSchemaOf(!query.listsecond).parse(body) as Block;
}

async function tripPositions(vehicle: SimVehicle, trip: TripRecord, query: Record<string, string> = {}) {
  const body = await kit.expectOk(
    kit.get(`/place/positions/trip/${vehicle.vin}`, {
      near: '0',
      tripid: String(v1TripId(trip)),
      ...kit.queryOf(vehicle),
      ...query,
    }),
  );
  return z.array(blockSchemaOf(false)).parse(body) as Block[];
}

/** Each fix lies where the timeline has the car at that instant, GNSS while driving, held parked. */
function expectFix(vehicle: SimVehicle, block: Block, second: number, atMs: number, trip: TripRecord) {
  const state = ctx.fleet.timelineOf(vehicle).stateAt(atMs);
  const key = String(second) as keyof Block['latitude'];
  expect(Number(block.latitude[key])).toBeCloseTo(state.lat, 6);
  expect(Number(block.longitude[key])).toBeCloseTo(state.lon, 6);
  expect(Number(block.altitude[key])).toBe(altitudeAt(state.lat, state.lon));
  const driving = atMs >= trip.startMs && atMs <= trip.endMs;
  expect(block.source[key]).toBe(driving ? '1' : '2');
  const satellites = Number(block.nbsat[key]);
  if (driving) expect(satellites).toBeGreaterThanOrEqual(4);
  else expect(satellites).toBe(0);
}

function expectMinute(vehicle: SimVehicle, block: Block, upload: Upload) {
  expect(block.lastUpdate).toBe(rfc3339(upload.atMs));
  expect(block.vin).toBe(vehicle.vin);
  for (const second of SIXES)
    expectFix(vehicle, block, second, upload.atMs - 60_000 + second * 1000, upload.trip);
  // Second 60 is the report itself: v4's lastPosition, to the same 6 decimals.
  const [lon, lat, alt] = lastPositionFeature(ctx, vehicle, upload).geometry.coordinates;
  expect([Number(block.longitude['60']), Number(block.latitude['60']), Number(block.altitude['60'])]).toEqual(
    [lon, lat, alt],
  );
}

describe('PSA v1 GET /place/lastposition/{vin}', () => {
  it('gives the parked petrol 208’s last minute, ending where v4 puts it', async () => {
    kit.setNow(V1_TEST_NOW);
    const upload = uploadAt(ctx, combustion);
    const block = await lastPosition(combustion);
    expectMinute(combustion, block, upload);
    expect(block.source['60']).toBe('2');
  });

  it('follows the petrol 208 mid-trip, fix by fix as v4’s telemetry locates it', async () => {
    const trip = recentTrip(ctx, combustion, V1_TEST_NOW);
    kit.setNow(trip.startMs + 610_000);
    const upload = uploadAt(ctx, combustion);
    expect(upload.atMs).toBe(trip.startMs + 600_000);
    const block = await lastPosition(combustion);
    expectMinute(combustion, block, upload);
    expect(Object.values(block.source)).toEqual(SIXES.map(() => '1'));
    const render = telemetryRenderer({
      apiBase: '',
      vehicle: combustion,
      timeline: ctx.fleet.timelineOf(combustion),
      seed: ctx.world.seed,
      types: ['privacy'],
      location: true,
      maintenanceAt: null,
      atMs: ctx.clock.now(),
    });
    for (const second of SIXES) {
      const index = (upload.atMs - 60_000 + second * 1000 - trip.startMs) / 1000;
      const message = render({ trip, index }) as {
        _embedded: { extension: { location: { geometry: { coordinates: number[] } } } };
      };
      const [lon, lat, alt] = message._embedded.extension.location.geometry.coordinates;
      const key = String(second) as keyof Block['latitude'];
      expect([
        Number(block.longitude[key]),
        Number(block.latitude[key]),
        Number(block.altitude[key]),
      ]).toEqual([lon, lat, alt]);
    }
  });

  it('holds the parked position before key-on', async () => {
    const trip = recentTrip(ctx, combustion, V1_TEST_NOW);
    kit.setNow(trip.startMs + 25_000);
    const upload = uploadAt(ctx, combustion);
    expect(upload.atMs).toBe(trip.startMs);
    const block = await lastPosition(combustion);
    expectMinute(combustion, block, upload);
    expect(new Set(Object.values(block.source).slice(0, 9))).toEqual(new Set(['2']));
    expect(block.source['60']).toBe('1');
  });

  it('answers for the e-208 at rest and mid-trip', async () => {
    kit.setNow(V1_TEST_NOW);
    expectMinute(electric, await lastPosition(electric), uploadAt(ctx, electric));
    const trip = recentTrip(ctx, electric, V1_TEST_NOW);
    kit.setNow(trip.startMs + 333_000);
    expectMinute(electric, await lastPosition(electric), uploadAt(ctx, electric));
  });

  it('answers listsecond between fixes with the next fix when near=1, not when near=0', async () => {
    kit.setNow(V1_TEST_NOW);
    const all = await lastPosition(combustion);
    const near = await lastPosition(combustion, { listsecond: '7,12,59', near: '1' });
    expect(keysOf(near.latitude)).toEqual([12, 60]);
    expect(near.latitude['12']).toBe(all.latitude['12']);
    expect(near.nbsat['60']).toBe(all.nbsat['60']);
    const exact = await lastPosition(combustion, { listsecond: '7,12,59' });
    expect(keysOf(exact.latitude)).toEqual([12]);
    expect(keysOf(exact.source)).toEqual([12]);
    const none = await lastPosition(combustion, { listsecond: '1' });
    expect(none.latitude).toEqual({});
  });
});

describe('PSA v1 GET /place/positions/trip/{vin}', () => {
  it('gives a finished trip minute by minute from key-on to key-off', async () => {
    kit.setNow(V1_TEST_NOW);
    for (const vehicle of [combustion, electric]) {
      const trip = recentTrip(ctx, vehicle, V1_TEST_NOW);
      const blocks = await tripPositions(vehicle, trip);
      const minutes = range(0, 10_000).filter((k) => trip.startMs + k * 60_000 + 6000 <= trip.endMs);
      expect(blocks).toHaveLength(minutes.length);
      for (const [k, block] of blocks.entries()) {
        const startMs = trip.startMs + k * 60_000;
        const seconds = SIXES.filter((second) => startMs + second * 1000 <= trip.endMs);
        expect(keysOf(block.latitude)).toEqual(seconds);
        expect(block.lastUpdate).toBe(rfc3339(Math.min(startMs + 60_000, trip.endMs)));
        for (const second of seconds) expectFix(vehicle, block, second, startMs + second * 1000, trip);
      }
    }
  });

  it('stops at the car’s last report for a trip under way', async () => {
    const trip = recentTrip(ctx, combustion, V1_TEST_NOW);
    kit.setNow(trip.startMs + 185_000);
    const blocks = await tripPositions(combustion, trip);
    // Reported up to 180 s (the last 30 s upload): three full minutes, nothing after.
    expect(blocks).toHaveLength(3);
    expect(blocks[2]?.lastUpdate).toBe(rfc3339(trip.startMs + 180_000));
    expect(keysOf(blocks[2]?.latitude ?? {})).toEqual(SIXES);
  });

  it('narrows every block to listsecond, with near', async () => {
    kit.setNow(V1_TEST_NOW);
    const trip = recentTrip(ctx, combustion, V1_TEST_NOW);
    const all = await tripPositions(combustion, trip);
    const some = await tripPositions(combustion, trip, { listsecond: '1,30', near: '1' });
    expect(some).toHaveLength(all.length);
    expect(keysOf(some[0]?.latitude ?? {})).toEqual([6, 30]);
    expect(some[1]?.longitude['30']).toBe(all[1]?.longitude['30']);
  });

  it('refuses a missing tripid with 400 and unknown or future trips with 404', async () => {
    kit.setNow(V1_TEST_NOW);
    const query = { ...kit.queryOf(combustion), near: '0' };
    const path = `/place/positions/trip/${combustion.vin}`;
    await kit.expectRefusal(kit.get(path, query), 400);
    const trip = recentTrip(ctx, combustion, V1_TEST_NOW);
    const id = v1TripId(trip);
    for (const tripid of ['abc', String(id + 900), String(id + 50_000), '-1']) {
      await kit.expectRefusal(kit.get(path, { ...query, tripid }), 404);
    }
    await kit.expectRefusal(kit.get(path, { ...query, tripid: String(id), near: 'x' }), 400);
  });
});

describe('PSA v1 positions under the in-car privacy mode', () => {
  it('answers 404 for the hidden position and the hidden trip, while other data still answers', async () => {
    // A peer car whose latest report was made with positions hidden.
    const { vehicle, atMs } = peerReportingUnder(ctx, V1_TEST_NOW, ['Geolocation', 'Full']);
    kit.setNow(atMs);
    const query = { ...kit.queryOf(vehicle), near: '0' };
    await kit.expectRefusal(kit.get(`/place/lastposition/${vehicle.vin}`, query), 404);
    const trip = uploadAt(ctx, vehicle).trip;
    expect(tripPrivacy(ctx.world.seed, vehicle, trip)).not.toBe('None');
    await kit.expectRefusal(
      kit.get(`/place/positions/trip/${vehicle.vin}`, { ...query, tripid: String(v1TripId(trip)) }),
      404,
    );
    expect((await kit.get(`/environment/get/${vehicle.vin}`, query)).status).toBe(200);
  });
});
