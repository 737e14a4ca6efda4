import 'server-only';
import type { Kysely } from 'kysely';
import { type PeerGroup, peerGroupOf } from '../../scoring/peer-group';
import type { PeriodScore } from '../../scoring/period-score';
import { type ComponentScores, noComponents } from '../../scoring/trip-score';
import type { Database } from '../schema';
import {
  binOf,
  boardPosition,
  boardPositionOn,
  isRanked,
  peerBoard,
  refreshStanding,
  utcDay,
  windowPeriodOf,
} from './standings';

// Where a car's driver stands, read from the materialised standings (standings.ts): the period
// score over the rolling window, and the percentile and rank in the car's peer group. The car's
// own row is computed on the spot when it is due, so an owner always sees the effect of their
// latest scored trip; the other cars are kept current by the worker.

const WEEK_MS = 7 * 86_400_000;

export type Standing = {
  period: PeriodScore;
  eligible: boolean;
  group: PeerGroup;
  /** Share of the group's ranked cars scoring lower, 0–100; null while the car is not eligible. */
  percentile: number | null;
  groupSize: number | null;
  /** Position in the group, 1 = best (ties share the better place); null while not eligible. */
  rank: number | null;
  /** The car's bin (standings.ts binOf) while it is ranked, for boards other than its peer group's. */
  bin: number | null;
};

type Vehicle = { id: string; powertrain: string; model: string };

async function currentRow(db: Kysely<Database>, vehicleId: string, now: number) {
  const row = await db
    .selectFrom('vehicle_standings')
    .selectAll()
    .where('vehicle_id', '=', vehicleId)
    .executeTakeFirst();
  const due = !row || (row.next_change_at !== null && Number(row.next_change_at) <= now);
  if (!due) return row;
  return (await refreshStanding(db, vehicleId, now)) ?? undefined;
}

/**
 * The car's standing; `options.position: false` leaves out its place in the peer group (percentile,
 * group size and rank stay null), for readers that place the car on another board themselves.
 */
export async function standingOf(
  db: Kysely<Database>,
  vehicle: Vehicle,
  now: number,
  options: { position?: boolean } = {},
): Promise<Standing> {
  const group = peerGroupOf(vehicle);
  const row = await currentRow(db, vehicle.id, now);
  const period: PeriodScore = row
    ? {
        score: row.score,
        components: { ...noComponents(), ...(JSON.parse(row.components) as Partial<ComponentScores>) },
        ratedTrips: Number(row.trips),
        ratedDistanceKm: row.km,
      }
    : { score: null, components: noComponents(), ratedTrips: 0, ratedDistanceKm: 0 };
  if (!row || row.bin === null || row.peer_group === null)
    return { period, eligible: false, group, percentile: null, groupSize: null, rank: null, bin: null };
  if (options.position === false)
    return {
      period,
      eligible: true,
      group,
      percentile: null,
      groupSize: null,
      rank: null,
      bin: Number(row.bin),
    };
  const position = await boardPosition(db, peerBoard(row.peer_group), Number(row.bin));
  return {
    period,
    eligible: true,
    group,
    percentile: position.size > 0 ? (100 * position.below) / position.size : null,
    groupSize: position.size,
    rank: position.above + 1,
    bin: Number(row.bin),
  };
}

/** The car's percentile in its peer group a week before `now`, from that day's copy of the bins. */
export async function percentileWeekAgo(db: Kysely<Database>, vehicle: Vehicle, now: number) {
  const then = now - WEEK_MS;
  const period = await windowPeriodOf(db, vehicle.id, then);
  if (!isRanked(period) || period.score === null) return null;
  const position = await boardPositionOn(
    db,
    peerBoard(peerGroupOf(vehicle).key),
    utcDay(then),
    binOf(period.score),
  );
  return position && position.size > 0 ? (100 * position.below) / position.size : null;
}
