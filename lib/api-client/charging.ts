import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { ChargeDetailDto, ChargeListDto } from '../schemas/charging';
import { fetchJson } from './fetch-json';

// The charging contracts (client-safe). A charge in progress moves every 5 minutes (the car's
// upload period while charging), so a minute of freshness is enough.

export const CHARGING_STALE_MS = 60_000;

export const chargeKeys = {
  all: ['charging'] as const,
  list: (vehicleId: string | null) => ['charging', 'list', vehicleId] as const,
  detail: (vehicleId: string, chargeId: string) => ['charging', 'detail', vehicleId, chargeId] as const,
};

export function chargesInfiniteQueryOptions(vehicleId: string | null, pageSize?: number) {
  return infiniteQueryOptions({
    queryKey: chargeKeys.list(vehicleId),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams();
      if (vehicleId) params.set('vehicleId', vehicleId);
      if (pageParam) params.set('cursor', pageParam);
      if (pageSize) params.set('limit', String(pageSize));
      const search = params.toString();
      return fetchJson<ChargeListDto>(`/api/charging${search ? `?${search}` : ''}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: CHARGING_STALE_MS,
  });
}

export function chargeDetailQueryOptions(vehicleId: string, chargeId: string) {
  return queryOptions({
    queryKey: chargeKeys.detail(vehicleId, chargeId),
    queryFn: () =>
      fetchJson<ChargeDetailDto>(
        `/api/vehicles/${encodeURIComponent(vehicleId)}/charging/${encodeURIComponent(chargeId)}`,
      ),
    staleTime: CHARGING_STALE_MS,
  });
}
