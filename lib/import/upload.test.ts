import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createUser } from '../db/queries/users';
import { createVehicle } from '../db/queries/vehicles';
import { AppError } from '../errors';

// POST /api/imports on both engines: the route exactly as app/api/imports/route.ts builds it
// (withAuth around handleImportUpload, the real trip deriver), called with real Requests, on a
// real database. lib/auth cannot load in plain Node (see lib/route-handler.test.ts), so only
// requireApiUser is replaced: it answers the signed-in owner, or throws the 401 it throws for real.
const { requireApiUser } = vi.hoisted(() => ({ requireApiUser: vi.fn() }));
vi.mock('@/lib/auth', () => ({ requireApiUser }));

const { withAuth } = await import('@/lib/route-handler');
const { handleImportUpload, MAX_UPLOAD_BYTES } = await import('./upload');
const { deriveImportedTrips } = await import('./import-trips');
const { config: proxyConfig } = await import('@/proxy');

const FIXTURE = join(import.meta.dirname, '../../e2e/fixtures/torque-short-drive.csv');

// The fixture, counted by hand: one drive at 1 Hz, 07:00:00–07:03:00 UTC on 2026-03-02 (60 s up to
// 50 km/h, 60 s at 50, 60 s down to a stop) = 181 rows, plus the row of 07:01:30 written twice
// (line 93) and `not,a,row` (line 104, three cells under a seven-column header).
const FIXTURE_ROWS = 181 + 1 + 1;
const REJECTED_LINE = 104;

type Owner = { userId: string; timeZone: string | null };

function upload(query: Record<string, string>, body: BodyInit | null, headers: Record<string, string> = {}) {
  const url = new URL('http://localhost/api/imports');
  for (const [key, value] of Object.entries(query)) url.searchParams.append(key, value);
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
}

/** A body streamed in chunks, so the request declares no length and the cap must count. */
function streamedBody(bytes: Uint8Array, chunkBytes = 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

const uploadDirs = async () =>
  (await readdir(tmpdir())).filter((name) => name.startsWith('kinetic-upload-')).length;

describe('the proxy never sees an upload', () => {
  // Next's proxy buffers a request body to run the proxy and truncates it past
  // proxyClientMaxBodySize (10 MB by default): on this route that would import half a file.
  it('excludes /api/imports from its matcher, and still runs on the import page', () => {
    const matchers = proxyConfig.matcher.map((source) => new RegExp(`^${source}$`));
    expect(matchers.some((matcher) => matcher.test('/api/imports'))).toBe(false);
    expect(matchers.some((matcher) => matcher.test('/import'))).toBe(true);
  });
});

describe.each(ENGINES)('POST /api/imports on %s', (engine) => {
  const database = useTestDatabase(engine);
  const route = (maxBytes?: number) =>
    withAuth((request, { user }) =>
      handleImportUpload(request, {
        db: database().db,
        user,
        deriveTrips: deriveImportedTrips,
        ...(maxBytes ? { maxBytes } : {}),
      }),
    );
  const call = (request: Request, as: Owner | null, maxBytes?: number) => {
    requireApiUser.mockReset();
    if (as)
      requireApiUser.mockResolvedValue({ ...as, sessionId: 's', email: 'e', name: null, isDemo: false });
    else requireApiUser.mockRejectedValue(new AppError('unauthorized'));
    return route(maxBytes)(request, { params: Promise.resolve({}) });
  };

  let csv: Uint8Array<ArrayBuffer>;
  let owner: Owner;
  let stranger: Owner;
  beforeAll(async () => {
    csv = new Uint8Array(await readFile(FIXTURE));
    const db = database().db;
    const a = await createUser(db, { email: `owner-${engine}@example.com`, passwordHash: 'h' });
    const b = await createUser(db, { email: `stranger-${engine}@example.com`, passwordHash: 'h' });
    owner = { userId: a.id, timeZone: null };
    stranger = { userId: b.id, timeZone: null };
  });

  const samplesOf = async (vehicleId: string) =>
    Number(
      (
        await database()
          .db.selectFrom('samples')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('vehicle_id', '=', vehicleId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const vehiclesOf = (userId: string) =>
    database().db.selectFrom('vehicles').selectAll().where('user_id', '=', userId).execute();

  it('imports a Torque log into a new car and answers the CLI report; the same file again changes nothing', async () => {
    const query = {
      vehicle: 'Leon',
      make: 'Seat',
      model: 'Leon',
      fuel: 'petrol',
      name: 'torque-short-drive.csv',
    };
    const response = await call(upload(query, csv), owner);
    expect(response.status).toBe(200);
    const report = await response.json();
    expect(report).toEqual({
      rowsRead: FIXTURE_ROWS,
      rowsImported: 181,
      rowsDuplicate: 1,
      rowsRejected: 1,
      rejections: [{ row: REJECTED_LINE, reason: expect.any(String) }],
      vehicleId: expect.any(String),
      tripIds: [expect.any(String)],
    });
    const [car] = await vehiclesOf(owner.userId);
    expect(car).toMatchObject({
      id: report.vehicleId,
      label: 'Leon',
      brand: 'Seat',
      model: 'Leon',
      powertrain: 'petrol',
    });
    expect(await samplesOf(report.vehicleId)).toBe(181);
    const trip = await database()
      .db.selectFrom('trips')
      .selectAll()
      .where('id', '=', report.tripIds[0])
      .executeTakeFirstOrThrow();
    // 30 s average of 50 km/h up, 60 s at 50, 30 s down: 120 s × 50/3.6 m/s = 1.667 km in 180 s.
    expect(trip.vehicle_id).toBe(report.vehicleId);
    expect(trip.started_at).toBe(Date.parse('2026-03-02T07:00:00Z'));
    expect(trip.duration_s).toBe(180);
    expect(trip.distance_km).toBeCloseTo(1.667, 1);

    // Again, this time into the car by its id (as the page does), streamed without a length.
    const again = await call(upload({ vehicleId: report.vehicleId }, streamedBody(csv)), owner);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({
      rowsRead: FIXTURE_ROWS,
      rowsImported: 0,
      rowsDuplicate: 182,
      rowsRejected: 1,
      rejections: [{ row: REJECTED_LINE, reason: expect.any(String) }],
      vehicleId: report.vehicleId,
      tripIds: report.tripIds,
    });
    expect(await samplesOf(report.vehicleId)).toBe(181);
    expect(await vehiclesOf(owner.userId)).toHaveLength(1);
  });

  it("answers another owner's car exactly like a missing one (404), storing nothing", async () => {
    const theirs = await createVehicle(database().db, stranger.userId, {
      label: 'Theirs',
      brand: 'Peugeot',
      model: '208',
      powertrain: 'petrol',
      vin: 'VF3TESTSTRANGER01',
    });
    const foreign = await call(upload({ vehicleId: theirs.id }, csv), owner);
    const missing = await call(upload({ vehicleId: crypto.randomUUID() }, csv), owner);
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    const body = await foreign.json();
    expect(body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect(await missing.json()).toEqual(body);
    expect(await samplesOf(theirs.id)).toBe(0);
  });

  it('answers 401 to an anonymous upload and stores nothing', async () => {
    const before = await vehiclesOf(owner.userId);
    const response = await call(upload({ vehicle: 'Anonymous' }, csv), null);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect(await vehiclesOf(owner.userId)).toEqual(before);
  });

  it.each([
    ['an unknown fuel', { fuel: 'coal' }],
    ['an unknown format', { format: 'xlsx' }],
    ['both a car id and a new label', { vehicleId: 'abc', vehicle: 'Leon' }],
    ['make for an existing car', { vehicleId: 'abc', make: 'Seat' }],
    ['an unknown parameter', { owner: 'someone@example.com' }],
    ['an empty label', { vehicle: '   ' }],
    ['a label over 100 characters', { vehicle: 'x'.repeat(101) }],
  ])('answers 400 to %s, storing nothing', async (_what, query) => {
    const before = await vehiclesOf(owner.userId);
    const response = await call(upload(query, csv), owner);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    expect(await vehiclesOf(owner.userId)).toEqual(before);
  });

  it('answers 400 to a parameter given twice', async () => {
    const response = await call(
      new Request('http://localhost/api/imports?vehicle=A&vehicle=B', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: csv,
      }),
      owner,
    );
    expect(response.status).toBe(400);
  });

  it('answers 400 to a file it cannot date, saying so, and stores nothing', async () => {
    const before = await vehiclesOf(owner.userId);
    const response = await call(
      upload({ vehicle: 'Undated', name: 'log.csv' }, 'Time,Speed (OBD)(km/h)\n10:00:00,10\n'),
      owner,
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(/date/i);
    expect(await vehiclesOf(owner.userId)).toEqual(before);
  });

  it('answers 415 to a multipart form (its framing would be read as rows)', async () => {
    const form = new FormData();
    form.set('file', new Blob([csv]), 'log.csv');
    const response = await call(
      new Request('http://localhost/api/imports', { method: 'POST', body: form }),
      owner,
    );
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe('unsupported_media_type');
  });

  it('answers 413 to a declared length over 200 MB before reading the body', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const response = await call(
      upload({ vehicle: 'Huge' }, body, { 'content-length': String(MAX_UPLOAD_BYTES + 1) }),
      owner,
    );
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload_too_large');
    // A ReadableStream pulls once ahead on its own; the handler read none of it.
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('answers 413 as soon as an undeclared body passes the cap, stores nothing and leaves no temporary file', async () => {
    const before = await vehiclesOf(owner.userId);
    const dirsBefore = await uploadDirs();
    const cap = 4096; // the fixture is about 16 kB
    expect(csv.byteLength).toBeGreaterThan(cap);
    const response = await call(upload({ vehicle: 'Capped' }, streamedBody(csv)), owner, cap);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload_too_large');
    expect(await vehiclesOf(owner.userId)).toEqual(before);
    expect(await uploadDirs()).toBe(dirsBefore);
  });

  it("derives fuel from mass air flow with an existing car's own fuel when the upload names none", async () => {
    const db = database().db;
    const driver = await createUser(db, { email: `maf-${engine}@example.com`, passwordHash: 'h' });
    const car = { brand: 'Seat', model: 'Leon', createdAt: 1 };
    const petrol = await createVehicle(db, driver.id, {
      ...car,
      label: 'Petrol',
      powertrain: 'petrol',
      vin: 'VF3TESTMAFPETROL1',
    });
    const unknown = await createVehicle(db, driver.id, {
      ...car,
      label: 'Unknown',
      powertrain: 'unknown',
      vin: 'VF3TESTMAFUNKNOW1',
    });
    const log =
      'Time,Speed (OBD)(km/h),Mass Air Flow Rate(g/s)\n2026-03-02T07:00:00Z,50,14.7\n2026-03-02T07:00:01Z,50,14.7\n';
    for (const vehicleId of [petrol.id, unknown.id]) {
      const response = await call(upload({ vehicleId }, log), { userId: driver.id, timeZone: null });
      expect(response.status).toBe(200);
    }
    const rates = (vehicleId: string) =>
      db
        .selectFrom('samples')
        .select('fuel_rate_lph')
        .where('vehicle_id', '=', vehicleId)
        .orderBy('at')
        .execute();
    // 14.7 g/s of air at petrol's 14.7:1 is 1 g/s of fuel: 3.6 kg/h ÷ 0.745 kg/L = 4.832 L/h.
    const petrolRates = await rates(petrol.id);
    expect(petrolRates).toHaveLength(2);
    for (const row of petrolRates) expect(row.fuel_rate_lph).toBeCloseTo(4.832, 3);
    expect(await rates(unknown.id)).toEqual([{ fuel_rate_lph: null }, { fuel_rate_lph: null }]);
  });

  it('refuses (409) to import into a car whose label another of the owner’s cars shares', async () => {
    const db = database().db;
    const twin = await createUser(db, { email: `twins-${engine}@example.com`, passwordHash: 'h' });
    const older = { label: 'Car', brand: 'Peugeot', model: '208', powertrain: 'petrol', createdAt: 1 };
    await createVehicle(db, twin.id, { ...older, vin: 'VF3TESTTWINOLDER1' });
    const newer = await createVehicle(db, twin.id, { ...older, vin: 'VF3TESTTWINNEWER1', createdAt: 2 });
    const response = await call(upload({ vehicleId: newer.id }, csv), { userId: twin.id, timeZone: null });
    expect(response.status).toBe(409);
    expect(await samplesOf(newer.id)).toBe(0);
  });
});
