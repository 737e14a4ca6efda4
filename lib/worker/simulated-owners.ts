import 'server-only';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { linkInputOf } from '../car-accounts/maker-link';
import type { TokenCipher } from '../crypto/token-cipher';
import { connectCarAccount, type LinkedVehicle, linkVehicles } from '../db/queries/car-accounts';
import { sanitizeSyncError } from '../db/queries/sync-state';
import { ensurePasswordlessUser } from '../db/queries/users';
import type { Database } from '../db/schema';
import { ensureDemoOwner } from '../demo/demo-owner';
import { peerEmail } from '../demo/peers';
import { joinPublicBoards } from '../leaderboards/listings';
import type { RefreshedTokens, TokenEndpoint } from '../vehicle-api/psa-v4/tokens';
import { TokenRefreshFailedError } from '../vehicle-api/psa-v4/tokens';
import type { ProviderFactory, PsaV4App } from './providers';

// The embedded default's demo: the simulated vehicle cloud's owners enter Kinetic the way any
// owner's data does. For each owner, the simulator's test-token endpoint (`POST /sim/tokens`,
// mounted only with SIM_TEST_TOKENS=1) stands in for the browser consent; from there everything is
// the real path — the car account is connected with those tokens (encrypted by the token store's
// cipher), the cars are listed through the PSA v4 adapter (`GET /user/vehicles`), linked, and the
// worker syncs them like anyone's. Nothing is written into the data tables from here.
//
// Who owns the data:
// - the simulator's first owner is the demo owner (demo@kinetic.local, "Try the demo");
// - every other simulated owner (a "peer", SIM_PEERS of them) gets a Kinetic user of its own, so
//   its cars have an owner like every car: `peer-<maker sub>@peers.kinetic.local`, no password
//   (nobody can sign in as a peer: the only password-less sign-in is the demo button, which takes
//   the is_demo user only), not a demo user. The reserved domain is what marks a peer (health
//   counts them by it).
//
// Refreshing: a refresh grant needs the brand application's client secret, which /sim/owners
// publishes (older simulators did not). Without one, the demo accounts refresh by asking
// /sim/tokens again (simTokenEndpoint), registered per account by this module.

const simOwnerSchema = z.object({
  email: z.string(),
  name: z.string(),
  brand: z.string(),
});

const simOwnersPageSchema = z.object({
  clients: z.array(
    z.object({
      brand: z.string(),
      realm: z.string(),
      clientId: z.string(),
      clientSecret: z.string().optional(),
    }),
  ),
  owners: z.array(simOwnerSchema),
  total: z.number().int().nonnegative(),
});

export type SimOwner = z.infer<typeof simOwnerSchema>;
export type SimOwnersPage = z.infer<typeof simOwnersPageSchema>;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  id_token: z.string().optional(),
  expires_in: z.number().int().positive(),
  scope: z.string().default(''),
});
type TokenResponse = z.infer<typeof tokenResponseSchema>;

const SIM_TIMEOUT_MS = 15_000;

export type SimulatorTestApi = {
  owners(offset: number, limit: number): Promise<SimOwnersPage>;
  tokens(owner: SimOwner): Promise<TokenResponse>;
};

/** The simulator's /sim/* test endpoints at `origin`. */
export function simulatorTestApi(origin: string, fetchImpl: typeof fetch = fetch): SimulatorTestApi {
  const call = async (path: string, init?: RequestInit): Promise<unknown> => {
    const response = await fetchImpl(`${origin}${path}`, {
      ...init,
      signal: AbortSignal.timeout(SIM_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`simulator ${path.split('?')[0]} answered ${response.status}`);
    return response.json();
  };
  return {
    async owners(offset, limit) {
      return simOwnersPageSchema.parse(await call(`/sim/owners?offset=${offset}&limit=${limit}`));
    },
    async tokens(owner) {
      const body = await call('/sim/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ owner: owner.email, brand: owner.brand }),
      });
      return tokenResponseSchema.parse(body);
    },
  };
}

/** The brand applications /sim/owners lists, as the worker's PSA v4 configuration wants them. */
export function appsOf(page: SimOwnersPage): PsaV4App[] {
  return page.clients.map((client) => ({
    brand: client.brand,
    realm: client.realm,
    clientId: client.clientId,
    ...(client.clientSecret ? { clientSecret: client.clientSecret } : {}),
  }));
}

/** A "refresh" that asks the test-token endpoint for a new pair for the same owner. */
export function simTokenEndpoint(api: SimulatorTestApi, owner: SimOwner): TokenEndpoint {
  return {
    async refresh(): Promise<RefreshedTokens> {
      try {
        const answer = await api.tokens(owner);
        return {
          accessToken: answer.access_token,
          refreshToken: answer.refresh_token,
          expiresInS: answer.expires_in,
        };
      } catch (error) {
        throw new TokenRefreshFailedError('the simulator did not issue test tokens', true, { cause: error });
      }
    },
  };
}

/** The `sub` claim of an id_token (the maker identity); the simulator signs it, we only read it. */
function subjectOf(response: TokenResponse, owner: SimOwner): string {
  const payload = response.id_token?.split('.')[1];
  if (payload) {
    const parsed = z
      .object({ sub: z.string().min(1) })
      .safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data.sub;
  }
  // No id_token: the e-mail is the only identity the test endpoint gave us.
  return owner.email.toLowerCase();
}

export type LinkSimulatedOwnerOptions = {
  db: Kysely<Database>;
  cipher: TokenCipher;
  api: SimulatorTestApi;
  providers: ProviderFactory;
  /** Where refreshes of this account go when its app has no client secret. */
  registerRefresh: (accountId: string, endpoint: TokenEndpoint) => void;
  now?: () => number;
};

export type LinkedOwner = { userId: string; accountId: string; vehicles: LinkedVehicle[] };

/** Links one simulated owner: the demo owner when `demo`, else a peer. */
export async function linkSimulatedOwner(
  options: LinkSimulatedOwnerOptions,
  owner: SimOwner,
  demo: boolean,
): Promise<LinkedOwner> {
  const { db, cipher, api, providers } = options;
  const now = options.now ?? Date.now;
  const issued = await api.tokens(owner);
  const makerSubject = subjectOf(issued, owner);
  const user = demo
    ? await ensureDemoOwner(db)
    : await ensurePasswordlessUser(db, { email: peerEmail(makerSubject), name: owner.name });
  const { account } = await connectCarAccount(db, cipher, {
    ownerId: user.id,
    provider: 'psa-v4',
    brand: owner.brand,
    makerSubject,
    tokens: {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: now() + issued.expires_in * 1000,
      scopes: issued.scope.split(' ').filter(Boolean),
    },
    now: now(),
  });
  options.registerRefresh(account.id, simTokenEndpoint(api, owner));
  // A re-linked account needs a token manager over its new tokens.
  providers.forget(account.id);
  const listed = await providers.forAccount(account).listVehicles();
  const vehicles = await linkVehicles(
    db,
    user.id,
    account.id,
    listed.flatMap((vehicle) => linkInputOf(vehicle, owner.brand) ?? []),
    { now: now() },
  );
  // The simulated peers are fictional drivers who chose to be listed, so the demo's public boards
  // have people on them; the demo owner's own car is listed only if they join (opt-in).
  if (!demo)
    for (const vehicle of vehicles ?? []) await joinPublicBoards(db, user.id, vehicle.vehicleId, now());
  return { userId: user.id, accountId: account.id, vehicles: vehicles ?? [] };
}

/**
 * Links the peers (owners 1…peers of the simulator) one after another, `pageSize` owners per
 * /sim/owners page. A peer that fails (its cars are listed through the maker's API, which may be
 * down or failing for a while) is logged and, with `retry`, tried again after `retry(attempt)`
 * resolves, until it is linked or `stopped`; without `retry` it is left for the next start.
 * Answers how many peers were linked.
 */
export async function linkPeers(
  options: LinkSimulatedOwnerOptions & {
    peers: number;
    pageSize?: number;
    log?: (line: string) => void;
    stopped?: () => boolean;
    /** Waits before the `attempt`-th retry (from 0) of the peers not linked yet. */
    retry?: (attempt: number) => Promise<void>;
  },
): Promise<number> {
  const pageSize = options.pageSize ?? 100;
  let linked = 0;
  const failed: { number: number; owner: SimOwner }[] = [];
  const link = async (peer: { number: number; owner: SimOwner }) => {
    try {
      await linkSimulatedOwner(options, peer.owner, false);
      linked++;
    } catch (error) {
      failed.push(peer);
      options.log?.(
        `[worker] peer ${peer.number} could not be linked: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`,
      );
    }
  };
  for (let offset = 1; offset <= options.peers; offset += pageSize) {
    if (options.stopped?.()) break;
    const limit = Math.min(pageSize, options.peers - offset + 1);
    const page = await options.api.owners(offset, limit);
    for (const [index, owner] of page.owners.entries()) {
      if (options.stopped?.()) break;
      await link({ number: offset + index, owner });
    }
    if (page.owners.length < limit) break;
  }
  for (let attempt = 0; options.retry && failed.length > 0 && !options.stopped?.(); attempt++) {
    options.log?.(`[worker] ${failed.length} peer(s) not linked yet: trying again`);
    await options.retry(attempt);
    for (const peer of failed.splice(0)) {
      if (options.stopped?.()) break;
      await link(peer);
    }
  }
  return linked;
}
