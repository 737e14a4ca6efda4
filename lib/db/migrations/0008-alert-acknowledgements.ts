import 'server-only';
import type { Kysely } from 'kysely';

// The owner's acknowledgements of alerts (lib/alerts/alerts.ts). Keyed like an alert (vehicle,
// provider, provider's alert id), so acknowledging twice stores one row. No foreign key to `alerts`:
// Kinetic's own "data stopped arriving" alerts (provider `kinetic`) are computed, not stored. Rows
// go with their vehicle and with their owner. Same migration for SQLite and PostgreSQL; `bigint`
// holds epoch ms.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_acknowledgements')
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('provider_alert_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('acknowledged_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('alert_acknowledgements_pk', ['vehicle_id', 'provider', 'provider_alert_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alert_acknowledgements').execute();
}
