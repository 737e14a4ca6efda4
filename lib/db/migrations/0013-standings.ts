import 'server-only';
import { type Kysely, sql } from 'kysely';

// Where each car stands, kept up to date instead of computed per read (lib/db/queries/standings.ts):
//  - vehicle_standings: one row per scored car, its 30-day window (score, distance, trips,
//    components) and when it must be computed again (a new score, or its oldest trip leaving the
//    window);
//  - standing_bins: for every board (a peer group, a model, everyone) how many ranked cars score
//    in each tenth of a point, so a percentile among a million cars is one read of ≤ 1,001 rows;
//  - standing_bin_days: a copy of each board's bins per day, for the movement since a week ago.
// Every car that already has scores starts stale, so the worker computes them all once.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('vehicle_standings')
    .addColumn('vehicle_id', 'text', (col) => col.primaryKey().references('vehicles.id').onDelete('cascade'))
    .addColumn('peer_group', 'text')
    .addColumn('model', 'text')
    .addColumn('score', 'double precision')
    .addColumn('bin', 'integer', (col) => col.check(sql`bin >= 0 and bin <= 1000`))
    .addColumn('km', 'double precision', (col) => col.notNull())
    .addColumn('trips', 'integer', (col) => col.notNull())
    .addColumn('components', 'text', (col) => col.notNull())
    .addColumn('next_change_at', 'bigint')
    .addColumn('computed_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('vehicle_standings_next_change')
    .on('vehicle_standings')
    .column('next_change_at')
    .execute();
  await db.schema
    .createIndex('vehicle_standings_peer_bin')
    .on('vehicle_standings')
    .columns(['peer_group', 'bin'])
    .execute();
  await db.schema
    .createTable('standing_bins')
    .addColumn('board', 'text', (col) => col.notNull())
    .addColumn('bin', 'integer', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('standing_bins_pk', ['board', 'bin'])
    .execute();
  await db.schema
    .createTable('standing_bin_days')
    .addColumn('board', 'text', (col) => col.notNull())
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('counts', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('standing_bin_days_pk', ['board', 'day'])
    .execute();
  // The consumption reference (trip-scores.ts) reads the newest trips of all cars of a model.
  await db.schema.createIndex('trips_started_idx').on('trips').column('started_at').execute();
  await sql`
    insert into vehicle_standings (vehicle_id, km, trips, components, next_change_at, computed_at)
    select distinct vehicle_id, 0, 0, '{}', 0, 0 from trip_scores
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('trips_started_idx').execute();
  await db.schema.dropTable('standing_bin_days').execute();
  await db.schema.dropTable('standing_bins').execute();
  await db.schema.dropTable('vehicle_standings').execute();
}
