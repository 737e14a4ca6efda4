import 'server-only';
import type { Kysely } from 'kysely';

// What the maker flagged as wrong with a trip (PSA v4 `faults`: never started, data missing, never
// finished), as a JSON array; such a trip is not scored (lib/scoring/trip-score.ts).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('trips').addColumn('faults', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('trips').dropColumn('faults').execute();
}
