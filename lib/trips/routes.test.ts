import type { Kysely } from 'kysely';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { encodeChargeId } from '../charging/charge-id';
import { createUser } from '../db/queries/users';
import { storeVehicleData } from '../db/queries/vehicle-data';
import { createVehicle } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { tripListSchema } from '../schemas/trips';
import { emptyVehicleData } from '../telemetry/model';

// The trips and charging routes exactly as app/api/** builds them, called with real Requests on a
// real database. lib/auth cannot load in plain Node (see lib/route-handler.test.ts), so only
// requireApiUser is replaced (the signed-in owner, or the 401 it throws for real), and getDb
// answers the test database.
const { requireApiUser, currentDb } = vi.hoisted(() => ({
  requireApiUser: vi.fn(),
  currentDb: { db: null as unknown },
}));
vi.mock('@/lib/auth', () => ({ requireApiUser }));
vi.mock('@/lib/db', () => ({ getDb: () => currentDb.db }));

const tripsRoute = await import('@/app/api/trips/route');
const exportRoute = await import('@/app/api/trips/export.csv/route');
const tripRoute = await import('@/app/api/vehicles/[vehicleId]/trips/[tripId]/route');
const tagRoute = await import('@/app/api/vehicles/[vehicleId]/trips/[tripId]/tag/route');
const chargingRoute = await import('@/app/api/charging/route');
const chargeRoute = await import('@/app/api/vehicles/[vehicleId]/charging/[chargeId]/route');

const T = Date.UTC(2026, 3, 1, 8);
const MIN = 60_000;
const url = (path: string) => `http://localhost${path}`;
const ctx = <P>(params: P) => ({ params: Promise.resolve(params) });

let counter = 0;
async function world(db: Kysely<Database>) {
  counter++;
  const owner = await createUser(db, { email: `trip-route${counter}@example.com`, passwordHash: null });
  const other = await createUser(db, { email: `trip-route-other${counter}@example.com`, passwordHash: null });
  const car = (ownerId: string, label: string) =>
    createVehicle(db, ownerId, {
      label,
      brand: 'peugeot',
      model: 'e-208',
      powertrain: 'electric',
      vin: `VF3TRRT${String(counter).padStart(4, '0')}${label}`,
    }).then((vehicle) => vehicle.id);
  const mine = await car(owner.id, 'MINE00');
  const theirs = await car(other.id, 'THEIRS');
  const source = { provider: 'psa-v4' as const, ref: 'test' };
  for (const vehicleId of [mine, theirs])
    await storeVehicleData(db, vehicleId, {
      ...emptyVehicleData(),
      samples: [
        { at: T, charging: 'charging', batteryLevelPct: 40, source },
        { at: T + 5 * MIN, charging: 'charging', batteryLevelPct: 44, source },
        { at: T + 90 * MIN, charging: 'disconnected', batteryLevelPct: 44, source },
      ],
      trips: [
        {
          providerTripId: 'a',
          startedAt: T + 2 * 60 * MIN,
          endedAt: T + 3 * 60 * MIN,
          distanceKm: 12,
          durationS: 3600,
          source,
        },
        {
          providerTripId: 'b',
          startedAt: T + 4 * 60 * MIN,
          endedAt: T + 5 * 60 * MIN,
          distanceKm: 8,
          durationS: 3600,
          source,
        },
      ],
    });
  const tripIds = async (vehicleId: string) =>
    (
      await db
        .selectFrom('trips')
        .select('id')
        .where('vehicle_id', '=', vehicleId)
        .orderBy('started_at')
        .execute()
    ).map((row) => row.id);
  return {
    owner: owner.id,
    other: other.id,
    mine,
    theirs,
    myTrips: await tripIds(mine),
    theirTrips: await tripIds(theirs),
  };
}

describe.each(ENGINES)('trips and charging routes (%s)', (engine) => {
  const get = useTestDatabase(engine);
  let w: Awaited<ReturnType<typeof world>>;

  beforeEach(async () => {
    currentDb.db = get().db;
    w = await world(get().db);
    requireApiUser.mockReset();
    requireApiUser.mockResolvedValue({ userId: w.owner });
  });

  it('answers 401 to a stranger', async () => {
    requireApiUser.mockRejectedValue(new AppError('unauthorized'));
    const response = await tripsRoute.GET(new Request(url('/api/trips')), ctx({}));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'unauthorized', message: 'Sign in to continue.' },
    });
  });

  it('lists the owner’s trips with totals, an ETag and a 304 on a match', async () => {
    const response = await tripsRoute.GET(new Request(url('/api/trips?limit=1')), ctx({}));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, max-age=0, must-revalidate');
    const body = tripListSchema.parse(await response.json());
    expect(body.trips.map((t) => t.id)).toEqual([w.myTrips[1]]);
    expect(body.trips[0]?.vehicleLabel).toBe('MINE00');
    expect(body.totals).toEqual({
      count: 2,
      distanceKm: 20,
      durationS: 7200,
      fuelUsedL: 0,
      energyUsedKwh: 0,
    });
    expect(body.nextCursor).not.toBeNull();
    const etag = response.headers.get('etag') as string;
    const again = await tripsRoute.GET(
      new Request(url('/api/trips?limit=1'), { headers: { 'if-none-match': etag } }),
      ctx({}),
    );
    expect(again.status).toBe(304);
    const next = await tripsRoute.GET(
      new Request(url(`/api/trips?limit=1&cursor=${body.nextCursor}`)),
      ctx({}),
    );
    expect(tripListSchema.parse(await next.json()).trips.map((t) => t.id)).toEqual([w.myTrips[0]]);
  });

  it('refuses bad input with 400 and another owner’s car with 404', async () => {
    for (const query of [
      'limit=0',
      'limit=101',
      'tag=work',
      'from=yesterday',
      'cursor=garbage',
      'limit=1&limit=2',
    ]) {
      const response = await tripsRoute.GET(new Request(url(`/api/trips?${query}`)), ctx({}));
      expect(response.status, query).toBe(400);
      expect((await response.json()).error.code).toBe('bad_request');
    }
    const foreign = await tripsRoute.GET(new Request(url(`/api/trips?vehicleId=${w.theirs}`)), ctx({}));
    expect(foreign.status).toBe(404);
    const exportForeign = await exportRoute.GET(
      new Request(url(`/api/trips/export.csv?vehicleId=${w.theirs}`)),
      ctx({}),
    );
    expect(exportForeign.status).toBe(404);
  });

  it('answers a trip’s detail, and 404 alike for another owner’s and a missing one', async () => {
    const tripId = w.myTrips[0] as string;
    const ok = await tripRoute.GET(new Request(url('/x')), ctx({ vehicleId: w.mine, tripId }));
    expect(ok.status).toBe(200);
    expect((await ok.json()).trip.id).toBe(tripId);
    const foreign = await tripRoute.GET(
      new Request(url('/x')),
      ctx({ vehicleId: w.theirs, tripId: w.theirTrips[0] as string }),
    );
    const missing = await tripRoute.GET(new Request(url('/x')), ctx({ vehicleId: w.mine, tripId: 'nope' }));
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await foreign.json()).toEqual(await missing.json());
  });

  it('sets and clears a tag; a foreign trip is 404 and a bad tag 400', async () => {
    const tripId = w.myTrips[0] as string;
    const put = (vehicleId: string, id: string, body: unknown) =>
      tagRoute.PUT(
        new Request(url('/x'), {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
        ctx({ vehicleId, tripId: id }),
      );
    expect((await put(w.mine, tripId, { tag: 'business' })).status).toBe(200);
    const listed = await tripsRoute.GET(new Request(url('/api/trips?tag=business')), ctx({}));
    expect(tripListSchema.parse(await listed.json()).trips.map((t) => [t.id, t.tag])).toEqual([
      [tripId, 'business'],
    ]);
    expect((await put(w.mine, tripId, { tag: null })).status).toBe(200);
    expect((await put(w.mine, tripId, { tag: 'work' })).status).toBe(400);
    expect((await put(w.mine, tripId, {})).status).toBe(400);
    expect((await put(w.theirs, w.theirTrips[0] as string, { tag: 'private' })).status).toBe(404);
  });

  it('exports CSV as an attachment with the header first', async () => {
    const response = await exportRoute.GET(new Request(url('/api/trips/export.csv')), ctx({}));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="kinetic-trips-.+\.csv"$/,
    );
    const lines = (await response.text()).split('\r\n');
    expect(lines[0]?.startsWith('Trip ID,Vehicle,Started (UTC)')).toBe(true);
    expect(lines).toHaveLength(2 + 1 + 1);
    expect(lines[1]?.startsWith(`${w.myTrips[1]},MINE00,`)).toBe(true);
  });

  it('lists charges and answers one, 404 for another owner’s', async () => {
    const list = await chargingRoute.GET(new Request(url(`/api/charging?vehicleId=${w.mine}`)), ctx({}));
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(body.charges).toHaveLength(1);
    const chargeId = body.charges[0].id as string;
    expect(chargeId).toBe(encodeChargeId({ provider: 'psa-v4', startedAt: T }));
    const one = await chargeRoute.GET(new Request(url('/x')), ctx({ vehicleId: w.mine, chargeId }));
    expect(one.status).toBe(200);
    // Ended long ago: settled, cacheable for an hour.
    expect(one.headers.get('cache-control')).toBe('private, max-age=3600');
    const foreign = await chargeRoute.GET(new Request(url('/x')), ctx({ vehicleId: w.theirs, chargeId }));
    expect(foreign.status).toBe(404);
    const foreignList = await chargingRoute.GET(
      new Request(url(`/api/charging?vehicleId=${w.theirs}`)),
      ctx({}),
    );
    expect(foreignList.status).toBe(404);
    const bad = await chargeRoute.GET(new Request(url('/x')), ctx({ vehicleId: w.mine, chargeId: 'a/b' }));
    expect(bad.status).toBe(400);
  });
});
