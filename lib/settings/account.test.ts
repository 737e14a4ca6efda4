import type { Kysely } from 'kysely';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import type { Database } from '../db/schema';

// The account routes on both engines, called with real Requests through withAuth exactly as
// app/api/account/** wires them. lib/auth cannot load in plain Node (see lib/route-handler.test.ts),
// so only requireApiUser is replaced: it answers the signed-in owner.
const { requireApiUser } = vi.hoisted(() => ({ requireApiUser: vi.fn() }));
vi.mock('@/lib/auth', () => ({ requireApiUser }));

const { withAuth } = await import('@/lib/route-handler');
const { deleteAccountRoute, exportAccount, patchAccount, EXPORT_LIMIT } = await import('./account');
const { seedOwner, SECRET_MARKER } = await import('./owner-data-for-tests');
const { EXPORT_TABLES } = await import('./export/tables');
const { tableExists } = await import('./export/reader');
const { jsonExport } = await import('./export/export');
const { unzip } = await import('./export/zip-reader-for-tests');

type Owner = {
  userId: string;
  email: string;
  isDemo: boolean;
  sessionId: string;
  name: null;
  timeZone: null;
};

const ownerOf = (seeded: { userId: string; email: string }, isDemo = false): Owner => ({
  userId: seeded.userId,
  email: seeded.email,
  isDemo,
  sessionId: 's',
  name: null,
  timeZone: null,
});

function jsonRequest(method: string, url: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`http://localhost${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const noParams = { params: Promise.resolve({}) };

/** Every row of the tables the owner owns, by table (counted straight from the tables). */
async function ownedCounts(db: Kysely<Database>, userId: string, vehicleIds: string[], accountIds: string[]) {
  const counts: Record<string, number> = {};
  const count = async (table: keyof Database, column: string, values: string[]) => {
    if (values.length === 0) return 0;
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column as never, 'in', values as never)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  counts.users = await count('users', 'id', [userId]);
  counts.sessions = await count('sessions', 'user_id', [userId]);
  counts.vehicles = await count('vehicles', 'user_id', [userId]);
  counts.car_accounts = await count('car_accounts', 'user_id', [userId]);
  counts.car_account_vehicles = await count('car_account_vehicles', 'car_account_id', accountIds);
  for (const table of [
    'samples',
    'trips',
    'alerts',
    'maintenance_reports',
    'charging_sessions',
    'eco_evaluations',
    'quarantine',
    'sync_state',
    'alert_acknowledgements',
    'vehicle_snapshots',
  ] as const) {
    counts[table] = await count(table, 'vehicle_id', vehicleIds);
  }
  return counts;
}

for (const engine of ENGINES) {
  describe(`account routes (${engine})`, () => {
    const database = useTestDatabase(engine);

    describe('PATCH /api/account', () => {
      let owner: Owner;
      const patch = (body: unknown) =>
        withAuth((request) => patchAccount(database().db, owner, request))(
          jsonRequest('PATCH', '/api/account', body),
          noParams,
        );

      beforeAll(async () => {
        owner = ownerOf(await seedOwner(database().db, { samplesPerVehicle: 0 }));
        requireApiUser.mockResolvedValue(owner);
      });

      it.each([
        ['an unknown field', { units: { speed: 'mph' }, role: 'admin' }, 'role'],
        ['an unknown unit key', { units: { distance: 'miles' } }, 'distance'],
        ['a bad speed unit', { units: { speed: 'knots' } }, 'units.speed'],
        ['a bad fuel unit', { units: { fuel: 'mpg' } }, 'units.fuel'],
        ['a bad time zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
        ['an unsupported language', { locale: 'de' }, 'locale'],
      ])('refuses %s with a 400', async (_what, body, path) => {
        const response = await patch(body);
        expect(response.status).toBe(400);
        const answer = (await response.json()) as { error: { code: string; message: string } };
        expect(answer.error.code).toBe('bad_request');
        expect(answer.error.message).toContain(path === 'role' || path === 'distance' ? path : `${path}:`);
      });

      it('stores units, language and zone, answers the account and sets the cookies', async () => {
        const response = await patch({
          units: { speed: 'mph', energy: 'mikwh' },
          locale: 'fr',
          timeZone: 'Europe/Paris',
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({
          account: {
            email: owner.email,
            name: expect.any(String),
            timeZone: 'Europe/Paris',
            locale: 'fr',
            units: { speed: 'mph', fuel: 'l100km', energy: 'mikwh' },
            isDemo: false,
          },
        });
        const cookies = response.headers.getSetCookie();
        const locale = cookies.find((c) => c.startsWith('kinetic-locale='));
        const zone = cookies.find((c) => c.startsWith('kinetic-tz='));
        expect(locale).toMatch(/^kinetic-locale=fr;/);
        expect(zone).toMatch(/^kinetic-tz=Europe%2FParis;/);
        for (const cookie of [locale, zone]) {
          expect(cookie).toMatch(/Max-Age=31536000/i);
          expect(cookie).toMatch(/SameSite=lax/i);
          expect(cookie).toMatch(/Path=\//);
          expect(cookie).not.toMatch(/Secure/i);
        }
      });

      it('marks the cookies Secure when Kinetic is served over https', async () => {
        const response = await withAuth((request) => patchAccount(database().db, owner, request))(
          new Request('https://kinetic.example/api/account', {
            method: 'PATCH',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ locale: 'en' }),
          }),
          noParams,
        );
        expect(response.status).toBe(200);
        expect(response.headers.getSetCookie().find((c) => c.startsWith('kinetic-locale='))).toMatch(
          /; Secure/i,
        );
      });

      it('leaves cookies alone when only units or the name change, and clears them with null', async () => {
        const unitsOnly = await patch({ units: { fuel: 'mpg_us' }, name: 'New Name' });
        expect(unitsOnly.status).toBe(200);
        expect(unitsOnly.headers.getSetCookie()).toEqual([]);
        const body = (await unitsOnly.json()) as { account: { name: string; units: { fuel: string } } };
        expect(body.account).toMatchObject({ name: 'New Name', units: { fuel: 'mpg_us' } });

        const cleared = await patch({ locale: null, timeZone: null });
        const cookies = cleared.headers.getSetCookie();
        expect(cookies.find((c) => c.startsWith('kinetic-locale='))).toMatch(/^kinetic-locale=;/);
        expect(cookies.find((c) => c.startsWith('kinetic-tz='))).toMatch(/^kinetic-tz=;/);
        expect(((await cleared.json()) as { account: { locale: null } }).account.locale).toBeNull();
      });
    });

    describe('GET /api/account/export', () => {
      let seeded: Awaited<ReturnType<typeof seedOwner>>;
      let other: Awaited<ReturnType<typeof seedOwner>>;
      const SAMPLES = 1_200;

      beforeAll(async () => {
        seeded = await seedOwner(database().db, { samplesPerVehicle: SAMPLES });
        other = await seedOwner(database().db, { samplesPerVehicle: 10 });
      });

      const exportOf = (format: string, now = new Date('2026-11-26T10:00:00Z')) =>
        withAuth((request) => exportAccount(database().db, ownerOf(seeded), request, { pageSize: 250, now }))(
          new Request(`http://localhost/api/account/export?format=${format}`),
          noParams,
        );

      it('streams every table of the owner as one JSON document, without secrets', async () => {
        const response = await exportOf('json');
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(response.headers.get('content-disposition')).toBe(
          'attachment; filename="kinetic-export-2026-11-26.json"',
        );
        const text = await response.text();
        const document = JSON.parse(text) as {
          format: string;
          tables: Record<string, Record<string, unknown>[]>;
        };
        expect(document.format).toBe('kinetic-export');
        const expected = { ...seeded.counts };
        for (const spec of EXPORT_TABLES) {
          if (!(await tableExists(database().db, spec.name))) continue;
          expect(document.tables[spec.name], spec.name).toHaveLength(expected[spec.name] ?? 0);
        }
        expect(Object.keys(document.tables)).toEqual(
          expect.arrayContaining([
            'users',
            'sessions',
            'vehicles',
            'car_accounts',
            'samples',
            'trips',
            'alerts',
          ]),
        );
        // Nothing secret, and nothing of the other owner.
        expect(text).not.toContain(SECRET_MARKER);
        for (const column of ['password_hash', '"tokens"', 'token_version'])
          expect(text).not.toContain(column);
        for (const sessionId of seeded.sessionIds) expect(text).not.toContain(sessionId);
        expect(text).not.toContain(other.userId);
        for (const vehicleId of other.vehicleIds) expect(text).not.toContain(vehicleId);
        // Samples: every instant once, in order, per vehicle.
        const samples = document.tables.samples ?? [];
        for (const vehicleId of seeded.vehicleIds) {
          const ats = samples.filter((row) => row.vehicle_id === vehicleId).map((row) => row.at as number);
          expect(ats).toHaveLength(SAMPLES);
          expect(new Set(ats).size).toBe(SAMPLES);
          expect(ats).toEqual([...ats].sort((a, b) => a - b));
        }
        // JSON columns come out as JSON values.
        expect(document.tables.trips?.[0]?.events).toEqual([
          { type: 'harsh_braking', severity: 'medium', at: '2026-03-01T00:01:00Z', value: -4 },
        ]);
        expect(document.tables.users?.[0]).toMatchObject({ id: seeded.userId, email: seeded.email });
      });

      it('streams a ZIP of one CSV per table, without secrets', async () => {
        const response = await exportOf('csv');
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/zip');
        expect(response.headers.get('content-disposition')).toBe(
          'attachment; filename="kinetic-export-2026-11-26.zip"',
        );
        const files = unzip(Buffer.from(await response.arrayBuffer()));
        expect(files.has('README.txt')).toBe(true);
        for (const spec of EXPORT_TABLES) {
          if (!(await tableExists(database().db, spec.name))) continue;
          const csv = files.get(`${spec.name}.csv`);
          expect(csv, spec.name).toBeDefined();
          const lines = (csv ?? '').split('\r\n').filter((line) => line.length > 0);
          expect(lines[0]).toBe(spec.columns.join(','));
          expect(lines.length - 1, spec.name).toBe(seeded.counts[spec.name] ?? 0);
        }
        const all = [...files.values()].join('\n');
        expect(all).not.toContain(SECRET_MARKER);
        expect(all).not.toContain('password_hash');
        expect(all).not.toMatch(/(^|,)tokens(,|\r)/m);
        for (const sessionId of seeded.sessionIds) expect(all).not.toContain(sessionId);
        for (const vehicleId of other.vehicleIds) expect(all).not.toContain(vehicleId);
        // A negative number stays a number; a JSON cell is quoted with its quotes doubled.
        expect(files.get('maintenance_reports.csv')).toContain(',40,-12.5');
        expect(files.get('eco_evaluations.csv')).toContain('"{""braking"":8}"');
      });

      it('reads in pages no larger than asked, and only as the reader pulls', async () => {
        const pages: { table: string; rows: number }[] = [];
        const chunks = jsonExport(database().db, seeded.userId, {
          pageSize: 100,
          onPage: (table, rows) => pages.push({ table, rows }),
        });
        let firstSamples = -1;
        for (;;) {
          const { done } = await chunks.next();
          if (done) break;
          if (firstSamples < 0 && pages.some((page) => page.table === 'samples' && page.rows > 0)) {
            firstSamples = pages.filter((page) => page.table === 'samples').length;
          }
        }
        // When the first samples page reached the reader, no further page had been read.
        expect(firstSamples).toBe(1);
        const samplePages = pages.filter((page) => page.table === 'samples');
        expect(Math.max(...pages.map((page) => page.rows))).toBeLessThanOrEqual(100);
        // 1,200 rows per car in pages of 100: 12 full pages and one empty closing read, per car.
        expect(samplePages).toHaveLength(2 * (SAMPLES / 100 + 1));
        expect(samplePages.reduce((sum, page) => sum + page.rows, 0)).toBe(2 * SAMPLES);
      });

      it('refuses an unknown format and a repeated parameter', async () => {
        expect((await exportOf('xml')).status).toBe(400);
        const repeated = await withAuth((request) => exportAccount(database().db, ownerOf(seeded), request))(
          new Request('http://localhost/api/account/export?format=json&format=csv'),
          noParams,
        );
        expect(repeated.status).toBe(400);
      });

      it(`allows ${EXPORT_LIMIT.count} exports an hour, then answers 429 with Retry-After`, async () => {
        const fresh = await seedOwner(database().db, { samplesPerVehicle: 1 });
        const start = new Date('2026-11-26T10:00:00Z');
        const run = (minutes: number) =>
          withAuth((request) =>
            exportAccount(database().db, ownerOf(fresh), request, {
              now: new Date(start.getTime() + minutes * 60_000),
            }),
          )(new Request('http://localhost/api/account/export?format=json'), noParams);
        for (let i = 0; i < EXPORT_LIMIT.count; i++) {
          const response = await run(i);
          expect(response.status).toBe(200);
          await response.text();
        }
        const refused = await run(10);
        expect(refused.status).toBe(429);
        // The window opened at minute 0 and lasts an hour: 50 minutes remain.
        expect(refused.headers.get('retry-after')).toBe(String(50 * 60));
        expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
        expect((await run(61)).status).toBe(200);
      });
    });

    describe('DELETE /api/account', () => {
      const del = (owner: Owner, body: unknown, revoke = vi.fn(async () => {}), headers = {}) =>
        withAuth((request) => deleteAccountRoute(database().db, owner, request, revoke))(
          jsonRequest('DELETE', '/api/account', body, headers),
          noParams,
        );

      it('refuses the demo owner with 403 and deletes nothing', async () => {
        const demo = await seedOwner(database().db, { samplesPerVehicle: 5, isDemo: true });
        const before = await ownedCounts(database().db, demo.userId, demo.vehicleIds, demo.carAccountIds);
        const revoke = vi.fn(async () => {});
        const response = await del(ownerOf(demo, true), { confirm: 'DELETE' }, revoke);
        expect(response.status).toBe(403);
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('forbidden');
        expect(body.error.message).toMatch(/demo/i);
        expect(revoke).not.toHaveBeenCalled();
        expect(await ownedCounts(database().db, demo.userId, demo.vehicleIds, demo.carAccountIds)).toEqual(
          before,
        );
        expect(before.samples).toBe(10);
      });

      it('refuses a wrong confirmation with 400 and deletes nothing', async () => {
        const owner = await seedOwner(database().db, { samplesPerVehicle: 1 });
        for (const body of [
          { confirm: 'delete me' },
          { confirm: 'someone@else.com' },
          {},
          { confirm: 'DELETE', x: 1 },
        ]) {
          expect((await del(ownerOf(owner), body)).status).toBe(400);
        }
        expect(
          (await ownedCounts(database().db, owner.userId, owner.vehicleIds, owner.carAccountIds)).users,
        ).toBe(1);
      });

      it("deletes the owner and every row they own, revokes their car accounts, and leaves others' data", async () => {
        const db = database().db;
        const owner = await seedOwner(db, { samplesPerVehicle: 300 });
        const bystander = await seedOwner(db, { samplesPerVehicle: 20 });
        const bystanderBefore = await ownedCounts(
          db,
          bystander.userId,
          bystander.vehicleIds,
          bystander.carAccountIds,
        );
        const tagsBefore = (await tableExists(db, 'trip_tags'))
          ? Number(
              (
                await db
                  .selectFrom('trip_tags')
                  .select((eb) => eb.fn.countAll<number>().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            )
          : 0;
        const revoke = vi.fn(async () => {});
        const response = await del(ownerOf(owner), { confirm: owner.email.toUpperCase() }, revoke, {
          cookie: 'authjs.session-token=abc; kinetic-locale=fr',
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ deleted: true });
        expect(revoke.mock.calls).toEqual([[owner.carAccountIds[0]]]);
        const expired = response.headers.getSetCookie().find((c) => c.startsWith('authjs.session-token='));
        expect(expired).toMatch(/Max-Age=0/i);

        const after = await ownedCounts(db, owner.userId, owner.vehicleIds, owner.carAccountIds);
        expect(Object.values(after).every((n) => n === 0)).toBe(true);
        expect(
          await ownedCounts(db, bystander.userId, bystander.vehicleIds, bystander.carAccountIds),
        ).toEqual(bystanderBefore);
        if (await tableExists(db, 'trip_tags')) {
          const tags = await db
            .selectFrom('trip_tags')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow();
          expect(Number(tags.n)).toBe(tagsBefore - (owner.counts.trip_tags ?? 0));
        }
      });

      it('still deletes when revoking at the maker fails, and accepts the word DELETE', async () => {
        const db = database().db;
        const owner = await seedOwner(db, { samplesPerVehicle: 3 });
        const revoke = vi.fn(async () => {
          throw new Error('IdP unreachable');
        });
        const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
        const response = await del(ownerOf(owner), { confirm: 'DELETE' }, revoke);
        warn.mockRestore();
        expect(response.status).toBe(200);
        expect(revoke).toHaveBeenCalledTimes(1);
        expect((await ownedCounts(db, owner.userId, owner.vehicleIds, owner.carAccountIds)).users).toBe(0);
      });
    });
  });
}
