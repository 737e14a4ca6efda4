import 'server-only';
import { type Kysely, sql } from 'kysely';
import { getDbHandle } from './db';
import { getMigrationStatus } from './db/migrate';
import { getUserByEmail } from './db/queries/users';
import type { Database } from './db/schema';
import { DEMO_EMAIL } from './demo/demo-owner';
import { env } from './env';

export type Health = {
  status: 'ok' | 'degraded';
  db: 'sqlite' | 'postgres';
  migrations: 'current' | 'pending' | 'unknown';
  failing?: 'database' | 'migrations';
  demo?: { ready: boolean; peersSynced: number; peersTotal: number };
};

export async function checkHealth(input: {
  db: Kysely<Database>;
  engine: 'sqlite' | 'postgres';
  demo: boolean;
}): Promise<Health> {
  const { db, engine } = input;
  try {
    await sql`select 1`.execute(db);
    const migrations = await getMigrationStatus(db);
    if (migrations !== 'current')
      return { status: 'degraded', db: engine, migrations, failing: 'migrations' };
    const health: Health = { status: 'ok', db: engine, migrations };
    if (input.demo) {
      // Cars and peers arrive with the ingest worker; until then the demo is ready once its owner
      // is seeded.
      const owner = await getUserByEmail(db, DEMO_EMAIL);
      health.demo = { ready: owner !== null, peersSynced: 0, peersTotal: 0 };
    }
    return health;
  } catch (error) {
    console.error('[health] database check failed:', error instanceof Error ? error.message : error);
    return { status: 'degraded', db: engine, migrations: 'unknown', failing: 'database' };
  }
}

export function getHealth(): Promise<Health> {
  return checkHealth({ db: getDbHandle().db, engine: env.databaseEngine, demo: env.DEMO });
}
