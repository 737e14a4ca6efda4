import 'server-only';
import type { Database } from '../../db/schema';

// What "all the owner's data" is, table by table: how each table reaches its owner, the key its
// rows are paged by, and the columns that leave the building. Columns are an allowlist, so a secret
// column added later (a token, a hash) stays out until someone decides to export it: never
// `select *`. Left out on purpose: users.password_hash, sessions.id (a session id is a bearer
// credential), car_accounts.tokens and token_version, share_links.token_hash, and operational tables that hold nothing the
// owner entered or their cars measured (sync state, webhook plumbing, rate limits, rollups, which
// are sums of the exported samples; vehicle_snapshots, the latest values of the exported samples).

/**
 * How a table's rows belong to the owner: the user row itself, a `user_id` column, a vehicle, a
 * car account or a trip of theirs.
 */
export type ExportScope = 'self' | 'user' | 'vehicle' | 'car_account' | 'trip';

export type ExportTable<T extends keyof Database = keyof Database> = {
  name: T;
  scope: ExportScope;
  /** A unique key, in index order: rows are read in pages after the last key seen (keyset). */
  keys: readonly (keyof Database[T] & string)[];
  columns: readonly (keyof Database[T] & string)[];
  /** Columns holding JSON text, written as JSON values in the JSON export. */
  jsonColumns?: readonly (keyof Database[T] & string)[];
};

function table<T extends keyof Database>(spec: ExportTable<T>): ExportTable {
  return spec as unknown as ExportTable;
}

export const EXPORT_TABLES: readonly ExportTable[] = [
  table({
    name: 'users',
    scope: 'self',
    keys: ['id'],
    columns: [
      'id',
      'email',
      'name',
      'is_demo',
      'time_zone',
      'locale',
      'speed_unit',
      'fuel_unit',
      'energy_unit',
      'created_at',
      'updated_at',
    ],
  }),
  table({
    name: 'sessions',
    scope: 'user',
    keys: ['id'],
    columns: ['created_at', 'expires_at', 'last_seen_at', 'user_agent', 'ip'],
  }),
  table({
    name: 'vehicles',
    scope: 'user',
    keys: ['id'],
    columns: ['id', 'label', 'brand', 'model', 'powertrain', 'vin', 'created_at'],
  }),
  table({
    name: 'car_accounts',
    scope: 'user',
    keys: ['id'],
    columns: [
      'id',
      'provider',
      'brand',
      'maker_subject',
      'status',
      'status_reason',
      'created_at',
      'updated_at',
    ],
  }),
  table({
    name: 'car_account_vehicles',
    scope: 'car_account',
    keys: ['car_account_id', 'provider_vehicle_id'],
    columns: ['car_account_id', 'vehicle_id', 'provider_vehicle_id', 'vin', 'contract', 'linked_at'],
  }),
  table({
    name: 'samples',
    scope: 'vehicle',
    keys: ['vehicle_id', 'at', 'provider'],
    columns: [
      'vehicle_id',
      'at',
      'provider',
      'source_ref',
      'speed_kmh',
      'engine_rpm',
      'fuel_consumption_l100km',
      'energy_consumption_kwh100km',
      'fuel_rate_lph',
      'acceleration_ms2',
      'latitude',
      'longitude',
      'altitude_m',
      'heading_deg',
      'odometer_km',
      'fuel_level_pct',
      'battery_level_pct',
      'gear',
      'ignition',
      'charging',
      'throttle_pct',
      'coolant_c',
      'outside_temp_c',
    ],
  }),
  table({
    name: 'trips',
    scope: 'vehicle',
    keys: ['vehicle_id', 'provider', 'provider_trip_id'],
    columns: [
      'id',
      'vehicle_id',
      'provider',
      'provider_trip_id',
      'source_ref',
      'started_at',
      'ended_at',
      'distance_km',
      'duration_s',
      'start_odometer_km',
      'end_odometer_km',
      'avg_speed_kmh',
      'max_speed_kmh',
      'fuel_used_l',
      'energy_used_kwh',
      'moving_s',
      'idle_s',
      'events',
      'start_latitude',
      'start_longitude',
      'end_latitude',
      'end_longitude',
    ],
    jsonColumns: ['events'],
  }),
  table({
    name: 'trip_tags',
    scope: 'trip',
    keys: ['trip_id'],
    columns: ['trip_id', 'tag', 'updated_at'],
  }),
  table({
    name: 'alerts',
    scope: 'vehicle',
    keys: ['vehicle_id', 'provider', 'provider_alert_id'],
    columns: [
      'vehicle_id',
      'provider',
      'provider_alert_id',
      'source_ref',
      'type',
      'severity',
      'active',
      'started_at',
      'ended_at',
      'latitude',
      'longitude',
    ],
  }),
  table({
    name: 'alert_acknowledgements',
    scope: 'vehicle',
    keys: ['vehicle_id', 'provider', 'provider_alert_id'],
    columns: ['vehicle_id', 'provider', 'provider_alert_id', 'acknowledged_at'],
  }),
  table({
    name: 'maintenance_reports',
    scope: 'vehicle',
    keys: ['vehicle_id', 'provider', 'at'],
    columns: ['vehicle_id', 'provider', 'at', 'source_ref', 'days_before_service', 'km_before_service'],
  }),
  table({
    name: 'charging_sessions',
    scope: 'vehicle',
    keys: ['vehicle_id', 'provider', 'started_at'],
    columns: [
      'vehicle_id',
      'provider',
      'started_at',
      'source_ref',
      'ended_at',
      'energy_added_kwh',
      'avg_power_kw',
      'start_level_pct',
      'end_level_pct',
    ],
  }),
  table({
    name: 'eco_evaluations',
    scope: 'vehicle',
    keys: ['vehicle_id', 'provider', 'scope'],
    columns: ['vehicle_id', 'provider', 'scope', 'source_ref', 'at', 'mark', 'scale_max', 'criteria'],
    jsonColumns: ['criteria'],
  }),
  table({
    name: 'trip_scores',
    scope: 'vehicle',
    keys: ['trip_id'],
    columns: [
      'trip_id',
      'vehicle_id',
      'started_at',
      'distance_km',
      'score',
      'not_rated_reason',
      'components',
      'moments',
      'tip',
      'version',
      'scored_at',
    ],
    jsonColumns: ['components', 'moments'],
  }),
  // The token's hash stays out with the other credentials: the owner holds the links themselves.
  table({
    name: 'share_links',
    scope: 'vehicle',
    keys: ['id'],
    columns: ['id', 'vehicle_id', 'kind', 'pseudonym', 'created_at', 'expires_at', 'revoked_at'],
  }),
  table({
    name: 'quarantine',
    scope: 'vehicle',
    keys: ['vehicle_id', 'id'],
    columns: ['id', 'vehicle_id', 'kind', 'reason', 'record', 'received_at'],
    jsonColumns: ['record'],
  }),
];
