import { z } from 'zod';
import type { CarAccountWithVehicles } from '../db/queries/car-accounts';

// A car account as the owner's pages and API see it: status and cars, never tokens nor the maker
// identity's subject.

export const carAccountIdSchema = z.string().min(1).max(64);

export type CarAccountDto = {
  id: string;
  provider: string;
  brand: string;
  status: 'active' | 'reauthorization_needed' | 'disconnected';
  statusReason: string | null;
  connectedAt: string;
  vehicles: {
    id: string;
    label: string;
    vin: string;
    /** `waiting` until the first sync has stored something; `failing` after failed attempts. */
    sync: 'waiting' | 'synced' | 'failing';
    lastSyncedAt: string | null;
    nextSyncAt: string | null;
    /**
     * The maker refused for a rate limit or a spent quota (429, or 403 "quota exceeded") and the
     * worker holds the car back until this instant; null otherwise.
     */
    rateLimitedUntil: string | null;
  }[];
};

/**
 * The name the worker's rate-limit failures are recorded under (sync-worker.ts stores
 * `<error name>: <message>`, and UpstreamRateLimitedError names itself so; the worker's tests
 * check the stored prefix).
 */
export const RATE_LIMITED_PREFIX = 'UpstreamRateLimitedError:';

function rateLimitedUntil(vehicle: CarAccountWithVehicles['vehicles'][number], now: number): string | null {
  if (!vehicle.lastError?.startsWith(RATE_LIMITED_PREFIX)) return null;
  if (vehicle.nextSyncAt === null || vehicle.nextSyncAt <= now) return null;
  return new Date(vehicle.nextSyncAt).toISOString();
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toCarAccountDto(account: CarAccountWithVehicles, now: number = Date.now()): CarAccountDto {
  return {
    id: account.id,
    provider: account.provider,
    brand: account.brand,
    status: account.status,
    statusReason: account.statusReason,
    connectedAt: new Date(account.createdAt).toISOString(),
    vehicles: account.vehicles.map((vehicle) => ({
      id: vehicle.vehicleId,
      label: vehicle.label,
      vin: vehicle.vin,
      sync: vehicle.lastSyncedAt !== null ? 'synced' : vehicle.failures > 0 ? 'failing' : 'waiting',
      lastSyncedAt: iso(vehicle.lastSyncedAt),
      nextSyncAt: iso(vehicle.nextSyncAt),
      rateLimitedUntil: rateLimitedUntil(vehicle, now),
    })),
  };
}
