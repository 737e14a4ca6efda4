import { queryOptions } from '@tanstack/react-query';
import type { GlanceDto } from '../schemas/glance';
import { fetchJson } from './fetch-json';

// The vehicle glance for client leaves. Parked, a glance changes rarely (a status every few
// minutes at most): 30 s fresh. Driving, the speed and position move: refetched every 15 s, each
// refetch a conditional GET that costs a 304 when nothing changed.

export const GLANCE_STALE_MS = 30_000;
export const GLANCE_DRIVING_REFETCH_MS = 15_000;

export const glanceQueryKey = (vehicleId: string) => ['glance', vehicleId] as const;

export function glanceQueryOptions(vehicleId: string) {
  return queryOptions({
    queryKey: glanceQueryKey(vehicleId),
    queryFn: () => fetchJson<GlanceDto>(`/api/vehicles/${encodeURIComponent(vehicleId)}/glance`),
    staleTime: GLANCE_STALE_MS,
    refetchInterval: (query) =>
      query.state.data?.activity.state === 'driving' ? GLANCE_DRIVING_REFETCH_MS : false,
  });
}
