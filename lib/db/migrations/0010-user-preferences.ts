import 'server-only';
import { type Kysely, sql } from 'kysely';

// The owner's display preferences (lib/settings/preferences.ts): language and one column per unit
// family, each nullable (null = not chosen: the browser's language, metric units). One column per
// preference rather than one JSON `units` column: every value is a short enum the database itself
// can check, a partial update ("just the speed unit") is a plain column write with no
// read-modify-write race, and nothing has to parse JSON to read a row. The time zone already has
// its column (users.time_zone, migration 0001).
//
// SQLite adds one column per ALTER TABLE, so each column is its own statement on both engines.

const COLUMNS = [
  ['locale', sql`locale in ('en', 'fr')`],
  ['speed_unit', sql`speed_unit in ('kmh', 'mph')`],
  ['fuel_unit', sql`fuel_unit in ('l100km', 'mpg_us', 'mpg_uk', 'kml')`],
  ['energy_unit', sql`energy_unit in ('kwh100km', 'mikwh')`],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, check] of COLUMNS) {
    await db.schema
      .alterTable('users')
      .addColumn(name, 'text', (col) => col.check(check))
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name] of [...COLUMNS].reverse()) {
    await db.schema.alterTable('users').dropColumn(name).execute();
  }
}
