import 'server-only';
import { type Kysely, sql } from 'kysely';

// Whether a car's last sync left data behind at the provider (a first sync's month of telemetry
// is fetched over several syncs, lib/vehicle-api/psa-v4/provider.ts). The demo's warm-up counts a
// peer as brought in only once none of its cars has a backlog (lib/health.ts).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sync_state')
    .addColumn('backlog', 'integer', (column) => column.notNull().defaultTo(sql`0`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_state').dropColumn('backlog').execute();
}
