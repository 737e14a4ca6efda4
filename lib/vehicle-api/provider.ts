import 'server-only';
import type { NormalizedVehicle, Provider, VehicleData } from '../telemetry/model';

// The one interface every data source implements (PSA v4, PSA v1, OBD-II file import): list the
// cars an account holds, and bring in what is new for one car since a persisted cursor. The sync
// worker only ever talks to this interface.

/** How an adapter names one car upstream. */
export type ProviderVehicleRef = {
  providerVehicleId: string;
  vin?: string;
  /** PSA v1's contract number. */
  contract?: string;
};

/**
 * Where the last sync stopped, opaque to the worker, persisted between runs so a restarted worker
 * resumes there (and fetches any gap after an outage again).
 */
export type SyncCursor = Readonly<Record<string, string | number | null>>;

/** What the car was doing as of the latest data: the worker's cadence follows it. */
export type CarActivity = 'driving' | 'parked' | 'charging' | 'asleep' | 'unknown';

export type SyncBatch = {
  data: VehicleData;
  cursor: SyncCursor;
  activity: CarActivity;
  /** When the car last measured anything we received (its clock), null when nothing yet. */
  lastMeasuredAt: number | null;
  /**
   * True when the provider stopped at its per-sync bound with history still to fetch (a first
   * backfill, or the gap after an outage): the worker then syncs the car again soon instead of
   * at the car's cadence, so a month of history arrives in minutes rather than hours.
   */
  backlog?: boolean;
};

export type VehicleDataProvider = {
  readonly provider: Provider;
  listVehicles(): Promise<NormalizedVehicle[]>;
  /** Everything new for one car since `cursor` (null: the first sync, which backfills). */
  sync(vehicle: ProviderVehicleRef, cursor: SyncCursor | null): Promise<SyncBatch>;
};

/** The account needs the owner to sign in with the maker again (repeated 401s, revoked grant). */
export class ReauthorizationNeededError extends Error {
  readonly code = 'reauthorization_needed';
}
