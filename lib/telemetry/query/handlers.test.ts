import type { Kysely } from 'kysely';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createUser } from '../../db/queries/users';
import { storeVehicleData } from '../../db/queries/vehicle-data';
import { createVehicle } from '../../db/queries/vehicles';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { telemetryDtoSchema, telemetryMarksDtoSchema } from '../../schemas/telemetry';
import { emptyVehicleData, type Sample } from '../model';

// GET /api/vehicles/{id}/telemetry and …/marks on both engines: the routes exactly as
// app/api/vehicles/[vehicleId]/telemetry/**/route.ts build them (withAuth around the handlers),
// called with real Requests on a real database. lib/auth cannot load in plain Node (see
// lib/route-handler.test.ts), so only requireApiUser is replaced: it answers the signed-in owner,
// or throws the 401 it throws for real.
const { requireApiUser } = vi.hoisted(() => ({ requireApiUser: vi.fn() }));
vi.mock('@/lib/auth', () => ({ requireApiUser }));

const { withAuth } = await import('@/lib/route-handler');
const { telemetryResponse, telemetryMarksResponse } = await import('./handlers');
const { alertIdOf } = await import('./read-marks');

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const T = Date.UTC(2026, 3, 1, 8);
const iso = (ms: number) => new Date(ms).toISOString();

type World = { owner: string; other: string; petrol: string; electric: string; othersCar: string };

let counter = 0;
async function world(db: Kysely<Database>): Promise<World> {
  counter++;
  const owner = await createUser(db, { email: `route${counter}@example.com`, passwordHash: null });
  const other = await createUser(db, { email: `route-other${counter}@example.com`, passwordHash: null });
  const car = (ownerId: string, label: string, powertrain: string) =>
    createVehicle(db, ownerId, {
      label,
      brand: 'peugeot',
      model: 'e-208',
      powertrain,
      vin: `VF3ROUT${String(counter).padStart(4, '0')}${label}`,
    }).then((vehicle) => vehicle.id);
  const petrol = await car(owner.id, 'PETROL', 'petrol');
  const electric = await car(owner.id, 'ELECTR', 'electric');
  const othersCar = await car(other.id, 'OTHERS', 'petrol');
  const source = { provider: 'psa-v4' as const, ref: 'test' };
  const samples = (rpm: boolean): Sample[] =>
    Array.from({ length: 60 }, (_, i) => ({
      at: T + i * S,
      speedKmh: i,
      ...(rpm ? { engineRpm: 800 + 20 * i } : {}),
      source,
    }));
  await storeVehicleData(db, petrol, {
    ...emptyVehicleData(),
    samples: samples(true),
    trips: [
      { providerTripId: 'in', startedAt: T, endedAt: T + H, source },
      { providerTripId: 'before', startedAt: T - 3 * H, endedAt: T - 2 * H, source },
    ],
    alerts: [
      {
        providerAlertId: 'a1',
        type: 'TyrePressureLow',
        severity: 'warning',
        active: true,
        startedAt: T - H,
        source,
      },
      {
        providerAlertId: 'a2',
        type: 'OilLevel',
        severity: 'critical',
        active: false,
        startedAt: T - 3 * H,
        endedAt: T - 2 * H,
        source,
      },
    ],
  });
  // Events as the trip summary stores them (lib/scoring/events.ts drivingEventToJson).
  const events = (ats: number[]) =>
    JSON.stringify(ats.map((at) => ({ type: 'harsh_braking', severity: 'harsh', at: iso(at), value: -3.2 })));
  await db
    .updateTable('trips')
    .set({ events: events([T + 10 * S, T + 2 * H]) })
    .where('provider_trip_id', '=', 'in')
    .execute();
  await db
    .updateTable('trips')
    .set({ events: events([T - 150 * MIN]) })
    .where('provider_trip_id', '=', 'before')
    .execute();
  await storeVehicleData(db, electric, { ...emptyVehicleData(), samples: samples(true) });
  await storeVehicleData(db, othersCar, { ...emptyVehicleData(), samples: samples(true) });
  return { owner: owner.id, other: other.id, petrol, electric, othersCar };
}

describe.each(ENGINES)('GET /api/vehicles/{id}/telemetry on %s', (engine) => {
  const database = useTestDatabase(engine);
  let stored: Promise<World> | undefined;
  const setup = () => {
    stored ??= world(database().db);
    return stored;
  };
  const telemetry = withAuth<{ vehicleId: string }>((request, { user, params }) =>
    telemetryResponse(request, { db: database().db, ownerId: user.userId, params }),
  );
  const marks = withAuth<{ vehicleId: string }>((request, { user, params }) =>
    telemetryMarksResponse(request, { db: database().db, ownerId: user.userId, params }),
  );

  const call = (
    route: typeof telemetry,
    vehicleId: string,
    search: string,
    headers: Record<string, string> = {},
  ) =>
    route(new Request(`http://localhost/api/vehicles/${vehicleId}/telemetry?${search}`, { headers }), {
      params: Promise.resolve({ vehicleId }),
    });
  const range = (from: number, to: number, extra = '') => `from=${iso(from)}&to=${iso(to)}${extra}`;

  beforeEach(async () => {
    const w = await setup();
    requireApiUser.mockResolvedValue({ userId: w.owner, sessionId: 's' });
  });

  it('answers the series with an ETag, then a bodiless 304 for the same ETag', {
    timeout: 60_000,
  }, async () => {
    const w = await setup();
    const search = range(T, T + MIN, '&width=400');
    const first = await call(telemetry, w.petrol, search);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    // A range long past: settled, reused for 5 minutes (handlers.ts).
    expect(first.headers.get('cache-control')).toBe('private, max-age=300, stale-while-revalidate=3600');
    const body = telemetryDtoSchema.parse(await first.json());
    expect(body.resolution).toBe('raw');
    expect(Object.keys(body.series)).toEqual(['speed', 'rpm', 'consumption']);
    expect(body.series.speed?.points.slice(0, 2)).toEqual([
      [T, 0],
      [T + S, 1],
    ]);
    expect(body.series.consumption).toEqual({ unit: 'L/100km', available: false, points: [] });
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"/);
    const second = await call(telemetry, w.petrol, search, { 'if-none-match': etag });
    expect(second.status).toBe(304);
    expect(await second.text()).toBe('');
  });

  it('revalidates a range that reaches into the last hour', { timeout: 60_000 }, async () => {
    const w = await setup();
    const now = Date.now();
    const response = await call(telemetry, w.petrol, range(now - 15 * MIN, now, '&width=400'));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, max-age=0, must-revalidate');
  });

  it('says an electric car has no engine RPM', { timeout: 60_000 }, async () => {
    const w = await setup();
    const response = await call(telemetry, w.electric, range(T, T + MIN, '&width=400&metrics=rpm,speed'));
    const body = telemetryDtoSchema.parse(await response.json());
    expect(body.series.rpm).toEqual({ unit: 'rpm', available: false, points: [] });
    expect(body.series.speed?.available).toBe(true);
  });

  it('answers another owner’s car exactly like a missing one: 404', { timeout: 60_000 }, async () => {
    const w = await setup();
    const search = range(T, T + MIN, '&width=400');
    const foreign = await call(telemetry, w.othersCar, search);
    const missing = await call(telemetry, 'no-such-car', search);
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    const body = await foreign.json();
    expect(body).toEqual({ error: { code: 'not_found', message: 'No such vehicle.' } });
    expect(await missing.json()).toEqual(body);
    expect((await call(marks, w.othersCar, range(T, T + MIN))).status).toBe(404);
  });

  it('refuses bad queries with 400 bad_request', { timeout: 60_000 }, async () => {
    const w = await setup();
    const bad = [
      range(T + MIN, T, '&width=400'), // from after to
      range(T, T + MIN, '&width=0'),
      range(T, T + MIN, '&width=4001'),
      range(T, T + MIN, '&width=abc'),
      range(T - 6 * 365 * 24 * H, T, '&width=400'), // six years
      range(T, T + MIN, '&width=400&metrics=speed,torque'),
      range(T, T + MIN, '&width=400&width=400'), // repeated
      range(T, T + MIN, '&width=400&metrics=speed&metrics=rpm'),
      `to=${iso(T)}&width=400`, // no from
      range(T, T + MIN), // no width
    ];
    for (const search of bad) {
      const response = await call(telemetry, w.petrol, search);
      expect([search, response.status]).toEqual([search, 400]);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message).not.toMatch(/\bat\s.*\.ts/); // never a stack
    }
  });

  it('refuses bad marks queries with 400 bad_request', { timeout: 60_000 }, async () => {
    const w = await setup();
    for (const search of [
      range(T + MIN, T),
      range(T, T + MIN, '&width=400'),
      `from=${iso(T)}`,
      range(T - 6 * 365 * 24 * H, T),
    ]) {
      const response = await call(marks, w.petrol, search);
      expect([search, response.status]).toEqual([search, 400]);
    }
  });

  it('answers 401 to a visitor who is not signed in', { timeout: 60_000 }, async () => {
    const w = await setup();
    requireApiUser.mockRejectedValue(new AppError('unauthorized'));
    const response = await call(telemetry, w.petrol, range(T, T + MIN, '&width=400'));
    expect(response.status).toBe(401);
  });

  it('marks the events and alerts of the range', { timeout: 60_000 }, async () => {
    const w = await setup();
    const response = await call(marks, w.petrol, range(T - 90 * MIN, T + 90 * MIN));
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^W\/"/);
    const body = telemetryMarksDtoSchema.parse(await response.json());
    const trip = await database()
      .db.selectFrom('trips')
      .select('id')
      .where('provider_trip_id', '=', 'in')
      .executeTakeFirstOrThrow();
    // The event at T+2 h falls outside; the "before" trip (T−3 h…T−2 h) does not overlap.
    expect(body.events).toEqual([
      { type: 'harsh_braking', severity: 'harsh', at: iso(T + 10 * S), value: -3.2, tripId: trip.id },
    ]);
    // a1 has been on since T−1 h; a2 ended at T−2 h, before the range.
    expect(body.alerts).toEqual([
      {
        id: alertIdOf(w.petrol, 'psa-v4', 'a1'),
        type: 'TyrePressureLow',
        severity: 'warning',
        startedAt: iso(T - H),
        endedAt: null,
      },
    ]);
    expect(body.truncated).toBe(false);
    const wide = telemetryMarksDtoSchema.parse(
      await (await call(marks, w.petrol, range(T - 4 * H, T + 4 * H))).json(),
    );
    expect(wide.events.map((event) => event.at)).toEqual([
      iso(T - 150 * MIN),
      iso(T + 10 * S),
      iso(T + 2 * H),
    ]);
    expect(wide.alerts.map((alert) => alert.type)).toEqual(['OilLevel', 'TyrePressureLow']);
  });

  it('keeps the earliest 500 events and says it cut the list', { timeout: 60_000 }, async () => {
    const w = await setup();
    const db = database().db;
    const many = Array.from({ length: 501 }, (_, i) => ({
      type: 'harsh_acceleration',
      severity: 'severe',
      at: iso(T + 20 * H + i * S),
      value: 4.1,
    }));
    await storeVehicleData(db, w.electric, {
      ...emptyVehicleData(),
      trips: [
        {
          providerTripId: 'long',
          startedAt: T + 20 * H,
          endedAt: T + 21 * H,
          source: { provider: 'psa-v4', ref: 't' },
        },
      ],
    });
    await db
      .updateTable('trips')
      .set({ events: JSON.stringify(many) })
      .where('vehicle_id', '=', w.electric)
      .execute();
    const body = telemetryMarksDtoSchema.parse(
      await (await call(marks, w.electric, range(T + 19 * H, T + 22 * H))).json(),
    );
    expect(body.truncated).toBe(true);
    expect(body.events).toHaveLength(500);
    expect(body.events[499]?.at).toBe(iso(T + 20 * H + 499 * S));
  });
});
