import { randomBytes, randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokenCipher } from '@/lib/crypto/token-cipher';
import { connectCarAccount, getCarAccount } from '@/lib/db/queries/car-accounts';
import { refreshStaleStandings } from '@/lib/db/queries/standings';
import { createGroup, groupByInvite, groupsOfVehicle } from '@/lib/leaderboards/groups';
import { getListing, joinPublicBoards } from '@/lib/leaderboards/listings';
import { createShareLink, listShareLinks, newShareToken } from '@/lib/sharing/share-links';
import { ID_ACTIONS } from '../e2e/support/route-registry';
import { ENGINES, useTestDatabase } from './db-harness';
import { type Car, carWithScores, ranked } from './standing-fixtures';

// The server actions that take an object id in their form (the registry's ID_ACTIONS), called as
// owner A with owner B's ids and with ids that do not exist: B's objects are unchanged and both
// calls end alike (the same state returned, or the same redirect once the ids are named). The
// actions run exactly as the pages call them; only the session, the database handle and Next's
// request-bound helpers (revalidatePath, redirect, translations) are replaced.

const { requireApiUser, currentDb, cipher } = vi.hoisted(() => ({
  requireApiUser: vi.fn(),
  currentDb: { db: null as unknown },
  cipher: { value: null as unknown },
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
vi.mock('@/lib/car-accounts/installation', () => ({
  getTokenCipher: () => cipher.value,
  // Configured (its contents are never reached: another owner's account is refused first).
  getPsaConfig: async () => ({ clientId: 'matrix' }),
}));

const leaderboard = await import('@/app/(dashboard)/vehicles/[vehicleId]/leaderboard/actions');
const score = await import('@/app/(dashboard)/vehicles/[vehicleId]/score/actions');
const cars = await import('@/app/(dashboard)/settings/cars/actions');

type Ids = { vehicleId: string; groupId: string; linkId: string; accountId: string; token: string };

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields))
    for (const item of Array.isArray(value) ? value : [value]) data.append(name, item);
  return data;
};

/** Each action of ID_ACTIONS, called with these ids (the token is an invite of A's own group). */
const CALLS: Record<(typeof ID_ACTIONS)[number], (ids: Ids) => Promise<unknown>> = {
  '(dashboard)/vehicles/[vehicleId]/leaderboard#joinPublicBoardsAction': (ids) =>
    leaderboard.joinPublicBoardsAction(form({ vehicleId: ids.vehicleId })),
  '(dashboard)/vehicles/[vehicleId]/leaderboard#leavePublicBoardsAction': (ids) =>
    leaderboard.leavePublicBoardsAction(form({ vehicleId: ids.vehicleId })),
  '(dashboard)/vehicles/[vehicleId]/leaderboard#renewPseudonymAction': (ids) =>
    leaderboard.renewPseudonymAction(form({ vehicleId: ids.vehicleId })),
  '(dashboard)/vehicles/[vehicleId]/leaderboard#createGroupAction': (ids) =>
    leaderboard.createGroupAction({}, form({ vehicleId: ids.vehicleId, name: 'Intruders' })),
  '(dashboard)/vehicles/[vehicleId]/leaderboard#renewInviteAction': (ids) =>
    leaderboard.renewInviteAction({}, form({ vehicleId: ids.vehicleId, groupId: ids.groupId })),
  '(dashboard)/vehicles/[vehicleId]/leaderboard#leaveGroupAction': (ids) =>
    leaderboard.leaveGroupAction(form({ vehicleId: ids.vehicleId, groupId: ids.groupId })),
  '(dashboard)/vehicles/[vehicleId]/leaderboard#joinGroupAction': (ids) =>
    leaderboard.joinGroupAction(form({ vehicleId: ids.vehicleId, token: ids.token })),
  '(dashboard)/vehicles/[vehicleId]/score#createShareLinkAction': (ids) =>
    score.createShareLinkAction({}, form({ vehicleId: ids.vehicleId, expiry: 'never' })),
  '(dashboard)/vehicles/[vehicleId]/score#revokeShareLinkAction': (ids) =>
    score.revokeShareLinkAction(form({ vehicleId: ids.vehicleId, linkId: ids.linkId })),
  '(dashboard)/settings/cars#linkVehiclesAction': (ids) =>
    cars.linkVehiclesAction({}, form({ accountId: ids.accountId, vehicle: ['VF3MATRIX0000001'] })),
  '(dashboard)/settings/cars#disconnectAction': (ids) =>
    cars.disconnectAction({}, form({ accountId: ids.accountId, deleteData: 'on' })),
};

/** How a call ended, with the ids it was given named rather than spelled out. */
async function outcome(call: () => Promise<unknown>, ids: Ids): Promise<string> {
  let text: string;
  try {
    text = `returned ${JSON.stringify((await call()) ?? null)}`;
  } catch (error) {
    text = error instanceof Redirect ? `redirected to ${error.message}` : `threw ${String(error)}`;
  }
  for (const [name, id] of Object.entries(ids)) text = text.replaceAll(id, `{${name}}`);
  return text;
}

describe.each(ENGINES)('server actions on another owner’s ids, on %s', (engine) => {
  const database = useTestDatabase(engine);
  let a: Car;
  let b: Car;
  let bIds: Ids;

  /** Everything of B's that an action of ID_ACTIONS could touch, as B reads it. */
  async function snapshotOfB() {
    const { db } = database();
    return {
      listing: await getListing(db, b.ownerId, b.vehicleId),
      // Every group B's car is in: A's too, had B's car been joined to it.
      groups: await groupsOfVehicle(db, b.ownerId, b.vehicleId),
      invite: await groupByInvite(db, bIds.token),
      links: await listShareLinks(db, b.ownerId, b.vehicleId, Date.now()),
      account: await getCarAccount(db, b.ownerId, bIds.accountId),
      carsOfB: await db
        .selectFrom('vehicles')
        .select(['id', 'label'])
        .where('user_id', '=', b.ownerId)
        .execute(),
    };
  }

  beforeEach(async () => {
    const { db } = database();
    currentDb.db = db;
    cipher.value = createTokenCipher(randomBytes(32));
    const now = Date.now();
    a = await carWithScores(db, { trips: ranked(70), now });
    b = await carWithScores(db, { trips: ranked(60), now });
    await refreshStaleStandings(db, { now });
    await joinPublicBoards(db, b.ownerId, b.vehicleId);
    const group = await createGroup(db, b.ownerId, b.vehicleId, 'B and friends');
    const link = await createShareLink(db, b.ownerId, b.vehicleId, { expiresInDays: null });
    const { account } = await connectCarAccount(db, cipher.value as ReturnType<typeof createTokenCipher>, {
      ownerId: b.ownerId,
      provider: 'psa-v4',
      brand: 'peugeot',
      makerSubject: `b-${randomUUID()}`,
      tokens: { accessToken: 'a', refreshToken: 'r', expiresAt: now + 3_600_000, scopes: [] },
      now,
    });
    if (!group || !link) throw new Error('B’s group or link was not made');
    bIds = { vehicleId: b.vehicleId, groupId: group.id, linkId: link.id, accountId: account.id, token: '' };
    requireApiUser.mockReset();
    requireApiUser.mockResolvedValue({ userId: a.ownerId, isDemo: false });
  });

  it('has a call for every action of the registry', () => {
    expect(Object.keys(CALLS).sort()).toEqual([...ID_ACTIONS].sort());
  });

  it.each(ID_ACTIONS)('%s: B’s ids change nothing and end like missing ones', async (name) => {
    const { db } = database();
    // An invite A may use (its own group's): joining with B's car through it must still fail.
    const own = await createGroup(db, a.ownerId, a.vehicleId, 'A and friends');
    const token = own?.inviteToken ?? '';
    bIds.token = (await groupByInvite(db, token)) ? token : '';
    const before = await snapshotOfB();
    const foreign = await outcome(() => CALLS[name](bIds), bIds);
    const missingIds: Ids = {
      vehicleId: randomUUID(),
      groupId: randomUUID(),
      linkId: randomUUID(),
      accountId: randomUUID(),
      token: newShareToken(),
    };
    const missing = await outcome(() => CALLS[name]({ ...missingIds, token }), { ...missingIds, token });
    expect(foreign).toBe(missing);
    expect(foreign).not.toMatch(/^threw/);
    expect(await snapshotOfB()).toEqual(before);
  });
});
