import 'server-only';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { getPublicBoard, type PublicBoard } from '../leaderboards/board';
import { parseBoardRef } from '../leaderboards/board-ref';
import { resolveShareLink } from './share-links';

/** The board behind a live leaderboard link; null for any other token, alike. Read-only. */
export async function publicSharedBoard(
  db: Kysely<Database>,
  token: string,
  now = Date.now(),
): Promise<PublicBoard | null> {
  const link = await resolveShareLink(db, token, now);
  if (link?.kind !== 'leaderboard') return null;
  const ref = parseBoardRef(link.board);
  return ref ? getPublicBoard(db, link.vehicleId, ref) : null;
}
