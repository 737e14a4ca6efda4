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
  }[];
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toCarAccountDto(account: CarAccountWithVehicles): CarAccountDto {
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
    })),
  };
}
