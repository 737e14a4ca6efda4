import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { TripDetailDto, TripFilterQuery, TripListDto, TripTagValue } from '../schemas/trips';
import { fetchJson, sendJson } from './fetch-json';

// The trips contracts (client-safe). Trips arrive as the cars drive and tags change by hand: a
// minute of freshness is plenty for a list, and a tag change invalidates by key.

export const TRIPS_STALE_MS = 60_000;

/** The filter as a query string (stable key order), for API URLs and the CSV link. */
export function tripFilterSearch(query: TripFilterQuery & { cursor?: string; limit?: number }): string {
  const params = new URLSearchParams();
  for (const key of ['vehicleId', 'from', 'to', 'tag', 'cursor', 'limit'] as const) {
    const value = query[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Only the filter's set keys, in a fixed order, so the server's key equals the client's. */
export function normaliseTripFilter(filter: TripFilterQuery): TripFilterQuery {
  const out: TripFilterQuery = {};
  if (filter.vehicleId) out.vehicleId = filter.vehicleId;
  if (filter.from) out.from = filter.from;
  if (filter.to) out.to = filter.to;
  if (filter.tag) out.tag = filter.tag;
  return out;
}

export const tripKeys = {
  all: ['trips'] as const,
  list: (filter: TripFilterQuery) => ['trips', 'list', normaliseTripFilter(filter)] as const,
  detail: (vehicleId: string, tripId: string) => ['trips', 'detail', vehicleId, tripId] as const,
};

export function tripsInfiniteQueryOptions(filter: TripFilterQuery, pageSize?: number) {
  const normalised = normaliseTripFilter(filter);
  return infiniteQueryOptions({
    queryKey: tripKeys.list(normalised),
    queryFn: ({ pageParam }) =>
      fetchJson<TripListDto>(
        `/api/trips${tripFilterSearch({
          ...normalised,
          ...(pageParam ? { cursor: pageParam } : {}),
          ...(pageSize ? { limit: pageSize } : {}),
        })}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: TRIPS_STALE_MS,
  });
}

export function tripDetailQueryOptions(vehicleId: string, tripId: string) {
  return queryOptions({
    queryKey: tripKeys.detail(vehicleId, tripId),
    queryFn: () =>
      fetchJson<TripDetailDto>(
        `/api/vehicles/${encodeURIComponent(vehicleId)}/trips/${encodeURIComponent(tripId)}`,
      ),
    staleTime: TRIPS_STALE_MS,
  });
}

export function putTripTag(vehicleId: string, tripId: string, tag: TripTagValue | null) {
  return sendJson<{ tripId: string; tag: TripTagValue | null }>(
    `/api/vehicles/${encodeURIComponent(vehicleId)}/trips/${encodeURIComponent(tripId)}/tag`,
    'PUT',
    { tag },
  );
}

/** The CSV download of the filtered trips. */
export function tripsCsvUrl(filter: TripFilterQuery): string {
  return `/api/trips/export.csv${tripFilterSearch(normaliseTripFilter(filter))}`;
}
