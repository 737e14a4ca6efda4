import 'server-only';
import { type Kysely, sql } from 'kysely';
import { getDbHandle } from './db';
import { getMigrationStatus } from './db/migrate';
import { getUserByEmail } from './db/queries/users';
import type { Database } from './db/schema';
import { DEMO_EMAIL } from './demo/demo-owner';
import { PEER_EMAIL_DOMAIN } from './demo/peers';
import { env } from './env';
import { demoLinkedPeers } from './env-schema';

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
  /** The peers the demo links (SIM_PEERS): the total before the worker has linked them all. */
  peersExpected?: number;
}): Promise<Health> {
  const { db, engine } = input;
  try {
    await sql`select 1`.execute(db);
    const migrations = await getMigrationStatus(db);
    if (migrations !== 'current')
      return { status: 'degraded', db: engine, migrations, failing: 'migrations' };
    const health: Health = { status: 'ok', db: engine, migrations };
    if (input.demo) health.demo = await demoWarmUp(db, input.peersExpected ?? 0);
    return health;
  } catch (error) {
    console.error('[health] database check failed:', error instanceof Error ? error.message : error);
    return { status: 'degraded', db: engine, migrations: 'unknown', failing: 'database' };
  }
}

/**
 * The demo's warm-up, from the sync worker's state (interfaces.md › /api/health):
 * - `ready` once the demo owner has linked cars and every one of them has synced at least once;
 * - `peersTotal`: the simulated peers (Kinetic users under the reserved peer domain, see
 *   lib/worker/simulated-owners.ts) linked so far, or SIM_PEERS while fewer are linked;
 * - `peersSynced`: peers whose linked cars have all synced at least once.
 */
export async function demoWarmUp(
  db: Kysely<Database>,
  peersExpected: number,
): Promise<NonNullable<Health['demo']>> {
  const owner = await getUserByEmail(db, DEMO_EMAIL);
  const perOwner = await db
    .selectFrom('sync_state as s')
    .innerJoin('vehicles as v', 'v.id', 's.vehicle_id')
    .innerJoin('users as u', 'u.id', 'v.user_id')
    .select((eb) => [
      'u.id as userId',
      eb.fn.countAll<number | string>().as('cars'),
      eb.fn.count<number | string>('s.last_synced_at').as('synced'),
    ])
    .where((eb) => eb.or([eb('u.email', 'like', `%@${PEER_EMAIL_DOMAIN}`), eb('u.id', '=', owner?.id ?? '')]))
    .groupBy('u.id')
    .execute();
  let ready = false;
  let peersLinked = 0;
  let peersSynced = 0;
  for (const row of perOwner) {
    const done = Number(row.cars) > 0 && Number(row.synced) === Number(row.cars);
    if (owner && row.userId === owner.id) {
      ready = done;
      continue;
    }
    peersLinked++;
    if (done) peersSynced++;
  }
  return { ready, peersSynced, peersTotal: Math.max(peersExpected, peersLinked) };
}

/** How far the embedded default has brought its simulated peers in; null without the demo. */
export async function peersWarmUp(): Promise<{ synced: number; total: number } | null> {
  if (!env.DEMO) return null;
  const demo = await demoWarmUp(getDbHandle().db, env.SIM_TEST_TOKENS ? demoLinkedPeers(env) : 0);
  return { synced: demo.peersSynced, total: demo.peersTotal };
}

export function getHealth(): Promise<Health> {
  return checkHealth({
    db: getDbHandle().db,
    engine: env.databaseEngine,
    demo: env.DEMO,
    peersExpected: env.SIM_TEST_TOKENS ? demoLinkedPeers(env) : 0,
  });
}
