import 'server-only';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AlertAcknowledgementTables } from './schema-alert-acknowledgements';
import type { CallbackSubscriptionTables } from './schema-callback-subscriptions';
import type { CarAccountTables } from './schema-car-accounts';
import type { LeaderboardTables } from './schema-leaderboards';
import type { RollupTables } from './schema-rollups';
import type { ShareLinkTables } from './schema-share-links';
import type { StandingTables } from './schema-standings';
import type { TripScoreTables } from './schema-trip-scores';
import type { TripTagTables } from './schema-trip-tags';
import type { VehicleSnapshotTables } from './schema-vehicle-snapshots';
import type { WebhookTables } from './schema-webhooks';

// One Database type for both engines. Times are epoch milliseconds (bigint in PostgreSQL, parsed
// back to number; INTEGER in SQLite) and flags are 0/1 integers, so rows look the same everywhere.

export type UsersTable = {
  id: string;
  email: string;
  name: string | null;
  password_hash: string | null;
  is_demo: Generated<number>;
  time_zone: string | null;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
  /** Display preferences (migration 0010); null = not chosen (browser language, metric units). */
  locale: string | null;
  speed_unit: string | null;
  fuel_unit: string | null;
  energy_unit: string | null;
};

export type SessionsTable = {
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  user_agent: string | null;
  ip: string | null;
};

export type RateLimitsTable = {
  key: string;
  window_start: number;
  count: number;
};

export type VehiclesTable = {
  id: string;
  user_id: string;
  label: string;
  brand: string;
  model: string;
  powertrain: string;
  vin: string;
  created_at: number;
};

/** Measurements at one instant from one provider; every measurement nullable (not provided). */
export type SamplesTable = {
  vehicle_id: string;
  at: number;
  provider: string;
  source_ref: string;
  speed_kmh: number | null;
  engine_rpm: number | null;
  fuel_consumption_l100km: number | null;
  energy_consumption_kwh100km: number | null;
  fuel_rate_lph: number | null;
  acceleration_ms2: number | null;
  latitude: number | null;
  longitude: number | null;
  altitude_m: number | null;
  heading_deg: number | null;
  odometer_km: number | null;
  fuel_level_pct: number | null;
  battery_level_pct: number | null;
  gear: number | null;
  ignition: number | null;
  charging: string | null;
  throttle_pct: number | null;
  coolant_c: number | null;
  outside_temp_c: number | null;
};

export type TripsTable = {
  id: string;
  vehicle_id: string;
  provider: string;
  provider_trip_id: string;
  source_ref: string;
  started_at: number;
  ended_at: number | null;
  observed_until: number;
  distance_km: number | null;
  duration_s: number | null;
  start_odometer_km: number | null;
  end_odometer_km: number | null;
  avg_speed_kmh: number | null;
  max_speed_kmh: number | null;
  fuel_used_l: number | null;
  energy_used_kwh: number | null;
  moving_s: number | null;
  idle_s: number | null;
  /** JSON array of driving events (interfaces.md `<event>`), null until derived. */
  events: string | null;
  start_latitude: number | null;
  start_longitude: number | null;
  end_latitude: number | null;
  end_longitude: number | null;
  /** JSON array of the maker's faults (lib/telemetry/model.ts TRIP_FAULTS), null when none. */
  faults: string | null;
};

export type AlertsTable = {
  vehicle_id: string;
  provider: string;
  provider_alert_id: string;
  source_ref: string;
  type: string;
  severity: string;
  active: number;
  started_at: number;
  ended_at: number | null;
  observed_until: number;
  latitude: number | null;
  longitude: number | null;
};

export type MaintenanceReportsTable = {
  vehicle_id: string;
  provider: string;
  at: number;
  source_ref: string;
  days_before_service: number | null;
  km_before_service: number | null;
};

export type ChargingSessionsTable = {
  vehicle_id: string;
  provider: string;
  started_at: number;
  source_ref: string;
  ended_at: number | null;
  observed_until: number;
  energy_added_kwh: number | null;
  avg_power_kw: number | null;
  start_level_pct: number | null;
  end_level_pct: number | null;
};

export type EcoEvaluationsTable = {
  vehicle_id: string;
  provider: string;
  scope: string;
  source_ref: string;
  at: number;
  mark: number | null;
  scale_max: number;
  /** JSON object of sub-marks by criterion. */
  criteria: string;
};

export type QuarantineTable = {
  id: string;
  vehicle_id: string;
  kind: string;
  reason: string;
  /** The rejected record as JSON. */
  record: string;
  received_at: number;
};

/** The tables of migrations 0001–0002; later features add theirs in their own schema-*.ts files. */
export type CoreTables = {
  users: UsersTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  vehicles: VehiclesTable;
  samples: SamplesTable;
  trips: TripsTable;
  alerts: AlertsTable;
  maintenance_reports: MaintenanceReportsTable;
  charging_sessions: ChargingSessionsTable;
  eco_evaluations: EcoEvaluationsTable;
  quarantine: QuarantineTable;
};

export type Database = CoreTables &
  CarAccountTables &
  WebhookTables &
  RollupTables &
  CallbackSubscriptionTables &
  AlertAcknowledgementTables &
  TripTagTables &
  TripScoreTables &
  ShareLinkTables &
  StandingTables &
  LeaderboardTables &
  VehicleSnapshotTables;

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type VehicleRow = Selectable<VehiclesTable>;
export type NewVehicle = Insertable<VehiclesTable>;
