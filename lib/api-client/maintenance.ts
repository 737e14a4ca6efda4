import { queryOptions } from '@tanstack/react-query';
import type { MaintenanceDto } from '../schemas/maintenance';
import { fetchJson } from './fetch-json';

// The maintenance contract (client-safe). A service indicator changes at most a few times a day and
// the pace moves slowly, so ten minutes of staleness never shows anything misleading.

export const MAINTENANCE_STALE_TIME_MS = 10 * 60_000;

export const maintenanceKeys = {
  all: ['maintenance'] as const,
  vehicle: (vehicleId: string) => ['maintenance', vehicleId] as const,
};

export const maintenanceUrl = (vehicleId: string) =>
  `/api/vehicles/${encodeURIComponent(vehicleId)}/maintenance`;

/** The calendar file of the forecast service date (a plain link: the browser downloads it). */
export const maintenanceIcsUrl = (vehicleId: string) =>
  `/api/vehicles/${encodeURIComponent(vehicleId)}/maintenance.ics`;

export function maintenanceQueryOptions(vehicleId: string) {
  return queryOptions({
    queryKey: maintenanceKeys.vehicle(vehicleId),
    queryFn: () => fetchJson<MaintenanceDto>(maintenanceUrl(vehicleId)),
    staleTime: MAINTENANCE_STALE_TIME_MS,
  });
}
