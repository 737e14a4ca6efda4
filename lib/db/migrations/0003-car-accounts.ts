import 'server-only';
import { type Kysely, sql } from 'kysely';

// Car accounts: a maker account (PSA v4 OAuth identity, or a PSA v1 contract) linked to one Kinetic
// owner, with its tokens encrypted at rest (lib/crypto/token-cipher.ts), the cars it links, and the
// sync worker's per-car state (cursor, cadence, failures, lease). Written with the schema builder
// so the same migration serves SQLite and PostgreSQL; `bigint` holds epoch milliseconds.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('car_accounts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider', 'text', (col) => col.notNull().check(sql`provider in ('psa-v4', 'psa-v1')`))
    .addColumn('brand', 'text', (col) => col.notNull())
    // The identity provider's `sub` (v4) or the contract's identity (v1): what the account is bound
    // to. Never an e-mail address — accounts are not matched by e-mail.
    .addColumn('maker_subject', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('active', 'reauthorization_needed', 'disconnected')`),
    )
    .addColumn('status_reason', 'text')
    // `v1.<iv>.<tag>.<ciphertext>`, bound to this row's id; null once disconnected.
    .addColumn('tokens', 'text')
    // Bumped by every token write: a save names the version it started from (compare-and-swap).
    .addColumn('token_version', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    // One Kinetic account per maker identity: a second sign-in with the same identity reuses it.
    .addUniqueConstraint('car_accounts_identity_unique', ['provider', 'brand', 'maker_subject'])
    .execute();
  await db.schema.createIndex('car_accounts_user_idx').on('car_accounts').columns(['user_id']).execute();

  await db.schema
    .createTable('car_account_vehicles')
    .addColumn('car_account_id', 'text', (col) =>
      col.notNull().references('car_accounts.id').onDelete('cascade'),
    )
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('provider_vehicle_id', 'text', (col) => col.notNull())
    .addColumn('vin', 'text', (col) => col.notNull())
    // PSA v1 addresses a car by VIN + contract; v4 has none.
    .addColumn('contract', 'text')
    .addColumn('linked_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('car_account_vehicles_pk', ['car_account_id', 'provider_vehicle_id'])
    .execute();
  await db.schema
    .createIndex('car_account_vehicles_vehicle_idx')
    .on('car_account_vehicles')
    .columns(['vehicle_id'])
    .execute();

  await db.schema
    .createTable('sync_state')
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('provider', 'text', (col) => col.notNull())
    // The adapter's opaque SyncCursor as JSON; null before the first sync (which backfills).
    .addColumn('cursor', 'text')
    .addColumn('activity', 'text', (col) => col.notNull().defaultTo('unknown'))
    .addColumn('last_measured_at', 'bigint')
    .addColumn('last_synced_at', 'bigint')
    .addColumn('next_sync_at', 'bigint', (col) => col.notNull())
    .addColumn('failures', 'integer', (col) => col.notNull().defaultTo(0))
    // A sanitised message: never a token, never a URL's query string.
    .addColumn('last_error', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addPrimaryKeyConstraint('sync_state_pk', ['vehicle_id', 'provider'])
    .execute();
  // The lease query scans due rows in next_sync_at order.
  await db.schema.createIndex('sync_state_due_idx').on('sync_state').columns(['next_sync_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sync_state').execute();
  await db.schema.dropTable('car_account_vehicles').execute();
  await db.schema.dropTable('car_accounts').execute();
}
