import 'server-only';
import type { Kysely } from 'kysely';
import { openPostgres } from '../db/client';
import { CopyRefused, copyToPostgres } from '../db/copy-to-postgres';
import { migrateToLatest } from '../db/migrate';
import type { Database } from '../db/schema';
import type { Env } from '../env-schema';
import { CommandError, type CommandResult, UsageError } from './output';

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;

/**
 * `db copy --to <postgres url>` (interfaces.md): the embedded SQLite database into an empty
 * PostgreSQL one, compared table by table afterwards (lib/db/copy-to-postgres.ts). Progress goes
 * to stderr; stop the app and the worker first, so that nothing is written meanwhile.
 */
export async function dbCopyCommand(
  source: Kysely<Database>,
  env: Pick<Env, 'databaseEngine'>,
  values: { to?: string },
  log: (line: string) => void,
): Promise<CommandResult> {
  if (env.databaseEngine !== 'sqlite')
    throw new UsageError('db copy moves the embedded SQLite database: unset DATABASE_URL to run it.');
  const url = values.to;
  if (!url || !POSTGRES_URL.test(url))
    throw new UsageError('db copy needs --to postgres://user@host/database.');
  const target = openPostgres(url, { max: 2 });
  try {
    try {
      await migrateToLatest(target.db);
    } catch (error) {
      throw new CommandError(
        'upstream_unavailable',
        `Could not open the target database: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const report = await copyToPostgres(source, target.db, url, (table) =>
      log(`[db copy] ${table.name}: ${table.rows} rows`),
    );
    if (!report.ok)
      throw new CommandError('copy_mismatch', `The copy differs: ${report.mismatches.join('; ')}`);
    const rows = report.tables.reduce((sum, table) => sum + table.rows, 0);
    return {
      json: { ok: true, tables: report.tables },
      text: `Copied ${report.tables.length} tables (${rows} rows) to PostgreSQL; counts and checksums match.`,
    };
  } catch (error) {
    if (error instanceof CopyRefused) throw new CommandError('conflict', error.message);
    throw error;
  } finally {
    await target.close();
  }
}
