import 'server-only';
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Leaderboards (lib/leaderboards/):
//  - leaderboard_listings: the cars whose owners chose to appear, under a random pseudonym, on the
//    public boards of the car (its peer group, its model, everyone). Absent = not listed: listing
//    is opt-in, and leaving deletes the row. Each row carries a copy of the car's standing.
//  - driver_groups and driver_group_members: private groups (a family, friends, a company) joined
//    with an invite link whose token is kept as a SHA-256 only, each member a car under its own
//    pseudonym.
//  - share_links learns a second kind, `leaderboard`, with the board it opens.
// SQLite cannot alter a CHECK constraint, so there share_links is rebuilt (nothing references it).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('leaderboard_listings')
    .addColumn('vehicle_id', 'text', (col) => col.primaryKey().references('vehicles.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('pseudonym', 'text', (col) => col.notNull())
    .addColumn('listed_at', 'bigint', (col) => col.notNull())
    // A copy of the car's standing (vehicle_standings), kept by the same transaction that computes
    // it: a board's page then reads one index range of the listed cars, never the million ranked.
    .addColumn('peer_group', 'text')
    .addColumn('model', 'text')
    .addColumn('bin', 'integer')
    .addColumn('score', 'double precision')
    .execute();
  await db.schema
    .createIndex('leaderboard_listings_owner')
    .on('leaderboard_listings')
    .column('owner_id')
    .execute();
  await db.schema
    .createIndex('leaderboard_listings_peer')
    .on('leaderboard_listings')
    .columns(['peer_group', 'bin', 'vehicle_id'])
    .execute();
  await db.schema
    .createIndex('leaderboard_listings_model')
    .on('leaderboard_listings')
    .columns(['model', 'bin', 'vehicle_id'])
    .execute();
  await db.schema
    .createIndex('leaderboard_listings_everyone')
    .on('leaderboard_listings')
    .columns(['bin', 'vehicle_id'])
    .execute();

  await db.schema
    .createTable('driver_groups')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    // Who made the group (and may renew its invite); the group outlives that owner's account.
    .addColumn('owner_id', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('invite_token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('driver_group_members')
    .addColumn('group_id', 'text', (col) => col.notNull().references('driver_groups.id').onDelete('cascade'))
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('pseudonym', 'text', (col) => col.notNull())
    .addColumn('joined_at', 'bigint', (col) => col.notNull())
    // The car's bin and score, copied like the listings' (a group page reads this table alone).
    .addColumn('bin', 'integer')
    .addColumn('score', 'double precision')
    .addPrimaryKeyConstraint('driver_group_members_pk', ['group_id', 'vehicle_id'])
    .execute();
  await db.schema
    .createIndex('driver_group_members_ranked')
    .on('driver_group_members')
    .columns(['group_id', 'bin', 'vehicle_id'])
    .execute();
  await db.schema
    .createIndex('driver_group_members_vehicle')
    .on('driver_group_members')
    .column('vehicle_id')
    .execute();

  const kinds = sql`kind in ('score_card', 'leaderboard')`;
  const boardMatchesKind = sql`(kind = 'leaderboard') = (board is not null)`;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table share_links drop constraint share_links_kind_check`.execute(db);
    await sql`alter table share_links add constraint share_links_kind_check check (${kinds})`.execute(db);
    await db.schema.alterTable('share_links').addColumn('board', 'text').execute();
    await sql`alter table share_links add constraint share_links_board_check check (${boardMatchesKind})`.execute(
      db,
    );
    return;
  }
  await db.schema
    .createTable('share_links_next')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('owner_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('vehicle_id', 'text', (col) => col.notNull().references('vehicles.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull().check(kinds))
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('pseudonym', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('board', 'text')
    .addCheckConstraint('share_links_board_check', boardMatchesKind)
    .execute();
  await sql`
    insert into share_links_next (id, owner_id, vehicle_id, kind, token_hash, pseudonym, created_at, expires_at, revoked_at)
    select id, owner_id, vehicle_id, kind, token_hash, pseudonym, created_at, expires_at, revoked_at from share_links
  `.execute(db);
  await db.schema.dropTable('share_links').execute();
  await sql`alter table share_links_next rename to share_links`.execute(db);
  await db.schema
    .createIndex('share_links_owner_vehicle')
    .on('share_links')
    .columns(['owner_id', 'vehicle_id'])
    .execute();
}

// share_links keeps its wider kind check and its board column: an older build never writes them.
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('driver_group_members').execute();
  await db.schema.dropTable('driver_groups').execute();
  await db.schema.dropTable('leaderboard_listings').execute();
}
