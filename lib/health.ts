import 'server-only';
import { sql } from 'kysely';
import { getDbHandle } from './db';
import { getMigrationStatus } from './db/migrate';
import { getUserByEmail } from './db/queries/users';
import { DEMO_EMAIL } from './demo/demo-owner';
import { env } from './env';

export type Health = {
  status: 'ok' | 'degraded';
  db: 'sqlite' | 'postgres';
  migrations: 'current' | 'pending' | 'unknown';
  failing?: 'database' | 'migrations';
  demo?: { ready: boolean; peersSynced: number; peersTotal: number };
};

export async function getHealth(): Promise<Health> {
  const engine = env.databaseEngine;
  try {
    const { db } = getDbHandle();
    await sql`select 1`.execute(db);
    const migrations = await getMigrationStatus(db);
    if (migrations !== 'current')
      return { status: 'degraded', db: engine, migrations, failing: 'migrations' };
    const health: Health = { status: 'ok', db: engine, migrations };
    if (env.DEMO) {
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
