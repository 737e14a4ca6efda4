import 'server-only';
import { type Kysely, sql } from 'kysely';

// Links an owner shares so that people without an account can see one car's score card. The
// token itself is never stored: only its SHA-256 (a 256-bit random token needs no slow hash), so a
// copy of the database opens no link. Each link carries its own random pseudonym, so two links of
// one owner cannot be tied together. Revoking keeps the row (the owner's list shows it) but the
// link answers 404 at once. Same migration for SQLite and PostgreSQL; bigint holds epoch ms.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('share_links')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('owner_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('score_card')`))
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('pseudonym', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('share_links_owner_vehicle')
    .on('share_links')
    .columns(['owner_id', 'vehicle_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('share_links').execute();
}
