import 'server-only';
import { type Kysely, sql } from 'kysely';

// The latest range and in-car privacy mode of each vehicle (lib/db/queries/vehicle-snapshots.ts):
// one row per vehicle, each fact with the instant the car measured it, so that a late delivery of
// an older value never replaces a newer one. The glance reads them; no history is kept (range is
// derived from levels the samples already keep). Same migration for SQLite and PostgreSQL; `bigint`
// holds epoch ms.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('vehicle_snapshots')
    .addColumn('vehicle_id', 'text', (col) => col.primaryKey().references('vehicles.id').onDelete('cascade'))
    .addColumn('range_km', 'real')
    .addColumn('range_at', 'bigint')
    .addColumn('privacy', 'text', (col) => col.check(sql`privacy in ('none', 'geolocation', 'full')`))
    .addColumn('privacy_at', 'bigint')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('vehicle_snapshots').execute();
}
