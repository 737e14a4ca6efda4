import 'server-only';
import { type Kysely, Migrator, sql } from 'kysely';
import { MIGRATION_NAMES, migrationProvider } from './migrations';
import type { Database } from './schema';

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

/**
 * Whether every known migration has been applied. A plain read of Kysely's bookkeeping table:
 * the Migrator's own status call creates its tables and takes a lock, too heavy for a health
 * check that load balancers call every few seconds.
 */
export async function getMigrationStatus(db: Kysely<Database>): Promise<'current' | 'pending'> {
  let applied: Set<string>;
  try {
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    applied = new Set(rows.rows.map((row) => row.name));
  } catch {
    // No bookkeeping table yet: nothing has been applied.
    return 'pending';
  }
  return MIGRATION_NAMES.every((name) => applied.has(name)) ? 'current' : 'pending';
}
