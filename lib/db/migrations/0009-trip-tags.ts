import 'server-only';
import { type Kysely, sql } from 'kysely';

// The owner's business/private tag of a trip. A table of its own rather than a column of `trips`:
// the sync worker rewrites trip rows (a later delivery replaces the whole row), and a tag must
// survive that. A trip without a row here is untagged; deleting the trip deletes its tag.
// Same migration for SQLite and PostgreSQL; bigint holds epoch ms.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trip_tags')
    .addColumn('trip_id', 'text', (col) => col.primaryKey().references('trips.id').onDelete('cascade'))
    .addColumn('tag', 'text', (col) => col.notNull().check(sql`tag in ('business', 'private')`))
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('trip_tags').execute();
}
