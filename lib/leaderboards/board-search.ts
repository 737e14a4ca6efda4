import { z } from 'zod';
import { type BoardRef, parseBoardRef } from './board-ref';

// The leaderboard page's URL (`?board=group:<id>&offset=50`): which board and where in it. Anything
// that does not parse is null, which the page answers with the same 404 as a board it is not on.
// Pure (test/page-search-fuzz.test.ts fuzzes it).

const searchSchema = z.object({
  board: z.string().max(64).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
});

export type BoardSearch = { ref: BoardRef; offset: number };

export function parseBoardSearch(search: Record<string, string | string[] | undefined>): BoardSearch | null {
  const parsed = searchSchema.safeParse(search);
  if (!parsed.success) return null;
  const ref = parseBoardRef(parsed.data.board ?? 'peer');
  return ref ? { ref, offset: parsed.data.offset ?? 0 } : null;
}
