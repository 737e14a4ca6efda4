import 'server-only';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

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

export type Database = {
  users: UsersTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  vehicles: VehiclesTable;
};

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type VehicleRow = Selectable<VehiclesTable>;
export type NewVehicle = Insertable<VehiclesTable>;
