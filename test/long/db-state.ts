import { createHash } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '@/lib/db/client';
import type { Database } from '@/lib/db/schema';

// TEST SUPPORT ONLY (long tests): what a database holds, per car, in a form two databases can be
// compared by (cars by VIN, since row ids are random per database), and its integrity checks.

/** The stored records of one table for one car: natural key → the row's content. */
export type Records = Map<string, string>;

export type CarState = {
  samples: Records;
  trips: Records;
  alerts: Records;
};

export type TableName = keyof CarState;
export const TABLES: readonly TableName[] = ['samples', 'trips', 'alerts'];

/** A whole database's vehicle data, by VIN. */
export type DataState = Map<string, CarState>;

const emptyCar = (): CarState => ({ samples: new Map(), trips: new Map(), alerts: new Map() });

/**
 * Columns that are not the record's content: the database's own ids. Everything else (values,
 * provider ids, the car's timestamps, `observed_until`) must be equal, since it all comes from the
 * cloud's answers.
 */
const NOT_CONTENT = new Set(['vehicle_id', 'id', 'vin']);

const KEYS: Record<TableName, readonly string[]> = {
  samples: ['at', 'provider'],
  trips: ['provider', 'provider_trip_id'],
  alerts: ['provider', 'provider_alert_id'],
};

function content(row: Record<string, unknown>): string {
  const fields = Object.keys(row)
    .filter((column) => !NOT_CONTENT.has(column))
    .sort()
    .map((column) => [column, row[column] ?? null]);
  return JSON.stringify(fields);
}

export async function readDataState(db: Kysely<Database>): Promise<DataState> {
  const state: DataState = new Map();
  const cars = await db.selectFrom('vehicles').select('vin').execute();
  for (const car of cars) state.set(car.vin, emptyCar());
  for (const table of TABLES) {
    const { rows } = await sql<Record<string, unknown>>`
      select v.vin as vin, t.* from ${sql.table(table)} t join vehicles v on v.id = t.vehicle_id
    `.execute(db);
    for (const row of rows) {
      const vin = String(row.vin);
      let car = state.get(vin);
      if (!car) {
        car = emptyCar();
        state.set(vin, car);
      }
      const key = KEYS[table].map((column) => String(row[column])).join('|');
      if (car[table].has(key)) throw new Error(`${table}: ${vin} holds ${key} twice`);
      car[table].set(key, content(row));
    }
  }
  return state;
}

/** One checksum of a car's records of one table (order-independent). */
export function checksum(records: Records): string {
  const hash = createHash('sha256');
  for (const key of [...records.keys()].sort()) hash.update(`${key}\u0000${records.get(key)}\n`);
  return hash.digest('hex').slice(0, 16);
}

export type CarSummary = Record<TableName, { count: number; checksum: string }>;

export function summarize(car: CarState | undefined): CarSummary {
  const of = (records: Records | undefined) => ({
    count: records?.size ?? 0,
    checksum: checksum(records ?? new Map()),
  });
  return { samples: of(car?.samples), trips: of(car?.trips), alerts: of(car?.alerts) };
}

/** Per VIN, counts and checksums: what "equal to the reference" compares. */
export function summarizeAll(state: DataState): Record<string, CarSummary> {
  return Object.fromEntries([...state.keys()].sort().map((vin) => [vin, summarize(state.get(vin))]));
}

export type IntegrityReport = { problems: string[] };

/**
 * The engine's own integrity check, then the constraints checked again by query (so a constraint
 * the engine did not enforce, or an index that does not match its table, shows up):
 * - SQLite: `PRAGMA integrity_check` (b-trees, indexes against tables, free lists) and
 *   `PRAGMA foreign_key_check`, on a fresh connection to the file;
 * - PostgreSQL: every foreign key of the schema re-checked for orphans, and no invalid index;
 * - both: no natural key held twice in samples, trips and alerts.
 */
export async function checkIntegrity(
  db: Kysely<Database>,
  sqliteFile: string | undefined,
): Promise<IntegrityReport> {
  const problems: string[] = [];
  if (sqliteFile) {
    const connection = new SQLite(sqliteFile, { fileMustExist: true });
    try {
      const integrity = connection.pragma('integrity_check') as { integrity_check: string }[];
      if (integrity.length !== 1 || integrity[0]?.integrity_check !== 'ok') {
        problems.push(`integrity_check: ${JSON.stringify(integrity.slice(0, 5))}`);
      }
      const foreign = connection.pragma('foreign_key_check') as unknown[];
      if (foreign.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(foreign.slice(0, 5))}`);
    } finally {
      connection.close();
    }
  }
  if (isPostgres(db)) {
    const { rows: keys } = await sql<{
      name: string;
      child: string;
      parent: string;
      child_cols: string[];
      parent_cols: string[];
    }>`
      select c.conname as name, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
        array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
              join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as child_cols,
        array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i)
              join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as parent_cols
      from pg_constraint c
      where c.contype = 'f' and c.conparentid = 0 and c.connamespace = 'public'::regnamespace
    `.execute(db);
    if (keys.length === 0) problems.push('no foreign keys found to check');
    for (const key of keys) {
      const joined = key.child_cols.map(
        (column, i) => sql`p.${sql.ref(key.parent_cols[i] as string)} = c.${sql.ref(column)}`,
      );
      const notNull = key.child_cols.map((column) => sql`c.${sql.ref(column)} is not null`);
      const { rows } = await sql<{ orphans: number }>`
        select count(*)::int as orphans from ${sql.table(key.child)} c
        where ${sql.join(notNull, sql` and `)}
          and not exists (select 1 from ${sql.table(key.parent)} p where ${sql.join(joined, sql` and `)})
      `.execute(db);
      const orphans = rows[0]?.orphans ?? 0;
      if (orphans > 0) problems.push(`${key.child} → ${key.parent} (${key.name}): ${orphans} orphan rows`);
    }
    const { rows: invalid } = await sql<{ name: string }>`
      select indexrelid::regclass::text as name from pg_index where not indisvalid or not indisready
    `.execute(db);
    if (invalid.length > 0) problems.push(`invalid indexes: ${invalid.map((row) => row.name).join(', ')}`);
  }
  const naturalKeys: Record<TableName, string> = {
    samples: 'vehicle_id, at, provider',
    trips: 'vehicle_id, provider, provider_trip_id',
    alerts: 'vehicle_id, provider, provider_alert_id',
  };
  for (const table of TABLES) {
    const { rows } = await sql<{ doubled: number | string }>`
      select count(*) as doubled from (
        select 1 from ${sql.table(table)} group by ${sql.raw(naturalKeys[table])} having count(*) > 1
      ) d
    `.execute(db);
    const doubled = Number(rows[0]?.doubled ?? 0);
    if (doubled > 0) problems.push(`${table}: ${doubled} natural keys held more than once`);
  }
  return { problems };
}

/**
 * What a car holds from OBD imports, per drive: drives start `spacingMs` apart from `firstMs` (one
 * drive per slot, each far shorter than a slot, so a record's slot names its drive). Samples are
 * counted, trips listed by id (a derived trip starts within its drive).
 */
export type ImportedDrives = Map<number, { samples: number; tripIds: string[] }>;

export async function readImportedDrives(
  db: Kysely<Database>,
  vehicleId: string,
  slots: { firstMs: number; spacingMs: number },
): Promise<ImportedDrives> {
  const drives: ImportedDrives = new Map();
  const slotOf = (at: number) => Math.floor((at - slots.firstMs) / slots.spacingMs);
  const drive = (slot: number) => {
    let found = drives.get(slot);
    if (!found) {
      found = { samples: 0, tripIds: [] };
      drives.set(slot, found);
    }
    return found;
  };
  // Literals, not parameters: both engines then divide integers (better-sqlite3 binds a JS number
  // as a float, and the slot would be a fraction).
  const slot = sql`(at - ${sql.lit(slots.firstMs)}) / ${sql.lit(slots.spacingMs)}`;
  const { rows: counts } = await sql<{ slot: number | string; samples: number | string }>`
    select ${slot} as slot, count(*) as samples
    from samples where vehicle_id = ${vehicleId} and provider = 'obd-import' and at >= ${sql.lit(slots.firstMs)}
    group by ${slot}
  `.execute(db);
  for (const row of counts) drive(Number(row.slot)).samples = Number(row.samples);
  const early = await db
    .selectFrom('samples')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('vehicle_id', '=', vehicleId)
    .where('at', '<', slots.firstMs)
    .executeTakeFirstOrThrow();
  if (Number(early.n) > 0) drive(-1).samples = Number(early.n);
  const trips = await db
    .selectFrom('trips')
    .select(['id', 'started_at'])
    .where('vehicle_id', '=', vehicleId)
    .orderBy('started_at')
    .execute();
  for (const trip of trips) drive(slotOf(trip.started_at)).tripIds.push(trip.id);
  return drives;
}

/** The webhook events stored for a callback: event id → status. */
export async function readWebhookEvents(
  db: Kysely<Database>,
  callbackId: string,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('webhook_events')
    .select(['event_id', 'status'])
    .where('callback_id', '=', callbackId)
    .execute();
  return new Map(rows.map((row) => [row.event_id, row.status]));
}

/** How many rows each provider trip id and alert id has, among `vehicleIds`' records. */
export async function countProviderRecords(
  db: Kysely<Database>,
  vehicleIds: readonly string[],
): Promise<{ trips: Map<string, number>; alerts: Map<string, number> }> {
  const trips = await db
    .selectFrom('trips')
    .select(['provider_trip_id as id'])
    .where('vehicle_id', 'in', vehicleIds)
    .execute();
  const alerts = await db
    .selectFrom('alerts')
    .select(['provider_alert_id as id'])
    .where('vehicle_id', 'in', vehicleIds)
    .execute();
  const tally = (rows: { id: string }[]) => {
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.id, (counts.get(row.id) ?? 0) + 1);
    return counts;
  };
  return { trips: tally(trips), alerts: tally(alerts) };
}
