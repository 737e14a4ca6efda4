import 'server-only';
import { type Kysely, sql } from 'kysely';

// Each trip's driving score (lib/scoring/trip-score.ts), one row per scored trip. A table of its
// own: the score is Kinetic's reading of a trip, rewritten whenever the trip's samples change or
// the formulas do (`version`), and it must not ride on the trip rows the sync worker rewrites.
// A trip too short or too sparse to judge has a row with a null score and its reason, so "not
// rated" is an answer, not a trip still waiting. Same migration for SQLite and PostgreSQL; bigint
// holds epoch ms.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trip_scores')
    .addColumn('trip_id', 'text', (col) => col.primaryKey().references('trips.id').onDelete('cascade'))
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('distance_km', 'double precision')
    .addColumn('score', 'double precision', (col) => col.check(sql`score >= 0 and score <= 100`))
    .addColumn('not_rated_reason', 'text')
    .addColumn('components', 'text', (col) => col.notNull())
    .addColumn('moments', 'text', (col) => col.notNull())
    .addColumn('tip', 'text')
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('scored_at', 'bigint', (col) => col.notNull())
    .addCheckConstraint('trip_scores_rated_or_reason', sql`(score is null) <> (not_rated_reason is null)`)
    .execute();
  await db.schema
    .createIndex('trip_scores_vehicle_started')
    .on('trip_scores')
    .columns(['vehicle_id', 'started_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('trip_scores').execute();
}
