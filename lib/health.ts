import 'server-only';
import { type Kysely, sql } from 'kysely';
import { getDbHandle } from './db';
import { getMigrationStatus } from './db/migrate';
import { ownersWithTripsToScore } from './db/queries/trip-scores';
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

type DemoWarmUp = NonNullable<Health['demo']>;

export async function checkHealth(input: {
  db: Kysely<Database>;
  engine: 'sqlite' | 'postgres';
  /** In the demo: true reads the warm-up from `db`; the app passes its shared reading instead. */
  demo: boolean | (() => Promise<DemoWarmUp>);
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
    if (typeof input.demo === 'function') health.demo = await input.demo();
    else if (input.demo) health.demo = await demoWarmUp(db, input.peersExpected ?? 0);
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
 * - `peersSynced`: peers brought in for the rankings: every linked car has synced, none has data
 *   left at the provider (a first sync's month comes over several syncs), and none of their
 *   finished trips still waits for its score. Until then their standings are not final.
 */
export async function demoWarmUp(db: Kysely<Database>, peersExpected: number): Promise<DemoWarmUp> {
  const owner = await getUserByEmail(db, DEMO_EMAIL);
  const perOwner = await db
    .selectFrom('sync_state as s')
    .innerJoin('vehicles as v', 'v.id', 's.vehicle_id')
    .innerJoin('users as u', 'u.id', 'v.user_id')
    .select((eb) => [
      'u.id as userId',
      eb.fn.countAll<number | string>().as('cars'),
      eb.fn.count<number | string>('s.last_synced_at').as('synced'),
      eb.fn.sum<number | string>('s.backlog').as('behind'),
    ])
    .where((eb) => eb.or([eb('u.email', 'like', `%@${PEER_EMAIL_DOMAIN}`), eb('u.id', '=', owner?.id ?? '')]))
    .groupBy('u.id')
    .execute();
  const synced = (row: (typeof perOwner)[number]) =>
    Number(row.cars) > 0 && Number(row.synced) === Number(row.cars);
  let ready = false;
  const caughtUp: string[] = [];
  for (const row of perOwner) {
    if (owner && row.userId === owner.id) ready = synced(row);
    else if (synced(row) && Number(row.behind) === 0) caughtUp.push(row.userId);
  }
  const peersLinked = perOwner.filter((row) => !owner || row.userId !== owner.id).length;
  const scoring = await ownersWithTripsToScore(db, caughtUp);
  const peersSynced = caughtUp.filter((userId) => !scoring.has(userId)).length;
  return { ready, peersSynced, peersTotal: Math.max(peersExpected, peersLinked) };
}

const WARM_UP_FRESH_MS = 2_000;
let warmUpDone: DemoWarmUp | null = null;
let warmUpRecent: { at: number; value: Promise<DemoWarmUp> } | null = null;

/**
 * The app's view of the warm-up: once every peer is in, it stays done for the life of the process
 * (peers keep driving, and a trip waiting two seconds for its score is not a warm-up; /api/health
 * then costs no demo query at all). Until then a reading is reused for 2 s, so pollers and pages
 * share it.
 */
function appDemoWarmUp(): Promise<DemoWarmUp> {
  if (warmUpDone) return Promise.resolve(warmUpDone);
  const now = Date.now();
  if (warmUpRecent && now - warmUpRecent.at < WARM_UP_FRESH_MS) return warmUpRecent.value;
  const value = demoWarmUp(getDbHandle().db, env.SIM_TEST_TOKENS ? demoLinkedPeers(env) : 0).then((demo) => {
    if (demo.ready && demo.peersSynced >= demo.peersTotal) warmUpDone = demo;
    return demo;
  });
  warmUpRecent = { at: now, value };
  // A failed reading is not reused.
  value.catch(() => {
    if (warmUpRecent?.value === value) warmUpRecent = null;
  });
  return value;
}

/** How far the embedded default has brought its simulated peers in; null without the demo. */
export async function peersWarmUp(): Promise<{ synced: number; total: number } | null> {
  if (!env.DEMO) return null;
  const demo = await appDemoWarmUp();
  return { synced: demo.peersSynced, total: demo.peersTotal };
}

export function getHealth(): Promise<Health> {
  return checkHealth({
    db: getDbHandle().db,
    engine: env.databaseEngine,
    demo: env.DEMO ? appDemoWarmUp : false,
  });
}
