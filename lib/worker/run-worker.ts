import 'server-only';
import type { Kysely } from 'kysely';
import type { TokenCipher } from '../crypto/token-cipher';
import { getMigrationStatus } from '../db/migrate';
import { sanitizeSyncError } from '../db/queries/sync-state';
import type { Database } from '../db/schema';
import type { Env } from '../env-schema';
import type { TokenEndpoint } from '../vehicle-api/psa-v4/tokens';
import { createProviderFactory, type PsaV4Config } from './providers';
import {
  appsOf,
  linkPeers,
  linkSimulatedOwner,
  type SimOwnersPage,
  simulatorTestApi,
} from './simulated-owners';
import { createSyncWorker, type SyncWorker } from './sync-worker';

// `npm run worker`: what the process does, apart from reading its configuration (scripts/worker.ts).
//
// Configuration (lib/env.ts): DATABASE_URL / KINETIC_DATA_DIR (the app's database),
// TOKEN_ENCRYPTION_KEY (or the generated key file: the same cipher as the app), DEMO and
// SIM_TEST_TOKENS (the embedded demo is linked only when both are on), SIM_PORT (the simulator on
// this machine: http://127.0.0.1:SIM_PORT), SIM_PEERS (how many peers to link).
//
// With the demo on, PSA v4 points at the simulator with the brand applications /sim/owners lists.
// Real PSA endpoints and credentials have no configuration yet (the sign-in slice adds them); until
// then a worker without the demo leases nothing it could sync and says so.

export type WorkerProcess = { worker: SyncWorker; stop(): Promise<void> };

const SIMULATOR_WAIT_MS = 60_000;

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
  let stopped = false;
  const demo = env.DEMO && env.SIM_TEST_TOKENS;
  const simOrigin = `http://127.0.0.1:${env.SIM_PORT}`;
  const api = simulatorTestApi(simOrigin);
  const page = demo ? await waitForSimulator(api, () => stopped) : null;

  const psaV4: PsaV4Config | null = page
    ? {
        apiBaseUrl: `${simOrigin}/connectedcar/v4`,
        tokenUrl: `${simOrigin}/am/oauth2/access_token`,
        apps: appsOf(page),
      }
    : null;
  if (!psaV4)
    console.log('[worker] no PSA v4 configuration (demo off or simulator unreachable): nothing to sync yet');

  const refresh = new Map<string, TokenEndpoint>();
  const providers = createProviderFactory({
    db,
    cipher,
    psaV4,
    refreshEndpointFor: (accountId) => refresh.get(accountId),
  });
  const worker = createSyncWorker({ db, providers });
  const linkOptions = {
    db,
    cipher,
    api,
    providers,
    registerRefresh: (accountId: string, endpoint: TokenEndpoint) => refresh.set(accountId, endpoint),
  };

  let peers: Promise<unknown> = Promise.resolve();
  if (page) {
    const demoOwner = page.owners[0];
    if (demoOwner) {
      // Demo owner first: its cars are due before any peer's, so the first passes sync them.
      try {
        const linked = await linkSimulatedOwner(linkOptions, demoOwner, true);
        console.log(`[worker] demo owner linked: ${linked.vehicles.length} car(s)`);
      } catch (error) {
        console.error(
          `[worker] could not link the demo owner: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`,
        );
      }
    }
    const count = Math.max(0, Math.min(env.SIM_PEERS, page.total - 1));
    peers = linkPeers({ ...linkOptions, peers: count, stopped: () => stopped, log: console.log })
      .then((linked) => console.log(`[worker] ${linked} of ${count} peers linked`))
      .catch((error: unknown) =>
        console.error(
          `[worker] linking peers stopped: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`,
        ),
      );
  }

  const running = worker.run();
  console.log(`[worker] ${worker.workerId} syncing`);
  return {
    worker,
    async stop() {
      stopped = true;
      await worker.stop();
      await running;
      await peers;
    },
  };
}
