import 'server-only';
import { type Kysely, Migrator } from 'kysely';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

function migratorFor(db: Kysely<Database>) {
  return new Migrator({ db, provider: migrationProvider });
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await migratorFor(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

export async function getMigrationStatus(db: Kysely<Database>): Promise<'current' | 'pending'> {
  const migrations = await migratorFor(db).getMigrations();
  return migrations.every((migration) => migration.executedAt !== undefined) ? 'current' : 'pending';
}
