import 'server-only';
import type { Generated } from 'kysely';

// Tables of the PSA v4 webhook receiver (migration 0004): subscribed callbacks with the hash of
// their secret, and the accepted events waiting for (or done with) processing.

export type WebhookEventStatus = 'pending' | 'processing' | 'done' | 'failed';

export type WebhookSubscriptionsTable = {
  callback_id: string;
  car_account_id: string;
  /** Hex SHA-256 of the delivery secret; the secret itself is never stored. */
  secret_hash: string;
  created_at: number;
};

export type WebhookEventsTable = {
  callback_id: string;
  event_id: string;
  /** The parsed message as JSON. */
  message: string;
  event_at: number;
  received_at: number;
  status: WebhookEventStatus;
  claim_token: string | null;
  claimed_until: number | null;
  attempts: Generated<number>;
  processed_at: number | null;
  last_error: string | null;
};

export type WebhookTables = {
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_events: WebhookEventsTable;
};
