import 'server-only';

// The table of migration 0007: per vehicle, the latest value of facts that have no time series —
// the remaining range and the in-car privacy mode — each with when the car measured it.

export type VehicleSnapshotsTable = {
  vehicle_id: string;
  /** Remaining range on all energies, km; null until the car has told one. */
  range_km: number | null;
  range_at: number | null;
  /** 'none' | 'geolocation' | 'full' (lib/telemetry/model.ts PRIVACY_STATES); null until told. */
  privacy: string | null;
  privacy_at: number | null;
};

export type VehicleSnapshotTables = {
  vehicle_snapshots: VehicleSnapshotsTable;
};
