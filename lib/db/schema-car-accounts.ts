import 'server-only';
import type { Generated } from 'kysely';

// Tables of the car accounts feature (migration 0003): linked maker accounts with their encrypted
// tokens, the cars each links, and the sync worker's per-car state.

export type CarAccountProvider = 'psa-v4' | 'psa-v1';
export type CarAccountStatus = 'active' | 'reauthorization_needed' | 'disconnected';

export type CarAccountsTable = {
  id: string;
  user_id: string;
  provider: CarAccountProvider;
  brand: string;
  /** The maker identity the account is bound to (the IdP's `sub`); never an e-mail address. */
  maker_subject: string;
  status: CarAccountStatus;
  status_reason: string | null;
  /** Encrypted tokens (`v1.<iv>.<tag>.<ciphertext>`, lib/crypto/token-cipher.ts); null when none. */
  tokens: string | null;
  token_version: Generated<number>;
  created_at: number;
  updated_at: number;
};

export type CarAccountVehiclesTable = {
  car_account_id: string;
  vehicle_id: string;
  provider_vehicle_id: string;
  vin: string;
  contract: string | null;
  linked_at: number;
};

export type SyncStateTable = {
  vehicle_id: string;
  provider: string;
  /** JSON of the adapter's SyncCursor; null before the first sync. */
  cursor: string | null;
  /** lib/vehicle-api/provider.ts CarActivity. */
  activity: Generated<string>;
  last_measured_at: number | null;
  last_synced_at: number | null;
  next_sync_at: number;
  failures: Generated<number>;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  /** 1 while the last sync left data behind at the provider (migration 0016). */
  backlog: Generated<number>;
};

export type CarAccountTables = {
  car_accounts: CarAccountsTable;
  car_account_vehicles: CarAccountVehiclesTable;
  sync_state: SyncStateTable;
};
