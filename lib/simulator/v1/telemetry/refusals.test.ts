import { beforeEach, describe, expect, it } from 'vitest';
import { lastUpload } from '../../v4/status-resources';
import { recentTrip, yyyymmdd } from '../test-helpers';
import { setupV1Server, V1_TEST_NOW } from '../test-server';
import { v1TripId } from '../trip-ids';

// Every telemetry operation refuses what it cannot answer with the gateway's 400, 401 or 404 —
// never a 500: bad keys, VINs, contracts, brands, `listsecond` and `near`, and a car that has not
// reported anything yet.

const kit = setupV1Server({ seed: 'v1-telemetry-refusals' });
const { ctx, combustion, electric } = kit;
const trip = recentTrip(ctx, combustion, V1_TEST_NOW);

// Every test asks at V1_TEST_NOW unless it moves the clock itself.
beforeEach(() => kit.setNow(V1_TEST_NOW));

const tripDay = yyyymmdd(trip.startMs);

/**
 * Each GET operation with the extra query it needs to succeed. The minute operations read the
 * car's reports (404 before the first); the crash ones read its collisions.
 */
type Operation = { path: (vin: string) => string; extra: Record<string, string> };
const MINUTE_OPERATIONS: Operation[] = [
  { path: (vin) => `/running/data/${vin}`, extra: {} },
  { path: (vin) => `/running/data/lightstatus/${vin}`, extra: {} },
  { path: (vin) => `/environment/get/${vin}`, extra: {} },
  { path: (vin) => `/place/lastposition/${vin}`, extra: { near: '1' } },
  { path: (vin) => `/place/positions/trip/${vin}`, extra: { near: '1', tripid: String(v1TripId(trip)) } },
  { path: (vin) => `/safety/drivingassistance/${vin}`, extra: {} },
  { path: (vin) => `/safety/safetyassistance/${vin}`, extra: {} },
  { path: (vin) => `/safety/search/drivingassistance/day/${vin}`, extra: { day: tripDay } },
  { path: (vin) => `/safety/search/safetyassistance/day/${vin}`, extra: { day: tripDay } },
];
const OPERATIONS: Operation[] = [
  ...MINUTE_OPERATIONS,
  { path: (vin) => `/crash/get/${vin}`, extra: {} },
  { path: (vin) => `/crash/search/${vin}`, extra: { from: '202601010000', to: '202603010800' } },
];
const LISTS = ['/running/list', '/running/lightstatus/list', '/environment/list', '/crash/list'];

describe('PSA v1 telemetry refusals', () => {
  it('answers 404 "no data" for a car that has not reported since it joined', async () => {
    // A second after enrolment, before its first drive: v4 has no upload either.
    const atMs = ctx.fleet.enrolledAtMs(electric) + 1000;
    kit.setNow(atMs);
    expect(lastUpload(ctx, electric, atMs)).toBeNull();
    for (const { path, extra } of MINUTE_OPERATIONS) {
      await kit.expectRefusal(kit.get(path(electric.vin), { ...kit.queryOf(electric), ...extra }), 404);
    }
    for (const path of LISTS) {
      const answer = await kit.post(
        path,
        { client_id: kit.keyOf(electric) },
        { listvin: [electric.vin], listcontract: [electric.contract] },
      );
      expect(answer).toEqual({ status: 200, body: [] });
    }
  });

  it('answers every operation for the demo cars when asked well', async () => {
    for (const { path, extra } of MINUTE_OPERATIONS) {
      const answer = await kit.get(path(combustion.vin), { ...kit.queryOf(combustion), ...extra });
      expect(answer.status, `${path('{vin}')}: ${JSON.stringify(answer.body)}`).toBe(200);
    }
    // Crashes are rare: GET answers 404 for a car without one (crash.test.ts covers both).
    const latest = await kit.get(`/crash/get/${combustion.vin}`, kit.queryOf(combustion));
    expect([200, 404]).toContain(latest.status);
  });

  it('refuses a bad key with 401 and bad VINs with 400', async () => {
    for (const { path, extra } of OPERATIONS) {
      const query = { ...kit.queryOf(combustion), ...extra };
      await kit.expectRefusal(kit.get(path(combustion.vin), { ...query, client_id: undefined }), 401);
      await kit.expectRefusal(kit.get(path(combustion.vin), { ...query, client_id: 'not-a-key' }), 401);
      await kit.expectRefusal(kit.get(path('NOT-A-VIN'), query), 400);
      await kit.expectRefusal(kit.get(path(combustion.vin.replace(/.$/, 'O')), query), 400);
    }
  });

  it('answers one 404 for unknown cars, wrong contracts, brands and keys', async () => {
    const citroenKey = ctx.world.clientFor('citroen').clientId;
    for (const { path, extra } of OPERATIONS) {
      const query = { ...kit.queryOf(combustion), ...extra };
      await kit.expectRefusal(kit.get(path(`${combustion.vin.slice(0, 11)}999999`), query), 404);
      await kit.expectRefusal(kit.get(path(combustion.vin), { ...query, contract: 'CT00000000' }), 404);
      await kit.expectRefusal(kit.get(path(combustion.vin), { ...query, client_id: citroenKey }), 404);
      await kit.expectRefusal(kit.get(path(combustion.vin), { ...query, brand: 'C' }), 404);
      await kit.expectRefusal(kit.get(path(combustion.vin), { ...query, contract: undefined }), 400);
    }
  });

  it('refuses a malformed listsecond with 400 on every operation and list twin', async () => {
    const bad = ['0', '61', 'a', '1,,2', '1;2', '1.5', '-1', '100'];
    // Every operation but the crash search, which takes no listsecond.
    for (const { path, extra } of OPERATIONS.filter((operation) => !operation.extra.from)) {
      for (const listsecond of bad) {
        const query = { ...kit.queryOf(combustion), ...extra, listsecond };
        await kit.expectRefusal(kit.get(path(combustion.vin), query), 400);
      }
    }
    for (const path of LISTS) {
      const body = { listvin: [combustion.vin], listcontract: [combustion.contract] };
      await kit.expectRefusal(
        kit.post(path, { client_id: kit.keyOf(combustion), listsecond: '61' }, body),
        400,
      );
      await kit.expectRefusal(
        kit.post(path, { client_id: kit.keyOf(combustion), listsecond: 'x' }, body),
        400,
      );
      const ok = await kit.post(path, { client_id: kit.keyOf(combustion), listsecond: '1,2' }, body);
      expect(ok.status).toBe(200);
    }
    // A repeated parameter is ambiguous.
    await kit.expectRefusal(
      kit.get(`/running/data/${combustion.vin}`, { ...kit.queryOf(combustion), listsecond: ['1', '2'] }),
      400,
    );
  });

  it('requires near, 0 or 1, on the position operations', async () => {
    for (const { path, extra } of MINUTE_OPERATIONS.slice(3, 5)) {
      const query = { ...kit.queryOf(combustion), ...extra };
      await kit.expectRefusal(kit.get(path(combustion.vin), { ...query, near: undefined }), 400);
      await kit.expectRefusal(kit.get(path(combustion.vin), { ...query, near: '2' }), 400);
      await kit.expectRefusal(kit.get(path(combustion.vin), { ...query, near: 'true' }), 400);
    }
  });

  it('refuses list bodies that do not pair VINs with contracts', async () => {
    for (const path of LISTS) {
      const query = { client_id: kit.keyOf(combustion) };
      await kit.expectRefusal(kit.post(path, query, { listvin: [combustion.vin], listcontract: [] }), 400);
      await kit.expectRefusal(kit.post(path, query, { listvin: [combustion.vin] }), 400);
      await kit.expectRefusal(kit.post(path, query, [combustion.vin]), 400);
      await kit.expectRefusal(kit.post(path, query, 'not json'), 400);
      await kit.expectRefusal(kit.post(path, query, { listvin: ['bad'], listcontract: ['x'] }), 400);
      await kit.expectRefusal(kit.post(path, { client_id: 'nope' }, { listvin: [], listcontract: [] }), 401);
      // The list twins are POST only.
      await kit.expectRefusal(kit.get(path, query), 405);
    }
  });
});
