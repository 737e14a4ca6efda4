import 'server-only';
import type { Kysely } from 'kysely';
import { standingOf } from '../db/queries/driver-standing';
import { EVERYONE_BOARD, modelBoard, peerBoard } from '../db/queries/standings';
import { getVehicle } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import { peerGroupOf } from '../scoring/peer-group';
import { type BoardRef, formatBoardRef, MIN_PUBLISHED_PARTICIPANTS } from './board-ref';

// A leaderboard page, in plain words:
//  - A public board (the car's peer group, its model, everyone) ranks every ranked car on it, from
//    the standings' bins; it lists by pseudonym only the cars whose owners joined, and lists no one
//    until at least 5 have (a board of three would single people out).
//  - A private group ranks its members' ranked cars among themselves. Members see each other; an
//    outsider (a shared link) sees the entries only once the group has 5 members.
//  - Scores are whole points over the last 30 days; a rank is 1 + the cars scoring higher (ties
//    share the better place).
// The owner's view is scoped to the owner's car (another owner's car, or a group the car is not
// in, answers like a missing one); the public view carries an allow-list only.

export const BOARD_PAGE_SIZE = 50;

export type BoardTitle =
  | { kind: 'peer'; powertrain: string; segment: string }
  | { kind: 'model'; brand: string; model: string }
  | { kind: 'everyone' }
  | { kind: 'group'; name: string };

export type BoardEntry = { pseudonym: string; score: number; rank: number; mine: boolean };

export type BoardPage = {
  ref: string;
  title: BoardTitle;
  /** Ranked cars on the board (a group: ranked members). */
  ranked: number;
  /** Cars listed by their owners (a group: its members, ranked or not). */
  participants: number;
  /** Whether the entries may be shown to this reader (MIN_PUBLISHED_PARTICIPANTS). */
  published: boolean;
  entries: BoardEntry[];
  offset: number;
  hasMore: boolean;
};

export type OwnerBoard = BoardPage & {
  me: {
    /** Listed on the public boards, or a member of the group. */
    listed: boolean;
    pseudonym: string | null;
    rank: number | null;
    score: number | null;
    percentile: number | null;
  };
};

type Vehicle = { id: string; brand: string; model: string; powertrain: string };
type Ranked = { vehicleId: string; pseudonym: string; bin: number; score: number };

const whole = (value: number) => Math.round(value);

/** Rank and share-below of a bin among counted bins. */
function positionIn(bins: ReadonlyArray<{ bin: number; count: number }>, bin: number) {
  let above = 0;
  let below = 0;
  let size = 0;
  for (const row of bins) {
    if (row.bin > bin) above += row.count;
    else if (row.bin < bin) below += row.count;
    size += row.count;
  }
  return { rank: above + 1, percentile: size > 0 ? (100 * below) / size : 0, size };
}

async function boardBins(db: Kysely<Database>, board: string) {
  const rows = await db
    .selectFrom('standing_bins')
    .select(['bin', 'count'])
    .where('board', '=', board)
    .where('count', '>', 0)
    .execute();
  return rows.map((row) => ({ bin: Number(row.bin), count: Number(row.count) }));
}

/** The public boards: which bins, which listings, and the title. */
function publicBoard(vehicle: Vehicle, kind: 'peer' | 'model' | 'everyone') {
  const group = peerGroupOf(vehicle);
  if (kind === 'peer')
    return {
      board: peerBoard(group.key),
      title: { kind, powertrain: group.powertrain, segment: group.segment } as const,
      filter: { column: 'peer_group', value: group.key } as const,
    };
  if (kind === 'model')
    return {
      board: modelBoard(vehicle.model),
      title: { kind, brand: vehicle.brand, model: vehicle.model } as const,
      filter: { column: 'model', value: vehicle.model.toLowerCase() } as const,
    };
  return { board: EVERYONE_BOARD, title: { kind } as const, filter: null };
}

const rankedOf = (
  rows: ReadonlyArray<{ vehicle_id: string; pseudonym: string; bin: number | null; score: number | null }>,
) =>
  rows.map(
    (row): Ranked => ({
      vehicleId: row.vehicle_id,
      pseudonym: row.pseudonym,
      bin: Number(row.bin),
      score: Number(row.score),
    }),
  );

/**
 * The listed, ranked cars of a public board: one range of an index on the listings (which carry
 * a copy of each car's standing), so a page never reads the board's million ranked cars.
 */
async function publicEntries(
  db: Kysely<Database>,
  vehicle: Vehicle,
  kind: 'peer' | 'model' | 'everyone',
  page: { offset: number; limit: number },
) {
  const { board, title, filter } = publicBoard(vehicle, kind);
  let listed = db.selectFrom('leaderboard_listings').where('bin', 'is not', null);
  if (filter) listed = listed.where(filter.column, '=', filter.value);
  const [bins, count, rows] = await Promise.all([
    boardBins(db, board),
    listed.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    listed
      .select(['vehicle_id', 'pseudonym', 'bin', 'score'])
      .orderBy('bin', 'desc')
      .orderBy('vehicle_id')
      .limit(page.limit + 1)
      .offset(page.offset)
      .execute(),
  ]);
  return { board, title, bins, participants: Number(count.n), rows: rankedOf(rows) };
}

/**
 * A group's members: how many, their bins (for the ranks), and one page of the ranked ones. The
 * count comes from the same grouping as the bins (unranked members are the null bin): one pass
 * over the members instead of two.
 */
async function groupEntries(db: Kysely<Database>, groupId: string, page: { offset: number; limit: number }) {
  const members = db.selectFrom('driver_group_members').where('group_id', '=', groupId);
  const [byBin, rows] = await Promise.all([
    members
      .select((eb) => ['bin', eb.fn.countAll<number | string>().as('count')])
      .groupBy('bin')
      .execute(),
    members
      .where('bin', 'is not', null)
      .select(['vehicle_id', 'pseudonym', 'bin', 'score'])
      .orderBy('bin', 'desc')
      .orderBy('vehicle_id')
      .limit(page.limit + 1)
      .offset(page.offset)
      .execute(),
  ]);
  return {
    members: byBin.reduce((sum, row) => sum + Number(row.count), 0),
    bins: byBin
      .filter((row) => row.bin !== null)
      .map((row) => ({ bin: Number(row.bin), count: Number(row.count) })),
    rows: rankedOf(rows),
  };
}

/** The page of a board as one reader sees it; `viewerVehicleId` marks the reader's own entry. */
async function boardPage(
  db: Kysely<Database>,
  vehicle: Vehicle,
  ref: BoardRef,
  options: { offset: number; limit: number; insider: boolean; viewerVehicleId: string | null },
): Promise<(BoardPage & { bins: Array<{ bin: number; count: number }> }) | null> {
  let title: BoardTitle;
  let bins: Array<{ bin: number; count: number }>;
  let participants: number;
  let rows: Ranked[];
  if (ref.kind === 'group') {
    const group = await db
      .selectFrom('driver_groups')
      .select('name')
      .where('id', '=', ref.groupId)
      .executeTakeFirst();
    if (!group) return null;
    const members = await groupEntries(db, ref.groupId, options);
    title = { kind: 'group', name: group.name };
    bins = members.bins;
    participants = members.members;
    rows = members.rows;
  } else {
    const board = await publicEntries(db, vehicle, ref.kind, options);
    title = board.title;
    bins = board.bins;
    participants = board.participants;
    rows = board.rows;
  }
  const published = (ref.kind === 'group' && options.insider) || participants >= MIN_PUBLISHED_PARTICIPANTS;
  const shown = published ? rows.slice(0, options.limit) : [];
  return {
    ref: formatBoardRef(ref),
    title,
    ranked: bins.reduce((sum, row) => sum + row.count, 0),
    participants,
    published,
    entries: shown.map((row) => ({
      pseudonym: row.pseudonym,
      score: whole(row.score),
      rank: positionIn(bins, row.bin).rank,
      mine: row.vehicleId === options.viewerVehicleId,
    })),
    offset: options.offset,
    hasMore: published && rows.length > options.limit,
    bins,
  };
}

async function isMember(db: Kysely<Database>, vehicleId: string, groupId: string) {
  const row = await db
    .selectFrom('driver_group_members')
    .select(['pseudonym'])
    .where('group_id', '=', groupId)
    .where('vehicle_id', '=', vehicleId)
    .executeTakeFirst();
  return row ?? null;
}

/** A board as the owner of one of its cars sees it; null for a foreign car or a group it is not in. */
export async function getOwnerBoard(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
  ref: BoardRef,
  options: { offset?: number; limit?: number; now?: number } = {},
): Promise<OwnerBoard | null> {
  const vehicle = await getVehicle(db, ownerId, vehicleId);
  if (!vehicle) return null;
  const membership = ref.kind === 'group' ? await isMember(db, vehicle.id, ref.groupId) : null;
  if (ref.kind === 'group' && !membership) return null;
  // The car's own standing first: computed on the spot when due, so its bin is current. Its place
  // is taken on the board shown (below), not in the peer group.
  const standing = await standingOf(db, vehicle, options.now ?? Date.now(), { position: false });
  const [page, listing] = await Promise.all([
    boardPage(db, vehicle, ref, {
      offset: Math.max(0, options.offset ?? 0),
      limit: Math.min(BOARD_PAGE_SIZE, Math.max(1, options.limit ?? BOARD_PAGE_SIZE)),
      insider: true,
      viewerVehicleId: vehicle.id,
    }),
    ref.kind === 'group'
      ? Promise.resolve(null)
      : db
          .selectFrom('leaderboard_listings')
          .select('pseudonym')
          .where('vehicle_id', '=', vehicle.id)
          .executeTakeFirst(),
  ]);
  if (!page) return null;
  const { bins, ...rest } = page;
  const position = standing.bin === null ? null : positionIn(bins, standing.bin);
  const pseudonym = membership?.pseudonym ?? listing?.pseudonym ?? null;
  return {
    ...rest,
    me: {
      listed: pseudonym !== null,
      pseudonym,
      rank: position?.rank ?? null,
      score: standing.eligible && standing.period.score !== null ? whole(standing.period.score) : null,
      percentile: position === null ? null : whole(position.percentile),
    },
  };
}

export type PublicBoard = Pick<BoardPage, 'title' | 'ranked' | 'participants' | 'published'> & {
  entries: Array<Pick<BoardEntry, 'pseudonym' | 'score' | 'rank'>>;
};

/** The fields a shared board may carry: the allow-list tests compare against it. */
export const PUBLIC_BOARD_FIELDS = ['title', 'ranked', 'participants', 'published', 'entries'] as const;

/**
 * A board as a shared link shows it to anyone: the first page, pseudonyms, whole scores and ranks,
 * and nothing at all of the entries below 5 participants. Null when the sharing car is gone or has
 * left the group (its link dies with the membership).
 */
export async function getPublicBoard(
  db: Kysely<Database>,
  vehicleId: string,
  ref: BoardRef,
): Promise<PublicBoard | null> {
  const vehicle = await db
    .selectFrom('vehicles')
    .select(['id', 'brand', 'model', 'powertrain'])
    .where('id', '=', vehicleId)
    .executeTakeFirst();
  if (!vehicle) return null;
  if (ref.kind === 'group' && !(await isMember(db, vehicle.id, ref.groupId))) return null;
  const page = await boardPage(db, vehicle, ref, {
    offset: 0,
    limit: BOARD_PAGE_SIZE,
    insider: false,
    viewerVehicleId: null,
  });
  if (!page) return null;
  return {
    title: page.title,
    ranked: page.ranked,
    participants: page.participants,
    published: page.published,
    entries: page.entries.map((entry) => ({
      pseudonym: entry.pseudonym,
      score: entry.score,
      rank: entry.rank,
    })),
  };
}
