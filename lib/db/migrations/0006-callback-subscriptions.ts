import 'server-only';
import type { Kysely } from 'kysely';

// The sync worker's PSA v4 callback subscriptions (lib/worker/callback-subscriptions.ts): per car
// account, who is subscribing it now (a lease, so two workers never subscribe the same account at
// once), the failures and when to try again; and per linked car, the monitors that watch it.
// webhook_subscriptions (0004) keeps what the receiver needs (callback id → account, secret hash).
// Same migration for SQLite and PostgreSQL; `bigint` holds epoch ms.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('callback_subscriptions')
    .addColumn('car_account_id', 'text', (col) =>
      col.primaryKey().references('car_accounts.id').onDelete('cascade'),
    )
    // PSA's id of the account's callback, once created and recorded; null before.
    .addColumn('callback_id', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('failures', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
    // A sanitised reason: never a secret, a token or a URL's query.
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('callback_subscriptions_due_idx')
    .on('callback_subscriptions')
    .columns(['next_attempt_at'])
    .execute();

  await db.schema
    .createTable('callback_monitors')
    .addColumn('car_account_id', 'text', (col) =>
      col.notNull().references('car_accounts.id').onDelete('cascade'),
    )
    .addColumn('provider_vehicle_id', 'text', (col) => col.notNull())
    // Which of Kinetic's monitors (trips, alerts): each car is watched by one of each.
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('callback_id', 'text', (col) => col.notNull())
    .addColumn('monitor_id', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('callback_monitors_pk', ['car_account_id', 'provider_vehicle_id', 'label'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('callback_monitors').execute();
  await db.schema.dropTable('callback_subscriptions').execute();
}
