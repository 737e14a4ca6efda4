import 'server-only';
import { type Kysely, sql } from 'kysely';

// PSA v4 webhook deliveries (lib/ingest/webhooks): the callbacks Kinetic subscribed, each with the
// SHA-256 of its secret (never the secret itself), and every accepted event, stored before the 200
// and processed later. The event's key (callback, event id) is what makes a retried, duplicated or
// replayed delivery a no-op. Same migration for SQLite and PostgreSQL; `bigint` holds epoch ms.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('callback_id', 'text', (col) => col.primaryKey())
    .addColumn('car_account_id', 'text', (col) =>
      col.notNull().references('car_accounts.id').onDelete('cascade'),
    )
    // Hex SHA-256 of the secret sent in every delivery's header; compared in constant time.
    .addColumn('secret_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_subscriptions_account_idx')
    .on('webhook_subscriptions')
    .columns(['car_account_id'])
    .execute();

  await db.schema
    .createTable('webhook_events')
    .addColumn('callback_id', 'text', (col) =>
      col.notNull().references('webhook_subscriptions.callback_id').onDelete('cascade'),
    )
    .addColumn('event_id', 'text', (col) => col.notNull())
    // The message as parsed by psaV4WebhookMessageSchema, as JSON.
    .addColumn('message', 'text', (col) => col.notNull())
    // The message's own `date`, and when Kinetic accepted it.
    .addColumn('event_at', 'bigint', (col) => col.notNull())
    .addColumn('received_at', 'bigint', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('pending', 'processing', 'done', 'failed')`),
    )
    // The processor that holds the event and until when (a crashed processor's claim expires).
    .addColumn('claim_token', 'text')
    .addColumn('claimed_until', 'bigint')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('processed_at', 'bigint')
    // A sanitised reason: never a secret, never the payload.
    .addColumn('last_error', 'text')
    .addPrimaryKeyConstraint('webhook_events_pk', ['callback_id', 'event_id'])
    .execute();
  // Processors scan claimable events oldest first.
  await db.schema
    .createIndex('webhook_events_status_idx')
    .on('webhook_events')
    .columns(['status', 'received_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_events').execute();
  await db.schema.dropTable('webhook_subscriptions').execute();
}
