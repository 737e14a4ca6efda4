import { beforeEach, describe, expect, it, vi } from 'vitest';
import { refreshStaleStandings } from '@/lib/db/queries/standings';
import { hashToken } from '@/lib/sharing/share-links';
import { ENGINES, useTestDatabase } from './db-harness';
import { type Car, carWithScores, ranked } from './standing-fixtures';

// docs/security-tests.md IN-02 (mass assignment): the writes an owner can send — the trip tag, a
// share link (route and form), the account, the leaderboard forms — carrying fields that name
// another owner, another car, a VIN, a creation date or a token hash. The routes answer 400 (their
// schemas are strict); the Server Action forms read only their own fields. Either way every row
// is read back: the protected columns hold what the server chose, never what was smuggled.
// Routes and actions run exactly as app/ exports them, on a real database; only the session, the
// database handle and Next's request-bound helpers are replaced (as in server-action-matrix.test.ts).

const { requireApiUser, currentDb } = vi.hoisted(() => ({
  requireApiUser: vi.fn(),
  currentDb: { db: null as unknown },
}));
class Redirect extends Error {}
vi.mock('@/lib/auth', () => ({ requireApiUser }));
vi.mock('@/lib/db', () => ({ getDb: () => currentDb.db }));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));
vi.mock('next/navigation', () => ({
  redirect: (url: string) => {
    throw new Redirect(url);
  },
}));
vi.mock('next-intl/server', () => ({ getTranslations: async () => (key: string) => key }));

const tagRoute = await import('@/app/api/vehicles/[vehicleId]/trips/[tripId]/tag/route');
const linksRoute = await import('@/app/api/vehicles/[vehicleId]/share-links/route');
const accountRoute = await import('@/app/api/account/route');
const listingRoute = await import('@/app/api/vehicles/[vehicleId]/leaderboard/listing/route');
const score = await import('@/app/(dashboard)/vehicles/[vehicleId]/score/actions');
const leaderboard = await import('@/app/(dashboard)/vehicles/[vehicleId]/leaderboard/actions');

/** Every table an owner's write could reach. */
const TABLES = [
  'users',
  'vehicles',
  'trips',
  'trip_tags',
  'share_links',
  'leaderboard_listings',
  'driver_groups',
  'driver_group_members',
] as const;
type Table = (typeof TABLES)[number];
type Dump = Record<Table, string[]>;

const ctx = <P>(params: P) => ({ params: Promise.resolve(params) });
const json = (method: string, body: unknown) =>
  new Request('http://localhost/x', {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};

describe.each(ENGINES)('smuggled fields change no protected column (IN-02), on %s', (engine) => {
  const database = useTestDatabase(engine);
  let a: Car;
  let b: Car;
  let aTripId: string;
  /** What an attacker puts in every payload: B as the owner, B's car, and made-up system values. */
  let smuggled: Record<string, string | number>;

  async function dump(): Promise<Dump> {
    const { db } = database();
    const out = {} as Dump;
    for (const table of TABLES) {
      const rows = await db.selectFrom(table).selectAll().execute();
      out[table] = rows.map((row) => JSON.stringify(row, (_key, value) => value ?? null)).sort();
    }
    return out;
  }

  /** Rows added or removed between two dumps, per table (tables with no change left out). */
  function changes(before: Dump, after: Dump) {
    const out: Partial<Record<Table, { added: Record<string, unknown>[]; removed: string[] }>> = {};
    for (const table of TABLES) {
      const added = after[table].filter((row) => !before[table].includes(row));
      const removed = before[table].filter((row) => !after[table].includes(row));
      if (added.length > 0 || removed.length > 0)
        out[table] = { added: added.map((row) => JSON.parse(row) as Record<string, unknown>), removed };
    }
    return out;
  }

  beforeEach(async () => {
    const { db } = database();
    currentDb.db = db;
    const now = Date.now();
    a = await carWithScores(db, { trips: ranked(70), now });
    b = await carWithScores(db, { trips: ranked(60), now });
    await refreshStaleStandings(db, { now });
    const trip = await db
      .selectFrom('trips')
      .select('id')
      .where('vehicle_id', '=', a.vehicleId)
      .executeTakeFirstOrThrow();
    aTripId = trip.id;
    const bTrip = await db
      .selectFrom('trips')
      .select('id')
      .where('vehicle_id', '=', b.vehicleId)
      .executeTakeFirstOrThrow();
    smuggled = {
      userId: b.ownerId,
      ownerId: b.ownerId,
      user_id: b.ownerId,
      owner_id: b.ownerId,
      vehicleId: b.vehicleId,
      tripId: bTrip.id,
      vin: 'VF3SMUGGLED000001',
      createdAt: 0,
      created_at: 0,
      shareTokenHash: '0'.repeat(64),
      token_hash: '0'.repeat(64),
      role: 'admin',
      isAdmin: 1,
      isDemo: 1,
    };
    requireApiUser.mockReset();
    requireApiUser.mockResolvedValue({ userId: a.ownerId, isDemo: false });
  });

  it('the JSON routes refuse a body with extra fields with 400 and store nothing', async () => {
    const before = await dump();
    const attempts: [string, () => Promise<Response>][] = [
      [
        'trip tag',
        () =>
          tagRoute.PUT(
            json('PUT', { tag: 'business', ...smuggled }),
            ctx({ vehicleId: a.vehicleId, tripId: aTripId }),
          ),
      ],
      [
        'share link',
        () =>
          linksRoute.POST(json('POST', { expiresInDays: 30, ...smuggled }), ctx({ vehicleId: a.vehicleId })),
      ],
      ['account', () => accountRoute.PATCH(json('PATCH', { name: 'Ann', ...smuggled }), ctx({}))],
    ];
    for (const [what, attempt] of attempts) {
      const response = await attempt();
      expect(response.status, what).toBe(400);
      expect((await response.json()).error.code, what).toBe('bad_request');
    }
    expect(changes(before, await dump())).toEqual({});

    // The same bodies without the extras are accepted: the 400s were about the smuggled fields.
    const tagged = await tagRoute.PUT(
      json('PUT', { tag: 'business' }),
      ctx({ vehicleId: a.vehicleId, tripId: aTripId }),
    );
    expect(tagged.status).toBe(200);
    const made = await linksRoute.POST(json('POST', { expiresInDays: 30 }), ctx({ vehicleId: a.vehicleId }));
    expect(made.status).toBe(201);
    const { link } = (await made.json()) as { link: { token: string } };
    const diff = changes(before, await dump());
    expect(Object.keys(diff).sort()).toEqual(['share_links', 'trip_tags']);
    expect(diff.trip_tags?.added).toEqual([
      { trip_id: aTripId, tag: 'business', updated_at: expect.any(Number) },
    ]);
    expect(diff.share_links?.added).toEqual([
      expect.objectContaining({
        owner_id: a.ownerId,
        vehicle_id: a.vehicleId,
        token_hash: hashToken(link.token),
      }),
    ]);
  });

  it('the Server Action forms ignore extra fields: the rows they write are the signed-in owner’s', async () => {
    const extras = Object.fromEntries(
      Object.entries(smuggled)
        .filter(([name]) => name !== 'vehicleId')
        .map(([name, value]) => [name, String(value)]),
    );
    // The form's own vehicleId is A's car; B's is smuggled under the other names.
    const started = Date.now();
    const before = await dump();

    const created = await score.createShareLinkAction(
      {},
      form({ vehicleId: a.vehicleId, expiry: 'never', ...extras }),
    );
    expect(created.token).toEqual(expect.any(String));
    await leaderboard.joinPublicBoardsAction(
      form({ vehicleId: a.vehicleId, ...extras, pseudonym: 'Chosen' }),
    );
    const group = await leaderboard.createGroupAction(
      {},
      form({ vehicleId: a.vehicleId, name: 'Smugglers', ...extras, inviteTokenHash: '0'.repeat(64) }),
    );
    expect(group.groupId).toEqual(expect.any(String));

    const diff = changes(before, await dump());
    // Only the rows these three forms make, nothing of B's, no user or car or trip touched.
    expect(Object.keys(diff).sort()).toEqual([
      'driver_group_members',
      'driver_groups',
      'leaderboard_listings',
      'share_links',
    ]);
    for (const { removed } of Object.values(diff)) expect(removed).toEqual([]);
    const fresh = (at: unknown) => typeof at === 'number' && at >= started && at <= Date.now();

    const [link] = diff.share_links?.added ?? [];
    expect(link).toMatchObject({
      owner_id: a.ownerId,
      vehicle_id: a.vehicleId,
      token_hash: hashToken(created.token as string),
      revoked_at: null,
      expires_at: null,
    });
    expect(fresh(Number(link?.created_at))).toBe(true);

    const [listing] = diff.leaderboard_listings?.added ?? [];
    expect(listing).toMatchObject({ owner_id: a.ownerId, vehicle_id: a.vehicleId });
    expect(listing?.pseudonym).not.toBe('Chosen');
    expect(fresh(Number(listing?.listed_at))).toBe(true);

    const [made] = diff.driver_groups?.added ?? [];
    expect(made).toMatchObject({ id: group.groupId, owner_id: a.ownerId, name: 'Smugglers' });
    expect(made?.invite_token_hash).not.toBe('0'.repeat(64));
    expect(fresh(Number(made?.created_at))).toBe(true);
    const [member] = diff.driver_group_members?.added ?? [];
    expect(member).toMatchObject({ group_id: group.groupId, owner_id: a.ownerId, vehicle_id: a.vehicleId });

    // Changing what exists: the board listing's route (it reads no body at all), a new pseudonym
    // and a revocation, each with the same extras and a chosen pseudonym or revocation date.
    const listed = await listingRoute.PUT(
      json('PUT', { ...smuggled, pseudonym: 'Chosen' }),
      ctx({ vehicleId: a.vehicleId }),
    );
    expect(listed.status).toBe(200);
    await leaderboard.renewPseudonymAction(form({ vehicleId: a.vehicleId, ...extras, pseudonym: 'Chosen' }));
    const revokedFrom = Date.now();
    await score.revokeShareLinkAction(
      form({ vehicleId: a.vehicleId, linkId: String(link?.id), ...extras, revokedAt: '0', revoked_at: '0' }),
    );
    const later = changes(before, await dump());
    const [renamed] = later.leaderboard_listings?.added ?? [];
    expect(renamed).toMatchObject({ owner_id: a.ownerId, vehicle_id: a.vehicleId });
    expect([listing?.pseudonym, 'Chosen']).not.toContain(renamed?.pseudonym);
    const [revoked] = later.share_links?.added ?? [];
    expect(revoked).toMatchObject({ id: link?.id, owner_id: a.ownerId, vehicle_id: a.vehicleId });
    expect(Number(revoked?.revoked_at)).toBeGreaterThanOrEqual(revokedFrom);
    // Still nothing of B's, no user, car or trip: the same four tables, and only A's rows in them.
    expect(Object.keys(later).sort()).toEqual(Object.keys(diff).sort());
    for (const { added } of Object.values(later))
      for (const row of added) expect(row.owner_id ?? row.user_id).toBe(a.ownerId);
  });
});
