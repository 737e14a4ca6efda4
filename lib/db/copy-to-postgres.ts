import 'server-only';
import { createHash } from 'node:crypto';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { sqliteDatabaseOf } from './client';
import { type CopyType, type CopyValue, encodeCopyBinary } from './queries/sample-copy';
import { ensureSamplePartitions } from './queries/sample-upsert';
import type { Database } from './schema';

// `kinetic db copy --to <postgres url>`: an embedded installation moves to PostgreSQL with nothing
// lost. The rules:
//
//  1. The target is migrated to the same schema first and must hold no data: a copy never merges
//     into a database in use.
//  2. Every table of the schema is copied (the migrations' own bookkeeping excepted: the target
//     has its own), parents before children, each in one transaction, by binary COPY in chunks.
//  3. Afterwards each table is read back from PostgreSQL and compared with what was read from
//     SQLite: the row count, and a checksum that does not depend on row order (the sum of every
//     row's SHA-256 prefix). Values are compared as the target column holds them: a `real`
//     column keeps 7 significant digits on PostgreSQL, exactly as when the app writes there
//     itself, so both sides are rounded to float4 before hashing.
//  4. SQLite is only read. If anything differs the command fails and says which table; the
//     target can be dropped and the copy run again.

const CHUNK_ROWS = 20_000;
const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

export type CopiedTable = { name: string; rows: number; checksum: string };
export type CopyReport = { ok: boolean; tables: CopiedTable[]; mismatches: string[] };

export class CopyRefused extends Error {
  override name = 'CopyRefused';
}

type Column = { name: string; type: CopyType };
type Table = { name: string; columns: Column[] };

const COPY_TYPES: Record<string, CopyType> = {
  text: 'text',
  'character varying': 'text',
  integer: 'integer',
  bigint: 'bigint',
  real: 'real',
  'double precision': 'double precision',
};

/** The target's tables (partitions excepted), parents before children, with their column types. */
async function schemaOf(target: Kysely<Database>): Promise<Table[]> {
  const tables = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
    order by c.relname`.execute(target);
  const links = await sql<{ child: string; parent: string }>`
    select conrelid::regclass::text as child, confrelid::regclass::text as parent from pg_constraint
    where contype = 'f' and connamespace = current_schema()::regnamespace`.execute(target);
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = current_schema() order by table_name, ordinal_position`.execute(target);

  const names = tables.rows.map((row) => row.name).filter((name) => !MIGRATION_TABLES.has(name));
  const ordered: string[] = [];
  const placed = new Set<string>();
  const place = (name: string, path: Set<string>) => {
    if (placed.has(name) || path.has(name)) return;
    path.add(name);
    for (const link of links.rows) if (link.child === name && link.parent !== name) place(link.parent, path);
    placed.add(name);
    ordered.push(name);
  };
  for (const name of names) place(name, new Set());

  return ordered.map((name) => ({
    name,
    columns: columns.rows
      .filter((column) => column.table_name === name)
      .map((column) => {
        const type = COPY_TYPES[column.data_type];
        if (!type) throw new CopyRefused(`${name}.${column.column_name} has a type the copy does not know`);
        return { name: column.column_name, type };
      }),
  }));
}

/** A value as the target column holds it (rule 3). */
function normalized(type: CopyType, value: unknown): CopyValue {
  if (value === null || value === undefined) return null;
  if (type === 'text') return String(value);
  const number = Number(value);
  return type === 'real' ? Math.fround(number) : number;
}

/** Order-independent checksum: the sum of every row's hash, as 32 hex digits. */
class TableChecksum {
  private sum = 0n;
  rows = 0;
  add(values: readonly CopyValue[]): void {
    const digest = createHash('sha256').update(JSON.stringify(values)).digest();
    this.sum = (this.sum + digest.readBigUInt64BE(0) * 2n ** 64n + digest.readBigUInt64BE(8)) % 2n ** 128n;
    this.rows++;
  }
  get hex(): string {
    return this.sum.toString(16).padStart(32, '0');
  }
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Copies one table (rule 2), returning the checksum of what SQLite held. */
async function copyTable(source: Kysely<Database>, target: Kysely<Database>, table: Table) {
  const sqlite = sqliteDatabaseOf(source);
  if (!sqlite) throw new CopyRefused('the source is not an embedded SQLite database');
  const info = sqlite.prepare(`pragma table_info(${quoted(table.name)})`).all() as {
    name: string;
    pk: number;
  }[];
  const known = new Set(info.map((column) => column.name));
  // Chunks follow the primary key (samples and rollups have no rowid), else the rowid.
  const keys = info
    .filter((column) => column.pk > 0)
    .sort((x, y) => x.pk - y.pk)
    .map((column) => column.name);
  const key = keys.length > 0 ? keys.map(quoted) : ['rowid'];
  const missing = table.columns.filter((column) => !known.has(column.name));
  if (missing.length > 0)
    throw new CopyRefused(`${table.name} lacks ${missing.map((c) => c.name).join(', ')} in SQLite`);

  const list = table.columns.map((column) => quoted(column.name)).join(', ');
  const types = table.columns.map((column) => column.type);
  const copy = `copy ${quoted(table.name)} (${list}) from stdin (format binary)`;
  const checksum = new TableChecksum();
  await target.transaction().execute(async (trx) => {
    if (table.name === 'samples') {
      const span = sqlite.prepare('select min(at) as low, max(at) as high from samples').get() as {
        low: number | null;
        high: number | null;
      };
      if (span.low !== null && span.high !== null) await ensureSamplePartitions(trx, span.low, span.high);
    }
    // Read in chunks along the key, so that no SQLite statement stays open across the awaits.
    const select = `select ${key.join(', ')}, ${list} from ${quoted(table.name)}`;
    const order = `order by ${key.join(', ')} limit ${CHUNK_ROWS}`;
    const first = sqlite.prepare(`${select} ${order}`).raw(true);
    const next = sqlite
      .prepare(`${select} where (${key.join(', ')}) > (${key.map(() => '?').join(', ')}) ${order}`)
      .raw(true);
    let last: unknown[] | null = null;
    for (;;) {
      const rows = (last === null ? first.all() : next.all(...last)) as unknown[][];
      if (rows.length === 0) break;
      const values: CopyValue[] = [];
      for (const row of rows) {
        const tuple = types.map((type, index) => normalized(type, row[index + key.length]));
        checksum.add(tuple);
        values.push(...tuple);
      }
      last = (rows[rows.length - 1] as unknown[]).slice(0, key.length);
      await trx.executeQuery(CompiledQuery.raw(copy, [encodeCopyBinary(types, values)]));
      if (rows.length < CHUNK_ROWS) break;
    }
  });
  return checksum;
}

/** COPY's text-format escapes (`\t`, `\n`, …); any other escaped character stands for itself. */
const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v' };

/** One row of COPY's text format, as the target column holds it (\N is null). */
function rowOfText(line: string, table: Table): CopyValue[] {
  const fields = line.split('\t');
  return table.columns.map((column, index) => {
    const field = fields[index] as string;
    if (field === '\\N') return null;
    const text = field.includes('\\')
      ? field.replaceAll(/\\(.)/g, (_whole, code: string) => ESCAPES[code] ?? code)
      : field;
    return normalized(column.type, text);
  });
}

/** Reads a table back from PostgreSQL (rule 3) on `client` and returns its checksum. */
async function checksumOfTarget(client: pg.Client, table: Table): Promise<TableChecksum> {
  const checksum = new TableChecksum();
  const list = table.columns.map((column) => quoted(column.name)).join(', ');
  // A query rather than the table: a partitioned table (samples) cannot be copied out directly.
  const stream = client.query(copyTo(`copy (select ${list} from ${quoted(table.name)}) to stdout`));
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) checksum.add(rowOfText(line, table));
  }
  if (rest !== '') checksum.add(rowOfText(rest, table));
  return checksum;
}

/** Rule 1: the target holds no rows in any table it is about to receive. */
async function refuseUnlessEmpty(target: Kysely<Database>, tables: readonly Table[]): Promise<void> {
  for (const table of tables) {
    const found = await sql<{
      found: number;
    }>`select 1 as found from ${sql.table(table.name)} limit 1`.execute(target);
    if (found.rows.length > 0)
      throw new CopyRefused(
        `the target database already holds data (table ${table.name}); copy into an empty database`,
      );
  }
}

/**
 * Copies every table of the (migrated) SQLite `source` into the (migrated) PostgreSQL `target`
 * at `targetUrl`, then compares both (rules 1–4). `onTable` hears of each table as it is done.
 */
export async function copyToPostgres(
  source: Kysely<Database>,
  target: Kysely<Database>,
  targetUrl: string,
  onTable: (table: CopiedTable) => void = () => {},
): Promise<CopyReport> {
  const tables = await schemaOf(target);
  await refuseUnlessEmpty(target, tables);
  const report: CopyReport = { ok: true, tables: [], mismatches: [] };
  // One connection reads every table back.
  const reader = new pg.Client({ connectionString: targetUrl });
  await reader.connect();
  try {
    // Floats printed exactly (PostgreSQL 12+ prints the shortest text that reads back the same).
    await reader.query('set extra_float_digits = 1');
    for (const table of tables) {
      const copied = await copyTable(source, target, table);
      const read = await checksumOfTarget(reader, table);
      const entry = { name: table.name, rows: copied.rows, checksum: copied.hex };
      if (read.rows !== copied.rows || read.hex !== copied.hex) {
        report.ok = false;
        report.mismatches.push(
          `${table.name}: ${copied.rows} rows read from SQLite, ${read.rows} in PostgreSQL` +
            (read.rows === copied.rows ? ' with different values' : ''),
        );
      }
      report.tables.push(entry);
      onTable(entry);
    }
  } finally {
    await reader.end();
  }
  return report;
}
