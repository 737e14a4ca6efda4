import 'server-only';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { createTokenCipher } from '../crypto/token-cipher';
import type { Database } from '../db/schema';
import { SimClock } from '../simulator/clock';
import { createSimContext } from '../simulator/context';
import type { FaultRule } from '../simulator/faults/rules';
import { FaultSwitchboard } from '../simulator/faults/switchboard';
import { oauthRoutes } from '../simulator/oauth/identity-provider';
import { createSimulatorServer } from '../simulator/server';
import { testRoutes } from '../simulator/test-endpoints';
import { createV4Routes } from '../simulator/v4/user-routes';
import type { TokenEndpoint } from '../vehicle-api/psa-v4/tokens';
import {
  createProviderFactory,
  type ProviderFactory,
  type ProviderFactoryOptions,
  type PsaV4App,
} from './providers';
import { appsOf, type SimulatorTestApi, simulatorTestApi } from './simulated-owners';

// TEST SUPPORT ONLY: the simulated vehicle cloud in-process with its /sim/* test endpoints on
// (identity providers, PSA v4, test tokens), on a free local port with a frozen clock, and the
// worker's provider factory wired to it by base URLs and credentials only.

export const CLOUD_NOW = Date.parse('2026-03-01T08:00:00Z');

export async function startTestCloud(options: { peers?: number; seed?: string } = {}) {
  const seed = options.seed ?? 'worker-tests';
  const clock = new SimClock({ now: CLOUD_NOW, frozen: true });
  const ctx = createSimContext({
    seed,
    peers: options.peers ?? 2,
    clock,
    testEndpoints: true,
    faults: new FaultSwitchboard(undefined, { seed }),
  });
  // Frozen clock: every call falls in one second, so the per-second gateway limit is lifted.
  const server = createSimulatorServer(
    ctx,
    [oauthRoutes, testRoutes, createV4Routes({ rateLimit: { perSecond: 1_000_000 } })],
    { webhooks: false },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const setFaults = (rules: FaultRule[]) => ctx.faults.set({ rules });
  return { ctx, clock, origin, close, setFaults };
}

export type TestCloud = Awaited<ReturnType<typeof startTestCloud>>;

/** The worker's wiring against the test cloud: counting test-token requests. */
export async function wireWorker(
  cloud: TestCloud,
  db: Kysely<Database>,
  options: {
    withClientSecrets?: boolean;
    now?: () => number;
    resilience?: ProviderFactoryOptions['resilience'];
    /** How far the first sync reaches back (default a day). */
    backfillMs?: number;
    /** The HTTP transport under the resilience layer (default the real one, plainHttp). */
    transport?: ProviderFactoryOptions['transport'];
  } = {},
) {
  const counts = { tokenRequests: 0 };
  const plainApi = simulatorTestApi(cloud.origin);
  const api: SimulatorTestApi = {
    owners: plainApi.owners,
    tokens: (owner) => {
      counts.tokenRequests++;
      return plainApi.tokens(owner);
    },
  };
  const page = await api.owners(0, 1);
  let apps: PsaV4App[] = appsOf(page);
  if (options.withClientSecrets) {
    apps = apps.map((app) => ({
      ...app,
      clientSecret: cloud.ctx.world.clients.find((client) => client.brand === app.brand)?.clientSecret ?? '',
    }));
  }
  const refresh = new Map<string, TokenEndpoint>();
  const now = options.now ?? (() => cloud.clock.now());
  const cipher = createTokenCipher(randomBytes(32));
  const providers: ProviderFactory = createProviderFactory({
    db,
    cipher,
    now,
    psaV4: {
      apiBaseUrl: `${cloud.origin}/connectedcar/v4`,
      tokenUrl: `${cloud.origin}/am/oauth2/access_token`,
      apps,
    },
    refreshEndpointFor: (accountId) => refresh.get(accountId),
    resilience: { baseDelayMs: 1, capDelayMs: 5, maxWaitMs: 0, ...options.resilience },
    ...(options.transport ? { transport: options.transport } : {}),
    // A day of history keeps the first sync small.
    psaV4Sync: { backfillMs: options.backfillMs ?? 24 * 3_600_000 },
  });
  const linkOptions = {
    db,
    cipher,
    api,
    providers,
    now,
    registerRefresh: (accountId: string, endpoint: TokenEndpoint) => refresh.set(accountId, endpoint),
  };
  return { api, page, providers, counts, cipher, linkOptions, now };
}
