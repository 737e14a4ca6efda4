import { normaliseTripFilter } from '../api-client/trips';
import { type TripFilterQuery, tripFilterQuerySchema } from '../schemas/trips';

// The /trips page's filter from its URL (server-rendered and shareable), field by field: a bad or
// empty field is ignored and the others still apply, so a stale bookmark still opens the page.
// Pure (the page calls it; test/page-search-fuzz.test.ts fuzzes it).

export type PageSearch = Record<string, string | string[] | undefined>;

export function tripFilterOfSearch(search: PageSearch): TripFilterQuery {
  const filter: Record<string, string> = {};
  for (const key of ['vehicleId', 'from', 'to', 'tag'] as const) {
    const raw = search[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (!value) continue;
    const parsed = tripFilterQuerySchema.shape[key].safeParse(value);
    if (parsed.success && parsed.data !== undefined) filter[key] = parsed.data;
  }
  return normaliseTripFilter(filter as TripFilterQuery);
}
