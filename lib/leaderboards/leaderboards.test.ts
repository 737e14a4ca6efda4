import type { Kysely } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { type Car, carWithScores, NOW, ranked } from '@/test/standing-fixtures';
import { markStandingStale, refreshStaleStandings } from '../db/queries/standings';
import { deleteUser } from '../db/queries/users';
import type { Database } from '../db/schema';
import { publicScoreCard } from '../sharing/score-card';
import { createShareLink, hashToken, revokeShareLink } from '../sharing/share-links';
import { publicSharedBoard } from '../sharing/shared-board';
import { getOwnerBoard, getPublicBoard, PUBLIC_BOARD_FIELDS } from './board';
import { type BoardRef, formatBoardRef } from './board-ref';
import {
  createGroup,
  groupByInvite,
  groupsOfVehicle,
  joinGroup,
  leaveGroup,
  renewGroupInvite,
} from './groups';
import { joinPublicBoards, leavePublicBoards, renewListingPseudonym } from './listings';

// Leaderboards on both engines (docs/security-tests.md PV-05–PV-09): listing is opt-in under a
// random pseudonym, a board of fewer than 5 participants shows nobody's score to outsiders,
// leaving removes an entry at once everywhere (shared links included), a shared board carries an
// allow-list only, and another owner's car or a group the car is not in answers like a missing one.

const PEER: BoardRef = { kind: 'peer' };
const EVERYONE: BoardRef = { kind: 'everyone' };

async function clean(db: Kysely<Database>) {
  for (const user of await db.selectFrom('users').select('id').execute()) await deleteUser(db, user.id);
}

/** Ranked petrol 208s scoring 90, 80, 70, …, each owner's e-mail naming the score. */
async function fleet(db: Kysely<Database>, scores: readonly number[]) {
  const cars: Car[] = [];
  for (const score of scores)
    cars.push(await carWithScores(db, { trips: ranked(score), email: `driver-${score}@example.com` }));
  await refreshStaleStandings(db, { now: NOW });
  return cars;
}

const board = (db: Kysely<Database>, car: Car, ref: BoardRef, offset = 0) =>
  getOwnerBoard(db, car.ownerId, car.vehicleId, ref, { now: NOW, offset });

describe.each(ENGINES)('leaderboards on %s', (engine) => {
  const database = useTestDatabase(engine);
  beforeEach(() => clean(database().db));

  it('lists nobody until owners join, and nobody at all below 5 participants', async () => {
    const { db } = database();
    const cars = await fleet(db, [90, 80, 70, 60, 50, 40]);
    const [top, second, third, fourth, fifth, last] = cars as [Car, Car, Car, Car, Car, Car];

    // Nobody listed: the board still ranks everyone, and the owner sees their own place.
    const empty = await board(db, third, PEER);
    expect(empty).toMatchObject({
      ranked: 6,
      participants: 0,
      published: false,
      entries: [],
      hasMore: false,
    });
    expect(empty?.me).toEqual({ listed: false, pseudonym: null, rank: 3, score: 70, percentile: 50 });

    // Four join: still not published, to anyone.
    for (const car of [top, second, third, last])
      expect(await joinPublicBoards(db, car.ownerId, car.vehicleId)).not.toBeNull();
    const four = await board(db, third, PEER);
    expect(four).toMatchObject({ participants: 4, published: false, entries: [] });
    expect(four?.me.listed).toBe(true);
    expect((await getPublicBoard(db, third.vehicleId, PEER))?.entries).toEqual([]);

    // The fifth: published, best first, ranks among every ranked car (the unlisted 40-car included).
    await joinPublicBoards(db, fourth.ownerId, fourth.vehicleId);
    const five = await board(db, third, PEER);
    expect(five?.published).toBe(true);
    expect(five?.entries.map((entry) => [entry.score, entry.rank, entry.mine])).toEqual([
      [90, 1, false],
      [80, 2, false],
      [70, 3, true],
      [60, 4, false],
      [40, 6, false],
    ]);
    // Pseudonyms are random, not the owner's e-mail or name.
    for (const entry of five?.entries ?? []) {
      expect(entry.pseudonym).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
      expect(entry.pseudonym.toLowerCase()).not.toContain('driver');
    }
    expect(fifth).toBeDefined();

    // Leaving removes the entry at once, here and on the public view; below 5 again, nobody shows.
    expect(await leavePublicBoards(db, top.ownerId, top.vehicleId)).toBe(true);
    expect(await board(db, third, PEER)).toMatchObject({ participants: 4, published: false, entries: [] });
    expect((await getPublicBoard(db, third.vehicleId, PEER))?.published).toBe(false);
  });

  it('renews a pseudonym, and keeps it when joining twice', async () => {
    const { db } = database();
    const [car] = (await fleet(db, [70])) as [Car];
    const first = await joinPublicBoards(db, car.ownerId, car.vehicleId);
    expect((await joinPublicBoards(db, car.ownerId, car.vehicleId))?.pseudonym).toBe(first?.pseudonym);
    let renewed = await renewListingPseudonym(db, car.ownerId, car.vehicleId);
    // One in 51,840 draws the same name again.
    if (renewed === first?.pseudonym) renewed = await renewListingPseudonym(db, car.ownerId, car.vehicleId);
    expect(renewed).not.toBe(first?.pseudonym);
    expect((await board(db, car, PEER))?.me.pseudonym).toBe(renewed);
  });

  it('pages a published board', async () => {
    const { db } = database();
    const cars = await fleet(
      db,
      Array.from({ length: 60 }, (_, i) => 30 + i),
    );
    for (const car of cars) await joinPublicBoards(db, car.ownerId, car.vehicleId);
    const first = await board(db, cars[0] as Car, EVERYONE);
    expect(first?.entries).toHaveLength(50);
    expect(first?.hasMore).toBe(true);
    expect(first?.entries[0]).toMatchObject({ score: 89, rank: 1 });
    const second = await board(db, cars[0] as Car, EVERYONE, 50);
    expect(second?.entries.map((entry) => entry.rank)).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
    expect(second?.entries.at(-1)).toMatchObject({ score: 30, mine: true });
    expect(second?.hasMore).toBe(false);
  });

  it('a private group: invite by a hashed token, members see each other, outsiders only from 5', async () => {
    const { db } = database();
    const [a, b, c, d, e] = (await fleet(db, [80, 75, 60, 50, 45])) as [Car, Car, Car, Car, Car];
    const group = await createGroup(db, a.ownerId, a.vehicleId, 'The Martins', NOW);
    if (!group) throw new Error('no group');
    expect(group.inviteToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await db
      .selectFrom('driver_groups')
      .selectAll()
      .where('id', '=', group.id)
      .executeTakeFirstOrThrow();
    expect(stored.invite_token_hash).toBe(hashToken(group.inviteToken));
    expect(JSON.stringify(stored)).not.toContain(group.inviteToken);
    expect(await groupByInvite(db, group.inviteToken)).toEqual({
      id: group.id,
      name: 'The Martins',
      members: 1,
    });

    const ref: BoardRef = { kind: 'group', groupId: group.id };
    for (const car of [b, c])
      expect(await joinGroup(db, car.ownerId, car.vehicleId, group.inviteToken, NOW)).toEqual({
        groupId: group.id,
      });
    // Members see each other at three; the group ranks its members among themselves.
    const inside = await board(db, c, ref);
    expect(inside).toMatchObject({
      title: { kind: 'group', name: 'The Martins' },
      ranked: 3,
      participants: 3,
      published: true,
    });
    expect(inside?.entries.map((entry) => [entry.score, entry.rank, entry.mine])).toEqual([
      [80, 1, false],
      [75, 2, false],
      [60, 3, true],
    ]);
    expect(inside?.me).toMatchObject({ listed: true, rank: 3, percentile: 0 });
    // An outsider (a shared link) sees no score until 5.
    expect(await getPublicBoard(db, a.vehicleId, ref)).toMatchObject({
      participants: 3,
      published: false,
      entries: [],
    });
    for (const car of [d, e]) await joinGroup(db, car.ownerId, car.vehicleId, group.inviteToken, NOW);
    expect((await getPublicBoard(db, a.vehicleId, ref))?.entries.map((entry) => entry.score)).toEqual([
      80, 75, 60, 50, 45,
    ]);

    // A car not in the group, another owner's car, a group that does not exist: all alike, null.
    const outsider = (await fleet(db, [55]))[0] as Car;
    expect(await board(db, outsider, ref)).toBeNull();
    expect(await getOwnerBoard(db, outsider.ownerId, a.vehicleId, ref, { now: NOW })).toBeNull();
    expect(await board(db, a, { kind: 'group', groupId: '00000000-0000-4000-8000-000000000000' })).toBeNull();
    expect(await joinGroup(db, outsider.ownerId, a.vehicleId, group.inviteToken, NOW)).toBeNull();
    expect(await leaveGroup(db, outsider.ownerId, a.vehicleId, group.id)).toBe(false);

    // Only the maker renews the invite; the old link then opens nothing.
    expect(await renewGroupInvite(db, b.ownerId, group.id)).toBeNull();
    const renewed = await renewGroupInvite(db, a.ownerId, group.id);
    expect(renewed).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await groupByInvite(db, group.inviteToken)).toBeNull();
    expect(await joinGroup(db, outsider.ownerId, outsider.vehicleId, group.inviteToken, NOW)).toBeNull();
    expect(await groupByInvite(db, renewed as string)).toMatchObject({ id: group.id, members: 5 });

    expect(await groupsOfVehicle(db, a.ownerId, a.vehicleId)).toEqual([
      { id: group.id, name: 'The Martins', members: 5, pseudonym: expect.any(String), mine: true },
    ]);
    expect(await groupsOfVehicle(db, b.ownerId, b.vehicleId)).toMatchObject([{ mine: false }]);
    expect(await groupsOfVehicle(db, outsider.ownerId, a.vehicleId)).toEqual([]);

    // Leaving is at once, for members and outsiders; the last one out deletes the group.
    expect(await leaveGroup(db, e.ownerId, e.vehicleId, group.id)).toBe(true);
    expect(await getPublicBoard(db, a.vehicleId, ref)).toMatchObject({
      participants: 4,
      published: false,
      entries: [],
    });
    expect((await board(db, a, ref))?.entries.map((entry) => entry.score)).toEqual([80, 75, 60, 50]);
    for (const car of [a, b, c, d])
      expect(await leaveGroup(db, car.ownerId, car.vehicleId, group.id)).toBe(true);
    expect(await db.selectFrom('driver_groups').selectAll().execute()).toEqual([]);
  });

  it('shares a board by link: the allow-list only, gone on revoke or when the sharer leaves the group', async () => {
    const { db } = database();
    const cars = await fleet(db, [88, 77, 66, 55, 44]);
    const sharer = cars[2] as Car;
    for (const car of cars) await joinPublicBoards(db, car.ownerId, car.vehicleId);
    const link = await createShareLink(db, sharer.ownerId, sharer.vehicleId, {
      expiresInDays: 30,
      board: formatBoardRef(PEER),
      now: NOW,
    });
    if (!link) throw new Error('no link');
    expect(link.kind).toBe('leaderboard');
    const shared = await publicSharedBoard(db, link.token, NOW);
    expect(Object.keys(shared ?? {}).sort()).toEqual([...PUBLIC_BOARD_FIELDS].sort());
    expect(shared?.entries.map((entry) => Object.keys(entry).sort())).toEqual(
      Array.from({ length: 5 }, () => ['pseudonym', 'rank', 'score']),
    );
    expect(shared?.title).toEqual({ kind: 'peer', powertrain: 'petrol', segment: 'B' });
    const text = JSON.stringify(shared);
    for (const car of cars) {
      expect(text).not.toContain(car.vehicleId);
      expect(text).not.toContain(car.ownerId);
    }
    expect(text).not.toMatch(/VF3|@example\.com/);
    // A board link is not a score card link, and opening it changes nothing.
    expect(await publicScoreCard(db, link.token, NOW)).toBeNull();
    expect(await publicSharedBoard(db, link.token, NOW)).toEqual(shared);
    expect(await revokeShareLink(db, sharer.ownerId, link.id, NOW)).toBe(true);
    expect(await publicSharedBoard(db, link.token, NOW)).toBeNull();

    // A group's link dies with the sharer's membership.
    const group = await createGroup(db, sharer.ownerId, sharer.vehicleId, 'Work', NOW);
    const groupLink = await createShareLink(db, sharer.ownerId, sharer.vehicleId, {
      expiresInDays: null,
      board: formatBoardRef({ kind: 'group', groupId: group?.id as string }),
      now: NOW,
    });
    expect(await publicSharedBoard(db, groupLink?.token as string, NOW)).toMatchObject({
      title: { kind: 'group', name: 'Work' },
      published: false,
    });
    await leaveGroup(db, sharer.ownerId, sharer.vehicleId, group?.id as string);
    expect(await publicSharedBoard(db, groupLink?.token as string, NOW)).toBeNull();
  });

  it('a listed car’s new score shows on its public board and in its groups once its standing is computed', async () => {
    const { db } = database();
    const cars = await fleet(db, [90, 80, 70, 60, 50]);
    for (const car of cars) await joinPublicBoards(db, car.ownerId, car.vehicleId);
    const last = cars[4] as Car;
    const group = await createGroup(db, last.ownerId, last.vehicleId, 'Pair', NOW);
    await joinGroup(
      db,
      (cars[0] as Car).ownerId,
      (cars[0] as Car).vehicleId,
      group?.inviteToken as string,
      NOW,
    );
    // The last car's trips are rescored at 95: its standing is due, and the worker computes it.
    await db.updateTable('trip_scores').set({ score: 95 }).where('vehicle_id', '=', last.vehicleId).execute();
    await markStandingStale(db, last.vehicleId);
    await refreshStaleStandings(db, { now: NOW });
    const viewer = cars[1] as Car;
    expect((await board(db, viewer, PEER))?.entries.map((entry) => [entry.score, entry.rank])).toEqual([
      [95, 1],
      [90, 2],
      [80, 3],
      [70, 4],
      [60, 5],
    ]);
    const pair = await board(db, last, { kind: 'group', groupId: group?.id as string });
    expect(pair?.entries.map((entry) => [entry.score, entry.rank, entry.mine])).toEqual([
      [95, 1, true],
      [90, 2, false],
    ]);
  });

  it('a deleted owner leaves every board and group at once', async () => {
    const { db } = database();
    const cars = await fleet(db, [90, 80, 70, 60, 50]);
    for (const car of cars) await joinPublicBoards(db, car.ownerId, car.vehicleId);
    const group = await createGroup(db, (cars[0] as Car).ownerId, (cars[0] as Car).vehicleId, 'All', NOW);
    for (const car of cars.slice(1))
      await joinGroup(db, car.ownerId, car.vehicleId, group?.inviteToken as string, NOW);
    await deleteUser(db, (cars[0] as Car).ownerId);
    const viewer = cars[1] as Car;
    expect(await board(db, viewer, PEER)).toMatchObject({ ranked: 4, participants: 4, published: false });
    expect((await board(db, viewer, { kind: 'group', groupId: group?.id as string }))?.entries).toHaveLength(
      4,
    );
  });
});
