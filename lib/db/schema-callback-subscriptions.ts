import 'server-only';
import type { Generated } from 'kysely';

// Tables of the worker's PSA v4 callback subscriptions (migration 0006).

export type CallbackSubscriptionsTable = {
  car_account_id: string;
  callback_id: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  failures: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  updated_at: number;
};

export type CallbackMonitorsTable = {
  car_account_id: string;
  provider_vehicle_id: string;
  label: string;
  callback_id: string;
  monitor_id: string;
  created_at: number;
};

export type CallbackSubscriptionTables = {
  callback_subscriptions: CallbackSubscriptionsTable;
  callback_monitors: CallbackMonitorsTable;
};
