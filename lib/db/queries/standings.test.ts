import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { type Car, carWithScores, DAY, NOW, ranked } from '@/test/standing-fixtures';
import { peerGroupOf } from '../../scoring/peer-group';
import type { Database } from '../schema';
import { percentileWeekAgo, standingOf } from './driver-standing';
import {
  boardPosition,
  boardsOf,
  markStandingStale,
  refreshStaleStandings,
  releaseStandings,
  STANDING_WINDOW_MS,
  snapshotBoards,
} from './standings';
import { deleteUser } from './users';

// The materialised standings on both engines. The expectations are computed the slow way in the
// test — every car's distance-weighted window score from its own trips, ranked by brute force —
// and the bins must agree with it after every kind of change: new scores, rescoring, trips leaving
// the window, deleted owners, concurrent refreshes.

/** The window score and whether the car is ranked, the slow way, from the spec. */
function expectedOf(car: Car, now = NOW) {
  const inWindow = car.trips.filter(
    (trip) =>
      trip.score !== null &&
      trip.km > 0 &&
      NOW - trip.daysAgo * DAY >= now - STANDING_WINDOW_MS &&
      NOW - trip.daysAgo * DAY <= now,
  );
  const km = inWindow.reduce((sum, trip) => sum + trip.km, 0);
  const score =
    km > 0 ? inWindow.reduce((sum, trip) => sum + (trip.score as number) * trip.km, 0) / km : null;
  return { score, ranked: score !== null && km >= 100 && inWindow.length >= 5 };
}

/** Percentile and rank of each car among the ranked cars of its peer group, by brute force. */
function bruteForce(cars: readonly Car[], now = NOW) {
  const tenth = (score: number) => Math.round(score * 10);
  const standings = cars.map((car) => ({ car, ...expectedOf(car, now), group: peerGroupOf(car).key }));
  return new Map(
    standings.map((mine) => {
      if (!mine.ranked || mine.score === null) return [mine.car.vehicleId, null];
      const group = standings.filter((other) => other.ranked && other.group === mine.group);
      const below = group.filter(
        (other) => tenth(other.score as number) < tenth(mine.score as number),
      ).length;
      const above = group.filter(
        (other) => tenth(other.score as number) > tenth(mine.score as number),
      ).length;
      return [
        mine.car.vehicleId,
        { percentile: (100 * below) / group.length, rank: above + 1, size: group.length },
      ];
    }),
  );
}

/** The bins must count exactly the ranked rows of vehicle_standings, board by board. */
async function expectBinsToMatchRows(db: Kysely<Database>) {
  const rows = await db.selectFrom('vehicle_standings').selectAll().where('bin', 'is not', null).execute();
  const counted = new Map<string, number>();
  for (const row of rows)
    for (const board of boardsOf({ peerGroup: row.peer_group as string, model: row.model as string })) {
      const key = `${board} ${row.bin}`;
      counted.set(key, (counted.get(key) ?? 0) + 1);
    }
  const bins = await db.selectFrom('standing_bins').selectAll().where('count', '<>', 0).execute();
  expect(new Map(bins.map((bin) => [`${bin.board} ${bin.bin}`, Number(bin.count)]))).toEqual(counted);
}

async function standingsOf(db: Kysely<Database>, cars: readonly Car[], now = NOW) {
  return new Map(
    await Promise.all(
      cars.map(async (car) => {
        const standing = await standingOf(
          db,
          { id: car.vehicleId, model: car.model, powertrain: car.powertrain },
          now,
        );
        return [
          car.vehicleId,
          standing.eligible
            ? { percentile: standing.percentile, rank: standing.rank, size: standing.groupSize }
            : null,
        ] as const;
      }),
    ),
  );
}

/** Every owner deleted (through deleteUser, so the bins are released) and the daily copies gone. */
async function clean(db: Kysely<Database>) {
  for (const user of await db.selectFrom('users').select('id').execute()) await deleteUser(db, user.id);
  await db.deleteFrom('standing_bin_days').execute();
  expect(await db.selectFrom('standing_bins').selectAll().where('count', '<>', 0).execute()).toEqual([]);
}

describe.each(ENGINES)('standings on %s', (engine) => {
  const database = useTestDatabase(engine);
  beforeEach(() => clean(database().db));

  it('ranks each car in its peer group exactly as a brute-force count does, ties within a tenth of a point', async () => {
    const { db } = database();
    const cars = [
      await carWithScores(db, { trips: ranked(80) }),
      await carWithScores(db, { trips: ranked(62.5) }),
      await carWithScores(db, { trips: ranked(62.54) }),
      await carWithScores(db, { trips: ranked(40) }),
      // Another group (diesel), ranked separately.
      await carWithScores(db, { powertrain: 'diesel', model: '308', trips: ranked(10) }),
      // Not ranked: four trips; 90 km; a rated trip older than the window does not count.
      await carWithScores(db, { trips: ranked(99).slice(0, 4) }),
      await carWithScores(db, { trips: ranked(99).map((trip) => ({ ...trip, km: 18 })) }),
      await carWithScores(db, { trips: [...ranked(99).slice(0, 4), { daysAgo: 31, km: 30, score: 99 }] }),
    ];
    await refreshStaleStandings(db, { now: NOW });
    const standings = await standingsOf(db, cars);
    expect(standings).toEqual(bruteForce(cars));
    // Spelled out for the first four: 80 beats three; 62.5 and 62.54 share a tenth (62.5).
    expect(cars.slice(0, 4).map((car) => standings.get(car.vehicleId))).toEqual([
      { percentile: 75, rank: 1, size: 4 },
      { percentile: 25, rank: 2, size: 4 },
      { percentile: 25, rank: 2, size: 4 },
      { percentile: 0, rank: 4, size: 4 },
    ]);
    await expectBinsToMatchRows(db);
    // Everyone's board counts both groups; the model board only the 208s.
    expect(await boardPosition(db, 'all', 800)).toEqual({ below: 4, above: 0, size: 5 });
    expect(await boardPosition(db, 'model:208', 100)).toEqual({ below: 0, above: 4, size: 4 });
  });

  it('keeps the bins exact through new scores, rescoring, trips leaving the window and deleted owners', async () => {
    const { db } = database();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            powertrain: fc.constantFrom('petrol', 'diesel'),
            trips: fc.array(
              fc.record({
                daysAgo: fc.integer({ min: 0, max: 40 }),
                km: fc.integer({ min: 5, max: 60 }),
                score: fc.option(
                  fc.integer({ min: 0, max: 1000 }).map((tenths) => tenths / 10),
                  { freq: 6 },
                ),
              }),
              { minLength: 3, maxLength: 9 },
            ),
          }),
          { minLength: 2, maxLength: 6 },
        ),
        fc.integer({ min: 1, max: 20 }),
        async (specs, laterDays) => {
          await clean(db);
          const cars: Car[] = [];
          for (const spec of specs) cars.push(await carWithScores(db, spec));
          await refreshStaleStandings(db, { now: NOW, limit: 1000 });
          expect(await standingsOf(db, cars)).toEqual(bruteForce(cars));
          await expectBinsToMatchRows(db);

          // Rescoring: the first car's trips all score 50 now.
          const first = cars[0] as Car;
          await db
            .updateTable('trip_scores')
            .set({ score: 50, not_rated_reason: null })
            .where('vehicle_id', '=', first.vehicleId)
            .execute();
          first.trips = first.trips.map((trip) => ({ ...trip, score: 50 }));
          await markStandingStale(db, first.vehicleId);
          // Time passes: trips leave the window, and only the due cars are computed again.
          const later = NOW + laterDays * DAY;
          await refreshStaleStandings(db, { now: later, limit: 1000 });
          await expectBinsToMatchRows(db);
          expect(await standingsOf(db, cars, later)).toEqual(bruteForce(cars, later));

          // An owner deleted: out of every board at once.
          await deleteUser(db, (cars[1] as Car).ownerId);
          await expectBinsToMatchRows(db);
          const remaining = cars.filter((_, index) => index !== 1);
          expect(await standingsOf(db, remaining, later)).toEqual(bruteForce(remaining, later));
        },
      ),
      { numRuns: 10 },
    );
  });

  it('counts a car once when it is computed by several callers at the same time', async () => {
    const { db } = database();
    const car = await carWithScores(db, { trips: ranked(70) });
    const vehicle = { id: car.vehicleId, model: car.model, powertrain: car.powertrain };
    await Promise.all(Array.from({ length: 5 }, () => standingOf(db, vehicle, NOW)));
    await Promise.all(Array.from({ length: 5 }, () => refreshStaleStandings(db, { now: NOW })));
    await expectBinsToMatchRows(db);
    expect(await boardPosition(db, 'all', 700)).toEqual({ below: 0, above: 0, size: 1 });
  });

  it('a car that stops driving drops out of the ranking when its last trips leave the window', async () => {
    const { db } = database();
    const car = await carWithScores(db, { trips: ranked(70) });
    await refreshStaleStandings(db, { now: NOW });
    const row = await db
      .selectFrom('vehicle_standings')
      .selectAll()
      .where('vehicle_id', '=', car.vehicleId)
      .executeTakeFirstOrThrow();
    // Due again when the oldest trip (17 days ago) leaves the 30-day window.
    expect(Number(row.next_change_at)).toBe(NOW - 17 * DAY + STANDING_WINDOW_MS + 1);
    expect(await refreshStaleStandings(db, { now: NOW + 12 * DAY })).toBe(0);
    expect(await refreshStaleStandings(db, { now: NOW + 14 * DAY })).toBe(1);
    const after = await standingOf(
      db,
      { id: car.vehicleId, model: '208', powertrain: 'petrol' },
      NOW + 14 * DAY,
    );
    expect(after).toMatchObject({ eligible: false, percentile: null, rank: null });
    expect(after.period.ratedTrips).toBe(4);
    await expectBinsToMatchRows(db);
  });

  it('copies the bins once a day and rebuilds a missing week-ago copy, for the movement', async () => {
    const { db } = database();
    // Two calm cars drove a week and more ago; a rough car only since then.
    const early = (score: number) =>
      Array.from({ length: 5 }, (_, i) => ({ daysAgo: 8 + i * 3, km: 30, score }));
    const calm = await carWithScores(db, { trips: [...early(80), ...ranked(40)] });
    const steady = await carWithScores(db, { trips: [...early(60), ...ranked(60)] });
    await carWithScores(db, { trips: ranked(90) });
    await refreshStaleStandings(db, { now: NOW });
    expect(await snapshotBoards(db, NOW)).toBe(true);
    expect(await snapshotBoards(db, NOW + 3_600_000)).toBe(false);
    const days = await db
      .selectFrom('standing_bin_days')
      .select(['board', 'day'])
      .where('board', '=', 'all')
      .orderBy('day')
      .execute();
    expect(days.map((day) => day.day)).toEqual(['2026-07-08', '2026-07-15']);

    // A week ago: calm (80 over its early trips) above steady (60), two ranked.
    const vehicle = (car: Car) => ({ id: car.vehicleId, model: car.model, powertrain: car.powertrain });
    expect(await percentileWeekAgo(db, vehicle(calm), NOW)).toBe(50);
    expect(await percentileWeekAgo(db, vehicle(steady), NOW)).toBe(0);
    // Now: 90 > 60 (steady) > 60 (calm: 80 and 40 at equal distance): the calm car tied last.
    expect((await standingOf(db, vehicle(calm), NOW)).percentile).toBe(0);
    // Without a copy of that day there is no movement to tell.
    expect(await percentileWeekAgo(db, vehicle(calm), NOW + 3 * DAY)).toBeNull();
  });

  it('releases the cars of a list of vehicles', async () => {
    const { db } = database();
    const car = await carWithScores(db, { trips: ranked(70) });
    await refreshStaleStandings(db, { now: NOW });
    await db.transaction().execute(async (trx) => {
      await releaseStandings(trx, { vehicleIds: [car.vehicleId] });
      await trx.deleteFrom('vehicles').where('id', '=', car.vehicleId).execute();
    });
    await expectBinsToMatchRows(db);
    expect(await boardPosition(db, 'all', 700)).toEqual({ below: 0, above: 0, size: 0 });
  });
});
