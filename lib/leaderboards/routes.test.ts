import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { type Car, carWithScores, ranked } from '@/test/standing-fixtures';
import { refreshStaleStandings } from '../db/queries/standings';
import { AppError } from '../errors';
import { publicSharedBoard } from '../sharing/shared-board';

// The score, leaderboard and share-link routes exactly as app/api/** builds them, called with real
// Requests on a real database (lib/trips/routes.test.ts says why only requireApiUser and getDb are
// replaced). Another owner's car answers exactly like a missing one; bad input is a 400 in the
// error shape.

const { requireApiUser, currentDb } = vi.hoisted(() => ({
  requireApiUser: vi.fn(),
  currentDb: { db: null as unknown },
}));
vi.mock('@/lib/auth', () => ({ requireApiUser }));
vi.mock('@/lib/db', () => ({ getDb: () => currentDb.db }));

const scoreRoute = await import('@/app/api/vehicles/[vehicleId]/score/route');
const boardRoute = await import('@/app/api/vehicles/[vehicleId]/leaderboard/route');
const listingRoute = await import('@/app/api/vehicles/[vehicleId]/leaderboard/listing/route');
const linksRoute = await import('@/app/api/vehicles/[vehicleId]/share-links/route');
const linkRoute = await import('@/app/api/vehicles/[vehicleId]/share-links/[linkId]/route');

const url = (path: string) => `http://localhost${path}`;
const ctx = <P>(params: P) => ({ params: Promise.resolve(params) });
const json = (method: string, body: unknown) =>
  new Request(url('/x'), {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe.each(ENGINES)('score, leaderboard and share-link routes on %s', (engine) => {
  const database = useTestDatabase(engine);
  let mine: Car;
  let theirs: Car;

  beforeEach(async () => {
    const { db } = database();
    currentDb.db = db;
    // Real time: the routes read the standing as of now.
    const now = Date.now();
    mine = await carWithScores(db, { trips: ranked(72), now });
    theirs = await carWithScores(db, { trips: ranked(64), now });
    await refreshStaleStandings(db, { now });
    requireApiUser.mockReset();
    requireApiUser.mockResolvedValue({ userId: mine.ownerId });
  });

  it('answers 401 to a stranger', async () => {
    requireApiUser.mockRejectedValue(new AppError('unauthorized'));
    const response = await scoreRoute.GET(new Request(url('/x')), ctx({ vehicleId: mine.vehicleId }));
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('unauthorized');
  });

  it('gives the car’s score and board, and 404 alike for another owner’s car and a missing one', async () => {
    const score = await scoreRoute.GET(new Request(url('/x')), ctx({ vehicleId: mine.vehicleId }));
    expect(score.status).toBe(200);
    expect((await score.json()).standing).toMatchObject({ eligible: true, score: 72 });

    const board = await boardRoute.GET(
      new Request(url('/x?board=everyone')),
      ctx({ vehicleId: mine.vehicleId }),
    );
    expect(board.status).toBe(200);
    const page = await board.json();
    expect(page).toMatchObject({ ref: 'everyone', published: false, entries: [] });
    expect(page.me).toMatchObject({ listed: false, rank: expect.any(Number) });

    for (const route of [
      () => scoreRoute.GET(new Request(url('/x')), ctx({ vehicleId: theirs.vehicleId })),
      () => boardRoute.GET(new Request(url('/x')), ctx({ vehicleId: theirs.vehicleId })),
      () => listingRoute.PUT(new Request(url('/x'), { method: 'PUT' }), ctx({ vehicleId: theirs.vehicleId })),
      () => linksRoute.GET(new Request(url('/x')), ctx({ vehicleId: theirs.vehicleId })),
    ]) {
      const foreign = await route();
      expect(foreign.status).toBe(404);
      const missing = await scoreRoute.GET(new Request(url('/x')), ctx({ vehicleId: 'no-such-car' }));
      expect((await foreign.json()).error.code).toBe((await missing.json()).error.code);
    }
    // A group the car is not in reads like a missing one too.
    const group = await boardRoute.GET(
      new Request(url('/x?board=group:00000000-0000-4000-8000-000000000000')),
      ctx({ vehicleId: mine.vehicleId }),
    );
    expect(group.status).toBe(404);
  });

  it('refuses a malformed board, offset or body with a 400 in the error shape', async () => {
    for (const query of ['board=friends', 'board=group:1', 'offset=-1', 'offset=x', 'surprise=1']) {
      const response = await boardRoute.GET(
        new Request(url(`/x?${query}`)),
        ctx({ vehicleId: mine.vehicleId }),
      );
      expect(response.status, query).toBe(400);
      expect((await response.json()).error.code).toBe('bad_request');
    }
    for (const body of [
      {},
      { expiresInDays: 2 },
      { expiresInDays: 7, board: 'nope' },
      { expiresInDays: 7, extra: 1 },
    ]) {
      const response = await linksRoute.POST(json('POST', body), ctx({ vehicleId: mine.vehicleId }));
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('joins and leaves the public boards, idempotently', async () => {
    const joined = await listingRoute.PUT(
      new Request(url('/x'), { method: 'PUT' }),
      ctx({ vehicleId: mine.vehicleId }),
    );
    const { pseudonym } = await joined.json();
    expect(pseudonym).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
    const again = await listingRoute.PUT(
      new Request(url('/x'), { method: 'PUT' }),
      ctx({ vehicleId: mine.vehicleId }),
    );
    expect((await again.json()).pseudonym).toBe(pseudonym);
    const board = await boardRoute.GET(new Request(url('/x')), ctx({ vehicleId: mine.vehicleId }));
    expect((await board.json()).me).toMatchObject({ listed: true, pseudonym });
    for (let i = 0; i < 2; i++) {
      const left = await listingRoute.DELETE(
        new Request(url('/x'), { method: 'DELETE' }),
        ctx({ vehicleId: mine.vehicleId }),
      );
      expect(await left.json()).toEqual({ listed: false, pseudonym: null });
    }
  });

  it('makes a board link (201, the token once), lists it without the token, and revokes it', async () => {
    const created = await linksRoute.POST(
      json('POST', { expiresInDays: 7, board: 'peer' }),
      ctx({ vehicleId: mine.vehicleId }),
    );
    expect(created.status).toBe(201);
    const { link } = await created.json();
    expect(link).toMatchObject({ kind: 'leaderboard', board: 'peer', status: 'active' });
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await publicSharedBoard(database().db, link.token)).not.toBeNull();

    const listed = await (
      await linksRoute.GET(new Request(url('/x')), ctx({ vehicleId: mine.vehicleId }))
    ).json();
    expect(listed.links).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(link.token);

    // Another car's path, or another owner, cannot revoke it.
    const wrongCar = await linkRoute.DELETE(
      new Request(url('/x'), { method: 'DELETE' }),
      ctx({ vehicleId: theirs.vehicleId, linkId: link.id }),
    );
    expect(wrongCar.status).toBe(404);
    requireApiUser.mockResolvedValue({ userId: theirs.ownerId });
    const foreign = await linkRoute.DELETE(
      new Request(url('/x'), { method: 'DELETE' }),
      ctx({ vehicleId: mine.vehicleId, linkId: link.id }),
    );
    expect(foreign.status).toBe(404);
    requireApiUser.mockResolvedValue({ userId: mine.ownerId });
    const revoked = await linkRoute.DELETE(
      new Request(url('/x'), { method: 'DELETE' }),
      ctx({ vehicleId: mine.vehicleId, linkId: link.id }),
    );
    expect(await revoked.json()).toEqual({ revoked: true });
    expect(await publicSharedBoard(database().db, link.token)).toBeNull();

    // A group's board only by its members.
    const group = await linksRoute.POST(
      json('POST', { expiresInDays: null, board: 'group:00000000-0000-4000-8000-000000000000' }),
      ctx({ vehicleId: mine.vehicleId }),
    );
    expect(group.status).toBe(404);
  });
});
