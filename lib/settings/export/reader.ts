import 'server-only';
import { type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema';
import type { ExportTable } from './tables';

// Reads one table's rows of one owner in pages of `pageSize`, each page starting after the last
// key of the previous one (keyset paging: no OFFSET, so page 280 of a year of 1 Hz samples costs
// what page 1 does, and no page holds more than `pageSize` rows in memory). Vehicle-scoped tables
// are read one vehicle at a time so every page is a range scan of the table's primary key.

export const DEFAULT_EXPORT_PAGE_SIZE = 5_000;

export type ExportRow = Record<string, unknown>;

export type PageListener = (table: string, rows: number) => void;

const ref = (column: string) => sql.ref(column);

function after(keys: readonly string[], last: ExportRow | null): RawBuilder<unknown> {
  if (last === null || keys.length === 0) return sql`1 = 1`;
  const columns = sql.join(keys.map(ref));
  const values = sql.join(keys.map((key) => last[key]));
  return sql`(${columns}) > (${values})`;
}

function ownerFilter(scope: ExportTable['scope'], userId: string): RawBuilder<unknown> {
  switch (scope) {
    case 'self':
      return sql`id = ${userId}`;
    case 'user':
      return sql`user_id = ${userId}`;
    case 'car_account':
      return sql`car_account_id in (select id from car_accounts where user_id = ${userId})`;
    case 'trip':
      return sql`trip_id in (select t.id from trips t join vehicles v on v.id = t.vehicle_id where v.user_id = ${userId})`;
    case 'vehicle':
      return sql`vehicle_id in (select id from vehicles where user_id = ${userId})`;
  }
}

async function readPage(
  db: Kysely<Database>,
  spec: ExportTable,
  filter: RawBuilder<unknown>,
  keys: readonly string[],
  last: ExportRow | null,
  pageSize: number,
): Promise<ExportRow[]> {
  const selected = [...new Set([...spec.keys, ...spec.columns])];
  const result = await sql<ExportRow>`
    select ${sql.join(selected.map(ref))}
    from ${sql.table(spec.name)}
    where ${filter} and ${after(keys, last)}
    order by ${sql.join(keys.map(ref))}
    limit ${pageSize}`.execute(db);
  return result.rows;
}

async function* pagesWhere(
  db: Kysely<Database>,
  spec: ExportTable,
  filter: RawBuilder<unknown>,
  keys: readonly string[],
  pageSize: number,
  onPage: PageListener | undefined,
): AsyncGenerator<ExportRow[]> {
  let last: ExportRow | null = null;
  for (;;) {
    const rows = await readPage(db, spec, filter, keys, last, pageSize);
    onPage?.(spec.name, rows.length);
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    last = rows[rows.length - 1] ?? null;
  }
}

/** The owner's rows of one table, page by page (pages never empty), in key order. */
export async function* ownerPages(
  db: Kysely<Database>,
  spec: ExportTable,
  userId: string,
  options: { pageSize?: number; onPage?: PageListener } = {},
): AsyncGenerator<ExportRow[]> {
  const pageSize = options.pageSize ?? DEFAULT_EXPORT_PAGE_SIZE;
  if (spec.scope === 'vehicle' && spec.keys[0] === 'vehicle_id') {
    const vehicles = await db
      .selectFrom('vehicles')
      .select('id')
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    for (const vehicle of vehicles) {
      yield* pagesWhere(
        db,
        spec,
        sql`vehicle_id = ${vehicle.id}`,
        spec.keys.slice(1),
        pageSize,
        options.onPage,
      );
    }
    return;
  }
  yield* pagesWhere(db, spec, ownerFilter(spec.scope, userId), spec.keys, pageSize, options.onPage);
}

/** Whether the table exists (a feature's migration may not have created it in this build). */
export async function tableExists(db: Kysely<Database>, name: string): Promise<boolean> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const result = await sql<{ found: string | null }>`select to_regclass(${name})::text as found`.execute(
      db,
    );
    return (result.rows[0]?.found ?? null) !== null;
  }
  const result = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name = ${name}`.execute(db);
  return result.rows.length > 0;
}
