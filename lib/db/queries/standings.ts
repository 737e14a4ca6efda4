import 'server-only';
import { type Kysely, sql, type Transaction } from 'kysely';
import { peerGroupOf } from '../../scoring/peer-group';
import { type PeriodScore, scorePeriod } from '../../scoring/period-score';
import type { ComponentScores } from '../../scoring/trip-score';
import { isPostgres } from '../client';
import type { Database } from '../schema';

// Where each car stands, kept current rather than computed per read — in plain words (the
// /methodology page says the same):
//  - The window is the last 30 days; the period score is the distance-weighted mean of its rated
//    trips (lib/scoring/period-score.ts).
//  - A car is ranked once it has at least 100 km and 5 rated trips in the window.
//  - Ranked cars are counted per board (their peer group, their model, everyone) in bins of a
//    tenth of a point: the percentile is the share of the board's cars in lower bins, the rank 1 +
//    the cars in higher bins. Scores within a tenth of a point tie.
// A car's row is computed again when one of its trips is scored or forgotten (`markStandingStale`)
// and when its oldest trip leaves the window (`next_change_at`); the worker does that a batch at a
// time (`refreshStaleStandings`). Each refresh moves the car between bins in the same transaction,
// so the bins always count exactly the ranked rows — a percentile among a million cars is one read
// of at most 1,001 rows. Deleting cars goes through `releaseStandings` for the same reason.

export const STANDING_WINDOW_MS = 30 * 86_400_000;
export const MIN_RANKED_KM = 100;
export const MIN_RANKED_TRIPS = 5;
const DAY_MS = 86_400_000;
/** Daily copies of the bins are kept this long (the movement looks 7 days back). */
const BIN_DAYS_KEPT = 14;
const DAY_MARKER = '-';

type Db = Kysely<Database> | Transaction<Database>;

export const isRanked = (period: Pick<PeriodScore, 'score' | 'ratedDistanceKm' | 'ratedTrips'>) =>
  period.score !== null && period.ratedDistanceKm >= MIN_RANKED_KM && period.ratedTrips >= MIN_RANKED_TRIPS;

/** A score's bin: tenths of a point, 0–1000. */
export const binOf = (score: number) => Math.min(1000, Math.max(0, Math.round(score * 10)));

export const peerBoard = (peerGroupKey: string) => `peer:${peerGroupKey}`;
export const modelBoard = (model: string) => `model:${model.toLowerCase()}`;
export const EVERYONE_BOARD = 'all';

/** The boards a car is counted on. */
export function boardsOf(car: { peerGroup: string; model: string }): string[] {
  return [peerBoard(car.peerGroup), modelBoard(car.model), EVERYONE_BOARD];
}

export const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/** The car's period over the window ending at `now`, from its own trips' scores. */
export async function windowPeriodOf(db: Db, vehicleId: string, now: number): Promise<PeriodScore> {
  const rows = await db
    .selectFrom('trip_scores')
    .select(['distance_km', 'score', 'components'])
    .where('vehicle_id', '=', vehicleId)
    .where('started_at', '>=', now - STANDING_WINDOW_MS)
    .where('started_at', '<=', now)
    .execute();
  return scorePeriod(
    rows.map((row) => ({
      distanceKm: row.distance_km ?? 0,
      score: row.score,
      components: JSON.parse(row.components) as ComponentScores,
    })),
  );
}

async function addToBins(db: Db, boards: readonly string[], bin: number, delta: 1 | -1) {
  for (const board of boards)
    await db
      .insertInto('standing_bins')
      .values({ board, bin, count: delta })
      .onConflict((oc) =>
        oc
          .columns(['board', 'bin'])
          .doUpdateSet((eb) => ({ count: eb('standing_bins.count', '+', eb.ref('excluded.count')) })),
      )
      .execute();
}

type Counted = { boards: string[]; bin: number } | null;

const countedOf = (row: { peer_group: string | null; model: string | null; bin: number | null }): Counted =>
  row.bin === null || row.peer_group === null || row.model === null
    ? null
    : { boards: boardsOf({ peerGroup: row.peer_group, model: row.model }), bin: Number(row.bin) };

const sameCount = (a: Counted, b: Counted) =>
  a === b || (a !== null && b !== null && a.bin === b.bin && a.boards.join('\n') === b.boards.join('\n'));

async function moveInBins(db: Db, before: Counted, after: Counted) {
  if (sameCount(before, after)) return;
  if (before) await addToBins(db, before.boards, before.bin, -1);
  if (after) await addToBins(db, after.boards, after.bin, 1);
}

async function lockedStanding(trx: Transaction<Database>, vehicleId: string) {
  let query = trx.selectFrom('vehicle_standings').selectAll().where('vehicle_id', '=', vehicleId);
  if (isPostgres(trx)) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The standing's columns a public-board listing carries (leaderboard_listings). */
export const listingCopyOf = (row: {
  peer_group: string | null;
  model: string | null;
  bin: number | null;
  score: number | null;
}) => ({
  peer_group: row.peer_group,
  model: row.model === null ? null : row.model.toLowerCase(),
  bin: row.bin === null ? null : Number(row.bin),
  score: row.score,
});

/**
 * The car's standing as a listing or a group membership copies it, read inside the transaction that
 * writes the copy. A refresh holds the row FOR UPDATE (PostgreSQL): FOR SHARE waits for it, so the
 * copy is never older than the row (SQLite's write lock orders them already).
 */
export async function standingToCopy(db: Db, vehicleId: string) {
  let query = db
    .selectFrom('vehicle_standings')
    .select(['peer_group', 'model', 'bin', 'score'])
    .where('vehicle_id', '=', vehicleId);
  if (isPostgres(db)) query = query.forShare();
  return listingCopyOf(
    (await query.executeTakeFirst()) ?? { peer_group: null, model: null, bin: null, score: null },
  );
}

/**
 * Computes one car's standing at `now`, moves it between bins and refreshes the copies its
 * listing and group memberships carry. Null when the car is gone.
 */
export async function refreshStanding(db: Kysely<Database>, vehicleId: string, now: number) {
  return db.transaction().execute(async (trx) => {
    const before = await lockedStanding(trx, vehicleId);
    const vehicle = await trx
      .selectFrom('vehicles')
      .select(['powertrain', 'model'])
      .where('id', '=', vehicleId)
      .executeTakeFirst();
    if (!vehicle) return null;
    const rows = await trx
      .selectFrom('trip_scores')
      .select(['started_at', 'distance_km', 'score', 'components'])
      .where('vehicle_id', '=', vehicleId)
      .where('started_at', '>=', now - STANDING_WINDOW_MS)
      .execute();
    const inWindow = rows.filter((row) => Number(row.started_at) <= now);
    const period = scorePeriod(
      inWindow.map((row) => ({
        distanceKm: row.distance_km ?? 0,
        score: row.score,
        components: JSON.parse(row.components) as ComponentScores,
      })),
    );
    // Next change: the oldest trip leaving the window, or a later trip entering it.
    const changes = rows.map((row) =>
      Number(row.started_at) <= now
        ? Number(row.started_at) + STANDING_WINDOW_MS + 1
        : Number(row.started_at),
    );
    const group = peerGroupOf(vehicle);
    const row = {
      vehicle_id: vehicleId,
      peer_group: group.key,
      model: vehicle.model,
      score: period.score,
      bin: isRanked(period) && period.score !== null ? binOf(period.score) : null,
      km: period.ratedDistanceKm,
      trips: period.ratedTrips,
      components: JSON.stringify(period.components),
      next_change_at: changes.length > 0 ? Math.min(...changes) : null,
      computed_at: now,
    };
    await trx
      .insertInto('vehicle_standings')
      .values(row)
      .onConflict((oc) => oc.column('vehicle_id').doUpdateSet(row))
      .execute();
    await moveInBins(trx, before ? countedOf(before) : null, countedOf(row));
    await trx
      .updateTable('leaderboard_listings')
      .set(listingCopyOf(row))
      .where('vehicle_id', '=', vehicleId)
      .execute();
    await trx
      .updateTable('driver_group_members')
      .set({ bin: row.bin, score: row.score })
      .where('vehicle_id', '=', vehicleId)
      .execute();
    return { ...row, period };
  });
}

/** A trip of the car was scored, rescored or forgotten: its standing is computed again soon. */
export async function markStandingStale(db: Db, vehicleId: string): Promise<void> {
  await db
    .insertInto('vehicle_standings')
    .values({ vehicle_id: vehicleId, km: 0, trips: 0, components: '{}', next_change_at: 0, computed_at: 0 })
    .onConflict((oc) => oc.column('vehicle_id').doUpdateSet({ next_change_at: 0 }))
    .execute();
}

/** Computes up to `limit` standings that are due at `now`, oldest due first; returns how many. */
export async function refreshStaleStandings(
  db: Kysely<Database>,
  options: { now: number; limit?: number },
): Promise<number> {
  const due = await db
    .selectFrom('vehicle_standings')
    .select('vehicle_id')
    .where('next_change_at', '<=', options.now)
    .orderBy('next_change_at')
    .orderBy('vehicle_id')
    .limit(options.limit ?? 500)
    .execute();
  for (const { vehicle_id } of due) await refreshStanding(db, vehicle_id, options.now);
  return due.length;
}

/**
 * Takes the cars out of the bins before they are deleted (the rows themselves go with the vehicle,
 * by cascade). Call it inside the deleting transaction.
 */
export async function releaseStandings(
  db: Db,
  which: { ownerId: string } | { vehicleIds: readonly string[] },
): Promise<void> {
  if ('vehicleIds' in which && which.vehicleIds.length === 0) return;
  let query = db
    .selectFrom('vehicle_standings')
    .innerJoin('vehicles', 'vehicles.id', 'vehicle_standings.vehicle_id')
    .select([
      'vehicle_standings.vehicle_id',
      'vehicle_standings.peer_group',
      'vehicle_standings.model',
      'vehicle_standings.bin',
    ]);
  query =
    'ownerId' in which
      ? query.where('vehicles.user_id', '=', which.ownerId)
      : query.where('vehicle_standings.vehicle_id', 'in', which.vehicleIds);
  for (const row of await query.execute()) {
    await moveInBins(db, countedOf(row), null);
    await db.deleteFrom('vehicle_standings').where('vehicle_id', '=', row.vehicle_id).execute();
  }
}

export type BoardPosition = { below: number; above: number; size: number };

/** How many ranked cars of a board sit below, above and in all around `bin`. */
export async function boardPosition(db: Db, board: string, bin: number): Promise<BoardPosition> {
  const row = await db
    .selectFrom('standing_bins')
    .select([
      sql<string | number | null>`sum(case when bin < ${bin} then count else 0 end)`.as('below'),
      sql<string | number | null>`sum(case when bin > ${bin} then count else 0 end)`.as('above'),
      sql<string | number | null>`sum(count)`.as('size'),
    ])
    .where('board', '=', board)
    .executeTakeFirst();
  return { below: Number(row?.below ?? 0), above: Number(row?.above ?? 0), size: Number(row?.size ?? 0) };
}

/** The position of `bin` in a board's daily copy, or null when there is no copy of that day. */
export async function boardPositionOn(
  db: Db,
  board: string,
  day: string,
  bin: number,
): Promise<BoardPosition | null> {
  const row = await db
    .selectFrom('standing_bin_days')
    .select('counts')
    .where('board', '=', board)
    .where('day', '=', day)
    .executeTakeFirst();
  if (!row) return null;
  const position = { below: 0, above: 0, size: 0 };
  for (const [key, count] of Object.entries(JSON.parse(row.counts) as Record<string, number>)) {
    const at = Number(key);
    if (at < bin) position.below += count;
    else if (at > bin) position.above += count;
    position.size += count;
  }
  return position;
}

async function hasDay(db: Db, day: string) {
  return (
    (await db
      .selectFrom('standing_bin_days')
      .select('board')
      .where('day', '=', day)
      .limit(1)
      .executeTakeFirst()) !== undefined
  );
}

async function writeDay(
  db: Db,
  day: string,
  bins: ReadonlyArray<{ board: string; bin: number; count: number }>,
) {
  // A marker row, so a day with no ranked car yet still counts as copied.
  const boards = new Map<string, Record<string, number>>([[DAY_MARKER, {}]]);
  for (const { board, bin, count } of bins) {
    if (count <= 0) continue;
    const counts = boards.get(board) ?? {};
    counts[String(bin)] = count;
    boards.set(board, counts);
  }
  for (const [board, counts] of boards)
    await db
      .insertInto('standing_bin_days')
      .values({ board, day, counts: JSON.stringify(counts) })
      .onConflict((oc) => oc.columns(['board', 'day']).doNothing())
      .execute();
}

/** Every car's bin as of `at`, aggregated from trip_scores (for a day missing its copy). */
async function binsAsOf(db: Db, at: number) {
  const rows = await db
    .selectFrom('trip_scores')
    .innerJoin('vehicles', 'vehicles.id', 'trip_scores.vehicle_id')
    .select((eb) => [
      'vehicles.powertrain',
      'vehicles.model',
      eb.fn.sum<number>(eb('trip_scores.score', '*', eb.ref('trip_scores.distance_km'))).as('weighted'),
      eb.fn.sum<number>('trip_scores.distance_km').as('km'),
      eb.fn.countAll<number>().as('trips'),
    ])
    .where('trip_scores.started_at', '>=', at - STANDING_WINDOW_MS)
    .where('trip_scores.started_at', '<=', at)
    .where('trip_scores.score', 'is not', null)
    .where('trip_scores.distance_km', '>', 0)
    .groupBy(['trip_scores.vehicle_id', 'vehicles.powertrain', 'vehicles.model'])
    .execute();
  const counts = new Map<string, number>();
  for (const row of rows) {
    const km = Number(row.km);
    const period = { score: Number(row.weighted) / km, ratedDistanceKm: km, ratedTrips: Number(row.trips) };
    if (!isRanked(period)) continue;
    const bin = binOf(period.score);
    for (const board of boardsOf({ peerGroup: peerGroupOf(row).key, model: row.model })) {
      const key = `${board}\u0000${bin}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].map(([key, count]) => {
    const [board, bin] = key.split('\u0000') as [string, string];
    return { board, bin: Number(bin), count };
  });
}

/**
 * Keeps the daily copies of the bins: today's (once a day, taken when called — the worker calls
 * it once the scoring backlog is done) and, when missing, the one of a week ago, rebuilt from the
 * trips' scores so a fresh installation with a backfilled month shows its movement at once.
 */
export async function snapshotBoards(db: Kysely<Database>, now: number): Promise<boolean> {
  const today = utcDay(now);
  if (await hasDay(db, today)) return false;
  const weekAgo = utcDay(now - 7 * DAY_MS);
  if (!(await hasDay(db, weekAgo))) await writeDay(db, weekAgo, await binsAsOf(db, now - 7 * DAY_MS));
  await writeDay(db, today, await db.selectFrom('standing_bins').selectAll().execute());
  await db
    .deleteFrom('standing_bin_days')
    .where('day', '<', utcDay(now - BIN_DAYS_KEPT * DAY_MS))
    .execute();
  return true;
}
