import 'server-only';
import type { Kysely } from 'kysely';
import type { TokenCipher } from '../crypto/token-cipher';
import { getMigrationStatus } from '../db/migrate';
import { listCarAccounts } from '../db/queries/car-accounts';
import { pruneRawSamples } from '../db/queries/retention';
import { sanitizeSyncError } from '../db/queries/sync-state';
import { getUserByEmail } from '../db/queries/users';
import type { Database } from '../db/schema';
import { DEMO_EMAIL } from '../demo/demo-owner';
import { demoLinkedPeers, type Env } from '../env-schema';
import { psaConfigFromEnv, psaConfigFromSimulator } from '../vehicle-api/psa-config';
import type { TokenEndpoint } from '../vehicle-api/psa-v4/tokens';
import { failureBackoffDelay, LINK_RETRY_BACKOFF } from './cadence';
import {
  type CallbackSubscriber,
  createCallbackSubscriber,
  webhookTargetFromEnv,
} from './callback-subscriptions';
import { createProviderFactory, providerConfigOf } from './providers';
import { linkPeers, linkSimulatedOwner, type SimOwnersPage, simulatorTestApi } from './simulated-owners';
import { createStopSignal, type StopSignal } from './stop-signal';
import { createSyncWorker, type SyncWorker } from './sync-worker';

// `npm run worker`: what the process does, apart from reading its configuration (scripts/worker.ts).
//
// Configuration (lib/env.ts): DATABASE_URL / KINETIC_DATA_DIR (the app's database),
// TOKEN_ENCRYPTION_KEY (or the generated key file: the same cipher as the app), DEMO and
// SIM_TEST_TOKENS (the embedded demo is linked only when both are on), SIM_PORT (the simulator on
// this machine: http://127.0.0.1:SIM_PORT), SIM_PEERS and DEMO_LINKED_PEERS (how many peers to link).
//
// PSA_* variables configure the real API (lib/vehicle-api/psa-config.ts); without them and with
// the demo on, PSA v4 and v1 point at the simulator with the brand applications /sim/owners lists
// (v1's API key is the brand application's client id).
//
// Callbacks: the worker subscribes every active v4 account with linked cars to PSA's webhooks
// (callback-subscriptions.ts), aimed at AUTH_URL's /api/webhooks/psa, else http://localhost:PORT's.
// PSA delivers only to a public HTTPS target, so against the real API that needs an https AUTH_URL;
// the simulator delivers to the local app.

export type WorkerProcess = { worker: SyncWorker; stop(): Promise<void> };

const SIMULATOR_WAIT_MS = 60_000;
const DEMO_CHECK_MS = 15_000;

const PRUNE_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Retention (KINETIC_RAW_RETENTION_DAYS): once an hour, raw samples older than the setting go;
 * rollups, trips and events stay (lib/db/queries/retention.ts). Two workers pruning at once is
 * safe, only wasted work.
 */
async function pruneEveryHour(db: Kysely<Database>, days: number, signal: StopSignal): Promise<void> {
  while (!signal.stopped) {
    try {
      const report = await pruneRawSamples(db, { olderThanMs: Date.now() - days * DAY_MS });
      if (report.deletedSamples > 0 || report.droppedPartitions.length > 0) {
        console.log(
          `[worker] retention: ${report.deletedSamples} raw samples deleted, ${report.droppedPartitions.length} partitions dropped, ${report.refreshedRanges} ranges rolled up first`,
        );
      }
    } catch (error) {
      console.error(
        `[worker] retention failed: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`,
      );
    }
    await signal.sleep(PRUNE_EVERY_MS);
  }
}

/**
 * Whether the demo owner exists with a linked account that links cars (a demo reset removes all
 * of it; a link whose car listing failed leaves the account without cars).
 */
async function demoOwnerLinked(db: Kysely<Database>): Promise<boolean> {
  const owner = await getUserByEmail(db, DEMO_EMAIL);
  if (!owner) return false;
  return (await listCarAccounts(db, owner.id)).some(
    (account) => account.status !== 'disconnected' && account.vehicles.length > 0,
  );
}

/**
 * `kinetic demo reset` deletes the demo owner with its accounts, and a link can fail (the maker's
 * API listing the cars): link it again when either happens, rather than leaving the demo without
 * cars until the worker restarts. A check that fails (the
 * database restarting) waits for the next round: a rejection left unhandled here would end the
 * whole worker.
 */
export async function watchDemoOwner(input: {
  db: Kysely<Database>;
  signal: StopSignal;
  everyMs: number;
  link: () => Promise<void>;
}): Promise<void> {
  while (!input.signal.stopped) {
    await input.signal.sleep(input.everyMs);
    if (input.signal.stopped) return;
    const linked = await demoOwnerLinked(input.db).catch((error: unknown) => {
      console.error(
        `[worker] demo check failed: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`,
      );
      return true;
    });
    if (!linked) await input.link();
  }
}

async function waitForSimulator(
  api: ReturnType<typeof simulatorTestApi>,
  isStopped: () => boolean,
): Promise<SimOwnersPage | null> {
  const deadline = Date.now() + SIMULATOR_WAIT_MS;
  for (;;) {
    try {
      return await api.owners(0, 1);
    } catch (error) {
      if (isStopped() || Date.now() > deadline) {
        console.error(
          `[worker] the simulator's test endpoints do not answer (${sanitizeSyncError(error instanceof Error ? error.message : String(error))})`,
        );
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function startWorkerProcess(input: {
  env: Env;
  db: Kysely<Database>;
  cipher: TokenCipher;
}): Promise<WorkerProcess> {
  const { env, db, cipher } = input;
  if ((await getMigrationStatus(db)) !== 'current') {
    throw new Error('the database schema is not current: run `npm run migrate` (npm start does it)');
  }
  const signal = createStopSignal();
  const demo = env.DEMO && env.SIM_TEST_TOKENS;
  const simOrigin = `http://127.0.0.1:${env.SIM_PORT}`;
  const api = simulatorTestApi(simOrigin);
  const page = demo ? await waitForSimulator(api, () => signal.stopped) : null;

  // A real application from the environment wins; else the simulator's applications.
  const config = psaConfigFromEnv(env) ?? (page ? await psaConfigFromSimulator(env.SIM_PORT) : null);
  const { psaV4, psaV1 } = config ? providerConfigOf(config) : { psaV4: null, psaV1: null };
  if (!psaV4)
    console.log('[worker] no PSA configuration (demo off or simulator unreachable): nothing to sync yet');

  const refresh = new Map<string, TokenEndpoint>();
  const providers = createProviderFactory({
    db,
    cipher,
    psaV4,
    psaV1,
    refreshEndpointFor: (accountId) => refresh.get(accountId),
  });
  const worker = createSyncWorker({ db, providers });
  const target = webhookTargetFromEnv(env);
  const reachable = config?.source !== 'environment' || target.startsWith('https://');
  const subscriber: CallbackSubscriber | null =
    psaV4 && reachable
      ? createCallbackSubscriber({ db, providers, target, workerId: worker.workerId })
      : null;
  if (psaV4 && !reachable) {
    console.log('[worker] callbacks off: PSA delivers webhooks to an https AUTH_URL only; polling alone');
  }
  const linkOptions = {
    db,
    cipher,
    api,
    providers,
    registerRefresh: (accountId: string, endpoint: TokenEndpoint) => refresh.set(accountId, endpoint),
  };

  let peers: Promise<unknown> = Promise.resolve();
  let demoWatch: Promise<unknown> = Promise.resolve();
  if (page) {
    const demoOwner = page.owners[0];
    if (demoOwner) {
      // Demo owner first: its cars are due before any peer's, so the first passes sync them.
      const linkDemo = async () => {
        try {
          const linked = await linkSimulatedOwner(linkOptions, demoOwner, true);
          console.log(`[worker] demo owner linked: ${linked.vehicles.length} car(s)`);
        } catch (error) {
          console.error(
            `[worker] could not link the demo owner: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`,
          );
        }
      };
      await linkDemo();
      // A link can also fail (the maker's API listing the cars): watchDemoOwner links again then.
      demoWatch = watchDemoOwner({ db, signal, everyMs: DEMO_CHECK_MS, link: linkDemo });
    }
    const count = Math.max(0, Math.min(demoLinkedPeers(env), page.total - 1));
    peers = linkPeers({
      ...linkOptions,
      peers: count,
      stopped: () => signal.stopped,
      log: console.log,
      // A peer whose cars could not be listed (the maker's API failing) is tried again, with backoff.
      retry: (attempt) => signal.sleep(failureBackoffDelay(attempt, Math.random, LINK_RETRY_BACKOFF)),
    })
      .then((linked) => console.log(`[worker] ${linked} of ${count} peers linked`))
      .catch((error: unknown) =>
        console.error(
          `[worker] linking peers stopped: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`,
        ),
      );
  }

  const pruning =
    env.KINETIC_RAW_RETENTION_DAYS === undefined
      ? Promise.resolve()
      : pruneEveryHour(db, env.KINETIC_RAW_RETENTION_DAYS, signal);

  const running = worker.run();
  const subscribing = subscriber?.run() ?? Promise.resolve();
  console.log(`[worker] ${worker.workerId} syncing`);
  return {
    worker,
    async stop() {
      signal.stop();
      await subscriber?.stop();
      await worker.stop();
      await running;
      await subscribing;
      await peers;
      await demoWatch;
      await pruning;
    },
  };
}
